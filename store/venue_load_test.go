package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/reparto/reparto/planner"
)

// TestLoadVenuesMatchesTheListQuery: the hand-written scan of a
// campaign's venues gives what the generic list query and its row type
// give, on both databases: venues with and without a city, confidential
// by their own flag or by a sensitive category, in id order.
func TestLoadVenuesMatchesTheListQuery(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		c := fixtureCampaign()
		more := manyVenues(300)
		for i := range more {
			switch i % 3 {
			case 0:
				more[i].City = "" // placed by its coordinates
			case 1:
				more[i].Confidential = true
				more[i].Address = "Calle 5 de Mayo 12"
			}
		}
		c.Venues = append(c.Venues, more...)
		id, err := db.CreateCampaign(ctx, c)
		assertNoError(t, err)
		got, err := loadVenues(ctx, db.read, id)
		assertNoError(t, err)
		var rows []venueRow
		_, err = venueList.run(ctx, db.read, campaignWhere(id), ListOptions{}, &rows)
		assertNoError(t, err)
		want, err := convertRows(rows, venueRow.toVenue)
		assertNoError(t, err)
		if len(got) != len(c.Venues) || !reflect.DeepEqual(got, want) {
			t.Fatalf("loadVenues gave %d venues, the list query %d (stored %d); first differences:\n%s",
				len(got), len(want), len(c.Venues), firstVenueDiff(got, want))
		}
		empty, err := loadVenues(ctx, db.read, id+1000)
		assertNoError(t, err)
		if len(empty) != 0 {
			t.Fatalf("a campaign without venues gave %d", len(empty))
		}
	})
}

func firstVenueDiff(a, b []planner.Venue) string {
	for i := range min(len(a), len(b)) {
		if !reflect.DeepEqual(a[i], b[i]) {
			return "got  " + a[i].ID + " " + a[i].City + "\nwant " + b[i].ID + " " + b[i].City
		}
	}
	return "(one is a prefix of the other)"
}

// TestGetCampaignReadsVenuesTwoWays: a large venue list is read in two
// halves on two connections and comes out as one read would give it; when
// the second connection's snapshot shows a newer campaign, or no
// connection is free, the first reads the lower half itself, and the
// campaign is still the one of its snapshot, whole. On both databases.
func TestGetCampaignReadsVenuesTwoWays(t *testing.T) {
	defer func(n int64) { splitVenues = n }(splitVenues)
	splitVenues = 10
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		c := fixtureCampaign()
		c.Venues = append(c.Venues, manyVenues(301)...)
		id, err := db.CreateCampaign(ctx, c)
		assertNoError(t, err)
		before, err := loadCampaign(ctx, db.read, id, true)
		assertNoError(t, err)
		var kept []bool
		db.afterLowerHalf = func(k bool) { kept = append(kept, k) }
		get := func(t *testing.T, wantKept bool, want *planner.Campaign) {
			t.Helper()
			kept = nil
			got, err := db.GetCampaign(ctx, id)
			assertNoError(t, err)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("GetCampaign: version %d with %d venues, want version %d with %d:\n%s",
					got.Version, len(got.Venues), want.Version, len(want.Venues), firstVenueDiff(got.Venues, want.Venues))
			}
			if len(kept) != 1 || kept[0] != wantKept {
				t.Fatalf("lower half read on the second connection: %v, want [%v]", kept, wantKept)
			}
		}
		t.Run("two connections", func(t *testing.T) { get(t, true, before) })

		t.Run("a write in between", func(t *testing.T) {
			db.beforeLowerHalf = func() {
				db.beforeLowerHalf = nil
				v := c.Venues[0]
				v.ID, v.Name = "0-first", "Nuevo" // sorts into the lower half
				assertNoError(t, db.CreateVenue(ctx, id, v))
			}
			get(t, false, before) // the first connection's snapshot, whole
			after, err := loadCampaign(ctx, db.read, id, true)
			assertNoError(t, err)
			if after.Version == before.Version || after.Venues[0].ID != "0-first" {
				t.Fatalf("the write did not land: version %d, first venue %q", after.Version, after.Venues[0].ID)
			}
			get(t, true, after)
			before = after
		})

		t.Run("no free connection", func(t *testing.T) {
			db.read.SetMaxOpenConns(1)
			defer db.read.SetMaxOpenConns(8)
			done := make(chan struct{})
			go func() {
				defer close(done)
				get(t, false, before)
			}()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("GetCampaign waits for a second connection of a pool of one")
			}
		})
	})
}
