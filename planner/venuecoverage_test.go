package planner

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// covCampaign is trCampaign with two cities in two states and four
// registered venues: v-1 and v-6 nightclubs and v-2 a shelter in
// Tapachula, v-3 a nightclub in Oaxaca.
func covCampaign() *Campaign {
	c := trCampaign()
	c.Cities = []City{{Code: "TAP", State: "MX-CHP", Lat: 14.9, Lon: -92.27}, {Code: "OAX", State: "MX-OAX", Lat: 17.06, Lon: -96.72}}
	c.Venues = []Venue{
		{ID: "v-1", Category: "NIGHTCLUB", City: "TAP"},
		{ID: "v-2", Category: "SHELTER", City: "TAP"},
		{ID: "v-3", Category: "NIGHTCLUB", City: "OAX"},
		{ID: "v-6", Category: "NIGHTCLUB", City: "TAP"},
	}
	return c
}

// covPlan sends L3 and P1 to Tapachula's nightclubs and L3 to Oaxaca's;
// the shelters' cell has no pieces.
func covPlan() *Plan {
	return &Plan{Cells: []Cell{
		{Material: "L3", City: "OAX", Category: "NIGHTCLUB", Pieces: 200, Packs: 2},
		{Material: "L3", City: "TAP", Category: "NIGHTCLUB", Pieces: 100, Packs: 1},
		{Material: "L3", City: "TAP", Category: "SHELTER", Pieces: 0},
		{Material: "P1", City: "TAP", Category: "NIGHTCLUB", Pieces: 50, Packs: 5},
	}}
}

// covShipment is Tapachula's shipment, delivered, with two distribution
// reports; the first is corrected: its 10 pieces went to v-1, not v-6.
func covShipment() ShipmentRecord {
	l := func(m, k, v string, n int64) DistributionLine {
		return DistributionLine{Material: m, Category: k, VenueID: v, Pieces: n}
	}
	first := []DistributionLine{l("L3", "NIGHTCLUB", "v-1", 50), l("L3", "NIGHTCLUB", "", 30), l("L3", "NIGHTCLUB", "v-6", 10)}
	fixed := append(slices.Clone(first[:2]), l("L3", "NIGHTCLUB", "v-1", 10))
	return *trShipment(evD1, evDl3,
		evDistributed(4, "2009-03-14", first...),
		evDistributed(5, "2009-03-15", l("L3", "SHELTER", "v-2", 5), l("P1", "NIGHTCLUB", "v-1", 5), l("P1", "NIGHTCLUB", "", 0)),
		evCorrection(6, "2009-03-16", 4, evDistributed(0, "2009-03-14", fixed...)))
}

func TestDistributedLines(t *testing.T) {
	got := DistributedLines([]ShipmentRecord{covShipment(), *trShipment(evD1)})
	want := []DistributionLine{
		{Material: "L3", Category: "NIGHTCLUB", Pieces: 30},
		{Material: "L3", Category: "NIGHTCLUB", VenueID: "v-1", Pieces: 60},
		{Material: "L3", Category: "SHELTER", VenueID: "v-2", Pieces: 5},
		{Material: "P1", Category: "NIGHTCLUB", VenueID: "v-1", Pieces: 5},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lines = %+v\nwant %+v", got, want)
	}
	// The distribution events and their corrections alone give the same lines.
	sh := covShipment()
	sh.Events = slices.DeleteFunc(sh.Events, func(e Event) bool { return e.Kind != EventDistributed && e.Kind != EventCorrection })
	if again := DistributedLines([]ShipmentRecord{sh}); !reflect.DeepEqual(again, want) {
		t.Errorf("from distribution events only: %+v", again)
	}
	// The totals per material and category are the shipment state's.
	sh = covShipment()
	st := sh.State()
	perCategory := map[[2]string]int64{}
	for _, l := range got {
		perCategory[[2]string{l.Material, l.Category}] += l.Pieces
	}
	for _, l := range st.Distribution {
		perCategory[[2]string{l.Material, l.Category}] -= l.Pieces
	}
	for k, n := range perCategory {
		if n != 0 {
			t.Errorf("%v: lines and state differ by %d", k, n)
		}
	}
}

func TestCoverVenues(t *testing.T) {
	lines := DistributedLines([]ShipmentRecord{covShipment()})
	lines = append(lines, DistributionLine{Material: "L3", Category: "NIGHTCLUB", VenueID: "gone", Pieces: 3})
	cc := func(state, cat string, targeted, reached, untargeted int64) CoverageCount {
		return CoverageCount{State: state, Category: cat, Targeted: targeted, Reached: reached, Untargeted: untargeted}
	}
	tapOnly := NewVenueCities(map[string]string{"v-1": "TAP", "v-2": "TAP", "v-6": "TAP"})
	venueCityOAXGone := &Plan{Cells: covPlan().Cells, VenueCity: tapOnly, UnassignedVenues: []string{"v-3"}}
	registeredLater := &Plan{Cells: covPlan().Cells, VenueCity: tapOnly}
	for _, tc := range []struct {
		name                 string
		plan                 *Plan
		material             string
		total                CoverageCount
		byState, byCat, cell []CoverageCount
		reach                map[string]VenueReach
	}{
		{"every material", covPlan(), "", cc("", "", 3, 1, 1),
			[]CoverageCount{cc("MX-CHP", "", 2, 1, 1), cc("MX-OAX", "", 1, 0, 0)},
			[]CoverageCount{cc("", "NIGHTCLUB", 3, 1, 0), cc("", "SHELTER", 0, 0, 1)},
			[]CoverageCount{cc("MX-CHP", "NIGHTCLUB", 2, 1, 0), cc("MX-CHP", "SHELTER", 0, 0, 1), cc("MX-OAX", "NIGHTCLUB", 1, 0, 0)},
			map[string]VenueReach{"v-1": VenueReached, "v-2": VenueReached, "v-3": VenueNotReached, "v-6": VenueNotReached, "gone": VenueNotTargeted}},
		{"posters", covPlan(), "P1", cc("", "", 2, 1, 0),
			[]CoverageCount{cc("MX-CHP", "", 2, 1, 0)},
			[]CoverageCount{cc("", "NIGHTCLUB", 2, 1, 0)},
			[]CoverageCount{cc("MX-CHP", "NIGHTCLUB", 2, 1, 0)},
			map[string]VenueReach{"v-1": VenueReached, "v-2": VenueNotTargeted, "v-3": VenueNotTargeted, "v-6": VenueNotReached}},
		// the plan's own assignment wins: it left v-3 without a city
		{"plan's venue cities", venueCityOAXGone, "", cc("", "", 2, 1, 1),
			[]CoverageCount{cc("MX-CHP", "", 2, 1, 1)},
			[]CoverageCount{cc("", "NIGHTCLUB", 2, 1, 0), cc("", "SHELTER", 0, 0, 1)},
			[]CoverageCount{cc("MX-CHP", "NIGHTCLUB", 2, 1, 0), cc("MX-CHP", "SHELTER", 0, 0, 1)},
			map[string]VenueReach{"v-3": VenueNotTargeted}},
		// v-3 was registered after the plan: it is assigned now, to Oaxaca
		{"venue registered after the plan", registeredLater, "", cc("", "", 3, 1, 1),
			[]CoverageCount{cc("MX-CHP", "", 2, 1, 1), cc("MX-OAX", "", 1, 0, 0)},
			[]CoverageCount{cc("", "NIGHTCLUB", 3, 1, 0), cc("", "SHELTER", 0, 0, 1)},
			[]CoverageCount{cc("MX-CHP", "NIGHTCLUB", 2, 1, 0), cc("MX-CHP", "SHELTER", 0, 0, 1), cc("MX-OAX", "NIGHTCLUB", 1, 0, 0)},
			map[string]VenueReach{"v-3": VenueNotReached}},
		{"no plan", nil, "", cc("", "", 0, 0, 2),
			[]CoverageCount{cc("MX-CHP", "", 0, 0, 2)},
			[]CoverageCount{cc("", "NIGHTCLUB", 0, 0, 1), cc("", "SHELTER", 0, 0, 1)},
			[]CoverageCount{cc("MX-CHP", "NIGHTCLUB", 0, 0, 1), cc("MX-CHP", "SHELTER", 0, 0, 1)},
			map[string]VenueReach{"v-1": VenueReached, "v-6": VenueNotTargeted}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cov := CoverVenues(covCampaign(), tc.plan, lines, tc.material)
			if cov.Total != tc.total {
				t.Errorf("total = %+v, want %+v", cov.Total, tc.total)
			}
			for _, c := range []struct {
				what      string
				got, want []CoverageCount
			}{{"by state", cov.ByState, tc.byState}, {"by category", cov.ByCategory, tc.byCat}, {"cells", cov.Cells, tc.cell}} {
				if !reflect.DeepEqual(c.got, c.want) {
					t.Errorf("%s = %+v\nwant %+v", c.what, c.got, c.want)
				}
			}
			for id, want := range tc.reach {
				if got := cov.Reach(id); got != want {
					t.Errorf("Reach(%s) = %s, want %s", id, got, want)
				}
			}
		})
	}
	cov := CoverVenues(covCampaign(), covPlan(), lines, "")
	if got := cov.ReachedIDs(); !slices.Equal(got, []string{"v-1", "v-2"}) {
		t.Errorf("reached ids = %v (a venue no longer registered counts nowhere)", got)
	}
	if cov.Reached["v-1"] != 65 {
		t.Errorf("v-1 received %d pieces, want 65", cov.Reached["v-1"])
	}
	if r, ok := cov.Total.Ratio(); !ok || r != 1.0/3 {
		t.Errorf("ratio = %v, %v", r, ok)
	}
	if _, ok := (CoverageCount{}).Ratio(); ok {
		t.Error("a ratio without targeted venues")
	}
}

func TestCityDistributionProgress(t *testing.T) {
	c := covCampaign()
	lines := DistributedLines([]ShipmentRecord{covShipment()})
	lines = append(lines, DistributionLine{Material: "L3", Category: "NIGHTCLUB", VenueID: "v-7", Pieces: 1})
	ven := func(id string) Venue { v, _ := c.venue(id); return v }
	load := CityLoads{City: "TAP",
		Venues: []VenueLoad{
			{Venue: ven("v-1"), Lines: []VenueLine{{Material: "L3", Packs: 1, Pieces: 40}}},
			{Venue: ven("v-6"), Lines: []VenueLine{{Material: "L3", Packs: 1, Pieces: 40}}},
		},
		Unregistered: []UnregisteredLoad{{Category: "NIGHTCLUB", Material: "L3", Venues: 1, Packs: 1, Pieces: 20}},
	}
	got := CityDistributionProgress(c, load, lines)
	pl := func(m string, a, d int64) ProgressLine {
		return ProgressLine{Material: m, Allocated: a, Distributed: d}
	}
	want := CityProgress{City: "TAP",
		Venues: []VenueProgress{
			{Venue: ven("v-1"), Lines: []ProgressLine{pl("L3", 40, 60), pl("P1", 0, 5)}},
			{Venue: ven("v-2"), Confidential: true, Lines: []ProgressLine{pl("L3", 0, 5)}}, // sensitive category
			{Venue: ven("v-6"), Lines: []ProgressLine{pl("L3", 40, 0)}},
			{Venue: Venue{ID: "v-7"}, Confidential: true, Lines: []ProgressLine{pl("L3", 0, 1)}}, // no longer registered
		},
		Unregistered: []UnregisteredProgress{{Category: "NIGHTCLUB", Venues: 1, Lines: []ProgressLine{pl("L3", 20, 30)}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("progress = %+v\nwant %+v", got, want)
	}
}

// BenchmarkCoverVenues measures the coverage of 100,000 registered venues
// in 70 cities against a plan, with a distribution line for every tenth
// venue: what the map computes when its tracking snapshot is refreshed.
func BenchmarkCoverVenues(b *testing.B) {
	c := trCampaign()
	venueCity := map[string]string{}
	p := &Plan{VenueCity: NewVenueCities(venueCity)}
	for k := range 70 {
		code := fmt.Sprintf("C%02d", k)
		c.Cities = append(c.Cities, City{Code: code, State: fmt.Sprintf("MX-%02d", k%32), Lat: 15 + float64(k)/10, Lon: -99})
		p.Cells = append(p.Cells, Cell{Material: "L3", City: code, Category: "NIGHTCLUB", Pieces: 1000, Packs: 10})
	}
	var lines []DistributionLine
	for i := range 100_000 {
		v := Venue{ID: fmt.Sprintf("v-%06d", i), Category: "NIGHTCLUB", City: fmt.Sprintf("C%02d", i%70)}
		c.Venues = append(c.Venues, v)
		venueCity[v.ID] = v.City
		if i%10 == 0 {
			lines = append(lines, DistributionLine{Material: "L3", Category: "NIGHTCLUB", VenueID: v.ID, Pieces: 10})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if cov := CoverVenues(c, p, lines, ""); cov.Total.Reached != 10_000 {
			b.Fatalf("reached %d", cov.Total.Reached)
		}
	}
}
