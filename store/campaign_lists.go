package store

import (
	"context"
	"fmt"

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
	steps := []func() error{
		func() error { return insertMaterials(ctx, tx, id, c.Materials) },
		func() error { return insertCategories(ctx, tx, id, c.Categories) },
		func() error { return insertTargeting(ctx, tx, id, c.Targeting) },
		func() error { return insertCities(ctx, tx, id, c.Cities) },
		func() error { return insertVenueCounts(ctx, tx, id, c.VenueCounts) },
		func() error { return insertVenues(ctx, tx, id, c.Venues) },
		func() error { return insertLocks(ctx, tx, id, c.Locks) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
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
