package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// place is one row of assets/geo/mx_places.csv (GeoNames, CC BY 4.0).
// StateCode is GeoNames' admin1 mapping, which is wrong for some towns;
// the generator only uses it to apply the "most populous remaining" rule,
// never as a city's state.
type place struct {
	ID         int64
	Name       string
	StateCode  string
	Lat, Lon   float64
	Population int64
}

// placesHeader is the exact header of mx_places.csv; a different file must
// not be read silently as if it were this one.
var placesHeader = []string{"geonames_id", "name", "state_code", "state_name", "lat", "lon", "population"}

// readPlaces reads mx_places.csv in file order (population descending, then
// geonames_id), which is the order the fill rule relies on.
func readPlaces(r io.Reader) ([]place, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(placesHeader)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read places header: %w", err)
	}
	for i, h := range placesHeader {
		if header[i] != h {
			return nil, fmt.Errorf("places header column %d is %q, want %q", i+1, header[i], h)
		}
	}
	var out []place
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read places: %w", err)
		}
		p, err := parsePlace(rec)
		if err != nil {
			return nil, fmt.Errorf("places row %d: %w", len(out)+2, err)
		}
		out = append(out, p)
	}
}

func parsePlace(rec []string) (place, error) {
	var p place
	var err error
	if p.ID, err = strconv.ParseInt(rec[0], 10, 64); err != nil {
		return p, fmt.Errorf("geonames_id: %w", err)
	}
	p.Name, p.StateCode = rec[1], rec[2]
	if p.Lat, err = strconv.ParseFloat(rec[4], 64); err != nil {
		return p, fmt.Errorf("lat: %w", err)
	}
	if p.Lon, err = strconv.ParseFloat(rec[5], 64); err != nil {
		return p, fmt.Errorf("lon: %w", err)
	}
	if p.Population, err = strconv.ParseInt(rec[6], 10, 64); err != nil {
		return p, fmt.Errorf("population: %w", err)
	}
	return p, nil
}
