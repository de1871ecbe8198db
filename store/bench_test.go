package store

import (
	"context"
	"testing"
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
