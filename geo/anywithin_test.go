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

// TestCoverMaskNeverRulesOutACoveredPoint: wherever AnyWithin says yes,
// the mask that UncoveredPopulation consults first says maybe, for random
// radii and points right at a site's distance.
func TestCoverMaskNeverRulesOutACoveredPoint(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for round := range 20 {
		sites := make([]Site, 1+rng.Intn(200))
		for i := range sites {
			sites[i] = Site{Code: "S", Lat: 14 + rng.Float64()*18, Lon: -118 + rng.Float64()*32, RadiusKm: 15}
		}
		ix := NewSiteIndex(sites)
		km := rng.Float64() * 150
		mask := newCoverMask(ix, km)
		if mask.all {
			t.Fatalf("round %d: the mask rules nothing out for Mexico-sized input", round)
		}
		ruledOut := 0
		for n := 0; n < 5000; n++ {
			lat, lon := 12+rng.Float64()*22, -120+rng.Float64()*36
			if n%10 == 0 { // right at some site's distance
				s := sites[rng.Intn(len(sites))]
				lat, lon = s.Lat+(rng.Float64()-0.5)*km/50, s.Lon+(rng.Float64()-0.5)*km/50
				km = DistanceKm(lat, lon, s.Lat, s.Lon)
				mask = newCoverMask(ix, km)
			}
			if !mask.mayCover(lat, lon) {
				ruledOut++
				if ix.AnyWithin(lat, lon, km) {
					t.Fatalf("round %d: mask rules out (%v, %v) at %v km, AnyWithin says yes", round, lat, lon, km)
				}
			}
		}
		if ruledOut == 0 {
			t.Errorf("round %d: the mask ruled out nothing", round)
		}
	}
}
