package geo

import (
	"math/rand"
	"testing"
)

// TestAnyWithinMatchesBruteForce: AnyWithin says yes exactly when some
// site's haversine distance is at most km, including right at the limit.
func TestAnyWithinMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	sites := make([]Site, 300)
	for i := range sites {
		sites[i] = Site{Code: string(rune('A' + i%26)), Lat: 14 + rng.Float64()*18, Lon: -118 + rng.Float64()*32, RadiusKm: 5 + rng.Float64()*25}
	}
	ix := NewSiteIndex(sites)
	for n := 0; n < 20000; n++ {
		lat, lon := 14+rng.Float64()*18, -118+rng.Float64()*32
		km := rng.Float64() * 120
		if n%50 == 0 { // exactly at the distance of some site
			s := sites[rng.Intn(len(sites))]
			km = DistanceKm(lat, lon, s.Lat, s.Lon)
		}
		want := false
		for _, s := range sites {
			if DistanceKm(lat, lon, s.Lat, s.Lon) <= km {
				want = true
				break
			}
		}
		if got := ix.AnyWithin(lat, lon, km); got != want {
			t.Fatalf("AnyWithin(%v, %v, %v) = %v, want %v", lat, lon, km, got, want)
		}
	}
	if ix.AnyWithin(20, -100, -1) {
		t.Error("a negative distance matched")
	}
}

// TestCoverMaskMatchesAnyWithin: the raster that UncoveredPopulation asks
// first gives AnyWithin's answer, for random radii and for points right at
// a site's distance; and it does answer (rather than defer to the index)
// for Mexico-sized input.
func TestCoverMaskMatchesAnyWithin(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	sureHits := 0
	for round := range 200 {
		sites := make([]Site, 1+rng.Intn(200))
		for i := range sites {
			sites[i] = Site{Code: "S", Lat: 14 + rng.Float64()*18, Lon: -118 + rng.Float64()*32, RadiusKm: 15}
		}
		ix := NewSiteIndex(sites)
		// km is the distance of one point from one site: that point sits
		// right at the limit.
		s := sites[rng.Intn(len(sites))]
		edge := [2]float64{s.Lat + (rng.Float64()-0.5)*2, s.Lon + (rng.Float64()-0.5)*2}
		km := DistanceKm(edge[0], edge[1], s.Lat, s.Lon)
		mask := newCoverMask(ix, km)
		for n := 0; n < 1000; n++ {
			lat, lon := 12+rng.Float64()*22, -120+rng.Float64()*36
			if n == 0 {
				lat, lon = edge[0], edge[1]
			}
			if c, ok := mask.raster.candidates(lat, lon); ok && len(c) > 0 && mask.sure[mask.raster.row(lat)*mask.raster.cols+mask.raster.col(lon)] {
				sureHits++
			}
			got, ok := mask.anyWithin(lat, lon)
			if !ok {
				t.Fatalf("round %d: the mask does not answer for (%v, %v) at %v km", round, lat, lon, km)
			}
			if want := ix.AnyWithin(lat, lon, km); got != want {
				t.Fatalf("round %d: mask says %v for (%v, %v) at %v km, AnyWithin %v", round, got, lat, lon, km, want)
			}
		}
	}
	if sureHits < 1000 {
		t.Errorf("only %d points fell in cells surely covered", sureHits)
	}
}
