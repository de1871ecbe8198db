package planner

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/geo"
)

// benchGeo loads the shipped states and places once, outside the timing:
// a server loads them at start-up, not per plan.
func benchGeo(b *testing.B) (*geo.StateIndex, []geo.Place) {
	b.Helper()
	states, places, err := geo.LoadFS(assets.FS, geo.StatesFile, geo.PlacesFile)
	if err != nil {
		b.Fatal(err)
	}
	return states, places
}

// BenchmarkCompute2009 plans the bundled 2009 demo campaign: venue counts,
// allocation, schedule and coverage gaps. Target: under 20 ms and 50 MB
// allocated per plan.
func BenchmarkCompute2009(b *testing.B) {
	f, err := assets.FS.Open("data/campaign-2009.json")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	c, err := ParseCampaign(f)
	if err != nil {
		b.Fatalf("parse demo campaign: %v", err)
	}
	states, places := benchGeo(b)
	b.ReportAllocs()
	start := benchCPU()
	for b.Loop() {
		p, err := Compute(c)
		if err != nil {
			b.Fatal(err)
		}
		ComputeGaps(c, p, states, places, DefaultGapKm)
	}
	// CPU time, not wall time: the figure that holds on a busy machine.
	b.ReportMetric(float64(benchCPU()-start)/float64(b.N), "cpu-ns/op")
}

// benchCPU is the CPU time (user and system) the process has used so far.
func benchCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Targets for the national scale (assignment of venues given only by
// coordinates, allocation, schedule and gaps): 1M venues under 3 s and 1 GB.
func BenchmarkComputeNational10k(b *testing.B)  { benchNational(b, 10_000) }
func BenchmarkComputeNational100k(b *testing.B) { benchNational(b, 100_000) }
func BenchmarkComputeNational1M(b *testing.B)   { benchNational(b, 1_000_000) }

func benchNational(b *testing.B, venues int) {
	c, err := SyntheticNationalCampaign(venues, 1)
	if err != nil {
		b.Fatal(err)
	}
	states, places := benchGeo(b)
	b.ReportAllocs()
	b.ResetTimer()
	start := benchCPU()
	for b.Loop() {
		p, err := Compute(c)
		if err != nil {
			b.Fatal(err)
		}
		ComputeGaps(c, p, states, places, DefaultGapKm)
	}
	// CPU time, not wall time: the figure that holds on a busy machine.
	// The campaign is built before start, so only the plan is counted.
	b.ReportMetric(float64(benchCPU()-start)/float64(b.N), "cpu-ns/op")
}

// TestSyntheticNationalCampaign keeps the generator honest: a plan comes
// out, some venues fall outside every radius, and some materials are
// scarce while others have surplus.
func TestSyntheticNationalCampaign(t *testing.T) {
	c, err := SyntheticNationalCampaign(20_000, 7)
	if err != nil {
		t.Fatal(err)
	}
	p := mustCompute(t, c)
	if n := len(p.UnassignedVenues); n == 0 || n > len(c.Venues)/4 {
		t.Errorf("%d of %d venues unassigned", n, len(c.Venues))
	}
	scarce := 0
	for _, m := range p.Materials {
		if m.Scarce {
			scarce++
		}
	}
	if scarce == 0 || scarce == len(p.Materials) {
		t.Errorf("%d of %d materials scarce; want a mix", scarce, len(p.Materials))
	}
	if len(p.Shipments) == 0 {
		t.Error("no shipments")
	}
}

// SyntheticNationalCampaign is SynthesizeNational on the shipped places.
func SyntheticNationalCampaign(venues int, seed int64) (*Campaign, error) {
	f, err := assets.FS.Open("geo/mx_places.csv")
	if err != nil {
		return nil, fmt.Errorf("open places: %w", err)
	}
	defer f.Close()
	return SynthesizeNational(f, venues, seed)
}
