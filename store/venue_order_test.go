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
