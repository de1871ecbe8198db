package store

import (
	"context"
	"reflect"
	"testing"

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
