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
