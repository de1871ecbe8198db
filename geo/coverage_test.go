package geo

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestUncoveredPopulation(t *testing.T) {
	// Sites: one city at the capital's centre, one in Toluca; 50 km cut-off.
	sites := NewSiteIndex([]Site{
		{Code: "CDMX", Lat: 19.4326, Lon: -99.1332, RadiusKm: 15},
		{Code: "TOL", Lat: 19.2826, Lon: -99.6557, RadiusKm: 15},
	})
	capital := Place{GeonamesID: MexicoCityGeonamesID, Name: "Mexico City", State: "MX-CMX", GeonamesState: "MX-CMX", Lat: 19.42847, Lon: -99.12766, Population: 12294193}
	places := []Place{
		capital,
		// Alcaldía: GeoNames and polygon both CDMX → part of the capital.
		{GeonamesID: 3526683, Name: "Iztapalapa", State: "MX-CMX", GeonamesState: "MX-CMX", Lat: 19.35529, Lon: -99.06224, Population: 1815786},
		// Coded CDMX, polygon State of Mexico → still part of the capital.
		{GeonamesID: 3532497, Name: "Azcapotzalco", State: "MX-MEX", GeonamesState: "MX-CMX", Lat: 19.48698, Lon: -99.18594, Population: 414711},
		// Coded State of Mexico, inside the CDMX polygon → part of the capital.
		{GeonamesID: 7280711, Name: "Colonia Lindavista", State: "MX-CMX", GeonamesState: "MX-MEX", Lat: 19.49156, Lon: -99.12475, Population: 100000},
		// State of Mexico town 8.2 km from TOL: covered.
		{GeonamesID: 3518138, Name: "San Pablo Autopan", State: "MX-MEX", GeonamesState: "MX-MOR", Lat: 19.35638, Lon: -99.65724, Population: 35141},
		// Zumpango area, 41.3 km from CDMX: covered at 50 km.
		{GeonamesID: 3523900, Name: "Reyes Acozac", State: "MX-MEX", GeonamesState: "MX-MOR", Lat: 19.7755, Lon: -98.98079, Population: 21910},
		// Jacona, Michoacán: 288 km from TOL → uncovered.
		{GeonamesID: 4004198, Name: "Jacona de Plancarte", State: "MX-MIC", GeonamesState: "MX-MEX", Lat: 19.95232, Lon: -102.30781, Population: 56934},
	}
	got := UncoveredPopulation(places, sites, 50)
	want := map[string]Uncovered{
		"MX-CMX": {State: "MX-CMX", Population: 12294193, Places: 1},
		"MX-MEX": {State: "MX-MEX", Population: 35141 + 21910, Places: 2},
		"MX-MIC": {State: "MX-MIC", Population: 56934, Uncovered: 56934, Places: 1, UncoveredPlaces: 1},
	}
	if !maps.Equal(got, want) {
		t.Errorf("with capital:\n got %+v\nwant %+v", got, want)
	}

	// Without the capital row nothing is skipped: the sub-places count
	// where their polygons put them. At a 40 km cut-off Reyes Acozac
	// (41.3 km from CDMX) becomes uncovered.
	got = UncoveredPopulation(places[1:], sites, 40)
	want = map[string]Uncovered{
		"MX-CMX": {State: "MX-CMX", Population: 1815786 + 100000, Places: 2},
		"MX-MEX": {State: "MX-MEX", Population: 414711 + 35141 + 21910, Uncovered: 21910, Places: 3, UncoveredPlaces: 1},
		"MX-MIC": {State: "MX-MIC", Population: 56934, Uncovered: 56934, Places: 1, UncoveredPlaces: 1},
	}
	if !maps.Equal(got, want) {
		t.Errorf("without capital:\n got %+v\nwant %+v", got, want)
	}

	// No sites at all: everything is uncovered.
	for _, ix := range []*SiteIndex{nil, NewSiteIndex(nil)} {
		got = UncoveredPopulation(places[4:5], ix, 50)
		want = map[string]Uncovered{"MX-MEX": {State: "MX-MEX", Population: 35141, Uncovered: 35141, Places: 1, UncoveredPlaces: 1}}
		if !maps.Equal(got, want) {
			t.Errorf("no sites: got %+v, want %+v", got, want)
		}
	}
}

// TestUncoveredPopulationMexico runs the rule on the real places file with
// no campaign city. The expected figures were summed with awk straight
// from mx_places.csv: 107,310,452 people in all rows, of which 9,635,723
// in the 37 admin1-09 rows other than the capital and Colonia Lindavista.
func TestUncoveredPopulationMexico(t *testing.T) {
	got := UncoveredPopulation(mxPlaces(t), nil, 50)
	var pop, unc int64
	var places int
	for _, u := range got {
		pop += u.Population
		unc += u.Uncovered
		places += u.Places
	}
	if pop != 97674729 || unc != pop {
		t.Errorf("national population %d, uncovered %d; want 97674729 for both", pop, unc)
	}
	if places != 8715-38 {
		t.Errorf("places counted %d, want %d", places, 8715-38)
	}
	if len(got) != 32 {
		t.Errorf("%d states, want 32", len(got))
	}
	if cmx := got["MX-CMX"]; cmx.Population != 12294193 || cmx.Places != 1 {
		t.Errorf("MX-CMX = %+v, want the capital row alone", cmx)
	}
}

// TestUncoveredPopulationMatchesPlain pins UncoveredPopulation (totals in
// a slice found through a cache of state codes, coverage by the mask) to
// the plain computation: a map of states and SiteIndex.AnyWithin per
// place, on places in random order over many state codes, odd ones
// included, with and without the capital row.
func TestUncoveredPopulationMatchesPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	codes := []string{"", "X", "MX-CMX", "MX-MEX", "MX-AGU", "MX-BCN", "MX-BCS", "MX-CAM", "MX-CHP", "MX-CHH",
		"MX-COA", "MX-COL", "MX-DUR", "MX-GUA", "MX-GRO", "MX-HID", "MX-JAL", "MX-MIC", "MX-MOR", "MX-NAY",
		"MX-NLE", "MX-OAX", "MX-PUE", "MX-QUE", "MX-ROO", "MX-SLP", "MX-SIN", "MX-SON", "MX-TAB", "MX-TAM",
		"MX-TLA", "MX-VER", "MX-YUC", "MX-ZAC", "ZZ-CMX", "MX-CM"}
	var sites []Site
	for i := range 40 {
		sites = append(sites, Site{Code: fmt.Sprintf("S%02d", i), Lat: 15 + rng.Float64()*15, Lon: -117 + rng.Float64()*30, RadiusKm: 20})
	}
	ix := NewSiteIndex(sites)
	var places []Place
	for i := range 3000 {
		// Fresh strings, as a file read gives: equal codes need not share memory.
		state := strings.Clone(codes[rng.IntN(len(codes))])
		places = append(places, Place{GeonamesID: int64(i + 1), State: state, GeonamesState: codes[rng.IntN(len(codes))],
			Lat: 14 + rng.Float64()*18, Lon: -118 + rng.Float64()*32, Population: rng.Int64N(100000)})
	}
	withCapital := append(slices.Clone(places), Place{GeonamesID: MexicoCityGeonamesID, State: "MX-CMX", GeonamesState: "MX-CMX",
		Lat: 19.42847, Lon: -99.12766, Population: 12294193})
	for name, ps := range map[string][]Place{"without capital": places, "with capital": withCapital} {
		for _, km := range []float64{10, 50, 200} {
			if got, want := UncoveredPopulation(ps, ix, km), plainUncovered(ps, ix, km); !maps.Equal(got, want) {
				t.Errorf("%s, %v km:\n got %+v\nwant %+v", name, km, got, want)
			}
		}
	}
}

// plainUncovered is UncoveredPopulation the plain way.
func plainUncovered(places []Place, ix *SiteIndex, km float64) map[string]Uncovered {
	capital := slices.ContainsFunc(places, func(p Place) bool { return p.GeonamesID == MexicoCityGeonamesID })
	out := map[string]Uncovered{}
	for _, p := range places {
		if capital && p.GeonamesID != MexicoCityGeonamesID && (p.GeonamesState == "MX-CMX" || p.State == "MX-CMX") {
			continue
		}
		u := out[p.State]
		u.State = p.State
		u.Population += p.Population
		u.Places++
		if !ix.AnyWithin(p.Lat, p.Lon, km) {
			u.Uncovered += p.Population
			u.UncoveredPlaces++
		}
		out[p.State] = u
	}
	return out
}
