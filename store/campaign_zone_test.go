package store

import (
	"context"
	"testing"

	"github.com/reparto/reparto/planner"
)

// A campaign keeps its time zone; a re-import without one (the campaign
// file has no such key) leaves it as it was; a new campaign without one
// runs in Mexico City.
func TestCampaignTimeZone(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		c, err := db.GetCampaign(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.TimeZone != "" || c.Zone().String() != planner.DefaultTimeZone {
			t.Errorf("new campaign zone %q (%s), want the default %s", c.TimeZone, c.Zone(), planner.DefaultTimeZone)
		}
		c.TimeZone = "America/Tijuana"
		if err := db.ReplaceCampaign(ctx, id, c); err != nil {
			t.Fatal(err)
		}
		if c, err = db.GetCampaign(ctx, id); err != nil {
			t.Fatal(err)
		}
		c.TimeZone = ""
		if err := db.ReplaceCampaign(ctx, id, c); err != nil {
			t.Fatal(err)
		}
		if c, err = db.GetCampaign(ctx, id); err != nil {
			t.Fatal(err)
		}
		if c.TimeZone != "America/Tijuana" {
			t.Errorf("zone after a re-import without one: %q, want America/Tijuana", c.TimeZone)
		}
		c.TimeZone = "Mars/Olympus"
		wantCode(t, db.ReplaceCampaign(ctx, id, c), planner.EInvalid)
	})
}
