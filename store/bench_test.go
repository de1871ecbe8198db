package store

import (
	"bytes"
	"context"
	"testing"

	"github.com/reparto/reparto/planner/planio"
)

// BenchmarkCreateCampaign100kVenues stores a campaign with 100,000 venues
// in one transaction (batched multi-row INSERTs), then reads it back.
func BenchmarkCreateCampaign100kVenues(b *testing.B) {
	for _, o := range openers() {
		b.Run(o.name, func(b *testing.B) {
			ctx := context.Background()
			db := o.open(b)
			c := fixtureCampaign()
			c.Venues = append(c.Venues, manyVenues(100000)...)
			var cpu float64 // this process only (the PostgreSQL server's work is not in it)
			for b.Loop() {
				before := cpuSeconds()
				id, err := db.CreateCampaign(ctx, c)
				if err != nil {
					b.Fatal(err)
				}
				cpu += cpuSeconds() - before
				b.StopTimer()
				if err := db.DeleteCampaign(ctx, id); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(cpu/float64(b.N), "cpu-s/op")
		})
	}
}

// BenchmarkImportCampaignFile100kVenues reads and stores a campaign file
// with 100,000 venues (ImportCampaignFile: the venues are inserted while
// the file is read), as BenchmarkCreateCampaign100kVenues stores the
// campaign already read. Its wall time (ns/op) is what overlapping saves;
// its CPU time, with the parse's, is the same work.
func BenchmarkImportCampaignFile100kVenues(b *testing.B) {
	for _, o := range openers() {
		b.Run(o.name, func(b *testing.B) {
			ctx := context.Background()
			db := o.open(b)
			c := fixtureCampaign()
			c.Venues = append(c.Venues, manyVenues(100000)...)
			text, err := planio.MarshalCampaign(c)
			if err != nil {
				b.Fatal(err)
			}
			var cpu float64
			for b.Loop() {
				before := cpuSeconds()
				id, _, err := db.ImportCampaignFile(ctx, bytes.NewReader(text))
				if err != nil {
					b.Fatal(err)
				}
				cpu += cpuSeconds() - before
				b.StopTimer()
				if err := db.DeleteCampaign(ctx, id); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(cpu/float64(b.N), "cpu-s/op")
		})
	}
}

// BenchmarkGetCampaign100kVenues loads a campaign with 100,000 venues.
func BenchmarkGetCampaign100kVenues(b *testing.B) {
	for _, o := range openers() {
		b.Run(o.name, func(b *testing.B) {
			ctx := context.Background()
			db := o.open(b)
			c := fixtureCampaign()
			c.Venues = append(c.Venues, manyVenues(100000)...)
			id, err := db.CreateCampaign(ctx, c)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := db.GetCampaign(ctx, id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
