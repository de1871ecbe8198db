package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reparto/reparto/planner"
)

// shipmentRow is one row of shipments: the planned content of a city's
// shipment. Its events live in shipment_events.
type shipmentRow struct {
	ID             int64     `db:"id"`
	CampaignID     int64     `db:"campaign_id"`
	PlanVersion    int       `db:"plan_version"`
	City           string    `db:"city"`
	Lines          string    `db:"lines"`
	Packing        *string   `db:"packing"`
	Boxes          int64     `db:"boxes"`
	Pieces         int64     `db:"pieces"`
	TransitDays    int       `db:"transit_days"`
	LatestDispatch string    `db:"latest_dispatch"`
	FirstDispatch  string    `db:"first_dispatch"`
	Dispatch       string    `db:"dispatch"`
	Arrival        string    `db:"arrival"`
	Due            string    `db:"due"`
	Version        int       `db:"version"`
	CreatedAt      time.Time `db:"created_at"`
	UpdatedAt      time.Time `db:"updated_at"`
}

const shipmentColumns = `id, campaign_id, plan_version, city, lines, packing, boxes, pieces, transit_days,
	latest_dispatch, first_dispatch, dispatch, arrival, due, version, created_at, updated_at`

// lineJSON is how a planned line is kept in shipments.lines.
type lineJSON struct {
	Material string `json:"material"`
	Packs    int64  `json:"packs"`
	Boxes    int64  `json:"boxes"`
	Pieces   int64  `json:"pieces"`
}

func linesText(lines []planner.ShipmentLine) (string, error) {
	out := make([]lineJSON, len(lines))
	for i, l := range lines {
		out[i] = lineJSON{Material: l.Material, Packs: l.Packs, Boxes: l.Boxes, Pieces: l.Pieces}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func (r shipmentRow) toRecord() (planner.ShipmentRecord, error) {
	s := planner.ShipmentRecord{ID: r.ID, CampaignID: r.CampaignID, PlanVersion: r.PlanVersion, City: r.City,
		Boxes: r.Boxes, Pieces: r.Pieces, TransitDays: r.TransitDays, Version: r.Version}
	var lines []lineJSON
	if err := json.Unmarshal([]byte(r.Lines), &lines); err != nil {
		return s, fmt.Errorf("shipment %d lines: %w", r.ID, err)
	}
	for _, l := range lines {
		s.Lines = append(s.Lines, planner.ShipmentLine{Material: l.Material, Packs: l.Packs, Boxes: l.Boxes, Pieces: l.Pieces})
	}
	packing, err := packingFromText(r.Packing)
	if err != nil {
		return s, fmt.Errorf("shipment %d packing: %w", r.ID, err)
	}
	s.Packing = packing
	dates := []struct {
		dst  *planner.Date
		text string
		name string
	}{{&s.LatestDispatch, r.LatestDispatch, "latest_dispatch"}, {&s.FirstDispatch, r.FirstDispatch, "first_dispatch"},
		{&s.Dispatch, r.Dispatch, "dispatch"}, {&s.Arrival, r.Arrival, "arrival"}, {&s.Due, r.Due, "due"}}
	for _, d := range dates {
		v, err := planner.ParseDate(d.text)
		if err != nil {
			return s, fmt.Errorf("shipment %d %s %q: %w", r.ID, d.name, d.text, err)
		}
		*d.dst = v
	}
	return s, nil
}

// ShipmentFilter selects shipments of a campaign; empty fields do not
// filter. Status is read on Today; a zero Today means the campaign's
// as_of, or the store clock's date when the campaign has none. A non-zero
// Today also shows each shipment as it stood that day: events dated after
// it are left out (the views' ?today= time travel).
type ShipmentFilter struct {
	Status planner.Status
	Stage  planner.Stage // the derived state: planned, dispatched, in_transit, ...
	City   string
	Today  planner.Date
}

var (
	knownStatuses = planner.Statuses
	knownStages   = []planner.Stage{planner.StagePlanned, planner.StageDispatched, planner.StageInTransit,
		planner.StageDelivered, planner.StageDistributed, planner.StageCancelled}
)

func (f ShipmentFilter) validate() error {
	var fields []planner.FieldError
	if f.Status != "" && !slices.Contains(knownStatuses, f.Status) {
		fields = append(fields, planner.Fieldf("status", planner.MsgOneOf, "must be one of %s",
			"late, at_risk, on_track, delivered, partially_distributed, distributed, cancelled"))
	}
	if f.Stage != "" && !slices.Contains(knownStages, f.Stage) {
		fields = append(fields, planner.Fieldf("state", planner.MsgOneOf, "must be one of %s",
			"planned, dispatched, in_transit, delivered, distributed, cancelled"))
	}
	if len(fields) > 0 {
		return planner.Invalid(fields...)
	}
	return nil
}

// ListShipments returns the shipments of a campaign with their events,
// sorted by city code then id, keeping those that pass f. The records,
// their events and their attached states are shared with other readers
// (tracking_view.go): callers must not modify them. Cancelled
// shipments are included unless filtered out. Errors: ENotFound for an
// unknown campaign, EInvalid for an unknown status or state.
func (db *DB) ListShipments(ctx context.Context, campaignID int64, f ShipmentFilter) ([]planner.ShipmentRecord, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	e, err := db.trackingEntryFor(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.filter(db.viewDay(e.camp, f.Today), f), nil
}

// filter is the shipments seen on d that pass f; e.mu must be held.
func (e *trackingEntry) filter(d trackingDay, f ShipmentFilter) []planner.ShipmentRecord {
	v := e.day(d)
	out := []planner.ShipmentRecord{}
	for i := range v.records {
		s := &v.records[i]
		if f.City != "" && s.City != f.City {
			continue
		}
		if f.Stage != "" && s.State().Stage != f.Stage {
			continue
		}
		if f.Status != "" && v.statuses[i] != f.Status {
			continue
		}
		out = append(out, *s)
	}
	return out
}

// ListShipmentsMemo is ListShipments passed through build, whose result
// (an encoded response, say) is kept with the campaign's tracking view when
// build says keep: until the next write, readers of the same filter,
// viewing day and key get it without listing or building again, and
// concurrent readers share one build. key names everything else the result
// depends on (the caller's view of confidential venues, a format); a
// result that depends on data outside the tracking view must not be kept.
// build runs with the view locked and must not call back into it.
func (db *DB) ListShipmentsMemo(ctx context.Context, campaignID int64, f ShipmentFilter, key string,
	build func([]planner.ShipmentRecord) (v any, keep bool, err error)) (any, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	e, err := db.trackingEntryFor(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	d := db.viewDay(e.camp, f.Today)
	k := memoKey{day: d, city: f.City, stage: f.Stage, status: f.Status, key: key}
	if v, ok := e.memo[k]; ok {
		return v, nil
	}
	v, keep, err := build(e.filter(d, f))
	if err != nil || !keep {
		return v, err
	}
	if len(e.memo) >= maxTrackingMemos {
		clear(e.memo)
	}
	e.memo[k] = v
	return v, nil
}

// GetShipment returns one shipment with its events in log order.
// Errors: ENotFound.
func (db *DB) GetShipment(ctx context.Context, id int64) (*planner.ShipmentRecord, error) {
	var s *planner.ShipmentRecord
	err := db.readTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		s, err = loadShipment(ctx, tx, id)
		return err
	})
	return s, err
}

// loadCampaignHeader reads a campaign without its lists. Errors: ENotFound.
func loadCampaignHeader(ctx context.Context, q queryer, id int64) (*planner.Campaign, error) {
	var r campaignRow
	err := q.GetContext(ctx, &r, q.Rebind(`SELECT `+campaignColumns+` FROM campaigns WHERE id = ?`), id)
	if err != nil {
		return nil, orNotFound(err, thingCampaign, id)
	}
	return r.toCampaign()
}

// loadShipment reads shipment id and its events. Errors: ENotFound.
func loadShipment(ctx context.Context, q queryer, id int64) (*planner.ShipmentRecord, error) {
	s, err := loadShipmentRow(ctx, q, id)
	if err != nil {
		return nil, err
	}
	events, err := loadEvents(ctx, q, `shipment_id = ?`, id)
	if err != nil {
		return nil, err
	}
	s.Events = events[id]
	return s, nil
}

// loadShipmentRow reads a shipment without its events. Errors: ENotFound.
func loadShipmentRow(ctx context.Context, q queryer, id int64) (*planner.ShipmentRecord, error) {
	var r shipmentRow
	err := q.GetContext(ctx, &r, q.Rebind(`SELECT `+shipmentColumns+` FROM shipments WHERE id = ?`), id)
	if err != nil {
		return nil, orNotFound(err, thingShipment, id)
	}
	s, err := r.toRecord()
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// loadCampaignShipments reads every shipment of a campaign with its
// events, sorted by city then id.
func loadCampaignShipments(ctx context.Context, q queryer, campaignID int64) ([]planner.ShipmentRecord, error) {
	var rows []shipmentRow
	err := q.SelectContext(ctx, &rows, q.Rebind(`SELECT `+shipmentColumns+
		` FROM shipments WHERE campaign_id = ? ORDER BY city, id`), campaignID)
	if err != nil {
		return nil, fmt.Errorf("list shipments of campaign %d: %w", campaignID, err)
	}
	out, err := convertRows(rows, shipmentRow.toRecord)
	if err != nil {
		return nil, err
	}
	events, err := loadEvents(ctx, q, `shipment_id IN (SELECT id FROM shipments WHERE campaign_id = ?)`, campaignID)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Events = events[out[i].ID]
	}
	return out, nil
}

const insertShipmentSQL = `INSERT INTO shipments (campaign_id, plan_version, city, lines, packing, boxes, pieces,
	transit_days, latest_dispatch, first_dispatch, dispatch, arrival, due, version, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`

// insertShipment stores a new planned shipment and returns its id.
func insertShipment(ctx context.Context, tx *Tx, s planner.ShipmentRecord, now time.Time) (int64, error) {
	lines, err := linesText(s.Lines)
	if err != nil {
		return 0, fmt.Errorf("shipment to %s lines: %w", s.City, err)
	}
	packing, err := packingText(s.Packing)
	if err != nil {
		return 0, fmt.Errorf("shipment to %s packing: %w", s.City, err)
	}
	var id int64
	err = tx.QueryRowxContext(ctx, tx.Rebind(insertShipmentSQL), s.CampaignID, s.PlanVersion, s.City, lines, packing,
		s.Boxes, s.Pieces, s.TransitDays, s.LatestDispatch.String(), s.FirstDispatch.String(), s.Dispatch.String(),
		s.Arrival.String(), s.Due.String(), now, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert shipment to %s: %w", s.City, err)
	}
	return id, nil
}

const updatePlannedSQL = `UPDATE shipments SET plan_version = ?, lines = ?, packing = ?, boxes = ?, pieces = ?,
	transit_days = ?, latest_dispatch = ?, first_dispatch = ?, dispatch = ?, arrival = ?, due = ?,
	version = version + 1, updated_at = ? WHERE id = ? AND version = ?`

// updatePlanned rewrites the planned content of s, which must still be at
// s.Version: a shipment that changed since it was read (an event was
// recorded meanwhile) is EConflict rather than silently overwritten.
func updatePlanned(ctx context.Context, tx *Tx, s planner.ShipmentRecord, now time.Time) error {
	lines, err := linesText(s.Lines)
	if err != nil {
		return fmt.Errorf("shipment %d lines: %w", s.ID, err)
	}
	packing, err := packingText(s.Packing)
	if err != nil {
		return fmt.Errorf("shipment %d packing: %w", s.ID, err)
	}
	res, err := tx.ExecContext(ctx, tx.Rebind(updatePlannedSQL), s.PlanVersion, lines, packing, s.Boxes, s.Pieces,
		s.TransitDays, s.LatestDispatch.String(), s.FirstDispatch.String(), s.Dispatch.String(),
		s.Arrival.String(), s.Due.String(), now, s.ID, s.Version)
	if err != nil {
		return fmt.Errorf("update shipment %d: %w", s.ID, err)
	}
	return mustAffect(res, staleShipment(s.ID, s.Version))
}

// bumpShipment counts one more change of shipment id, which must still be
// at version expect (0: any). Errors: EConflict.
func bumpShipment(ctx context.Context, tx *Tx, id int64, expect int, now time.Time) error {
	q := `UPDATE shipments SET version = version + 1, updated_at = ? WHERE id = ?`
	args := []any{now, id}
	if expect != 0 {
		q += ` AND version = ?`
		args = append(args, expect)
	}
	res, err := tx.ExecContext(ctx, tx.Rebind(q), args...)
	if err != nil {
		return fmt.Errorf("bump shipment %d: %w", id, err)
	}
	return mustAffect(res, staleShipment(id, expect))
}

func staleShipment(id int64, version int) error {
	return conflict(planner.MsgShipmentChanged, "shipment %d was changed by someone else since version %d; reload it and try again", id, version)
}

// lockShipment reads a shipment's campaign and version, locking its row on
// PostgreSQL (SELECT ... FOR UPDATE) so that writers of one shipment run one
// after the other; SQLite transactions already have the one write lock.
// Errors: ENotFound.
func (db *DB) lockShipment(ctx context.Context, tx *Tx, id int64) (campaignID int64, version int, err error) {
	q := `SELECT campaign_id, version FROM shipments WHERE id = ?`
	if db.Dialect == Postgres {
		q += ` FOR UPDATE`
	}
	row := txQueryRow(ctx, tx, q, id)
	if err := row.Scan(&campaignID, &version); err != nil {
		return 0, 0, orNotFound(err, thingShipment, id)
	}
	if err := refuseClosed(ctx, tx, campaignID); err != nil {
		return 0, 0, err // every write to a shipment locks it first
	}
	return campaignID, version, nil
}

// GetCampaignHeader returns a campaign without its lists (no materials,
// cities, venues...): enough for its dates, calendar and as_of, cheaply.
// Errors: ENotFound.
func (db *DB) GetCampaignHeader(ctx context.Context, id int64) (*planner.Campaign, error) {
	var r campaignRow
	if err := db.readGet(ctx, &r, `SELECT `+campaignColumns+` FROM campaigns WHERE id = ?`, id); err != nil {
		return nil, translate(orNotFound(err, thingCampaign, id))
	}
	c, err := r.toCampaign()
	return c, translate(err)
}
