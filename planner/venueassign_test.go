package planner

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseVenueCSVIDsAndDuplicates(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		ids       []string
		duplicate []bool
		errs      []string
	}{
		{"ids optional per row", "id,name,category,lat,lon\nx-1,Uno,BAR,0,0\n,Dos,BAR,0,0\n",
			[]string{"x-1", ""}, []bool{false, false}, nil},
		{"no id column", "name,category,lat,lon\nUno,BAR,0,0\n", []string{""}, []bool{false}, nil},
		{"same id twice refuses the file", "name,category,lat,lon,id\nUno,BAR,0,0,x-1\nDos,BAR,0,0,x-2\nTres,BAR,0,0,x-1\n",
			[]string{"x-1", "x-2", "x-1"}, []bool{false, false, true},
			[]string{`line 4: id: venue id "x-1" is also on line 2`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, errs := ParseVenueCSV(strings.NewReader(tt.in), venueCSVCampaign())
			var ids []string
			var dups []bool
			for _, r := range rows {
				ids, dups = append(ids, r.Venue.ID), append(dups, r.Duplicate)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.String())
			}
			if !reflect.DeepEqual(ids, tt.ids) || !reflect.DeepEqual(dups, tt.duplicate) || !reflect.DeepEqual(got, tt.errs) {
				t.Fatalf("ids %q duplicates %v errors %q; want %q %v %q", ids, dups, got, tt.ids, tt.duplicate, tt.errs)
			}
		})
	}
}

func TestAssignedCities(t *testing.T) {
	c := venueCSVCampaign()
	venues := []Venue{
		{ID: "a", Lat: 0, Lon: 0.05},         // 5.6 km from A
		{ID: "b", Lat: 0, Lon: 0.5},          // within no radius
		{ID: "c", Lat: 0, Lon: 0, City: "B"}, // its own city wins
		{ID: "d", Lat: 0, Lon: 0.98},         // near B
	}
	if got, want := AssignedCities(c.Cities, venues), []string{"A", "", "B", "B"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("assigned %q, want %q", got, want)
	}
}
