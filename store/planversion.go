package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reparto/reparto/planner"
)

type planVersionRow struct {
	CampaignID int64     `db:"campaign_id"`
	Version    int       `db:"version"`
	Author     string    `db:"author"`
	Note       string    `db:"note"`
	CreatedAt  time.Time `db:"created_at"`
	Plan       string    `db:"plan"`
}

func (r planVersionRow) toVersion() (planner.PlanVersion, error) {
	v := planner.PlanVersion{CampaignID: r.CampaignID, Version: r.Version, Author: r.Author, Note: r.Note,
		CreatedAt: r.CreatedAt.UTC()}
	if r.Plan == "" {
		return v, nil
	}
	var p planner.Plan
	if err := json.Unmarshal([]byte(r.Plan), &p); err != nil {
		return v, fmt.Errorf("plan version %d of campaign %d: %w", r.Version, r.CampaignID, err)
	}
	v.Plan = &p
	return v, nil
}

// errCommitRace is what the loser of two concurrent commits gets.
func errCommitRace(latest, expected int) error {
	return conflict(planner.MsgCommitRace, "another plan was committed meanwhile: the latest version is %d, not %d; review the new plan and commit again",
		latest, expected)
}

// CommitPlan stores p as the next plan version of a campaign and brings
// its shipments in line with it, in one transaction:
//
//   - the latest stored version must be expectedLatest (0 for the first
//     commit), else EConflict: two planners who previewed the same version
//     cannot both commit, the second is told to review the new plan; the
//     primary key (campaign_id, version) is the final guard when both read
//     the same latest version at the same moment;
//   - planner.ReconcileShipments decides the shipments: undispatched ones
//     get the new planned content, new cities get a planned shipment,
//     undispatched shipments of cities p no longer serves get a
//     "cancelled" event; dispatched shipments are never touched. A shipment
//     that changed while the commit ran is EConflict too, and so is a plan
//     that gives a dispatched city other pieces than it loaded
//     (planner.CheckDispatched).
//
// author is who commits (the actor's email when empty). It returns the new
// version number. Errors: ENotFound (campaign), EConflict.
func (db *DB) CommitPlan(ctx context.Context, campaignID int64, expectedLatest int, author, note string, p *planner.Plan) (int, error) {
	if p == nil {
		return 0, fmt.Errorf("commit plan: no plan")
	}
	if author == "" {
		author = ActorFrom(ctx).Email
	}
	body, err := json.Marshal(p)
	if err != nil {
		return 0, fmt.Errorf("commit plan: %w", err)
	}
	var version int
	err = db.WithTx(ctx, func(tx *Tx) error {
		c, err := loadCampaignHeader(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		if err := refuseClosed(ctx, tx, campaignID); err != nil {
			return err
		}
		latest, err := latestVersion(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		if latest != expectedLatest {
			return errCommitRace(latest, expectedLatest)
		}
		version = latest + 1
		now := db.now()
		_, err = tx.ExecContext(ctx, tx.Rebind(`INSERT INTO plan_versions (campaign_id, version, author, note,
			created_at, plan) VALUES (?, ?, ?, ?, ?, ?)`), campaignID, version, author, note, now, string(body))
		if isUnique(err) {
			return errCommitRace(version, expectedLatest)
		}
		if err != nil {
			return fmt.Errorf("insert plan version %d: %w", version, err)
		}
		counts, err := reconcile(ctx, tx, c, p, version, now)
		if err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: "commit_plan", Entity: "plan_version",
			EntityID: strconv.Itoa(version), CampaignID: campaignID,
			After: map[string]any{"version": version, "author": author, "note": note, "total_boxes": p.TotalBoxes,
				"shipments_updated": counts[0], "shipments_created": counts[1], "shipments_cancelled": counts[2]}})
	})
	if err != nil {
		return 0, err
	}
	return version, nil
}

// reconcile applies planner.ReconcileShipments inside the commit and
// returns how many shipments were updated, created and cancelled.
func reconcile(ctx context.Context, tx *Tx, c *planner.Campaign, p *planner.Plan, version int, now time.Time) ([3]int, error) {
	var counts [3]int
	existing, err := loadCampaignShipments(ctx, tx, c.ID)
	if err != nil {
		return counts, err
	}
	// A shipment dispatched while the plan was reviewed must still get
	// exactly what it loaded, or plan and trucks would disagree.
	if err := planner.CheckDispatched(p, existing); err != nil {
		return counts, err
	}
	update, create, cancel := planner.ReconcileShipments(existing, p, version)
	for _, s := range update {
		if err := updatePlanned(ctx, tx, s, now); err != nil {
			return counts, err
		}
	}
	for _, s := range create {
		s.CampaignID = c.ID
		if _, err := insertShipment(ctx, tx, s, now); err != nil {
			return counts, err
		}
	}
	day := c.Today(now)
	if day.Before(c.Start) {
		day = c.Start
	}
	versions := map[int64]int{}
	for _, s := range existing {
		versions[s.ID] = s.Version
	}
	for _, id := range cancel {
		e := planner.PlanCancellation(version, day)
		e.RecordedAt, e.Author = now, ActorSystem
		if _, err := appendSystemEvent(ctx, tx, id, versions[id], e, now); err != nil {
			return counts, err
		}
	}
	return [3]int{len(update), len(create), len(cancel)}, nil
}

func latestVersion(ctx context.Context, q queryer, campaignID int64) (int, error) {
	var v int
	err := q.GetContext(ctx, &v, q.Rebind(`SELECT COALESCE(MAX(version), 0) FROM plan_versions WHERE campaign_id = ?`), campaignID)
	if err != nil {
		return 0, fmt.Errorf("latest plan version of campaign %d: %w", campaignID, err)
	}
	return v, nil
}

// LatestPlan returns the latest committed plan of a campaign.
// Errors: ENotFound (no campaign, or no plan committed yet).
func (db *DB) LatestPlan(ctx context.Context, campaignID int64) (*planner.PlanVersion, error) {
	var out *planner.PlanVersion
	err := db.readTx(ctx, func(tx *sqlx.Tx) error {
		if err := campaignExists(ctx, tx, campaignID); err != nil {
			return err
		}
		v, err := latestVersion(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		if v == 0 {
			return notFound(thingCommittedPlan, campaignID)
		}
		out, err = getPlanVersion(ctx, tx, campaignID, v)
		return err
	})
	return out, err
}

// GetPlanVersion returns one committed plan version with its plan.
// Errors: ENotFound.
func (db *DB) GetPlanVersion(ctx context.Context, campaignID int64, version int) (*planner.PlanVersion, error) {
	var out *planner.PlanVersion
	err := db.readTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		out, err = getPlanVersion(ctx, tx, campaignID, version)
		return err
	})
	return out, err
}

func getPlanVersion(ctx context.Context, q queryer, campaignID int64, version int) (*planner.PlanVersion, error) {
	var r planVersionRow
	err := q.GetContext(ctx, &r, q.Rebind(`SELECT campaign_id, version, author, note, created_at, plan
		FROM plan_versions WHERE campaign_id = ? AND version = ?`), campaignID, version)
	if err != nil {
		return nil, orNotFound(err, thingPlanVersion, version)
	}
	v, err := r.toVersion()
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// ListPlanVersions returns the committed versions of a campaign, oldest
// first, without their plans (Plan is nil: load one with GetPlanVersion).
// Errors: ENotFound (campaign).
func (db *DB) ListPlanVersions(ctx context.Context, campaignID int64) ([]planner.PlanVersion, error) {
	var rows []planVersionRow
	err := db.readTx(ctx, func(tx *sqlx.Tx) error {
		if err := campaignExists(ctx, tx, campaignID); err != nil {
			return err
		}
		return tx.SelectContext(ctx, &rows, tx.Rebind(`SELECT campaign_id, version, author, note, created_at,
			'' AS plan FROM plan_versions WHERE campaign_id = ? ORDER BY version`), campaignID)
	})
	if err != nil {
		return nil, err
	}
	out, err := convertRows(rows, planVersionRow.toVersion)
	if out == nil && err == nil {
		out = []planner.PlanVersion{}
	}
	return out, err
}

// LatestPlanVersion returns the number of the latest committed plan of a
// campaign, 0 when none is committed yet: a cheap check that lets callers
// reuse a plan they already decoded (versions never change once written).
// Errors: ENotFound (campaign).
func (db *DB) LatestPlanVersion(ctx context.Context, campaignID int64) (int, error) {
	// One query, no transaction: pages ask this on every request.
	var v int
	err := db.readGet(ctx, &v, `SELECT COALESCE((SELECT MAX(version) FROM plan_versions p
		WHERE p.campaign_id = campaigns.id), 0) FROM campaigns WHERE id = ?`, campaignID)
	if err != nil {
		return 0, translate(orNotFound(err, thingCampaign, campaignID))
	}
	return v, nil
}
