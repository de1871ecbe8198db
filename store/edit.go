package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/reparto/reparto/planner"
)

// touchCampaign bumps the campaign's version and updated_at. It is the
// first statement of every write to a campaign: on PostgreSQL the UPDATE
// takes the campaign's row lock, so concurrent edits of one campaign run
// one after the other and each validates what the previous committed.
// With expect != 0 the stored version must equal expect (optimistic
// concurrency for forms). A closed campaign refuses every write.
// Errors: ENotFound, EConflict, ErrCampaignClosed.
func touchCampaign(ctx context.Context, tx *Tx, id, expect int64, now time.Time) error {
	if err := refuseClosed(ctx, tx, id); err != nil {
		return err
	}
	q := `UPDATE campaigns SET version = version + 1, updated_at = ? WHERE id = ?`
	args := []any{now, id}
	if expect != 0 {
		q += ` AND version = ?`
		args = append(args, expect)
	}
	res, err := tx.ExecContext(ctx, tx.Rebind(q), args...)
	if err != nil {
		return fmt.Errorf("touch campaign %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	var version int64
	err = tx.GetContext(ctx, &version, tx.Rebind(`SELECT version FROM campaigns WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(thingCampaign, id)
	}
	if err != nil {
		return fmt.Errorf("campaign %d version: %w", id, err)
	}
	return conflict(planner.MsgCampaignChanged, "campaign %d was changed by someone else (version %d, now %d); reload and try again",
		id, expect, version)
}

// edit is the one shape of every change to part of a campaign: in one
// transaction it bumps the version (see touchCampaign), loads the campaign
// without its venues (they are many and no rule about the other lists
// depends on them), lets apply make the change in memory, validates the
// whole campaign so that a change can never leave it invalid (a lock that is
// no longer a whole number of packs, a reference to a deleted city), and
// only then lets write make the same change in SQL.
func (db *DB) edit(ctx context.Context, id, expect int64,
	apply func(c *planner.Campaign) error, write func(ctx context.Context, tx *Tx) error) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := touchCampaign(ctx, tx, id, expect, db.now()); err != nil {
			return err
		}
		c, err := loadCampaign(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if err := apply(c); err != nil {
			return err
		}
		if err := c.Validate(); err != nil {
			return err
		}
		return write(ctx, tx)
	})
}

// deleteIn is the shape of every delete of one child row: bump the
// version, refuse while other rows refer to it (naming them), delete, and
// audit it as a delete of entity (entity id id) with the row as Before.
func (db *DB) deleteIn(ctx context.Context, campaignID int64, what string, missing error, refs []reference,
	entity, id string, query string, args ...any) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := touchCampaign(ctx, tx, campaignID, 0, db.now()); err != nil {
			return err
		}
		if err := refuseReferenced(ctx, tx, what, entity, id, refs); err != nil {
			return err
		}
		before, err := rowSnapshot(ctx, tx, query, args...)
		if errors.Is(err, sql.ErrNoRows) {
			return missing
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", what, err)
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(query), args...)
		if err != nil {
			return fmt.Errorf("delete %s: %w", what, err)
		}
		if err := mustAffect(res, missing); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditDelete, Entity: entity, EntityID: id,
			CampaignID: campaignID, Before: before})
	})
}
