package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/planio"
)

// committedPath is the demo campaign as committed, relative to this package.
const committedPath = "../../assets/data/campaign-2009.json"

// readCommitted parses the committed campaign file.
func readCommitted(t *testing.T) *planner.Campaign {
	t.Helper()
	f, err := os.Open(committedPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := planio.ParseCampaign(f)
	if err != nil {
		t.Fatalf("committed campaign does not parse: %v", err)
	}
	return c
}

// TestCommittedFileIsUpToDate regenerates the campaign and compares it byte
// for byte with the committed file: the generator is deterministic and the
// file was not edited by hand.
func TestCommittedFileIsUpToDate(t *testing.T) {
	out := filepath.Join(t.TempDir(), "campaign.json")
	for run1 := range 2 { // twice: same bytes on every run
		if err := run([]string{"-out", out}, os.Stderr); err != nil {
			t.Fatalf("run %d: %v", run1+1, err)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(committedPath)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("run %d: generated campaign differs from %s; run `go run ./cmd/gendemo` and commit", run1+1, committedPath)
		}
	}
}

func TestMaterials(t *testing.T) {
	c := readCommitted(t)
	if len(c.Materials) != 19 {
		t.Errorf("materials = %d, want 19", len(c.Materials))
	}
	var total int64
	formats := map[string]int{}
	for _, m := range c.Materials {
		total += m.Printed
		formats[m.Format]++
		if m.PieceGrams == nil {
			t.Errorf("%s: no piece_grams", m.Code)
		}
		if m.ReservePct.Cmp(planner.DecimalInt(2)) < 0 || m.ReservePct.Cmp(planner.DecimalInt(5)) > 0 {
			t.Errorf("%s: reserve_pct %s outside 2..5", m.Code, m.ReservePct)
		}
	}
	if total != totalPrinted {
		t.Errorf("printed total = %d, want %d", total, totalPrinted)
	}
	for _, f := range []string{"poster", "flyer", "pamphlet", "leaflet", "brochure", "flipchart"} {
		if formats[f] == 0 {
			t.Errorf("no material in format %s", f)
		}
	}
	if len(formats) != 6 {
		t.Errorf("formats = %v, want exactly the six", formats)
	}
}

func TestDemandLeafletTargetsExactlyFourCategories(t *testing.T) {
	c := readCommitted(t)
	m, ok := c.Material("TRI-DELITO")
	if !ok {
		t.Fatal("no TRI-DELITO material")
	}
	if m.Format != "leaflet" || m.Name != "Tríptico: La trata de personas es un delito y se castiga por la ley" {
		t.Errorf("TRI-DELITO = %q (%s)", m.Name, m.Format)
	}
	var got []string
	for _, r := range c.Targeting {
		if r.Material == "TRI-DELITO" && r.PerVenue > 0 {
			got = append(got, r.Category)
		}
	}
	slices.Sort(got)
	want := []string{"AEROPUERTO", "CENTRAL-AUTOBUS", "HOTEL", "NOCTURNO"}
	if !slices.Equal(got, want) {
		t.Errorf("TRI-DELITO categories = %v, want %v", got, want)
	}
}

// allStates is the 32 federal entities, ISO 3166-2:MX.
var allStates = []string{
	"MX-AGU", "MX-BCN", "MX-BCS", "MX-CAM", "MX-CHH", "MX-CHP", "MX-CMX", "MX-COA",
	"MX-COL", "MX-DUR", "MX-GRO", "MX-GUA", "MX-HID", "MX-JAL", "MX-MEX", "MX-MIC",
	"MX-MOR", "MX-NAY", "MX-NLE", "MX-OAX", "MX-PUE", "MX-QUE", "MX-ROO", "MX-SIN",
	"MX-SLP", "MX-SON", "MX-TAB", "MX-TAM", "MX-TLA", "MX-VER", "MX-YUC", "MX-ZAC",
}

func TestCitiesCoverEveryState(t *testing.T) {
	c := readCommitted(t)
	if len(c.Cities) != 70 {
		t.Errorf("cities = %d, want 70", len(c.Cities))
	}
	var states []string
	for _, k := range c.Cities {
		if !slices.Contains(states, k.State) {
			states = append(states, k.State)
		}
	}
	slices.Sort(states)
	if !slices.Equal(states, allStates) {
		t.Errorf("states = %v, want all 32", states)
	}
}

// TestStatesByPolygon checks cities whose GeoNames state or position is a
// known trap (see assets/geo/README.md, "Caveats").
func TestStatesByPolygon(t *testing.T) {
	c := readCommitted(t)
	tests := []struct{ city, state string }{
		{"MEX", "MX-CMX"},
		{"TAP", "MX-CHP"},
		{"CDHI", "MX-CHP"}, // outside every polygon: nearest state
		{"TENA", "MX-TLA"}, // Tenancingo, Tlaxcala, not the State of Mexico one
		{"CJS", "MX-CHH"},
		{"TGZ", "MX-CHP"},
		{"ECAT", "MX-MEX"},
	}
	for _, tt := range tests {
		k, ok := c.City(tt.city)
		if !ok {
			t.Errorf("no city %s", tt.city)
			continue
		}
		if k.State != tt.state {
			t.Errorf("%s state = %s, want %s", tt.city, k.State, tt.state)
		}
	}
}

// TestFillCitiesAreTheMostPopulous checks the rule that completes the list
// to 70: the fill cities are the most populous places outside Ciudad de
// México (whose alcaldías the capital stands for) not already chosen.
func TestFillCitiesAreTheMostPopulous(t *testing.T) {
	f, err := assets.FS.Open("geo/mx_places.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	places, err := readPlaces(f)
	if err != nil {
		t.Fatal(err)
	}
	chosen := map[int64]bool{}
	var fillIDs []int64
	for _, s := range cities {
		if s.Traits.has(fill) {
			fillIDs = append(fillIDs, s.GeonamesID)
		} else {
			chosen[s.GeonamesID] = true
		}
	}
	var want []int64
	for _, p := range places { // file order: population descending
		if len(want) == len(fillIDs) {
			break
		}
		if p.StateCode != "MX-CMX" && !chosen[p.ID] {
			want = append(want, p.ID)
		}
	}
	if !slices.Equal(fillIDs, want) {
		t.Errorf("fill cities = %v, want %v", fillIDs, want)
	}
}

func TestCountsAreEstimatedAndNotOverRegisteredVenues(t *testing.T) {
	c := readCommitted(t)
	p, err := planner.Compute(c)
	if err != nil {
		t.Fatal(err)
	}
	registered := map[[2]string]bool{}
	for _, v := range c.Venues {
		if k, ok := p.VenueCity.City(v.ID); ok && k != "" {
			registered[[2]string{k, v.Category}] = true
		}
	}
	for _, vc := range c.VenueCounts {
		if !vc.Estimated {
			t.Errorf("venue_counts %s/%s not marked estimated", vc.City, vc.Category)
		}
		if registered[[2]string{vc.City, vc.Category}] {
			t.Errorf("venue_counts %s/%s would override registered venues", vc.City, vc.Category)
		}
	}
	wantGaps := []string{"v-0025", "v-0026", "v-0027"}
	if !slices.Equal(p.UnassignedVenues, wantGaps) {
		t.Errorf("unassigned venues = %v, want %v", p.UnassignedVenues, wantGaps)
	}
}

// TestScheduleIsFeasibleButTight checks the capacity claim of the README:
// every city on time, and the capacity needed within 15% of the chosen one.
func TestScheduleIsFeasibleButTight(t *testing.T) {
	c := readCommitted(t)
	p, err := planner.Compute(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Shipments) != 70 {
		t.Errorf("shipments = %d, want 70", len(p.Shipments))
	}
	for _, s := range p.Shipments {
		if s.LateDays > 0 {
			t.Errorf("%s late by %d days", s.City, s.LateDays)
		}
	}
	if p.RequiredBoxesPerDay == nil {
		t.Fatal("no capacity makes the plan feasible")
	}
	req, chosen := *p.RequiredBoxesPerDay, c.Dispatch.BoxesPerDay
	if req > chosen || req*100 < chosen*85 {
		t.Errorf("required %d boxes/day, chosen %d: want within 15%% below", req, chosen)
	}
}

func TestPerMillion(t *testing.T) {
	tests := []struct {
		pop, rate, min, want int64
	}{
		{1_000_000, 800, 5, 800},
		{1_500, 800, 5, 5},      // 1.2 -> min
		{12_294_193, 4, 1, 49},  // 49.18
		{625_000, 4, 1, 3},      // 2.5 rounds half up
		{624_999, 4, 1, 2},      // 2.499996
		{52_217, 360, 30, 30},   // 18.8 -> tourist minimum
		{628_306, 360, 30, 226}, // 226.19
		{0, 10, 0, 0},
	}
	for _, tt := range tests {
		if got := perMillion(tt.pop, tt.rate, tt.min); got != tt.want {
			t.Errorf("perMillion(%d, %d, %d) = %d, want %d", tt.pop, tt.rate, tt.min, got, tt.want)
		}
	}
}

func TestAssignCity(t *testing.T) {
	rows := []cityRow{
		{City: planner.City{Code: "BBB", Lat: 0, Lon: 0, RadiusKm: 15}},
		{City: planner.City{Code: "AAA", Lat: 0, Lon: 0.2, RadiusKm: 15}},
	}
	// 0.1° of longitude at the equator is 11.12 km: midway is a tie.
	tests := []struct {
		name     string
		lat, lon float64
		want     string
	}{
		{"nearest", 0, 0.01, "BBB"},
		{"tie goes to the lower code", 0, 0.1, "AAA"},
		{"outside every radius", 1, 1, ""},
	}
	for _, tt := range tests {
		if got := assignCity(rows, tt.lat, tt.lon); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestNationalIsDeterministic writes a small national campaign twice: the
// same flags give the same bytes, and the file parses with the venues asked.
func TestNationalIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	var files [2][]byte
	for i := range files {
		out := filepath.Join(dir, "national.json")
		if err := run([]string{"-national", "-venues", "2000", "-seed", "3", "-out", out}, os.Stderr); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		files[i] = b
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Fatal("two runs wrote different files")
	}
	c, err := planio.ParseCampaign(bytes.NewReader(files[0]))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Venues) != 2000 || len(c.Cities) != 2500 {
		t.Errorf("%d venues, %d cities; want 2000 and 2500", len(c.Venues), len(c.Cities))
	}
}
