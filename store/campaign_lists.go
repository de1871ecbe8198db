package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/reparto/reparto/planner"
)

// loadCampaign reads campaign id and its lists through q (a transaction,
// so that all lists come from one snapshot). Venues are skipped when
// withVenues is false (edit does not need them).
func loadCampaign(ctx context.Context, q queryer, id int64, withVenues bool) (*planner.Campaign, error) {
	var r campaignRow
	err := q.GetContext(ctx, &r, q.Rebind(`SELECT `+campaignColumns+` FROM campaigns WHERE id = ?`), id)
	if err != nil {
		return nil, orNotFound(err, thingCampaign, id)
	}
	c, err := r.toCampaign()
	if err != nil {
		return nil, err
	}
	if c.Materials, err = loadMaterials(ctx, q, id); err != nil {
		return nil, err
	}
	if c.Categories, err = loadCategories(ctx, q, id); err != nil {
		return nil, err
	}
	if c.Targeting, err = loadTargeting(ctx, q, id); err != nil {
		return nil, err
	}
	if c.Cities, err = loadCities(ctx, q, id); err != nil {
		return nil, err
	}
	if c.VenueCounts, err = loadVenueCounts(ctx, q, id); err != nil {
		return nil, err
	}
	if withVenues {
		if c.Venues, err = loadVenues(ctx, q, id); err != nil {
			return nil, err
		}
	}
	if c.Locks, err = loadLocks(ctx, q, id); err != nil {
		return nil, err
	}
	return c, nil
}

// insertLists writes every list of c under campaign id, parents before
// the rows that refer to them.
func insertLists(ctx context.Context, tx *Tx, id int64, c *planner.Campaign) error {
	return insertListsExcept(ctx, tx, id, c, nil)
}

// campaignLists are the keys of a campaign's lists, parents first.
var campaignLists = []string{"materials", "venue_categories", "targeting", "cities", "venue_counts", "venues", "locks"}

// insertListsOnly is insertLists for the lists named in keys alone.
func insertListsOnly(ctx context.Context, tx *Tx, id int64, c *planner.Campaign, keys []string) error {
	var except []string
	for _, k := range campaignLists {
		if !slices.Contains(keys, k) {
			except = append(except, k)
		}
	}
	return insertListsExcept(ctx, tx, id, c, except)
}

// insertListsExcept is insertLists for the lists not named in except.
func insertListsExcept(ctx context.Context, tx *Tx, id int64, c *planner.Campaign, except []string) error {
	steps := map[string]func() error{
		"materials":        func() error { return insertMaterials(ctx, tx, id, c.Materials) },
		"venue_categories": func() error { return insertCategories(ctx, tx, id, c.Categories) },
		"targeting":        func() error { return insertTargeting(ctx, tx, id, c.Targeting) },
		"cities":           func() error { return insertCities(ctx, tx, id, c.Cities) },
		"venue_counts":     func() error { return insertVenueCounts(ctx, tx, id, c.VenueCounts) },
		"venues":           func() error { return insertVenues(ctx, tx, id, c.Venues) },
		"locks":            func() error { return insertLocks(ctx, tx, id, c.Locks) },
	}
	for _, k := range campaignLists {
		if slices.Contains(except, k) {
			continue
		}
		if err := steps[k](); err != nil {
			return err
		}
	}
	return nil
}

// deleteLists empties every list of campaign id, children first.
func deleteLists(ctx context.Context, tx *Tx, id int64) error {
	for _, t := range []string{"locks", "venues", "venue_counts", "targeting", "cities", "venue_categories", "materials"} {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM `+t+` WHERE campaign_id = ?`), id); err != nil {
			return fmt.Errorf("clear %s of campaign %d: %w", t, id, err)
		}
	}
	return nil
}
