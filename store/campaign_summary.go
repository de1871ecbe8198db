package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/reparto/reparto/planner"
)

const campaignSummarySQL = `SELECT c.id, c.name, c.start, c.deadline, c.version, c.created_at, c.updated_at,
	c.closed_at, c.closed_by FROM campaigns c WHERE c.id = ?`

// GetCampaignSummary reads one campaign's header without its lists: cheap
// enough for every request (the pages use Version to reuse a cached plan).
// List sizes are left zero. Errors: ENotFound.
func (db *DB) GetCampaignSummary(ctx context.Context, id int64) (CampaignSummary, error) {
	var r struct {
		ID        int64        `db:"id"`
		Name      string       `db:"name"`
		Start     string       `db:"start"`
		Deadline  string       `db:"deadline"`
		Version   int64        `db:"version"`
		CreatedAt time.Time    `db:"created_at"`
		UpdatedAt time.Time    `db:"updated_at"`
		ClosedAt  sql.NullTime `db:"closed_at"`
		ClosedBy  string       `db:"closed_by"`
	}
	if err := db.readGet(ctx, &r, campaignSummarySQL, id); err != nil {
		return CampaignSummary{}, translate(fmt.Errorf("campaign %d: %w", id, err))
	}
	s := CampaignSummary{ID: r.ID, Name: r.Name, Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		ClosedBy: r.ClosedBy}
	if r.ClosedAt.Valid {
		at := r.ClosedAt.Time.UTC()
		s.ClosedAt = &at
	}
	s.Start, _ = planner.ParseDate(r.Start)
	s.Deadline, _ = planner.ParseDate(r.Deadline)
	return s, nil
}

// GetCampaignHeaderSummary is GetCampaignHeader and GetCampaignSummary in
// one query: every page of a campaign needs both.
func (db *DB) GetCampaignHeaderSummary(ctx context.Context, id int64) (*planner.Campaign, CampaignSummary, error) {
	var r struct {
		campaignRow
		ClosedAt sql.NullTime `db:"closed_at"`
		ClosedBy string       `db:"closed_by"`
	}
	if err := db.readGet(ctx, &r, `SELECT `+campaignColumns+`, closed_at, closed_by FROM campaigns WHERE id = ?`, id); err != nil {
		return nil, CampaignSummary{}, translate(orNotFound(err, thingCampaign, id))
	}
	c, err := r.campaignRow.toCampaign()
	if err != nil {
		return nil, CampaignSummary{}, translate(err)
	}
	s := CampaignSummary{ID: c.ID, Name: c.Name, Start: c.Start, Deadline: c.Deadline, Version: c.Version,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), ClosedBy: r.ClosedBy}
	if r.ClosedAt.Valid {
		at := r.ClosedAt.Time.UTC()
		s.ClosedAt = &at
	}
	return c, s, nil
}
