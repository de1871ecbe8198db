package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/reparto/reparto/planner"
)

// Audit actions of a campaign's lifecycle.
const (
	AuditCopy          = "copy"
	AuditClose         = "close"
	AuditReopen        = "reopen"
	AuditApplyScenario = "apply_scenario"
)

// ErrCampaignClosed is the refusal of every write to a closed campaign
// (EConflict, 409). Callers recognise it with errors.Is to say it in the
// reader's language.
var ErrCampaignClosed = &planner.Error{Code: planner.EConflict, ID: planner.MsgCampaignClosed,
	Message: "the campaign is closed: nothing in it can change until an admin reopens it"}

// refuseClosed returns ErrCampaignClosed when campaign id is closed. Every
// write to a campaign calls it inside its transaction (touchCampaign,
// shipments, plan commits, alerts), so a close that commits first wins.
// Errors: ENotFound, ErrCampaignClosed.
func refuseClosed(ctx context.Context, tx *Tx, id int64) error {
	var closed bool
	err := tx.GetContext(ctx, &closed, tx.Rebind(`SELECT closed_at IS NOT NULL FROM campaigns WHERE id = ?`), id)
	if err != nil {
		return orNotFound(err, thingCampaign, id)
	}
	if closed {
		return fmt.Errorf("campaign %d: %w", id, ErrCampaignClosed)
	}
	return nil
}

// CloseCampaign closes campaign id as the actor of ctx: afterwards every
// write to it is refused with ErrCampaignClosed. Errors: ENotFound,
// EConflict (already closed).
func (db *DB) CloseCampaign(ctx context.Context, id int64) error {
	return db.setClosed(ctx, id, true)
}

// ReopenCampaign reopens a closed campaign. Errors: ENotFound, EConflict
// (not closed).
func (db *DB) ReopenCampaign(ctx context.Context, id int64) error {
	return db.setClosed(ctx, id, false)
}

func (db *DB) setClosed(ctx context.Context, id int64, closed bool) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		var at sql.NullTime
		if closed {
			at = sql.NullTime{Time: db.now(), Valid: true}
		}
		who := ActorFrom(ctx).Email
		if !closed {
			who = ""
		}
		q := `UPDATE campaigns SET closed_at = ?, closed_by = ? WHERE id = ? AND closed_at IS NULL`
		action, entry := AuditClose, map[string]any{"closed": true}
		if !closed {
			q = `UPDATE campaigns SET closed_at = ?, closed_by = ? WHERE id = ? AND closed_at IS NOT NULL`
			action, entry = AuditReopen, map[string]any{"closed": false}
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(q), at, who, id)
		if err != nil {
			return fmt.Errorf("%s campaign %d: %w", action, id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			if err := campaignExists(ctx, tx, id); err != nil {
				return err
			}
			if closed {
				return conflict(planner.MsgAlreadyClosed, "campaign %d is already closed", id)
			}
			return conflict(planner.MsgNotClosed, "campaign %d is not closed", id)
		}
		return db.Audit(ctx, tx, AuditEntry{Action: action, Entity: "campaign", EntityID: strconv.FormatInt(id, 10),
			CampaignID: id, Before: map[string]any{"closed": !closed}, After: entry})
	})
}

// CampaignCopy is what a copy of a campaign changes: the rest (materials,
// cities, categories, targeting, venue counts, venues, locks, depot,
// calendar, transport) is taken from the original.
type CampaignCopy struct {
	Name            string
	Start, Deadline planner.Date
}

// CopyCampaign stores a new campaign with the catalogue of campaign src
// and the name and dates of cp, in one transaction: no plan versions, no
// shipments or events, no audit history and no simulated date come along.
// It returns the new id. Errors: ENotFound (src), EInvalid.
func (db *DB) CopyCampaign(ctx context.Context, src int64, cp CampaignCopy) (int64, error) {
	c, err := db.GetCampaign(ctx, src)
	if err != nil {
		return 0, err
	}
	c.ID, c.Version, c.AsOf = 0, 0, nil
	c.Name, c.Start, c.Deadline = cp.Name, cp.Start, cp.Deadline
	return db.createCampaign(ctx, c, func(id int64) AuditEntry {
		after := campaignAudit(c)
		after["copied_from"] = src
		return AuditEntry{Action: AuditCopy, Entity: "campaign", EntityID: strconv.FormatInt(id, 10),
			CampaignID: id, After: after}
	})
}

// ScenarioChange is a what-if scenario to apply to a campaign: the
// dispatch capacity, the surplus policy, materials' reserves and cities'
// priorities. Nil and absent entries keep the stored value.
type ScenarioChange struct {
	BoxesPerDay *int64
	Surplus     *planner.Surplus
	ReservePct  map[string]planner.Decimal // material code -> reserve %
	Priority    map[string]planner.Decimal // city code -> priority
}

// ApplyScenario applies ch to campaign id in one transaction, validated as
// a whole, with one audit record of every value it changes. expect is the
// campaign version the scenario was computed from (0: any). Errors:
// ENotFound, EInvalid (an unknown code, a value out of bounds), EConflict
// (the campaign changed since; it is closed).
func (db *DB) ApplyScenario(ctx context.Context, id, expect int64, ch ScenarioChange) error {
	before, after := map[string]any{}, map[string]any{}
	var header *planner.Campaign
	apply := func(c *planner.Campaign) error {
		var fields []planner.FieldError
		if ch.BoxesPerDay != nil && *ch.BoxesPerDay != c.Dispatch.BoxesPerDay {
			before["boxes_per_day"], after["boxes_per_day"] = c.Dispatch.BoxesPerDay, *ch.BoxesPerDay
			c.Dispatch.BoxesPerDay = *ch.BoxesPerDay
		}
		if ch.Surplus != nil && *ch.Surplus != c.Surplus {
			before["surplus"], after["surplus"] = c.Surplus, *ch.Surplus
			c.Surplus = *ch.Surplus
		}
		for code, pct := range ch.ReservePct {
			i := indexOf(c.Materials, func(m planner.Material) bool { return m.Code == code })
			if i < 0 {
				fields = append(fields, planner.Fieldf("reserve_pct."+code, planner.MsgUnknownRef, "unknown %s %q", "material", code))
				continue
			}
			if c.Materials[i].ReservePct.Cmp(pct) != 0 {
				before["reserve_pct."+code], after["reserve_pct."+code] = c.Materials[i].ReservePct, pct
				c.Materials[i].ReservePct = pct
			}
		}
		for code, w := range ch.Priority {
			i := indexOf(c.Cities, func(k planner.City) bool { return k.Code == code })
			if i < 0 {
				fields = append(fields, planner.Fieldf("priority."+code, planner.MsgUnknownRef, "unknown %s %q", "city", code))
				continue
			}
			if c.Cities[i].Priority.Cmp(w) != 0 {
				before["priority."+code], after["priority."+code] = c.Cities[i].Priority, w
				c.Cities[i].Priority = w
			}
		}
		if len(fields) > 0 {
			return planner.Invalid(fields...)
		}
		header = c
		return nil
	}
	write := func(ctx context.Context, tx *Tx) error {
		if err := updateCampaignHeader(ctx, tx, id, header); err != nil {
			return err
		}
		for k, v := range after {
			code, isReserve := strings.CutPrefix(k, "reserve_pct.")
			q := `UPDATE materials SET reserve_pct = ? WHERE campaign_id = ? AND code = ?`
			if !isReserve {
				if code, _ = strings.CutPrefix(k, "priority."); code == k {
					continue // a header value, written above
				}
				q = `UPDATE cities SET priority = ? WHERE campaign_id = ? AND code = ?`
			}
			if _, err := tx.ExecContext(ctx, tx.Rebind(q), v.(planner.Decimal).String(), id, code); err != nil {
				return fmt.Errorf("apply scenario %s: %w", k, err)
			}
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditApplyScenario, Entity: "campaign",
			EntityID: strconv.FormatInt(id, 10), CampaignID: id, Before: before, After: after})
	}
	return db.edit(ctx, id, expect, apply, write)
}

// IsCampaignClosed reports whether err is the refusal of a write to a
// closed campaign.
func IsCampaignClosed(err error) bool { return errors.Is(err, ErrCampaignClosed) }
