package main

import (
	"fmt"

	"github.com/reparto/reparto/geo"
	"github.com/reparto/reparto/planner"
)

// assignCity applies docs/planning.md#venue-assignment to one point: the nearest city within
// its radius, ties to the lower code; "" when no radius covers it.
func assignCity(rows []cityRow, lat, lon float64) string {
	best, bestKm := "", 0.0
	for _, k := range rows {
		d := geo.DistanceKm(lat, lon, k.Lat, k.Lon)
		if d > k.RadiusKm {
			continue
		}
		if best == "" || d < bestKm || (d == bestKm && k.Code < best) {
			best, bestKm = k.Code, d
		}
	}
	return best
}

// buildVenues converts the registered venues and returns the cells they
// fill. A venue that would land anywhere but its expected city is an error.
func buildVenues(rows []cityRow) ([]planner.Venue, map[cellKey]bool, error) {
	out := make([]planner.Venue, 0, len(venues))
	cells := map[cellKey]bool{}
	for _, v := range venues {
		got := v.City
		if got == "" {
			got = assignCity(rows, v.Lat, v.Lon)
		}
		if got != v.Expect {
			return nil, nil, fmt.Errorf("venue %s: assigned to %q, expected %q", v.ID, got, v.Expect)
		}
		if got != "" {
			cells[cellKey{got, v.Category}] = true
		}
		out = append(out, planner.Venue{
			ID: v.ID, Name: v.Name, Category: v.Category, Lat: v.Lat, Lon: v.Lon,
			City: v.City, Confidential: v.Confidential,
		})
	}
	return out, cells, nil
}
