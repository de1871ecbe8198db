package store

import (
	"context"
	"reflect"
	"testing"

	"github.com/reparto/reparto/planner"
)

// TestCreateCampaignInChunks stores venues in several COPY statements on
// PostgreSQL (and batches on SQLite) and reads them all back.
func TestCreateCampaignInChunks(t *testing.T) {
	defer func(n int) { copyChunk = n }(copyChunk)
	copyChunk = 3
	tests := []struct {
		name    string
		venues  func() []planner.Venue
		wantErr bool
	}{
		{"ten venues", func() []planner.Venue { return manyVenues(10) }, false},
	}
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := fixtureCampaign()
				c.Venues = tt.venues()
				before, err := db.ListCampaigns(ctx)
				assertNoError(t, err)
				id, err := db.CreateCampaign(ctx, c)
				if tt.wantErr {
					if err == nil {
						t.Fatal("want an error")
					}
					after, err := db.ListCampaigns(ctx)
					assertNoError(t, err)
					if len(after) != len(before) {
						t.Fatalf("%d campaigns after a failed create, want %d", len(after), len(before))
					}
					return
				}
				assertNoError(t, err)
				got, err := db.GetCampaign(ctx, id)
				assertNoError(t, err)
				if !reflect.DeepEqual(got.Venues, c.Venues) {
					t.Fatalf("venues:\n got %+v\nwant %+v", got.Venues, c.Venues)
				}
			})
		}
	})
}
