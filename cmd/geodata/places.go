package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// place is one row of mx_places.csv.
type place struct {
	id                         int64
	name, stateCode, stateName string
	lat, lon                   string // shortest decimal form of the source value
	population                 int64
}

// GeoNames table columns (tab-separated, no header, no quoting):
// https://download.geonames.org/export/dump/readme.txt
const (
	gnID         = 0
	gnName       = 1
	gnLat        = 4
	gnLon        = 5
	gnClass      = 6
	gnCountry    = 8
	gnAdmin1     = 10
	gnPopulation = 14
	gnColumns    = 19
)

// readPlaces keeps the Mexican populated places (feature class P) with a
// population of at least 1000, with the state their GeoNames admin1 code
// names through the states' geonames_admin1, sorted by population
// (descending) then id. Places whose admin1 code names no state are
// counted in skipped.
func readPlaces(r io.Reader, states []state) (rows []place, skipped int, err error) {
	byAdmin1 := map[string]state{}
	for _, s := range states {
		byAdmin1[s.admin1] = s
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<24) // alternate names make long lines
	line := 0
	for sc.Scan() {
		line++
		f := strings.Split(sc.Text(), "\t")
		if len(f) < gnColumns {
			return nil, 0, fmt.Errorf("line %d: %d columns, want %d (is this a GeoNames table?)", line, len(f), gnColumns)
		}
		if f[gnCountry] != "MX" || f[gnClass] != "P" {
			continue
		}
		pop, err := strconv.ParseInt(f[gnPopulation], 10, 64)
		if err != nil {
			return nil, 0, fmt.Errorf("line %d: population %q: %w", line, f[gnPopulation], err)
		}
		if pop < 1000 {
			continue
		}
		s, ok := byAdmin1[f[gnAdmin1]]
		if !ok {
			skipped++
			continue
		}
		id, err := strconv.ParseInt(f[gnID], 10, 64)
		if err != nil {
			return nil, 0, fmt.Errorf("line %d: id %q: %w", line, f[gnID], err)
		}
		lat, err1 := shortest(f[gnLat])
		lon, err2 := shortest(f[gnLon])
		if err1 != nil || err2 != nil {
			return nil, 0, fmt.Errorf("line %d: bad coordinates %q, %q", line, f[gnLat], f[gnLon])
		}
		rows = append(rows, place{id: id, name: f[gnName], stateCode: s.code, stateName: s.name,
			lat: lat, lon: lon, population: pop})
	}
	if err := sc.Err(); err != nil {
		return nil, 0, err
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].population != rows[j].population {
			return rows[i].population > rows[j].population
		}
		return rows[i].id < rows[j].id
	})
	return rows, skipped, nil
}

// shortest rewrites a decimal number in the shortest form that reads back
// as the same float ("19.40000" is "19.4"), as the shipped file has it.
func shortest(s string) (string, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "", err
	}
	return strconv.FormatFloat(f, 'f', -1, 64), nil
}

// encodePlaces writes mx_places.csv: UTF-8 without BOM, "\n" line ends, a
// header row, fields quoted only when they hold a comma, quote or line
// break.
func encodePlaces(rows []place) []byte {
	var b bytes.Buffer
	b.WriteString("geonames_id,name,state_code,state_name,lat,lon,population\n")
	for _, p := range rows {
		fields := []string{strconv.FormatInt(p.id, 10), p.name, p.stateCode, p.stateName, p.lat, p.lon,
			strconv.FormatInt(p.population, 10)}
		for i, f := range fields {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(csvField(f))
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func csvField(s string) string {
	if !strings.ContainsAny(s, "\",\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
