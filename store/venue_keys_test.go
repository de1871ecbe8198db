package store

import (
	"context"
	"io/fs"
	"reflect"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/store/storetest"
)

// insertRawVenue writes one venue row straight into the table, below the
// store's checks, so that only the schema's keys stand in its way.
func insertRawVenue(ctx context.Context, db *DB, campaignID int64, id, category string, source any) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO venues
			(campaign_id, id, name, category, lat, lon, source, source_id)
			VALUES (?, ?, 'raw', ?, 19.4, -99.1, ?, ?)`), campaignID, id, category, source, source)
		return err
	})
}

// TestVenueKeys: the schema alone keeps venues inside a campaign that
// exists and in a category of that campaign, and registry keys unique,
// on both databases. On PostgreSQL the first holds through the category
// key since 00016 dropped the venue's own key to campaigns.
func TestVenueKeys(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		other := createFixture(t, db)
		category := fixtureCampaign().Venues[0].Category
		for _, tc := range []struct {
			name     string
			campaign int64
			id       string
			category string
			source   any
			ok       bool
		}{
			{"a campaign that does not exist", 999_999, "raw-1", category, nil, false},
			{"a category that does not exist", id, "raw-2", "NO-SUCH-CATEGORY", nil, false},
			{"a good venue without a source", id, "raw-3", category, nil, true},
			{"a second one without a source", id, "raw-4", category, nil, true},
			{"a registry venue", id, "raw-5", category, "denue-1", true},
			{"the same registry key again", id, "raw-6", category, "denue-1", false},
		} {
			err := insertRawVenue(ctx, db, tc.campaign, tc.id, tc.category, tc.source)
			if (err == nil) != tc.ok {
				t.Errorf("%s: err = %v, want ok = %v", tc.name, err, tc.ok)
			}
		}
		// Deleting a campaign takes its venues, and only its own.
		before := storedVenueCount(t, db, other)
		assertNoError(t, db.DeleteCampaign(ctx, id))
		if n := storedVenueCount(t, db, id); n != 0 {
			t.Errorf("%d venues left of the deleted campaign", n)
		}
		if n := storedVenueCount(t, db, other); n != before {
			t.Errorf("the other campaign has %d venues, had %d", n, before)
		}
	})
}

func storedVenueCount(t *testing.T, db *DB, campaignID int64) int64 {
	t.Helper()
	var n int64
	assertNoError(t, db.read.GetContext(context.Background(), &n,
		db.read.Rebind(`SELECT COUNT(*) FROM venues WHERE campaign_id = ?`), campaignID))
	return n
}

// TestVenueKeyMigration: 00016 on PostgreSQL keeps every stored campaign
// as it was, and its Down gives the campaign key and the full registry
// index back.
func TestVenueKeyMigration(t *testing.T) {
	ctx := context.Background()
	db := openMigrated(t, storetest.ScratchPostgres(t, "t").String())
	id := createFixture(t, db)
	want, err := db.GetCampaign(ctx, id)
	assertNoError(t, err)
	fsys, err := fs.Sub(assets.FS, "migrations/postgres")
	assertNoError(t, err)
	p, err := goose.NewProvider(goose.DialectPostgres, db.w.DB, fsys)
	assertNoError(t, err)
	state := func() (campaignKey bool, partial bool) {
		t.Helper()
		assertNoError(t, db.read.GetContext(ctx, &campaignKey, `SELECT EXISTS (SELECT 1 FROM pg_constraint
			WHERE conrelid = 'venues'::regclass AND conname = 'venues_campaign_id_fkey')`))
		assertNoError(t, db.read.GetContext(ctx, &partial, `SELECT indpred IS NOT NULL FROM pg_index
			WHERE indexrelid = 'venues_source'::regclass`))
		return campaignKey, partial
	}
	if key, partial := state(); key || !partial {
		t.Fatalf("at the latest version: campaign key %v, partial registry index %v", key, partial)
	}
	if _, err := p.DownTo(ctx, 15); err != nil {
		t.Fatalf("down to 15: %v", err)
	}
	if key, partial := state(); !key || partial {
		t.Fatalf("at 15: campaign key %v, partial registry index %v", key, partial)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	got, err := db.GetCampaign(ctx, id)
	assertNoError(t, err)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after down and up:\n got %+v\nwant %+v", got, want)
	}
	assertNoError(t, db.DeleteCampaign(ctx, id))
}
