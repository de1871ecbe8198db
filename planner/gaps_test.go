package planner

import (
	"cmp"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/reparto/reparto/geo"
)

// gapStates are three made-up states in lon/lat degrees: AAA = lon 0..1,
// lat 0..1; BBB = lon 1..2, lat 0..1; CCC = lon 0..2, lat 1..2.
const gapStates = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"MX-AAA","name":"Aaa"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
{"type":"Feature","properties":{"code":"MX-BBB","name":"Bbb"},"geometry":{"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}},
{"type":"Feature","properties":{"code":"MX-CCC","name":"Ccc"},"geometry":{"type":"Polygon","coordinates":[[[0,1],[2,1],[2,2],[0,2],[0,1]]]}}]}`

func gapFixture(t *testing.T) (*Campaign, *Plan, *geo.StateIndex, []geo.Place) {
	t.Helper()
	states, err := geo.LoadStates(strings.NewReader(gapStates))
	if err != nil {
		t.Fatal(err)
	}
	c := &Campaign{
		Categories: []VenueCategory{{Code: "BAR", Name: "Bares"}, {Code: "SHELTER", Name: "Albergues", Sensitive: true}},
		Cities: []City{
			{Code: "K2", Name: "Ciudad Dos", Lat: 0.5, Lon: 1.5, RadiusKm: 15},
			{Code: "K1", Name: "Ciudad Uno", Lat: 0.5, Lon: 0.5, RadiusKm: 15},
		},
		Venues: []Venue{
			{ID: "v1", Name: "Casa Secreta", Category: "SHELTER", Lat: 0.5, Lon: 0.8},
			{ID: "v2", Name: "Bar Escondido", Category: "BAR", Lat: 1.5, Lon: 1.5, Confidential: true},
			{ID: "v3", Name: "Bar Abierto", Category: "BAR", Lat: 0.5, Lon: 0.55, City: "K1"},
			{ID: "v4", Name: "Bar Lejano", Category: "BAR", Lat: 1.9, Lon: 0.1},
		},
	}
	p := &Plan{
		Cells: []Cell{
			{Material: "M1", City: "K1", Category: "BAR", Demand: 1000, Pieces: 500},
			{Material: "M1", City: "K1", Category: "SHELTER", Demand: 300, Pieces: 0},
			{Material: "M1", City: "K2", Category: "BAR", Demand: 100, Pieces: 0},
			{Material: "M2", City: "K1", Category: "BAR", Demand: 1000, Pieces: 1000},
			{Material: "M2", City: "K2", Category: "BAR", Demand: 0, Pieces: 200, Locked: true}, // lock without demand: not a fill
			{Material: "M2", City: "K2", Category: "SHELTER", Demand: 400, Pieces: 600},
		},
		// v4 is not unassigned here on purpose: only listed ids are reported;
		// "v9" is not in the campaign and is skipped.
		UnassignedVenues: []string{"v1", "v2", "v9"},
	}
	places := []geo.Place{
		{GeonamesID: 1, Name: "P1", State: "MX-AAA", Lat: 0.6, Lon: 0.5, Population: 1000}, // 11.1 km from K1
		{GeonamesID: 4, Name: "P4", State: "MX-AAA", Lat: 0.5, Lon: 0.02, Population: 500}, // 53.4 km from K1
		{GeonamesID: 2, Name: "P2", State: "MX-BBB", Lat: 0.5, Lon: 1.9, Population: 2000}, // 44.5 km from K2
		{GeonamesID: 3, Name: "P3", State: "MX-CCC", Lat: 1.5, Lon: 1.0, Population: 3000}, // ~124 km from both
	}
	return c, p, states, places
}

func gapPtr(f float64) *float64 { return &f }

func TestComputeGaps(t *testing.T) {
	c, p, states, places := gapFixture(t)
	g := ComputeGaps(c, p, states, places, 0) // 0: DefaultGapKm

	// Population by hand: AAA 1000+500 (P4 uncovered), BBB 2000 (P2 at
	// 44.5 km is covered), CCC 3000 (uncovered): 6500, 3500 uncovered.
	ccc := StateGap{State: "MX-CCC", Name: "Ccc", Cities: []string{}, Population: 3000, Uncovered: 3000, UncoveredShare: gapPtr(1), Places: 1, UncoveredPlaces: 1}
	want := &Gaps{
		GapKm:          50,
		Population:     6500,
		Uncovered:      3500,
		UncoveredShare: gapPtr(0.5385), // 3500/6500 = 0.53846…
		UnassignedVenues: []UnassignedVenue{
			// 0.3° of longitude at latitude 0.5°: 2R·asin(cos0.5°·sin0.15°) = 33.36 km.
			{ID: "v1", Category: "SHELTER", Lat: 0.5, Lon: 0.8, State: "MX-AAA", NearestCity: "K1", NearestCityKm: 33.4, Confidential: true},
			// 1° of latitude south to K2: R·π/180 = 111.195 km.
			{ID: "v2", Category: "BAR", Lat: 1.5, Lon: 1.5, State: "MX-CCC", NearestCity: "K2", NearestCityKm: 111.2, Confidential: true},
		},
		StatesWithoutCity: []StateGap{ccc},
		States: []StateGap{
			ccc,
			{State: "MX-AAA", Name: "Aaa", Cities: []string{"K1"}, Population: 1500, Uncovered: 500, UncoveredShare: gapPtr(0.3333), Places: 2, UncoveredPlaces: 1},
			{State: "MX-BBB", Name: "Bbb", Cities: []string{"K2"}, Population: 2000, Uncovered: 0, UncoveredShare: gapPtr(0), Places: 1},
		},
		Fill: []CellFill{
			{City: "K1", Category: "SHELTER", Materials: []string{"M1"}, Demand: 300, Allocated: 0, Fill: 0},
			{City: "K2", Category: "BAR", Materials: []string{"M1"}, Demand: 100, Allocated: 0, Fill: 0},
			{City: "K1", Category: "BAR", Materials: []string{"M1", "M2"}, Demand: 2000, Allocated: 1500, Fill: 0.75},
			{City: "K2", Category: "SHELTER", Materials: []string{"M2"}, Demand: 400, Allocated: 600, Fill: 1.5},
		},
		Unserved: []CellFill{
			{City: "K1", Category: "SHELTER", Materials: []string{"M1"}, Demand: 300, Allocated: 0, Fill: 0},
			{City: "K2", Category: "BAR", Materials: []string{"M1"}, Demand: 100, Allocated: 0, Fill: 0},
		},
	}
	if !reflect.DeepEqual(g, want) {
		gj, _ := json.MarshalIndent(g, "", " ")
		wj, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("ComputeGaps:\n got %s\nwant %s", gj, wj)
	}
}

func TestComputeGapsCutOff(t *testing.T) {
	c, p, states, places := gapFixture(t)
	// At 40 km P2 (44.5 km from K2) is uncovered too: BBB leads with 2000,
	// ahead of AAA's 500.
	g := ComputeGaps(c, p, states, places, 40)
	if g.GapKm != 40 || g.Uncovered != 5500 {
		t.Errorf("gap_km %v, uncovered %d; want 40, 5500", g.GapKm, g.Uncovered)
	}
	var order []string
	for _, s := range g.States {
		order = append(order, s.State)
	}
	if want := []string{"MX-CCC", "MX-BBB", "MX-AAA"}; !reflect.DeepEqual(order, want) {
		t.Errorf("states order %v, want %v", order, want)
	}
}

// TestComputeGapsNoNames checks that no venue name reaches the report.
func TestComputeGapsNoNames(t *testing.T) {
	c, p, states, places := gapFixture(t)
	p.UnassignedVenues = []string{"v1", "v2", "v3", "v4"}
	b, err := json.Marshal(ComputeGaps(c, p, states, places, DefaultGapKm))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range c.Venues {
		if strings.Contains(string(b), v.Name) {
			t.Errorf("gaps JSON contains venue name %q", v.Name)
		}
	}
	for _, key := range []string{`"unassigned_venues"`, `"states_without_city"`, `"uncovered_share"`, `"nearest_city_km"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("gaps JSON lacks key %s", key)
		}
	}
}

// TestComputeGapsWithoutGeodata: no states, no places, no cities still
// gives empty lists (JSON []), not nulls.
func TestComputeGapsWithoutGeodata(t *testing.T) {
	g := ComputeGaps(&Campaign{}, &Plan{}, nil, nil, DefaultGapKm)
	b, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"gap_km":50,"population":0,"uncovered":0,"uncovered_share":null,"unassigned_venues":[],"states_without_city":[],"states":[],"fill":[],"unserved":[]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

// TestUnassignedByID: the merge walk over venues sorted by id and the
// map over any order find the same venues, absent ids included.
func TestUnassignedByID(t *testing.T) {
	venues := []Venue{{ID: "a", Lat: 1}, {ID: "b", Lat: 2}, {ID: "d", Lat: 4}, {ID: "e", Lat: 5}}
	ids := []string{"b", "c", "e"}
	want := []Venue{venues[1], {}, venues[3]}
	shuffledVenues := []Venue{venues[3], venues[0], venues[2], venues[1]}
	for name, vs := range map[string][]Venue{"sorted": venues, "shuffled": shuffledVenues} {
		if got := unassignedByID(vs, ids); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, want %+v", name, got, want)
		}
	}
}

// TestGapsFillOrder: the fill list, reordered where it lies, is the
// cells' fills stably sorted by fill (then city and category), and the
// unserved list by demand descending, on campaigns with many equal fills.
func TestGapsFillOrder(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		c, err := SyntheticNationalCampaign(3_000, seed)
		if err != nil {
			t.Fatal(err)
		}
		p := mustCompute(t, c)
		g := ComputeGaps(c, p, nil, nil, DefaultGapKm)
		fills, byCode := cellFills(p)
		want := make([]CellFill, len(byCode))
		for n, i := range byCode {
			want[n] = fills[i]
		}
		sort.SliceStable(want, func(a, b int) bool { return want[a].Fill < want[b].Fill })
		if len(want) < 100 || !reflect.DeepEqual(g.Fill, want) {
			t.Fatalf("seed %d: %d fills, not in stable fill order", seed, len(g.Fill))
		}
		var unserved []CellFill
		for _, f := range want {
			if f.Allocated == 0 {
				unserved = append(unserved, f)
			}
		}
		sort.SliceStable(unserved, func(a, b int) bool { return unserved[a].Demand > unserved[b].Demand })
		if len(unserved) > 0 && !reflect.DeepEqual(g.Unserved, unserved) {
			t.Fatalf("seed %d: unserved not by demand", seed)
		}
	}
}

// TestCellFillsMatchesMap pins cellFills (dense codes guessed from the
// cells' order, material lists taken as sorted when the cells are) to the
// plain computation: a map of (city, category) pairs, lists sorted and
// deduplicated, pairs sorted by code. The cells are also given shuffled
// and with repeats, which no computed plan has.
func TestCellFillsMatchesMap(t *testing.T) {
	c, err := SyntheticNationalCampaign(3_000, 4)
	if err != nil {
		t.Fatal(err)
	}
	p := mustCompute(t, c)
	rng := rand.New(rand.NewPCG(4, 4))
	shuffled := slices.Clone(p.Cells)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	repeated := append(slices.Clone(p.Cells[:len(p.Cells)/2]), p.Cells...)
	for name, cells := range map[string][]Cell{"plan": p.Cells, "shuffled": shuffled, "repeated": repeated, "none": nil} {
		fills, byCode := cellFills(&Plan{Cells: cells})
		got := make([]CellFill, len(byCode))
		for n, i := range byCode {
			got[n] = fills[i]
		}
		if want := cellFillsByMap(cells); !reflect.DeepEqual(got, want) || len(fills) != len(want) {
			t.Errorf("%s: %d fills, want %d, or they differ", name, len(got), len(want))
		}
	}
}

// cellFillsByMap is cellFills the plain way, in city and category order.
func cellFillsByMap(cells []Cell) []CellFill {
	sums := map[[2]string]*CellFill{}
	for _, cell := range cells {
		if cell.Demand <= 0 {
			continue
		}
		key := [2]string{cell.City, cell.Category}
		f := sums[key]
		if f == nil {
			f = &CellFill{City: cell.City, Category: cell.Category}
			sums[key] = f
		}
		f.Demand += cell.Demand
		f.Allocated += cell.Pieces
		f.Materials = append(f.Materials, cell.Material)
	}
	out := make([]CellFill, 0, len(sums))
	for _, f := range sums {
		slices.Sort(f.Materials)
		f.Materials = slices.Compact(f.Materials)
		f.Fill = gapRound(float64(f.Allocated)/float64(f.Demand), 4)
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b CellFill) int {
		return cmp.Or(cmp.Compare(a.City, b.City), cmp.Compare(a.Category, b.Category))
	})
	return out
}

// TestStableRanksMatchesStableSort pins stableRanks (a counting sort on
// the keys' ranks) to a stable sort, on keys with many ties, for both key
// types it serves.
func TestStableRanksMatchesStableSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, n := range []int{0, 1, 2, 17, 500} {
		fills := make([]CellFill, n)
		for i := range fills {
			fills[i] = CellFill{Demand: rng.Int64N(7) - 3, Fill: float64(rng.IntN(5)) / 4}
		}
		among := make([]int32, 0, n)
		for i := range fills {
			if rng.IntN(4) > 0 {
				among = append(among, int32(i))
			}
		}
		check := func(name string, got []int32, less func(a, b *CellFill) bool) {
			t.Helper()
			want := make([]int32, len(among))
			for r := range want {
				want[r] = int32(r)
			}
			sort.SliceStable(want, func(a, b int) bool { return less(&fills[among[want[a]]], &fills[among[want[b]]]) })
			if !slices.Equal(got, want) {
				t.Errorf("%d fills by %s: %v, want %v", n, name, got, want)
			}
		}
		check("fill", stableRanks(fills, among, func(f *CellFill) float64 { return f.Fill }),
			func(a, b *CellFill) bool { return a.Fill < b.Fill })
		check("demand", stableRanks(fills, among, func(f *CellFill) int64 { return -f.Demand }),
			func(a, b *CellFill) bool { return -a.Demand < -b.Demand })
	}
}
