package store

import (
	"context"
	"testing"

	"github.com/reparto/reparto/planner"
)

// TestVenueRoomCountsTheWholeCampaign: adding venues is refused once the
// campaign's total would pass the bound, which edit's validation cannot
// see (it validates only the venues being added). Bound lowered for the
// test: a million rows would be a benchmark.
func TestVenueRoomCountsTheWholeCampaign(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		assertNoError(t, db.AddVenues(ctx, id, manyVenues(3)))
		stored := len(fixtureCampaign().Venues) + 3
		tests := []struct {
			adding, max int
			ok          bool
		}{
			{0, stored, true},
			{1, stored + 1, true},
			{2, stored + 1, false},
			{1, stored, false},
		}
		for _, tt := range tests {
			err := db.WithTx(ctx, func(tx *Tx) error { return venueRoom(ctx, tx, id, tt.adding, tt.max) })
			if tt.ok && err != nil {
				t.Errorf("adding %d of at most %d: %v", tt.adding, tt.max, err)
			}
			if !tt.ok {
				fields := planner.ErrorFields(err)
				if planner.ErrorCode(err) != planner.EInvalid || len(fields) != 1 || fields[0].Path != "venues" {
					t.Errorf("adding %d to %d of at most %d: err = %v, want EInvalid on venues", tt.adding, stored, tt.max, err)
				}
			}
		}
	})
}
