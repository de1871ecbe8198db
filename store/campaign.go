package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reparto/reparto/planner"
)

// campaignRow is one row of campaigns: the campaign file's "campaign"
// object plus bookkeeping.
type campaignRow struct {
	ID                    int64          `db:"id"`
	Name                  string         `db:"name"`
	Start                 string         `db:"start"`
	Deadline              string         `db:"deadline"`
	AsOf                  sql.NullString `db:"as_of"`
	TimeZone              string         `db:"time_zone"`
	DepotName             string         `db:"depot_name"`
	DepotLat              float64        `db:"depot_lat"`
	DepotLon              float64        `db:"depot_lon"`
	DepotAddress          string         `db:"depot_address"`
	BoxesPerDay           int64          `db:"boxes_per_day"`
	WorkDays              string         `db:"work_days"`
	Holidays              string         `db:"holidays"`
	RoadKmPerDay          float64        `db:"road_km_per_day"`
	Circuity              float64        `db:"circuity"`
	HandlingDays          int            `db:"handling_days"`
	LocalDistributionDays int            `db:"local_distribution_days"`
	Surplus               string         `db:"surplus"`
	CreatedAt             time.Time      `db:"created_at"`
	UpdatedAt             time.Time      `db:"updated_at"`
	Version               int64          `db:"version"`
}

const campaignColumns = `id, name, start, deadline, as_of, depot_name, depot_lat, depot_lon,
	boxes_per_day, work_days, holidays, road_km_per_day, circuity, handling_days,
	local_distribution_days, surplus, created_at, updated_at, version, time_zone, depot_address`

func campaignToRow(c *planner.Campaign) campaignRow {
	r := campaignRow{
		Name: c.Name, Start: c.Start.String(), Deadline: c.Deadline.String(),
		DepotName: c.Depot.Name, DepotLat: c.Depot.Lat, DepotLon: c.Depot.Lon, DepotAddress: c.Depot.Address,
		BoxesPerDay: c.Dispatch.BoxesPerDay, WorkDays: formatWorkDays(c.Dispatch.WorkDays),
		Holidays:     formatDates(c.Dispatch.Holidays),
		RoadKmPerDay: c.Transport.RoadKmPerDay, Circuity: c.Transport.Circuity,
		HandlingDays: c.Transport.HandlingDays, LocalDistributionDays: c.LocalDistributionDays,
		Surplus: string(c.Surplus), TimeZone: c.TimeZone,
	}
	if c.AsOf != nil {
		r.AsOf = sql.NullString{String: c.AsOf.String(), Valid: true}
	}
	return r
}

// toCampaign fills the header of a campaign; lists are loaded separately.
func (r campaignRow) toCampaign() (*planner.Campaign, error) {
	c := &planner.Campaign{
		ID: r.ID, Version: r.Version, Name: r.Name,
		Depot:                 planner.Depot{Name: r.DepotName, Lat: r.DepotLat, Lon: r.DepotLon, Address: r.DepotAddress},
		Transport:             planner.Transport{RoadKmPerDay: r.RoadKmPerDay, Circuity: r.Circuity, HandlingDays: r.HandlingDays},
		LocalDistributionDays: r.LocalDistributionDays,
		Surplus:               planner.Surplus(r.Surplus),
	}
	if r.TimeZone != planner.DefaultTimeZone { // "" means the default, as in a campaign file
		c.TimeZone = r.TimeZone
	}
	var err error
	if c.Start, err = planner.ParseDate(r.Start); err != nil {
		return nil, fmt.Errorf("campaign %d start %q: %w", r.ID, r.Start, err)
	}
	if c.Deadline, err = planner.ParseDate(r.Deadline); err != nil {
		return nil, fmt.Errorf("campaign %d deadline %q: %w", r.ID, r.Deadline, err)
	}
	if r.AsOf.Valid {
		d, err := planner.ParseDate(r.AsOf.String)
		if err != nil {
			return nil, fmt.Errorf("campaign %d as_of %q: %w", r.ID, r.AsOf.String, err)
		}
		c.AsOf = &d
	}
	c.Dispatch.BoxesPerDay = r.BoxesPerDay
	if c.Dispatch.WorkDays, err = parseWorkDays(r.WorkDays); err != nil {
		return nil, fmt.Errorf("campaign %d: %w", r.ID, err)
	}
	if c.Dispatch.Holidays, err = parseDates(r.Holidays); err != nil {
		return nil, fmt.Errorf("campaign %d holidays: %w", r.ID, err)
	}
	return c, nil
}

// CampaignSummary is one line of the campaign list.
type CampaignSummary struct {
	ID        int64
	Name      string
	Start     planner.Date
	Deadline  planner.Date
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
	Materials int64
	Cities    int64
	Venues    int64
	// ClosedAt is when an admin closed the campaign (nil: open), by ClosedBy.
	ClosedAt *time.Time
	ClosedBy string
	// PlanVersions and Events count committed plans and tracking events
	// (ListCampaigns only): with ClosedAt they give the campaign's State.
	PlanVersions int64
	Events       int64
}

// State is where the campaign is in its life (planner.CampaignState).
func (s CampaignSummary) State() planner.CampaignState {
	return planner.StateOf(s.ClosedAt != nil, s.PlanVersions, s.Events)
}

const insertCampaignSQL = `INSERT INTO campaigns (name, start, deadline, as_of, depot_name, depot_lat,
	depot_lon, boxes_per_day, work_days, holidays, road_km_per_day, circuity, handling_days,
	local_distribution_days, surplus, created_at, updated_at, version, time_zone, depot_address)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`

// CreateCampaign validates c and stores it with all its lists in one
// transaction: either everything is stored or nothing is. It returns the
// new id (c itself is not modified). Errors: EInvalid with field paths.
func (db *DB) CreateCampaign(ctx context.Context, c *planner.Campaign) (int64, error) {
	return db.createCampaign(ctx, c, createAudit(c))
}

// createCampaign is CreateCampaign with the audit entry of the new id
// given by the caller (a create or a copy).
func (db *DB) createCampaign(ctx context.Context, c *planner.Campaign, audit func(id int64) AuditEntry) (int64, error) {
	if err := c.Validate(); err != nil {
		return 0, err
	}
	return db.storeCampaign(ctx, c, audit)
}

// storeCampaign is createCampaign for a campaign validated already.
func (db *DB) storeCampaign(ctx context.Context, c *planner.Campaign, audit func(id int64) AuditEntry) (int64, error) {
	var id int64
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		if id, err = insertCampaignRow(ctx, tx, c, db.now()); err != nil {
			return err
		}
		if err := insertLists(ctx, tx, id, c); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit(id))
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// insertCampaignRow inserts c's header as a new campaign and returns its id.
func insertCampaignRow(ctx context.Context, tx *Tx, c *planner.Campaign, now time.Time) (int64, error) {
	r := campaignToRow(c)
	var id int64
	err := tx.QueryRowxContext(ctx, tx.Rebind(insertCampaignSQL), r.Name, r.Start, r.Deadline, r.AsOf,
		r.DepotName, r.DepotLat, r.DepotLon, r.BoxesPerDay, r.WorkDays, r.Holidays, r.RoadKmPerDay,
		r.Circuity, r.HandlingDays, r.LocalDistributionDays, r.Surplus, now, now,
		cmp.Or(r.TimeZone, planner.DefaultTimeZone), r.DepotAddress).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert campaign: %w", err)
	}
	return id, nil
}

// GetCampaign loads a campaign with all its lists, each sorted by its key
// (codes in byte order). Errors: ENotFound.
func (db *DB) GetCampaign(ctx context.Context, id int64) (*planner.Campaign, error) {
	var c *planner.Campaign
	err := db.readTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		if c, err = loadCampaign(ctx, tx, id, false); err != nil {
			return err
		}
		c.Venues, err = db.venuesTwoWays(ctx, tx, id, c.Version)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

const listCampaignsSQL = `SELECT c.id, c.name, c.start, c.deadline, c.version, c.created_at, c.updated_at,
	(SELECT COUNT(*) FROM materials m WHERE m.campaign_id = c.id) AS materials,
	(SELECT COUNT(*) FROM cities k WHERE k.campaign_id = c.id) AS cities,
	(SELECT COUNT(*) FROM venues v WHERE v.campaign_id = c.id) AS venues,
	(SELECT COUNT(*) FROM plan_versions p WHERE p.campaign_id = c.id) AS plan_versions,
	(SELECT COUNT(*) FROM shipment_events e JOIN shipments s ON s.id = e.shipment_id
		WHERE s.campaign_id = c.id) AS events,
	c.closed_at, c.closed_by
	FROM campaigns c ORDER BY c.id`

// ListCampaigns returns every campaign, oldest first, with list sizes.
func (db *DB) ListCampaigns(ctx context.Context) ([]CampaignSummary, error) {
	var rows []struct {
		ID        int64        `db:"id"`
		Name      string       `db:"name"`
		Start     string       `db:"start"`
		Deadline  string       `db:"deadline"`
		Version   int64        `db:"version"`
		CreatedAt time.Time    `db:"created_at"`
		UpdatedAt time.Time    `db:"updated_at"`
		Materials int64        `db:"materials"`
		Cities    int64        `db:"cities"`
		Venues    int64        `db:"venues"`
		Plans     int64        `db:"plan_versions"`
		Events    int64        `db:"events"`
		ClosedAt  sql.NullTime `db:"closed_at"`
		ClosedBy  string       `db:"closed_by"`
	}
	if err := db.read.SelectContext(ctx, &rows, listCampaignsSQL); err != nil {
		return nil, translate(fmt.Errorf("list campaigns: %w", err))
	}
	out := make([]CampaignSummary, 0, len(rows))
	for _, r := range rows {
		s := CampaignSummary{ID: r.ID, Name: r.Name, Version: r.Version, CreatedAt: r.CreatedAt.UTC(),
			UpdatedAt: r.UpdatedAt.UTC(), Materials: r.Materials, Cities: r.Cities, Venues: r.Venues,
			PlanVersions: r.Plans, Events: r.Events, ClosedBy: r.ClosedBy}
		if r.ClosedAt.Valid {
			at := r.ClosedAt.Time.UTC()
			s.ClosedAt = &at
		}
		s.Start, _ = planner.ParseDate(r.Start)
		s.Deadline, _ = planner.ParseDate(r.Deadline)
		out = append(out, s)
	}
	return out, nil
}

// DeleteCampaign deletes a campaign and, by cascade, everything in it.
// Errors: ENotFound.
func (db *DB) DeleteCampaign(ctx context.Context, id int64) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		before, err := storedCampaignAudit(ctx, tx, id)
		if err != nil {
			return err
		}
		// Venues go first: on PostgreSQL their only keys are to the
		// campaign's categories and cities, which do not cascade on delete
		// (migration 00016).
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM venues WHERE campaign_id = ?`), id); err != nil {
			return fmt.Errorf("delete venues of campaign %d: %w", id, err)
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM campaigns WHERE id = ?`), id)
		if err != nil {
			return fmt.Errorf("delete campaign %d: %w", id, err)
		}
		if err := mustAffect(res, notFound(thingCampaign, id)); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditDelete, Entity: "campaign", EntityID: strconv.FormatInt(id, 10),
			CampaignID: id, Before: before})
	})
}

const updateCampaignSQL = `UPDATE campaigns SET name = ?, start = ?, deadline = ?, as_of = ?,
	depot_name = ?, depot_lat = ?, depot_lon = ?, boxes_per_day = ?, work_days = ?, holidays = ?,
	road_km_per_day = ?, circuity = ?, handling_days = ?, local_distribution_days = ?, surplus = ?,
	time_zone = COALESCE(NULLIF(?, ''), time_zone), depot_address = ?
	WHERE id = ?`

func updateCampaignHeader(ctx context.Context, tx *Tx, id int64, c *planner.Campaign) error {
	r := campaignToRow(c)
	_, err := tx.ExecContext(ctx, tx.Rebind(updateCampaignSQL), r.Name, r.Start, r.Deadline, r.AsOf,
		r.DepotName, r.DepotLat, r.DepotLon, r.BoxesPerDay, r.WorkDays, r.Holidays, r.RoadKmPerDay,
		r.Circuity, r.HandlingDays, r.LocalDistributionDays, r.Surplus, r.TimeZone, r.DepotAddress, id)
	if err != nil {
		return fmt.Errorf("update campaign %d: %w", id, err)
	}
	return nil
}

// ReplaceCampaign replaces campaign id's header and every list with c's in
// one transaction (a re-import). When c.Version is not 0 it must equal the
// stored version, else EConflict: someone changed the campaign since c was
// loaded. Errors: EInvalid, ENotFound, EConflict.
func (db *DB) ReplaceCampaign(ctx context.Context, id int64, c *planner.Campaign) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := touchCampaign(ctx, tx, id, c.Version, db.now()); err != nil {
			return err
		}
		before, err := storedCampaignAudit(ctx, tx, id) // read under the row lock touch took
		if err != nil {
			return err
		}
		if err := updateCampaignHeader(ctx, tx, id, c); err != nil {
			return err
		}
		if err := deleteLists(ctx, tx, id); err != nil {
			return err
		}
		if err := insertLists(ctx, tx, id, c); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditUpdate, Entity: "campaign", EntityID: strconv.FormatInt(id, 10),
			CampaignID: id, Before: before, After: campaignAudit(c)})
	})
}

// UpdateCampaign changes only the header (name, dates, depot, dispatch,
// transport, surplus) of campaign id to c's, keeping its lists; the result
// is validated as a whole. c.Version works as in ReplaceCampaign.
// Errors: EInvalid, ENotFound, EConflict.
func (db *DB) UpdateCampaign(ctx context.Context, id int64, c *planner.Campaign) error {
	var before map[string]any
	apply := func(cur *planner.Campaign) error {
		before = campaignHeaderAudit(cur)
		cur.Name, cur.Start, cur.Deadline, cur.AsOf = c.Name, c.Start, c.Deadline, c.AsOf
		cur.Depot, cur.Dispatch, cur.Transport = c.Depot, c.Dispatch, c.Transport
		cur.LocalDistributionDays, cur.Surplus = c.LocalDistributionDays, c.Surplus
		return nil
	}
	write := func(ctx context.Context, tx *Tx) error {
		if err := updateCampaignHeader(ctx, tx, id, c); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditUpdate, Entity: "campaign", EntityID: strconv.FormatInt(id, 10),
			CampaignID: id, Before: before, After: campaignHeaderAudit(c)})
	}
	return db.edit(ctx, id, c.Version, apply, write)
}
