package store

import (
	"context"
	"strings"
	"testing"
)

// A page of the venue list in the natural id order is read from the
// index venues_natural_id, not sorted: with a million venues a sort per
// page would take seconds. (PostgreSQL picks by statistics, so the plan
// is checked on SQLite, where it is deterministic.)
func TestVenueNaturalOrderUsesIndex(t *testing.T) {
	db := openTestSQLite(t)
	l, o := venuePage(ListOptions{Limit: 100})
	q := `EXPLAIN QUERY PLAN SELECT ` + l.columns + ` FROM venues WHERE campaign_id = ? ORDER BY ` + l.key +
		` LIMIT ? OFFSET ?`
	rows, err := db.read.QueryContext(context.Background(), q, 1, o.Limit, o.Offset)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	got := strings.Join(plan, "; ")
	if !strings.Contains(got, "venues_natural_id") || strings.Contains(got, "TEMP B-TREE") {
		t.Fatalf("plan %q does not read the natural order from its index", got)
	}
}

// The queries on venues whose indexes 00013 changed keep reading them:
// the registry lookups by source (venues_source is partial there, and
// source = ? must still imply its condition) and the last imp- number
// (the natural order's stored columns).
func TestVenueLookupsUseIndexes(t *testing.T) {
	db := openTestSQLite(t)
	for _, c := range []struct {
		query string
		args  []any
		index string
	}{
		{`SELECT ` + venueList.columns + `, source_id FROM venues WHERE campaign_id = ? AND source = ? AND source_id IN (?, ?)`,
			[]any{1, "denue", "1", "2"}, "venues_source"},
		{`SELECT COUNT(*) FROM venues WHERE campaign_id = ? AND source = ?`, []any{1, "denue"}, "venues_source"},
		{`SELECT id FROM venues WHERE campaign_id = ? AND ` + venueNaturalOrder[0] + ` = ? ORDER BY ` +
			venueNaturalOrder[1] + ` DESC, ` + venueNaturalOrder[2] + ` DESC LIMIT 1`, []any{1, ImportIDPrefix}, "venues_natural_id"},
		{`SELECT id FROM venues WHERE campaign_id = ? AND name IN (?, ?)`, []any{1, "a", "b"}, "venues_name"},
	} {
		got := queryPlan(t, db, c.query, c.args...)
		if !strings.Contains(got, "SEARCH venues") || !strings.Contains(got, c.index) || strings.Contains(got, "TEMP B-TREE") {
			t.Errorf("%s: plan %q does not search %s", c.query, got, c.index)
		}
	}
}

// queryPlan is SQLite's EXPLAIN QUERY PLAN of query, its details joined.
func queryPlan(t *testing.T, db *DB, query string, args ...any) string {
	t.Helper()
	rows, err := db.read.QueryContext(context.Background(), `EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "; ")
}
