package store

import (
	"context"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store/storetest"
)

// oldNaturalOrder is the ORDER BY of the natural id order before 00013:
// the expressions venues_natural_id was built on.
const oldNaturalOrder = `rtrim(id, '0123456789'),
	length(ltrim(substr(id, length(rtrim(id, '0123456789')) + 1), '0')),
	ltrim(substr(id, length(rtrim(id, '0123456789')) + 1), '0'), id`

// TestNaturalKeyMigration: 00013 moves the natural id order from an
// expression index to stored columns. A database with venues made at the
// previous version must come out with columns equal to what the store
// writes (naturalKey) and list its venues in the order the expressions
// gave, on both databases.
func TestNaturalKeyMigration(t *testing.T) {
	ids := []string{"imp-10", "imp-2", "imp-1", "imp-", "v-01", "v-1", "v-001", "v0000000", "v0000123",
		"123", "0", "00", "007", "abc", "Abc", "a1b2", "a1b02", "a1b10", "ñandú7", "ñandú07", "x-9", "X-9", "Z",
		"denue-6541", "denue-99"}
	for _, o := range []struct {
		name    string
		dialect goose.Dialect
		dsn     func(t *testing.T) string
	}{
		{SQLite, goose.DialectSQLite3, func(t *testing.T) string { return filepath.Join(t.TempDir(), "old.db") }},
		{Postgres, goose.DialectPostgres, func(t *testing.T) string { return storetest.ScratchPostgres(t, "t").String() }},
	} {
		t.Run(o.name, func(t *testing.T) {
			ctx := context.Background()
			db, err := Open(ctx, o.dsn(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			fsys, err := fs.Sub(assets.FS, "migrations/"+o.name)
			if err != nil {
				t.Fatal(err)
			}
			p, err := goose.NewProvider(o.dialect, db.w.DB, fsys)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, 12); err != nil {
				t.Fatal(err)
			}
			seedOldVenues(t, db, ids)
			var want []string
			if err := db.w.SelectContext(ctx, &want, `SELECT id FROM venues WHERE campaign_id = 1 ORDER BY `+oldNaturalOrder); err != nil {
				t.Fatal(err)
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}

			var rows []struct {
				ID     string `db:"id"`
				Prefix string `db:"natural_prefix"`
				Len    int    `db:"natural_len"`
				Number string `db:"natural_number"`
			}
			if err := db.w.SelectContext(ctx, &rows, `SELECT id, natural_prefix, natural_len, natural_number FROM venues`); err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(ids) {
				t.Fatalf("%d venues after the migration, want %d", len(rows), len(ids))
			}
			for _, r := range rows {
				prefix, n, number := naturalKey(r.ID)
				if r.Prefix != prefix || r.Len != n || r.Number != number {
					t.Errorf("venue %q: migrated (%q, %d, %q), the store writes (%q, %d, %q)",
						r.ID, r.Prefix, r.Len, r.Number, prefix, n, number)
				}
			}
			for _, desc := range []bool{false, true} {
				page, err := db.ListVenues(ctx, 1, VenueFilter{ListOptions: ListOptions{Desc: desc}})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, v := range page.Items {
					got = append(got, v.ID)
				}
				w := slices.Clone(want)
				if desc {
					slices.Reverse(w)
				}
				if !slices.Equal(got, w) {
					t.Errorf("desc=%v: listed\n%s\nwant (as before the migration)\n%s", desc,
						strings.Join(got, " "), strings.Join(w, " "))
				}
			}
			// A venue written after the migration sorts among the old ones.
			v := planner.Venue{ID: "imp-3", Name: "new", Category: "BAR", Lat: 19.4, Lon: -99.1}
			if err := db.CreateVenue(ctx, 1, v); err != nil {
				t.Fatal(err)
			}
			page, err := db.ListVenues(ctx, 1, VenueFilter{Query: "imp-"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range page.Items {
				got = append(got, v.ID)
			}
			if w := []string{"imp-", "imp-1", "imp-2", "imp-3", "imp-10"}; !slices.Equal(got, w) {
				t.Errorf("imp- venues after an insert: %v, want %v", got, w)
			}
			// Down and up again: the expression index comes back, then the columns.
			// goose needs the write pool's one connection, which the writes
			// above pinned on SQLite (Tx).
			db.wmu.Lock()
			wc := db.wc
			db.wmu.Unlock()
			db.unpinWrite(wc, false)
			if _, err := p.DownTo(ctx, 12); err != nil {
				t.Fatalf("down to 12: %v", err)
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("up again: %v", err)
			}
		})
	}
}

// seedOldVenues writes campaign 1 with one category and venues ids, in
// SQL of the schema before 00013 (the store's own writes need 00013).
func seedOldVenues(t *testing.T, db *DB, ids []string) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2009, 3, 1, 0, 0, 0, 0, time.UTC)
	q := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO campaigns (id, name, start, deadline, depot_name, depot_lat, depot_lon, boxes_per_day,
			work_days, road_km_per_day, circuity, handling_days, local_distribution_days, surplus, created_at, updated_at)
			VALUES (1, 'old', '2009-01-12', '2009-03-31', 'CDMX', 19.43, -99.13, 400, 'Mon', 500, 1.3, 1, 5, 'spread', ?, ?)`,
			[]any{now, now}},
		{`INSERT INTO venue_categories (campaign_id, code, name) VALUES (1, 'BAR', 'Bar')`, nil},
	}
	for i, id := range ids {
		q = append(q, struct {
			q    string
			args []any
		}{`INSERT INTO venues (campaign_id, id, name, category, lat, lon) VALUES (1, ?, ?, 'BAR', 19.4, -99.1)`,
			[]any{id, "venue " + id + strings.Repeat("x", i%3)}})
	}
	for _, w := range q {
		if _, err := db.w.ExecContext(ctx, db.w.Rebind(w.q), w.args...); err != nil {
			t.Fatalf("%s: %v", w.q, err)
		}
	}
}
