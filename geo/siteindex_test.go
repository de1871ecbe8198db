package geo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// bruteNearest is docs/planning.md#venue-assignment written as literally as possible: compare
// the point with every site.
func bruteNearest(sites []Site, lat, lon float64, anyRadius bool) (int, float64) {
	best, bestKm := -1, math.Inf(1)
	for i, s := range sites {
		d := DistanceKm(lat, lon, s.Lat, s.Lon)
		if !anyRadius && !(d <= s.RadiusKm) {
			continue
		}
		if best < 0 || d < bestKm || (d == bestKm && s.Code < sites[best].Code) {
			best, bestKm = i, d
		}
	}
	return best, bestKm
}

func TestSiteIndexNearest(t *testing.T) {
	// Two cities 0.2° of latitude apart (22.24 km) with 15 km radii, a third
	// with a 50 km radius, and a duplicate location to test ties by code.
	sites := []Site{
		{Code: "TAP", Lat: 14.9, Lon: -92.26, RadiusKm: 15},
		{Code: "NORTE", Lat: 15.1, Lon: -92.26, RadiusKm: 15},
		{Code: "BIG", Lat: 16, Lon: -92.26, RadiusKm: 50},
		{Code: "B", Lat: 20, Lon: -100, RadiusKm: 10},
		{Code: "A", Lat: 20, Lon: -100, RadiusKm: 10},
	}
	ix := NewSiteIndex(sites)
	km := kmPerDegLat // 111.195 km per degree of latitude
	tests := []struct {
		name     string
		lat, lon float64
		want     int
		wantOK   bool
	}{
		{"at TAP", 14.9, -92.26, 0, true},
		{"5 km north of TAP", 14.9 + 5/km, -92.26, 0, true},
		{"14.9 km south of TAP", 14.9 - 14.9/km, -92.26, 0, true},
		{"15.1 km south of TAP: outside", 14.9 - 15.1/km, -92.26, -1, false},
		{"12 km north of TAP, 10.24 km from NORTE", 14.9 + 12/km, -92.26, 1, true},
		{"40 km south of BIG: only BIG's 50 km reach", 16 - 40/km, -92.26, 2, true},
		{"same place, codes A and B: A wins", 20, -100, 4, true},
		{"far away", 25, -105, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ix.Nearest(tt.lat, tt.lon)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Nearest(%v, %v) = %d, %v; want %d, %v", tt.lat, tt.lon, got, ok, tt.want, tt.wantOK)
			}
		})
	}
	// NearestAny ignores radii: 25,-105 is nearest to A/B at (20,-100).
	if i, d := ix.NearestAny(25, -105); i != 4 || d != DistanceKm(25, -105, 20, -100) {
		t.Errorf("NearestAny(25, -105) = %d, %v; want 4, %v", i, d, DistanceKm(25, -105, 20, -100))
	}
	if i, d := NewSiteIndex(nil).NearestAny(0, 0); i != -1 || !math.IsInf(d, 1) {
		t.Errorf("empty NearestAny = %d, %v; want -1, +Inf", i, d)
	}
	if i, d := ix.NearestAny(math.NaN(), -100); i != -1 || !math.IsInf(d, 1) {
		t.Errorf("NearestAny(NaN, -100) = %d, %v; want -1, +Inf", i, d)
	}
	if i, ok := ix.Nearest(20, math.NaN()); i != -1 || ok {
		t.Errorf("Nearest(20, NaN) = %d, %v; want -1, false", i, ok)
	}
	if i, ok := NewSiteIndex(nil).Nearest(0, 0); i != -1 || ok {
		t.Errorf("empty Nearest = %d, %v; want -1, false", i, ok)
	}
}

// TestSiteIndexBoundary checks the radius limit is inclusive and uses the
// exact DistanceKm value.
func TestSiteIndexBoundary(t *testing.T) {
	d := DistanceKm(19, -99, 19.1, -99.1)
	ix := NewSiteIndex([]Site{{Code: "X", Lat: 19, Lon: -99, RadiusKm: d}})
	if _, ok := ix.Nearest(19.1, -99.1); !ok {
		t.Errorf("point at exactly RadiusKm (%v) not matched", d)
	}
	ix = NewSiteIndex([]Site{{Code: "X", Lat: 19, Lon: -99, RadiusKm: math.Nextafter(d, 0)}})
	if _, ok := ix.Nearest(19.1, -99.1); ok {
		t.Errorf("point just beyond RadiusKm matched")
	}
}

// TestSiteIndexMatchesBruteForce is a property test: on random sites and
// points — in Mexico, across the antimeridian, near the poles, with
// duplicated locations and codes, and radii from 0 to 3000 km — the index
// answers exactly as the brute force does.
func TestSiteIndexMatchesBruteForce(t *testing.T) {
	regions := []struct {
		name                   string
		lat0, lat1, lon0, lon1 float64
		rMax                   float64
	}{
		{"mexico", 14.5, 32.7, -117, -86.7, 60},
		{"antimeridian", -20, 20, 170, 190, 300},
		{"poles", 70, 90, -180, 180, 800},
		{"world", -90, 90, -180, 180, 3000},
		{"tiny radii", 19, 20, -100, -99, 2},
		// Dozens of cities within a few km of each other, as the places
		// of Mexico City: most raster cells prune dominated cities.
		{"dense city", 19.2, 19.6, -99.3, -98.9, 25},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	uniform := func(a, b float64) float64 { return a + (b-a)*rng.Float64() }
	for _, reg := range regions {
		for trial := range 8 {
			t.Run(fmt.Sprintf("%s/%d", reg.name, trial), func(t *testing.T) {
				n := 1 + rng.IntN(300)
				sites := make([]Site, n)
				for i := range sites {
					sites[i] = Site{
						Code:     fmt.Sprintf("C%03d", rng.IntN(n)), // duplicates happen
						Lat:      uniform(reg.lat0, reg.lat1),
						Lon:      wrapLon(uniform(reg.lon0, reg.lon1)),
						RadiusKm: uniform(0, reg.rMax),
					}
					if i > 0 && rng.IntN(10) == 0 { // same spot as another site
						j := rng.IntN(i)
						sites[i].Lat, sites[i].Lon = sites[j].Lat, sites[j].Lon
					}
				}
				ix := NewSiteIndex(sites)
				rastered := NewSiteIndex(sites)
				rastered.buildOwnRaster() // as after many queries
				for range 300 {
					lat, lon := uniform(reg.lat0, reg.lat1), wrapLon(uniform(reg.lon0, reg.lon1))
					if rng.IntN(2) == 0 { // near a site
						s := sites[rng.IntN(n)]
						lat = math.Max(-90, math.Min(90, s.Lat+uniform(-1, 1)*s.RadiusKm/kmPerDegLat))
						lon = wrapLon(s.Lon + uniform(-2, 2)*s.RadiusKm/kmPerDegLat)
					}
					want, _ := bruteNearest(sites, lat, lon, false)
					if got, ok := ix.Nearest(lat, lon); got != want || ok != (want >= 0) {
						t.Fatalf("Nearest(%v, %v) = %d, %v; brute force %d", lat, lon, got, ok, want)
					}
					if got, ok := rastered.Nearest(lat, lon); got != want || ok != (want >= 0) {
						t.Fatalf("Nearest(%v, %v) through the raster = %d, %v; brute force %d", lat, lon, got, ok, want)
					}
					wantAny, wantKm := bruteNearest(sites, lat, lon, true)
					if got, km := ix.NearestAny(lat, lon); got != wantAny || km != wantKm {
						t.Fatalf("NearestAny(%v, %v) = %d, %v; brute force %d, %v", lat, lon, got, km, wantAny, wantKm)
					}
				}
			})
		}
	}
}

// TestSiteIndexLimitCases: points exactly at a site's radius, just beyond
// it, and at equal distances from two sites, where Nearest may not settle
// from chords alone and must decide on haversine distances as the brute
// force does.
func TestSiteIndexLimitCases(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := range 3000 {
		lat, lon := 14.5+18*rng.Float64(), -117+30*rng.Float64()
		sites := make([]Site, 1+rng.IntN(5))
		for i := range sites {
			sites[i] = Site{Code: fmt.Sprintf("C%d", rng.IntN(3)), Lat: lat + (rng.Float64()-0.5)*0.4, Lon: lon + (rng.Float64()-0.5)*0.4, RadiusKm: 30 * rng.Float64()}
		}
		k := rng.IntN(len(sites))
		d := DistanceKm(lat, lon, sites[k].Lat, sites[k].Lon)
		switch n % 3 {
		case 0: // exactly at the radius
			sites[k].RadiusKm = d
		case 1: // just beyond it
			sites[k].RadiusKm = math.Nextafter(d, 0)
		default: // a twin site at the same spot, so at the same distance
			sites[k].RadiusKm = d + 1
			sites = append(sites, Site{Code: "C0", Lat: sites[k].Lat, Lon: sites[k].Lon, RadiusKm: d + 2})
		}
		ix := NewSiteIndex(sites)
		if n%2 == 0 {
			ix.buildOwnRaster() // as after many queries
		}
		want, _ := bruteNearest(sites, lat, lon, false)
		if got, ok := ix.Nearest(lat, lon); got != want || ok != (want >= 0) {
			t.Fatalf("case %d: Nearest(%v, %v) = %d, %v; brute force %d", n, lat, lon, got, ok, want)
		}
	}
}

// TestSiteIndexRasterMatchesGrid assigns venues scattered around the
// 2,500 most populous places of Mexico (as the national benchmark does)
// both through the pruned raster Nearest reads and through the plain grid
// search, which must agree venue by venue.
func TestSiteIndexRasterMatchesGrid(t *testing.T) {
	places := mxPlaces(t)
	slices.SortStableFunc(places, func(a, b Place) int { return cmp.Compare(b.Population, a.Population) })
	rng := rand.New(rand.NewPCG(9, 9))
	sites := make([]Site, min(2500, len(places)))
	for i := range sites {
		p := places[i]
		sites[i] = Site{Code: fmt.Sprintf("K%04d", i), Lat: p.Lat, Lon: p.Lon, RadiusKm: float64(10 + rng.IntN(16))}
	}
	ix := NewSiteIndex(sites)
	if ix.buildOwnRaster(); ix.own.Load() == nil {
		t.Fatal("no raster for Mexico")
	}
	for n := range 200_000 {
		s := sites[rng.IntN(len(sites))]
		lat := s.Lat + rng.NormFloat64()*7/111.2
		lon := s.Lon + rng.NormFloat64()*7/(111.2*math.Cos(s.Lat*math.Pi/180))
		got, ok := ix.Nearest(lat, lon)
		g := nearestSearch{best: -1, bestKm: math.Inf(1), bestC2: math.Inf(1)}
		ix.grid.visitWithin(lat, lon, ix.maxR, func(j int32) { g.visit(ix, lat, lon, j) })
		if got != g.best || ok != (g.best >= 0) {
			t.Fatalf("venue %d (%v, %v): raster %d, %v; grid %d", n, lat, lon, got, ok, g.best)
		}
	}
}
