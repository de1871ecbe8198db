package planner

import (
	"errors"
	"fmt"
	"math/big"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/reparto/reparto/assets"
)

func TestDivideCell(t *testing.T) {
	tests := []struct {
		name       string
		packs      int64
		counted    int64
		ids        []string
		venues     []int64 // packs per venue, by id
		extra      []bool
		unreg      int64
		unregPacks int64
		unregExtra bool
	}{
		{"counted from the registry", 10, 3, []string{"a", "b", "c"}, []int64{4, 3, 3}, []bool{true, false, false}, 0, 0, false},
		{"exact", 9, 3, []string{"a", "b", "c"}, []int64{3, 3, 3}, []bool{false, false, false}, 0, 0, false},
		{"estimate above registry, remainders tie: the venue first", 10, 4, []string{"a"}, []int64{3}, []bool{true}, 3, 7, false},
		{"the unregistered part has the larger remainder", 10, 3, []string{"a"}, []int64{3}, nil, 2, 7, true},
		{"many unregistered: their part stays within a pack", 50, 100, ids(60), repeat(1, 30, 0, 30), nil, 40, 20, false},
		{"registry above the count: all registered share", 7, 2, []string{"a", "b", "c"}, []int64{3, 2, 2}, nil, 0, 0, false},
		{"lock without any venue", 4, 0, nil, []int64{}, nil, 0, 4, false},
		{"lock on registered venues the count does not see", 5, 0, []string{"a", "b"}, []int64{3, 2}, nil, 0, 0, false},
		{"nothing to share", 0, 5, []string{"a", "b"}, []int64{0, 0}, nil, 3, 0, false},
		{"none registered", 12, 5, nil, []int64{}, nil, 5, 12, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cell := Cell{Material: "M", City: "K", Category: "C", Venues: tt.counted, Packs: tt.packs, Pieces: tt.packs * 25}
			got := divideCell(cell, 25, tt.ids)
			var packs []int64
			var extra []bool
			sum := got.UnregisteredPacks
			for i, s := range got.Venues {
				packs = append(packs, s.Packs)
				extra = append(extra, s.ExtraPack)
				sum += s.Packs
				if s.VenueID != tt.ids[i] || s.Pieces != 25*s.Packs {
					t.Errorf("share %d: %+v", i, s)
				}
			}
			if packs == nil {
				packs = []int64{}
			}
			if !slices.Equal(packs, tt.venues) {
				t.Errorf("venue packs %v, want %v", packs, tt.venues)
			}
			if tt.extra != nil && !slices.Equal(extra, tt.extra) {
				t.Errorf("extra packs %v, want %v", extra, tt.extra)
			}
			if got.Unregistered != tt.unreg || got.UnregisteredPacks != tt.unregPacks || got.UnregisteredExtra != tt.unregExtra {
				t.Errorf("unregistered %d venues, %d packs, extra %v; want %d, %d, %v",
					got.Unregistered, got.UnregisteredPacks, got.UnregisteredExtra, tt.unreg, tt.unregPacks, tt.unregExtra)
			}
			if sum != tt.packs || got.UnregisteredPieces != 25*got.UnregisteredPacks {
				t.Errorf("packs add up to %d, the cell has %d", sum, tt.packs)
			}
		})
	}
}

func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("v%03d", i)
	}
	return out
}

// repeat is a packs value a, n times, then b, m times.
func repeat(a int64, n int, b int64, m int) []int64 {
	return append(slices.Repeat([]int64{a}, n), slices.Repeat([]int64{b}, m)...)
}

// checkVenueCells checks docs/planning.md#per-venue-allocation on a whole
// plan: every cell's shares and unregistered part add up to the cell
// exactly, each party is within one pack of its exact quota (T·w/W),
// venues are the registered ones of the cell's city and category, and the
// materials' totals are what the plan says.
func checkVenueCells(t *testing.T, c *Campaign, p *Plan, cells []VenueCell) {
	t.Helper()
	if len(cells) != len(p.Cells) {
		t.Fatalf("%d venue cells for %d plan cells", len(cells), len(p.Cells))
	}
	registered := map[string][]string{}
	for _, v := range c.Venues {
		if k, _ := p.VenueCity.City(v.ID); k != "" {
			key := k + "/" + v.Category
			registered[key] = append(registered[key], v.ID)
		}
	}
	allocated := map[string]int64{}
	for i, vc := range cells {
		pc := p.Cells[i]
		if vc.Material != pc.Material || vc.City != pc.City || vc.Category != pc.Category || vc.Packs != pc.Packs || vc.Pieces != pc.Pieces {
			t.Fatalf("cell %d: %+v does not match the plan's %+v", i, vc, pc)
		}
		want := registered[pc.City+"/"+pc.Category]
		slices.Sort(want)
		var got []string
		packs, pieces := vc.UnregisteredPacks, vc.UnregisteredPieces
		for _, s := range vc.Venues {
			got = append(got, s.VenueID)
			packs += s.Packs
			pieces += s.Pieces
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s/%s/%s: venues %v, want %v", pc.Material, pc.City, pc.Category, got, want)
		}
		if packs != pc.Packs || pieces != pc.Pieces {
			t.Fatalf("%s/%s/%s: shares add up to %d packs, %d pieces; the cell has %d, %d",
				pc.Material, pc.City, pc.Category, packs, pieces, pc.Packs, pc.Pieces)
		}
		if wantU := max(0, pc.Venues-int64(len(want))); vc.Unregistered != wantU {
			t.Fatalf("%s/%s/%s: %d unregistered, want %d", pc.Material, pc.City, pc.Category, vc.Unregistered, wantU)
		}
		w := int64(len(want)) + vc.Unregistered
		if w == 0 {
			if vc.UnregisteredPacks != pc.Packs {
				t.Fatalf("%s/%s/%s: no venue, yet the unregistered part is %d of %d packs", pc.Material, pc.City, pc.Category, vc.UnregisteredPacks, pc.Packs)
			}
		} else {
			within := func(what string, got, weight int64) {
				exact := big.NewRat(pc.Packs*weight, w)
				diff := new(big.Rat).Sub(big.NewRat(got, 1), exact)
				if diff.Abs(diff).Cmp(big.NewRat(1, 1)) >= 0 {
					t.Fatalf("%s/%s/%s: %s got %d packs, quota %s", pc.Material, pc.City, pc.Category, what, got, exact.RatString())
				}
			}
			for _, s := range vc.Venues {
				within(s.VenueID, s.Packs, 1)
			}
			within("the unregistered part", vc.UnregisteredPacks, vc.Unregistered)
		}
		allocated[pc.Material] += pieces
	}
	for _, m := range p.Materials {
		if allocated[m.Code] != m.Allocated {
			t.Errorf("%s: venues and unregistered parts get %d pieces, the plan allocates %d", m.Code, allocated[m.Code], m.Allocated)
		}
	}
}

// TestAllocateVenuesDemo divides the bundled 2009 campaign: most of its
// cells are estimates with no venue registered, a few have registered
// venues as well.
func TestAllocateVenuesDemo(t *testing.T) {
	f, err := assets.FS.Open("data/campaign-2009.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := ParseCampaign(f)
	if err != nil {
		t.Fatal(err)
	}
	p := mustCompute(t, c)
	before := mustCompute(t, c)
	cells, err := AllocateVenues(c, p)
	if err != nil {
		t.Fatal(err)
	}
	checkVenueCells(t, c, p, cells)
	if !reflect.DeepEqual(p, before) {
		t.Error("AllocateVenues changed the plan")
	}
	withVenues := 0
	for _, vc := range cells {
		if len(vc.Venues) > 0 {
			withVenues++
		}
	}
	if withVenues == 0 {
		t.Error("no cell of the demo has a registered venue: the test checks nothing about shares")
	}
	again, _ := AllocateVenues(c, p)
	if !reflect.DeepEqual(cells, again) {
		t.Error("two runs differ")
	}
}

// TestAllocateVenuesProperties: random campaigns (awkward priorities,
// locks, scarcity and surplus) with random registries, some venues named
// by city and some by coordinates only, counts above and below the
// registry. The result must not depend on the order of any list.
func TestAllocateVenuesProperties(t *testing.T) {
	var mixed, overCount, planned int // cells with venues and unregistered ones; with more registered than counted
	for seed := int64(1); seed <= 300; seed++ {
		rng := rand.New(rand.NewSource(seed))
		c := randomCampaign(rng)
		for i := range rng.Intn(60) {
			k := c.Cities[rng.Intn(len(c.Cities))]
			v := Venue{ID: fmt.Sprintf("v%03d", i), Name: "venue", Category: c.Categories[rng.Intn(len(c.Categories))].Code,
				Lat: k.Lat + rng.NormFloat64()*0.1, Lon: k.Lon + rng.NormFloat64()*0.1}
			if rng.Intn(2) == 0 {
				v.City = k.Code
			}
			c.Venues = append(c.Venues, v)
		}
		p, err := Compute(c)
		var e *Error
		if errors.As(err, &e) && e.Code == EInvalid {
			continue // locks beyond stock: randomCampaign draws some on purpose
		}
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		cells, err := AllocateVenues(c, p)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		t.Run(fmt.Sprint(seed), func(t *testing.T) { checkVenueCells(t, c, p, cells) })
		planned++
		for _, vc := range cells {
			switch {
			case len(vc.Venues) > 0 && vc.Unregistered > 0 && vc.Packs > 0:
				mixed++
			case int64(len(vc.Venues)) > vc.Counted && vc.Packs > 0:
				overCount++
			}
		}
		s := shuffled(c, rng)
		ps := mustCompute(t, s)
		other, err := AllocateVenues(s, ps)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(cells, other) {
			t.Fatalf("seed %d: shuffling the campaign's lists changes the shares", seed)
		}
		// Without the plan's map the planner's assignment is used: the same.
		ps.VenueCity = nil
		if other, _ = AllocateVenues(s, ps); !reflect.DeepEqual(cells, other) {
			t.Fatalf("seed %d: the assignment of the campaign's venues differs from the plan's", seed)
		}
	}
	t.Logf("%d plans; %d cells share between venues and unregistered ones, %d have more venues than counted", planned, mixed, overCount)
	if planned < 100 || mixed < 50 || overCount < 50 {
		t.Error("the random campaigns no longer exercise the cases the test is for")
	}
}

func TestAllocateVenuesRejectsForeignCells(t *testing.T) {
	c := testCampaign().withCity("K", "1", 0).withCategory("C").withMaterial("M", 100, "0", 10, 5)
	tests := []struct {
		name string
		cell Cell
		want string
	}{
		{"unknown material", Cell{Material: "X", City: "K", Category: "C"}, "cells[0].material"},
		{"not whole packs", Cell{Material: "M", City: "K", Category: "C", Packs: 2, Pieces: 25}, "cells[0].pieces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := AllocateVenues(c, &Plan{Cells: []Cell{tt.cell}, VenueCity: NewVenueCities(map[string]string{})})
			var e *Error
			if !errors.As(err, &e) || e.Code != EInvalid || len(e.Fields) != 1 || e.Fields[0].Path != tt.want {
				t.Errorf("error %v, want EInvalid on %s", err, tt.want)
			}
		})
	}
}

func TestLoadsByCity(t *testing.T) {
	c := testCampaign().withCategory("C", "D")
	c.Categories[1].Sensitive = true
	c.Venues = []Venue{{ID: "b", Category: "C", Confidential: true}, {ID: "a", Category: "C"}, {ID: "z", Category: "D"}}
	cells := []VenueCell{
		{Material: "M2", City: "K", Category: "C", Venues: []VenueShare{{VenueID: "a", Packs: 1, Pieces: 10}, {VenueID: "b", Packs: 0, Pieces: 0}},
			Unregistered: 3, UnregisteredPacks: 2, UnregisteredPieces: 20},
		{Material: "M1", City: "K", Category: "C", Venues: []VenueShare{{VenueID: "a", Packs: 2, Pieces: 50}, {VenueID: "b", Packs: 1, Pieces: 25}}},
		{Material: "M1", City: "J", Category: "D", Venues: []VenueShare{{VenueID: "z", Packs: 1, Pieces: 25}, {VenueID: "gone", Packs: 1, Pieces: 25}},
			Unregistered: 1, UnregisteredPacks: 0},
	}
	got := LoadsByCity(c, cells)
	want := []CityLoads{
		{City: "J", Venues: []VenueLoad{{Venue: c.Venues[2], Confidential: true, Lines: []VenueLine{{"M1", 1, 25}}}}},
		{City: "K", Venues: []VenueLoad{
			{Venue: c.Venues[1], Lines: []VenueLine{{"M1", 2, 50}, {"M2", 1, 10}}},
			{Venue: c.Venues[0], Confidential: true, Lines: []VenueLine{{"M1", 1, 25}}},
		}, Unregistered: []UnregisteredLoad{{Category: "C", Material: "M2", Venues: 3, Packs: 2, Pieces: 20}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestRouteCity(t *testing.T) {
	city := City{Code: "K", Lat: 19.4326, Lon: -99.1332}
	venues := []VenueLoad{
		{Venue: Venue{ID: "far", Lat: 19.5, Lon: -99.2}},
		{Venue: Venue{ID: "near", Lat: 19.44, Lon: -99.14}},
	}
	tour, err := RouteCity(city, venues, RouteOptions{MaxStopsPerDay: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(tour.Stops) != 2 || venues[tour.Stops[0].Index].Venue.ID != "near" || len(tour.Days) != 2 {
		t.Errorf("route %+v: want near first, one stop a day", tour)
	}
	bad := []struct {
		name string
		opt  RouteOptions
		want string
	}{
		{"negative stops", RouteOptions{MaxStopsPerDay: -1}, "max_stops_per_day"},
		{"negative km", RouteOptions{MaxKmPerDay: -1}, "max_km_per_day"},
		{"absurd km", RouteOptions{MaxKmPerDay: 1e9}, "max_km_per_day"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := RouteCity(city, venues, tt.opt)
			var e *Error
			if !errors.As(err, &e) || e.Code != EInvalid || e.Fields[0].Path != tt.want {
				t.Errorf("error %v, want EInvalid on %s", err, tt.want)
			}
		})
	}
	venues[0].Venue.Lat = 95
	if _, err := RouteCity(city, venues, RouteOptions{}); err == nil {
		t.Error("a venue at latitude 95 was routed")
	}
}

// TestPerVenueAllocationDocExample checks the example of
// docs/planning.md#per-venue-allocation on the worked example's campaign.
func TestPerVenueAllocationDocExample(t *testing.T) {
	file, _ := workedExample(t)
	c, err := ParseCampaign(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	p := mustCompute(t, c)
	cells, err := AllocateVenues(c, p)
	if err != nil {
		t.Fatal(err)
	}
	want := []VenueCell{
		{Material: "M", City: "A", Category: "X", Packs: 15, Pieces: 375, Counted: 30,
			Venues:       []VenueShare{{VenueID: "v1", Packs: 1, Pieces: 25, ExtraPack: true}},
			Unregistered: 29, UnregisteredPacks: 14, UnregisteredPieces: 350},
		{Material: "M", City: "B", Category: "X", Packs: 23, Pieces: 575, Counted: 50,
			Venues:       []VenueShare{},
			Unregistered: 50, UnregisteredPacks: 23, UnregisteredPieces: 575},
	}
	if !reflect.DeepEqual(cells, want) {
		t.Errorf("got  %+v\nwant %+v", cells, want)
	}
}

// BenchmarkAllocateVenuesNational100k divides a national plan of 100,000
// registered venues (SyntheticNationalCampaign) among its venues and
// regroups it by city; the plan itself is computed outside the timing.
func BenchmarkAllocateVenuesNational100k(b *testing.B) {
	c, err := SyntheticNationalCampaign(100_000, 1)
	if err != nil {
		b.Fatal(err)
	}
	p, err := Compute(c)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		cells, err := AllocateVenues(c, p)
		if err != nil {
			b.Fatal(err)
		}
		LoadsByCity(c, cells)
	}
}
