package store

import (
	"context"
	"fmt"

	"github.com/reparto/reparto/planner"
)

type venueCountRow struct {
	CampaignID int64  `db:"campaign_id"`
	City       string `db:"city"`
	Category   string `db:"category"`
	Count      int64  `db:"count"`
	Estimated  bool   `db:"estimated"`
}

var venueCountCols = []string{"campaign_id", "city", "category", "count", "estimated"}

func venueCountArgs(campaignID int64, n planner.VenueCount) []any {
	return []any{campaignID, n.City, n.Category, n.Count, n.Estimated}
}

func (r venueCountRow) toVenueCount() (planner.VenueCount, error) {
	return planner.VenueCount{City: r.City, Category: r.Category, Count: r.Count, Estimated: r.Estimated}, nil
}

var venueCountList = listQuery{
	table:   "venue_counts",
	columns: "campaign_id, city, category, count, estimated",
	key:     "city, category",
	sorts:   map[string]string{"city": "city", "category": "category", "count": "count", "estimated": "estimated"},
}

func loadVenueCounts(ctx context.Context, q queryer, campaignID int64) ([]planner.VenueCount, error) {
	var rows []venueCountRow
	if _, err := venueCountList.run(ctx, q, campaignWhere(campaignID), ListOptions{}, &rows); err != nil {
		return nil, err
	}
	return convertRows(rows, venueCountRow.toVenueCount)
}

func insertVenueCounts(ctx context.Context, tx *Tx, campaignID int64, ns []planner.VenueCount) error {
	return insertBatch(ctx, tx, "venue_counts", venueCountCols, len(ns), func(i int) []any {
		return venueCountArgs(campaignID, ns[i])
	})
}

// VenueCountFilter selects venue counts by exact city and/or category.
// Sortable by city, category, count, estimated.
type VenueCountFilter struct {
	City     string
	Category string
	ListOptions
}

// ListVenueCounts returns one page of a campaign's venue counts.
// Errors: ENotFound.
func (db *DB) ListVenueCounts(ctx context.Context, campaignID int64, f VenueCountFilter) (Page[planner.VenueCount], error) {
	var rows []venueCountRow
	w := campaignWhere(campaignID)
	w.eq("city", f.City)
	w.eq("category", f.Category)
	total, err := db.list(ctx, campaignID, venueCountList, w, f.ListOptions, &rows)
	if err != nil {
		return Page[planner.VenueCount]{}, err
	}
	items, err := convertRows(rows, venueCountRow.toVenueCount)
	return Page[planner.VenueCount]{Items: items, Total: total}, err
}

func sameCountCell(city, category string) func(planner.VenueCount) bool {
	return func(x planner.VenueCount) bool { return x.City == city && x.Category == category }
}

// CreateVenueCount adds the count of one (city, category) cell.
// Errors: ENotFound (campaign), EConflict (cell already counted), EInvalid.
func (db *DB) CreateVenueCount(ctx context.Context, campaignID int64, n planner.VenueCount) error {
	apply := func(c *planner.Campaign) error {
		if indexOf(c.VenueCounts, sameCountCell(n.City, n.Category)) >= 0 {
			return conflict(planner.MsgVenuesCounted, "venues of %q in %q are already counted", n.Category, n.City)
		}
		c.VenueCounts = append(c.VenueCounts, n)
		return nil
	}
	write := func(ctx context.Context, tx *Tx) error {
		if err := insertVenueCounts(ctx, tx, campaignID, []planner.VenueCount{n}); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditCreate, Entity: "venue_count", EntityID: n.City + "/" + n.Category,
			CampaignID: campaignID, After: n})
	}
	return db.edit(ctx, campaignID, 0, apply, write)
}

// UpdateVenueCount replaces the count of cell (city, category) with n,
// which may name another cell. Errors: ENotFound, EConflict, EInvalid.
func (db *DB) UpdateVenueCount(ctx context.Context, campaignID int64, city, category string, n planner.VenueCount) error {
	var before planner.VenueCount
	apply := func(c *planner.Campaign) error {
		i := indexOf(c.VenueCounts, sameCountCell(city, category))
		if i < 0 {
			return notFound(thingVenueCount, city+"/"+category)
		}
		if j := indexOf(c.VenueCounts, sameCountCell(n.City, n.Category)); j >= 0 && j != i {
			return conflict(planner.MsgVenuesCounted, "venues of %q in %q are already counted", n.Category, n.City)
		}
		before, c.VenueCounts[i] = c.VenueCounts[i], n
		return nil
	}
	write := func(ctx context.Context, tx *Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE venue_counts SET city = ?, category = ?, count = ?,
			estimated = ? WHERE campaign_id = ? AND city = ? AND category = ?`),
			n.City, n.Category, n.Count, n.Estimated, campaignID, city, category)
		if err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditUpdate, Entity: "venue_count", EntityID: city + "/" + category,
			CampaignID: campaignID, Before: before, After: n})
	}
	return db.edit(ctx, campaignID, 0, apply, write)
}

// DeleteVenueCount deletes the count of one cell; the cell then counts its
// registered venues. Errors: ENotFound.
func (db *DB) DeleteVenueCount(ctx context.Context, campaignID int64, city, category string) error {
	return db.deleteIn(ctx, campaignID, fmt.Sprintf("venue count of %q in %q", category, city),
		notFound(thingVenueCount, city+"/"+category), nil,
		"venue_count", city+"/"+category,
		`DELETE FROM venue_counts WHERE campaign_id = ? AND city = ? AND category = ?`, campaignID, city, category)
}
