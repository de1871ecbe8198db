package pages

import (
	"testing"

	"github.com/reparto/reparto/planner"
)

// TestVenueChoicesOf: the distribution page's venue select never names a
// confidential venue to a reader who may not see it.
func TestVenueChoicesOf(t *testing.T) {
	prog := planner.CityProgress{Venues: []planner.VenueProgress{
		{Venue: planner.Venue{ID: "v1", Name: "Central de Autobuses"}, Lines: []planner.ProgressLine{{Material: "M1", Allocated: 10, Distributed: 4}}},
		{Venue: planner.Venue{ID: "v2", Name: "Refugio La Esperanza", Confidential: true}, Confidential: true},
		{Venue: planner.Venue{ID: "v3", Name: "Albergue DIF"}},
		{Venue: planner.Venue{ID: "v4"}},
	}}
	conf := func(id string) string { return "venue #" + id + " (confidential)" }
	tests := []struct {
		name   string
		hidden map[string]bool
		want   []string
	}{
		{"planner: may see every name", nil, []string{"Central de Autobuses", "Refugio La Esperanza", "Albergue DIF", "venue #v4 (confidential)"}},
		{"reader who may not", map[string]bool{"v3": true}, []string{"Central de Autobuses", "venue #v2 (confidential)", "venue #v3 (confidential)", "venue #v4 (confidential)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := venueChoicesOf(prog, tc.hidden, conf)
			if len(got) != len(tc.want) {
				t.Fatalf("%d choices, want %d", len(got), len(tc.want))
			}
			for i, w := range tc.want {
				if got[i].Label != w || got[i].ID != prog.Venues[i].Venue.ID {
					t.Errorf("choice %d = %s %q, want %s %q", i, got[i].ID, got[i].Label, prog.Venues[i].Venue.ID, w)
				}
			}
			if l := got[0].Lines["M1"]; l.Allocated != 10 || l.Distributed != 4 {
				t.Errorf("v1 M1 = %+v", l)
			}
		})
	}
}
