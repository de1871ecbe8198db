package store

import (
	"context"
	"fmt"

	"github.com/reparto/reparto/planner"
)

type targetingRow struct {
	CampaignID int64  `db:"campaign_id"`
	Material   string `db:"material"`
	Category   string `db:"category"`
	PerVenue   int64  `db:"per_venue"`
}

var targetingCols = []string{"campaign_id", "material", "category", "per_venue"}

func (r targetingRow) toRule() (planner.TargetingRule, error) {
	return planner.TargetingRule{Material: r.Material, Category: r.Category, PerVenue: r.PerVenue}, nil
}

var targetingList = listQuery{
	table:   "targeting",
	columns: "campaign_id, material, category, per_venue",
	key:     "material, category",
}

func loadTargeting(ctx context.Context, q queryer, campaignID int64) ([]planner.TargetingRule, error) {
	var rows []targetingRow
	if _, err := targetingList.run(ctx, q, campaignWhere(campaignID), ListOptions{}, &rows); err != nil {
		return nil, err
	}
	return convertRows(rows, targetingRow.toRule)
}

func insertTargeting(ctx context.Context, tx *Tx, campaignID int64, rules []planner.TargetingRule) error {
	return insertBatch(ctx, tx, "targeting", targetingCols, len(rules), func(i int) []any {
		r := rules[i]
		return []any{campaignID, r.Material, r.Category, r.PerVenue}
	})
}

// ListTargeting returns a campaign's targeting matrix sorted by material,
// then category. Errors: ENotFound.
func (db *DB) ListTargeting(ctx context.Context, campaignID int64) ([]planner.TargetingRule, error) {
	var rows []targetingRow
	if _, err := db.list(ctx, campaignID, targetingList, campaignWhere(campaignID), ListOptions{}, &rows); err != nil {
		return nil, err
	}
	return convertRows(rows, targetingRow.toRule)
}

// SetTargeting replaces the whole targeting matrix of a campaign in one
// transaction (the matrix is edited as one form). Every rule must name an
// existing material and category, and no (material, category) pair may
// repeat. Errors: ENotFound, EInvalid.
func (db *DB) SetTargeting(ctx context.Context, campaignID int64, rules []planner.TargetingRule) error {
	var before []planner.TargetingRule
	apply := func(c *planner.Campaign) error {
		before, c.Targeting = c.Targeting, rules
		return nil
	}
	write := func(ctx context.Context, tx *Tx) error {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM targeting WHERE campaign_id = ?`), campaignID); err != nil {
			return fmt.Errorf("clear targeting: %w", err)
		}
		if err := insertTargeting(ctx, tx, campaignID, rules); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditUpdate, Entity: "targeting",
			CampaignID: campaignID, Before: before, After: rules})
	}
	return db.edit(ctx, campaignID, 0, apply, write)
}
