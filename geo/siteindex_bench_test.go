package geo

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchSites is a campaign-sized set: 2,500 cities scattered over Mexico's
// bounding box with 15 km radii (the default).
func benchSites() []Site {
	rng := rand.New(rand.NewPCG(7, 7))
	sites := make([]Site, 2500)
	for i := range sites {
		sites[i] = Site{
			Code:     fmt.Sprintf("C%04d", i),
			Lat:      14.5 + 18.2*rng.Float64(),
			Lon:      -117 + 30.3*rng.Float64(),
			RadiusKm: 15,
		}
	}
	return sites
}

// benchPoints are 1,000,000 venues: four in five within ~20 km of a city
// (venues cluster in towns), the rest anywhere in the box.
func benchPoints(sites []Site) [][2]float64 {
	rng := rand.New(rand.NewPCG(8, 8))
	pts := make([][2]float64, 1_000_000)
	for i := range pts {
		if rng.IntN(5) > 0 {
			s := sites[rng.IntN(len(sites))]
			pts[i] = [2]float64{s.Lat + 0.36*(rng.Float64()-0.5), s.Lon + 0.36*(rng.Float64()-0.5)}
		} else {
			pts[i] = [2]float64{14.5 + 18.2*rng.Float64(), -117 + 30.3*rng.Float64()}
		}
	}
	return pts
}

func BenchmarkNewSiteIndex2500(b *testing.B) {
	sites := benchSites()
	b.ReportAllocs()
	for b.Loop() {
		NewSiteIndex(sites)
	}
}

// BenchmarkNearest1M assigns 1,000,000 venues to 2,500 cities per op.
func BenchmarkNearest1M(b *testing.B) {
	sites := benchSites()
	pts := benchPoints(sites)
	ix := NewSiteIndex(sites)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pts {
			ix.Nearest(p[0], p[1])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(pts)), "ns/point")
}

// BenchmarkNearestAny1M finds the nearest of 2,500 cities for 1,000,000
// points per op, whatever the radius.
func BenchmarkNearestAny1M(b *testing.B) {
	sites := benchSites()
	pts := benchPoints(sites)
	ix := NewSiteIndex(sites)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pts {
			ix.NearestAny(p[0], p[1])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(pts)), "ns/point")
}

// BenchmarkBruteNearest10k is the all-pairs baseline the index replaces,
// on a 10,000-point sample (1/100 of the load) to keep it short.
func BenchmarkBruteNearest10k(b *testing.B) {
	sites := benchSites()
	pts := benchPoints(sites)[:10_000]
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pts {
			bruteNearest(sites, p[0], p[1], false)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(pts)), "ns/point")
}
