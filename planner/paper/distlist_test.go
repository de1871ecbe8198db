package paper

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reparto/reparto/planner"
)

// listFixture is the example of docs/planning.md#visiting-order: from
// (19.00, −99.00) the best route is b, a, c; venue a is a shelter whose
// id (its name, as planners sometimes type them), name and address must
// never be printed: it prints as listShelterRef.
func listFixture(t *testing.T, opt planner.RouteOptions) DistributionSheet {
	t.Helper()
	camp := &planner.Campaign{ID: listCampaignID,
		Cities:     []planner.City{{Code: "ALF", Name: "Alfa", Lat: 19.00, Lon: -99.00}},
		Categories: []planner.VenueCategory{{Code: "BAR", Name: "Bares"}, {Code: "SHELTER", Name: "Albergues"}},
	}
	load := planner.CityLoads{City: "ALF",
		Venues: []planner.VenueLoad{
			{Venue: planner.Venue{ID: listShelterID, Name: "Casa Refugio Zafiro", Address: "Calle Escondida 77", Category: "SHELTER", Lat: 19.01, Lon: -99.00},
				Confidential: true, Lines: []planner.VenueLine{{Material: "L3", Packs: 2, Pieces: 100}}},
			{Venue: planner.Venue{ID: "b", Name: "Bar Bravo", Address: "Av. Juárez 1", Category: "BAR", Lat: 18.98, Lon: -99.00},
				Lines: []planner.VenueLine{{Material: "L3", Packs: 1, Pieces: 50}, {Material: "P1", Packs: 3, Pieces: 30}}},
			{Venue: planner.Venue{ID: "c", Name: "Cantina Cielo", Category: "BAR", Lat: 19.04, Lon: -99.00},
				Lines: []planner.VenueLine{{Material: "P1", Packs: 1, Pieces: 10}}},
		},
		Unregistered: []planner.UnregisteredLoad{{Category: "BAR", Material: "P1", Venues: 4, Packs: 6, Pieces: 60}},
	}
	l, err := planner.BuildDistributionList(camp, load, opt)
	if err != nil {
		t.Fatal(err)
	}
	return DistributionSheet{Campaign: "Campaña 2009", Day: planner.NewDate(2009, 3, 20), List: l,
		Materials:  map[string]string{"L3": "Tríptico", "P1": "Cartel"},
		Categories: map[string]string{"BAR": "Bares", "SHELTER": "Albergues"}}
}

const (
	listCampaignID = 3
	listShelterID  = "Refugio-Esperanza-Calle-5"
)

var listShelterRef = planner.ConfidentialRef(listCampaignID, listShelterID)

func TestDistributionListText(t *testing.T) {
	need(t, "pdftotext")
	r := renderer(t)
	tests := []struct {
		name string
		lang string
		opt  planner.RouteOptions
		want []string // in this order
	}{
		{"two stops a day, Spanish", "es", planner.RouteOptions{MaxStopsPerDay: 2}, []string{
			"Lista de distribución: Alfa", "Campaña 2009",
			"Día 1 · paradas: 2 · 5.6 km", "Bar Bravo", "Av. Juárez 1",
			"Sede confidencial " + listShelterRef + " —",
			"Día 2 · paradas: 1 · 3.3 km", "Cantina Cielo",
			"Sedes aún no registradas", "4 sedes aún no registradas: 60 piezas de P1 · Cartel",
			"Total por material", "L3 · Tríptico", "150", "P1 · Cartel", "100"}},
		{"5 km a day, English", "en", planner.RouteOptions{MaxKmPerDay: 5}, []string{
			"Distribution list: Alfa", "5.0 km a day",
			"Day 1 · stops: 1 · 2.2 km", "Bar Bravo",
			"Day 2 · stops: 1 · 3.3 km", "confidential venue " + listShelterRef + " —",
			"Day 3 · stops: 1 · 3.3 km", "Cantina Cielo",
			"4 venues not yet registered: 60 pieces of P1 · Cartel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := r.DistributionList(&buf, listFixture(t, tt.opt), tt.lang); err != nil {
				t.Fatal(err)
			}
			text := pdfLayoutText(t, buf.Bytes())
			flat := strings.Join(strings.Fields(text), " ")
			at := 0
			for _, w := range tt.want {
				i := strings.Index(flat[at:], w)
				if i < 0 {
					t.Fatalf("%q missing after position %d in:\n%s", w, at, flat)
				}
				at += i + len(w)
			}
			raw := strings.Join(strings.Fields(pdfText(t, buf.Bytes())), " ")
			if want := map[string]string{"es": "Sede confidencial " + listShelterRef + " — contacte a la coordinación",
				"en": "confidential venue " + listShelterRef + " — contact the coordinator"}[tt.lang]; !strings.Contains(raw, want) {
				t.Errorf("%q missing", want)
			}
			for _, secret := range []string{"Zafiro", "Refugio", "Escondida", "Esperanza", "Calle-5"} {
				if strings.Contains(text, secret) || strings.Contains(raw, secret) {
					t.Errorf("the confidential venue's %q is printed", secret)
				}
			}
		})
	}
}

func TestDistributionListInvalid(t *testing.T) {
	r := renderer(t)
	s := listFixture(t, planner.RouteOptions{})
	s.Campaign = ""
	err := r.DistributionList(&bytes.Buffer{}, s, "fr")
	var pe *planner.Error
	if !errors.As(err, &pe) || pe.Code != planner.EInvalid || !strings.Contains(err.Error(), "lang") {
		t.Fatalf("lang: %v", err)
	}
	err = r.DistributionList(&bytes.Buffer{}, s, "es")
	if !errors.As(err, &pe) || pe.Code != planner.EInvalid || !strings.Contains(err.Error(), "campaign") {
		t.Fatalf("campaign: %v", err)
	}
}

// pdfLayoutText is pdftotext -layout: rows of text as they stand on the
// page, so that a day's heading comes before its table.
func pdfLayoutText(t *testing.T, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "list.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
