package planner

import (
	"encoding/json"
	"math/rand"
	"reflect"
	"testing"
)

// TestVenueCitiesSortedAndMap checks that a campaign whose venues come in
// id order (searched by halving) and the same campaign shuffled (a map)
// assign every venue the same city, by City and by CityAt.
func TestVenueCitiesSortedAndMap(t *testing.T) {
	c, err := SyntheticNationalCampaign(5_000, 3)
	if err != nil {
		t.Fatal(err)
	}
	sorted := mustCompute(t, c)
	if sorted.VenueCity.byID != nil {
		t.Fatal("venues in id order were put in a map")
	}
	s := *c
	s.Venues = append([]Venue(nil), c.Venues...)
	rand.New(rand.NewSource(1)).Shuffle(len(s.Venues), func(i, j int) { s.Venues[i], s.Venues[j] = s.Venues[j], s.Venues[i] })
	shuffled := mustCompute(t, &s)
	if shuffled.VenueCity.byID == nil {
		t.Fatal("shuffled venues were not put in a map")
	}
	if !reflect.DeepEqual(sorted.VenueCity.Map(), shuffled.VenueCity.Map()) || sorted.VenueCity.Len() != shuffled.VenueCity.Len() {
		t.Fatal("the two representations differ")
	}
	for i, v := range c.Venues {
		want, wantOK := shuffled.VenueCity.City(v.ID)
		for _, tt := range []struct {
			name string
			at   int
		}{{"same position", i}, {"moved", i + 1}, {"out of range", -1}} {
			if got, ok := sorted.VenueCity.CityAt(tt.at, v.ID); got != want || ok != wantOK {
				t.Fatalf("%s: venue %s: got %q %v, want %q %v", tt.name, v.ID, got, ok, want, wantOK)
			}
		}
	}
	for _, id := range []string{"", "nope", "v9999999"} {
		if _, ok := sorted.VenueCity.City(id); ok {
			t.Errorf("unknown venue %q has a city", id)
		}
	}
	// Stored plans keep the JSON of the map this type replaced.
	for _, p := range []*Plan{sorted, shuffled} {
		got, err := json.Marshal(p.VenueCity)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(p.VenueCity.Map())
		if string(got) != string(want) {
			t.Fatalf("JSON differs from the map's:\n%.200s\n%.200s", got, want)
		}
		var back *VenueCities
		if err := json.Unmarshal(got, &back); err != nil || !reflect.DeepEqual(back.Map(), p.VenueCity.Map()) {
			t.Fatalf("JSON does not read back: %v", err)
		}
	}
	var none *VenueCities
	if _, ok := none.CityAt(0, "v0000001"); ok || none.Len() != 0 || none.Map() != nil {
		t.Error("a nil VenueCities has venues")
	}
}
