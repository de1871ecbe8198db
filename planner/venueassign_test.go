package planner

import (
	"reflect"
	"testing"
)

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

// venueCSVCampaign has two cities on the equator one degree of longitude
// apart (about 111.2 km), each with a 15 km radius, and two categories.
func venueCSVCampaign() *Campaign {
	return &Campaign{
		Cities: []City{
			{Code: "B", Name: "Bee", Lat: 0, Lon: 1, Priority: DecimalInt(1), RadiusKm: 15},
			{Code: "A", Name: "Ay", Lat: 0, Lon: 0, Priority: DecimalInt(1), RadiusKm: 15},
		},
		Categories: []VenueCategory{{Code: "BAR", Name: "Bares"}, {Code: "ONG", Name: "ONG", Sensitive: true}},
	}
}
