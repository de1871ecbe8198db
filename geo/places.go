package geo

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Place is a GeoNames populated place (assets/geo/mx_places.csv).
//
// State is the state whose polygon contains the point (StateIndex.Locate),
// not GeoNames' own admin1 code: 135 GeoNames codes are plainly wrong
// (Toluca valley towns coded Morelos, Michoacán towns coded México).
// GeonamesState keeps GeoNames' code, uncorrected, because it still says
// which rows GeoNames counts as parts of Mexico City (see
// UncoveredPopulation).
type Place struct {
	GeonamesID    int64
	Name          string
	State         string
	Lat, Lon      float64
	Population    int64
	GeonamesState string
}

// placeColumns are the columns LoadPlaces needs, in any order; others are
// ignored.
var placeColumns = []string{"geonames_id", "name", "state_code", "lat", "lon", "population"}

// LoadPlaces reads a places CSV with a header row naming at least the
// columns geonames_id, name, state_code, lat, lon and population (as in
// assets/geo/mx_places.csv) and returns the places in file order, each
// with its State located in states. It fails on a missing column, a
// malformed number, a coordinate out of range, a negative population or a
// duplicate geonames_id, naming the line.
func LoadPlaces(r io.Reader, states *StateIndex) ([]Place, error) {
	if states == nil {
		return nil, errors.New("load places: no state index")
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("load places: header: %w", err)
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		col[h] = i
	}
	idx := make([]int, len(placeColumns))
	for i, name := range placeColumns {
		j, ok := col[name]
		if !ok {
			return nil, fmt.Errorf("load places: header: missing column %s", name)
		}
		idx[i] = j
	}
	var places []Place
	seen := make(map[int64]bool)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("load places: %w", err)
		}
		line, _ := cr.FieldPos(0)
		p, err := parsePlace(rec, idx)
		if err != nil {
			return nil, fmt.Errorf("load places: line %d: %w", line, err)
		}
		if seen[p.GeonamesID] {
			return nil, fmt.Errorf("load places: line %d: duplicate geonames_id %d", line, p.GeonamesID)
		}
		seen[p.GeonamesID] = true
		p.State, _ = states.Locate(p.Lat, p.Lon)
		places = append(places, p)
	}
	return places, nil
}

// parsePlace converts one record; idx gives the position of each of
// placeColumns.
func parsePlace(rec []string, idx []int) (Place, error) {
	field := func(i int) string { return rec[idx[i]] }
	var p Place
	var err error
	if p.GeonamesID, err = strconv.ParseInt(field(0), 10, 64); err != nil {
		return p, fmt.Errorf("geonames_id: %w", err)
	}
	p.Name = field(1)
	p.GeonamesState = field(2)
	if p.Lat, err = strconv.ParseFloat(field(3), 64); err != nil || !(p.Lat >= -90 && p.Lat <= 90) {
		return p, fmt.Errorf("lat %q: must be a number in [-90, 90]", field(3))
	}
	if p.Lon, err = strconv.ParseFloat(field(4), 64); err != nil || !(p.Lon >= -180 && p.Lon <= 180) {
		return p, fmt.Errorf("lon %q: must be a number in [-180, 180]", field(4))
	}
	if p.Population, err = strconv.ParseInt(field(5), 10, 64); err != nil || p.Population < 0 {
		return p, fmt.Errorf("population %q: must be a whole number >= 0", field(5))
	}
	return p, nil
}
