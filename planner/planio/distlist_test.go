package planio

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/reparto/reparto/planner"
)

func TestWriteDistributionList(t *testing.T) {
	// the shelter's id is its name, as planners sometimes type them
	const shelter = "Refugio-Esperanza-Calle-5"
	camp := &planner.Campaign{ID: 3, Cities: []planner.City{{Code: "ALF", Name: "Alfa", Lat: 19.00, Lon: -99.00}}}
	ref := planner.ConfidentialRef(camp.ID, shelter)
	load := planner.CityLoads{City: "ALF",
		Venues: []planner.VenueLoad{
			{Venue: planner.Venue{ID: shelter, Name: "Casa Refugio Zafiro", Address: "Calle Escondida 77", Category: "SHELTER", Lat: 19.01, Lon: -99.00},
				Confidential: true, Lines: []planner.VenueLine{{Material: "L3", Packs: 2, Pieces: 100}}},
			{Venue: planner.Venue{ID: "b", Name: "=Bar Bravo", Address: "Av. Juárez 1", Category: "BAR", Lat: 18.98, Lon: -99.00},
				Lines: []planner.VenueLine{{Material: "L3", Packs: 1, Pieces: 50}, {Material: "P1", Packs: 3, Pieces: 30}}},
			{Venue: planner.Venue{ID: "c", Name: "Cantina Cielo", Category: "BAR", Lat: 19.04, Lon: -99.00},
				Lines: []planner.VenueLine{{Material: "P1", Packs: 1, Pieces: 10}}},
		},
		Unregistered: []planner.UnregisteredLoad{{Category: "BAR", Material: "P1", Venues: 4, Packs: 6, Pieces: 60}},
	}
	l, err := planner.BuildDistributionList(camp, load, planner.RouteOptions{MaxStopsPerDay: 2})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		words ListWords
		want  [][]string
	}{
		{"English words", ListWords{}, [][]string{
			DistributionListColumns,
			{"ALF", "1", "1", "b", "'=Bar Bravo", "Av. Juárez 1", "BAR", "L3", "50", "1", "2.224", ""},
			{"ALF", "1", "1", "b", "'=Bar Bravo", "Av. Juárez 1", "BAR", "P1", "30", "3", "2.224", ""},
			{"ALF", "1", "2", ref, "confidential venue " + ref + " — contact the coordinator", "", "SHELTER", "L3", "100", "2", "3.336", ""},
			{"ALF", "2", "3", "c", "Cantina Cielo", "", "BAR", "P1", "10", "1", "3.336", ""},
			{"ALF", "", "", "", "4 venues not yet registered", "", "BAR", "P1", "60", "6", "", "4"},
		}},
		{"the user's words", ListWords{
			Confidential: func(ref string) string { return "Sede confidencial " + ref },
			Unregistered: func(n int64) string { return "sin registrar" },
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			o := NewSpreadsheetCSV(&buf)
			WriteDistributionList(o, l, tt.words)
			if err := o.Flush(); err != nil {
				t.Fatal(err)
			}
			rows := parseExport(t, buf.Bytes())
			if tt.want != nil && !slices.EqualFunc(rows, tt.want, slices.Equal) {
				t.Errorf("rows\n%q\nwant\n%q", rows, tt.want)
			}
			for _, secret := range []string{"Zafiro", "Escondida", "Refugio", "Esperanza", "Calle-5"} {
				if strings.Contains(buf.String(), secret) {
					t.Errorf("the confidential venue's %q is in the file", secret)
				}
			}
			if tt.want == nil && !strings.Contains(buf.String(), "Sede confidencial "+ref) {
				t.Errorf("the user's words are not used:\n%s", buf.String())
			}
		})
	}
}
