package planner

import (
	"strings"
	"testing"
)

func TestBuildDistributionList(t *testing.T) {
	// the shelter's id is its name, as planners sometimes type them
	const shelter = "Refugio-Esperanza-Calle-5"
	camp := &Campaign{ID: 3, Cities: []City{{Code: "ALF", Name: "Alfa", Lat: 19.00, Lon: -99.00}}}
	load := CityLoads{City: "ALF", Venues: []VenueLoad{
		{Venue: Venue{ID: shelter, Name: "Refugio", Address: "Calle 1", Lat: 19.01, Lon: -99.00}, Confidential: true,
			Lines: []VenueLine{{Material: "L3", Packs: 1, Pieces: 10}}},
		{Venue: Venue{ID: "b", Name: "Bar", Address: "Calle 2", Lat: 18.98, Lon: -99.00}, Lines: []VenueLine{{Material: "L3", Packs: 1, Pieces: 10}}},
		{Venue: Venue{ID: "c", Name: "Cantina", Lat: 19.04, Lon: -99.00}, Lines: []VenueLine{{Material: "L3", Packs: 1, Pieces: 10}}},
	}}
	tests := []struct {
		name    string
		city    string
		opt     RouteOptions
		days    string // venue ids per day, days separated by "|"; R is the shelter's reference
		wantErr string
	}{
		{"no limit", "ALF", RouteOptions{}, "b R c", ""},
		{"two stops a day", "ALF", RouteOptions{MaxStopsPerDay: 2}, "b R|c", ""},
		{"5 km a day", "ALF", RouteOptions{MaxKmPerDay: 5}, "b|R|c", ""},
		{"negative stops", "ALF", RouteOptions{MaxStopsPerDay: -1}, "", "max_stops_per_day"},
		{"too many km", "ALF", RouteOptions{MaxKmPerDay: 5000}, "", "max_km_per_day"},
		{"unknown city", "ZZZ", RouteOptions{}, "", "ZZZ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := load
			l.City = tt.city
			got, err := BuildDistributionList(camp, l, tt.opt)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var days []string
			for _, d := range got.Days {
				var ids []string
				for _, s := range d.Stops {
					id := s.VenueID
					if s.Confidential {
						if s.VenueID != "" || s.Name != "" || s.Address != "" {
							t.Errorf("confidential stop %s keeps its id, name or address", s.Ref)
						}
						if s.Ref != ConfidentialRef(camp.ID, shelter) {
							t.Errorf("confidential stop's reference %q, want ConfidentialRef %q", s.Ref, ConfidentialRef(camp.ID, shelter))
						}
						id = "R"
					}
					ids = append(ids, id)
				}
				days = append(days, strings.Join(ids, " "))
			}
			if g := strings.Join(days, "|"); g != tt.days {
				t.Errorf("days %q, want %q", g, tt.days)
			}
		})
	}
}
