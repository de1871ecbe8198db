package store

import (
	"context"
	"fmt"

	"github.com/reparto/reparto/planner"
)

type categoryRow struct {
	CampaignID int64  `db:"campaign_id"`
	Code       string `db:"code"`
	Name       string `db:"name"`
	Group      string `db:"group_name"`
	Sensitive  bool   `db:"sensitive"`
}

var categoryCols = []string{"campaign_id", "code", "name", "group_name", "sensitive"}

func categoryArgs(campaignID int64, v planner.VenueCategory) []any {
	return []any{campaignID, v.Code, v.Name, v.Group, v.Sensitive}
}

func (r categoryRow) toCategory() (planner.VenueCategory, error) {
	return planner.VenueCategory{Code: r.Code, Name: r.Name, Group: r.Group, Sensitive: r.Sensitive}, nil
}

var categoryList = listQuery{
	table:   "venue_categories",
	columns: "campaign_id, code, name, group_name, sensitive",
	key:     "code",
	sorts:   map[string]string{"code": "code", "name": "name", "group": "group_name", "sensitive": "sensitive"},
}

func loadCategories(ctx context.Context, q queryer, campaignID int64) ([]planner.VenueCategory, error) {
	var rows []categoryRow
	if _, err := categoryList.run(ctx, q, campaignWhere(campaignID), ListOptions{}, &rows); err != nil {
		return nil, err
	}
	return convertRows(rows, categoryRow.toCategory)
}

func insertCategories(ctx context.Context, tx *Tx, campaignID int64, vs []planner.VenueCategory) error {
	return insertBatch(ctx, tx, "venue_categories", categoryCols, len(vs), func(i int) []any {
		return categoryArgs(campaignID, vs[i])
	})
}

// CategoryFilter selects venue categories: Query matches code or name,
// Group is exact. Sortable by code, name, group, sensitive.
type CategoryFilter struct {
	Query string
	Group string
	ListOptions
}

// ListCategories returns one page of a campaign's venue categories.
// Errors: ENotFound.
func (db *DB) ListCategories(ctx context.Context, campaignID int64, f CategoryFilter) (Page[planner.VenueCategory], error) {
	var rows []categoryRow
	w := campaignWhere(campaignID)
	w.search(f.Query, "code", "name")
	w.eq("group_name", f.Group)
	total, err := db.list(ctx, campaignID, categoryList, w, f.ListOptions, &rows)
	if err != nil {
		return Page[planner.VenueCategory]{}, err
	}
	items, err := convertRows(rows, categoryRow.toCategory)
	return Page[planner.VenueCategory]{Items: items, Total: total}, err
}

// CreateCategory adds a venue category.
// Errors: ENotFound (campaign), EConflict (code taken), EInvalid.
func (db *DB) CreateCategory(ctx context.Context, campaignID int64, v planner.VenueCategory) error {
	apply := func(c *planner.Campaign) error {
		if _, ok := c.Category(v.Code); ok {
			return planner.Errorm(planner.EConflict, planner.MsgAlreadyExists, "venue category %q already exists", v.Code)
		}
		c.Categories = append(c.Categories, v)
		return nil
	}
	write := func(ctx context.Context, tx *Tx) error {
		if err := insertCategories(ctx, tx, campaignID, []planner.VenueCategory{v}); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditCreate, Entity: "venue_category", EntityID: v.Code,
			CampaignID: campaignID, After: v})
	}
	return db.edit(ctx, campaignID, 0, apply, write)
}

// UpdateCategory replaces category code with v; when v.Code differs the
// category is renamed and every targeting rule, count, venue and lock
// follows it. Making it sensitive stores all its venues confidential;
// making it not sensitive gives each venue its own flag back (see
// CountRevealedVenues). Errors: ENotFound, EConflict (new code taken), EInvalid.
func (db *DB) UpdateCategory(ctx context.Context, campaignID int64, code string, v planner.VenueCategory) error {
	var before planner.VenueCategory
	apply := func(c *planner.Campaign) error {
		i := indexOf(c.Categories, func(x planner.VenueCategory) bool { return x.Code == code })
		if i < 0 {
			return notFound(thingCategory, code)
		}
		if _, taken := c.Category(v.Code); taken && v.Code != code {
			return planner.Errorm(planner.EConflict, planner.MsgAlreadyExists, "venue category %q already exists", v.Code)
		}
		before, c.Categories[i] = c.Categories[i], v
		for j := range c.Targeting {
			rename(&c.Targeting[j].Category, code, v.Code)
		}
		for j := range c.VenueCounts {
			rename(&c.VenueCounts[j].Category, code, v.Code)
		}
		for j := range c.Locks {
			rename(&c.Locks[j].Category, code, v.Code)
		}
		return nil
	}
	write := func(ctx context.Context, tx *Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE venue_categories SET code = ?, name = ?, group_name = ?,
			sensitive = ? WHERE campaign_id = ? AND code = ?`), v.Code, v.Name, v.Group, v.Sensitive, campaignID, code)
		if err != nil {
			return err
		}
		if before.Sensitive && !v.Sensitive {
			if err := restoreMarkedConfidential(ctx, tx, campaignID, v.Code); err != nil {
				return err
			}
		}
		if err := enforceSensitive(ctx, tx, campaignID); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditUpdate, Entity: "venue_category", EntityID: code,
			CampaignID: campaignID, Before: before, After: v})
	}
	return db.edit(ctx, campaignID, 0, apply, write)
}

// DeleteCategory deletes a venue category nothing refers to.
// Errors: ENotFound, EConflict naming what still uses it.
func (db *DB) DeleteCategory(ctx context.Context, campaignID int64, code string) error {
	return db.deleteIn(ctx, campaignID, fmt.Sprintf("venue category %q", code), notFound(thingCategory, code),
		refs(campaignID, "category", code, "targeting", "venue_counts", "venues", "locks"), "venue_category", code,
		`DELETE FROM venue_categories WHERE campaign_id = ? AND code = ?`, campaignID, code)
}
