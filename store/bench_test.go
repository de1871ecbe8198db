package store

import (
	"bytes"
	"context"
	"testing"

	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/planio"
)

// benchStore100k times store, which stores a campaign with 100,000
// venues and returns its id, on each database, deleting the campaign
// outside the timing after each run.
func benchStore100k(b *testing.B, store func(ctx context.Context, db *DB, c *planner.Campaign) (int64, error)) {
	for _, o := range openers() {
		b.Run(o.name, func(b *testing.B) {
			ctx := context.Background()
			db := o.open(b)
			c := fixtureCampaign()
			c.Venues = append(c.Venues, manyVenues(100000)...)
			var cpu float64 // this process only (the PostgreSQL server's work is not in it)
			for b.Loop() {
				before := cpuSeconds()
				id, err := store(ctx, db, c)
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

// BenchmarkCreateCampaign100kVenues stores a campaign with 100,000 venues
// in one transaction (batched multi-row INSERTs).
func BenchmarkCreateCampaign100kVenues(b *testing.B) {
	benchStore100k(b, func(ctx context.Context, db *DB, c *planner.Campaign) (int64, error) {
		return db.CreateCampaign(ctx, c)
	})
}

// BenchmarkImportCampaignFile100kVenues reads and stores a campaign file
// with 100,000 venues (ImportCampaignFile: the venues are inserted while
// the file is read), as BenchmarkCreateCampaign100kVenues stores the
// campaign already read. Its wall time (ns/op) is what overlapping saves;
// its CPU time, with the parse's, is the same work.
func BenchmarkImportCampaignFile100kVenues(b *testing.B) {
	c := fixtureCampaign()
	c.Venues = append(c.Venues, manyVenues(100000)...) // the campaign benchStore100k stores
	text, err := planio.MarshalCampaign(c)
	if err != nil {
		b.Fatal(err)
	}
	benchStore100k(b, func(ctx context.Context, db *DB, _ *planner.Campaign) (int64, error) {
		id, _, err := db.ImportCampaignFile(ctx, bytes.NewReader(text))
		return id, err
	})
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
