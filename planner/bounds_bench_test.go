package planner

import "testing"

// BenchmarkComputeAtBounds plans boundsCampaign: every quantity at its
// documented bound, 10^6 plan cells, 10^12 boxes. It shows that no input
// the validation accepts can keep a planner busy for long (issue 12: 10^15
// pieces in packs of one never finished, 10^12 took 41 s).
func BenchmarkComputeAtBounds(b *testing.B) {
	c := boundsCampaign()
	if err := c.Validate(); err != nil {
		b.Fatal(err)
	}
	states, places := benchGeo(b)
	b.ReportAllocs()
	for b.Loop() {
		p, err := Compute(c)
		if err != nil {
			b.Fatal(err)
		}
		ComputeGaps(c, p, states, places, DefaultGapKm)
	}
}
