package store

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/jmoiron/sqlx"

	"github.com/reparto/reparto/planner"
)

// Tracking reads (dashboard, progress, shipment lists, alerts) used to
// load a campaign's whole event log and replay every shipment's log on
// each request, several times over: under a crowd of field users that
// replay was the server's work. Now one reader per change of the log
// loads and derives the campaign (every shipment with its state, and per
// viewing day the shipments as they stood, their statuses and the
// campaign's progress), and every reader after it gets a lookup.
//
// What a tracking read depends on is read in ONE query with the campaign
// row: the count of its shipments, the sum of their versions and their
// highest id, and the count of alert acknowledgements. Every write to a
// shipment bumps its version in the same transaction, each event append
// included (AppendEvent, appendSystemEvent: shipment_events has no other
// writer); shipments are deleted only with their campaign and their ids
// are never reused (AUTOINCREMENT, sequences); acknowledgements are only
// inserted. So every committed write changes the stamp: a stale view is
// never served, a fresh one at worst derived twice. The stamp is read
// before the log, so a view is never older than its stamp. (Events are
// not counted: on PostgreSQL that costs a join per read, and the version
// sum already moves with each of them.)

// trackingStamp is what a campaign's tracking reads depend on.
type trackingStamp struct {
	Campaign    int64 `db:"t_campaign_version"`
	Shipments   int64 `db:"t_shipments"`
	Versions    int64 `db:"t_versions"`
	MaxShipment int64 `db:"t_max_shipment"`
	Acks        int64 `db:"t_acks"`
}

const trackingStampSQL = `SELECT ` + campaignColumns + `, version AS t_campaign_version,
	t_shipments, t_versions, t_max_shipment,
	(SELECT COUNT(*) FROM alert_acks a WHERE a.campaign_id = campaigns.id) AS t_acks
	FROM campaigns CROSS JOIN (SELECT COUNT(*) AS t_shipments, COALESCE(SUM(version), 0) AS t_versions,
		COALESCE(MAX(id), 0) AS t_max_shipment FROM shipments WHERE campaign_id = ?) s
	WHERE id = ?`

// trackingCache holds the derived tracking of the campaigns recently read.
type trackingCache struct {
	mu sync.Mutex
	m  map[int64]*trackingEntry
}

// maxTrackingCampaigns and maxTrackingDays bound the cache: a few open
// campaigns, each seen on its today and a few ?today= days.
const (
	maxTrackingCampaigns = 64
	maxTrackingDays      = 16
	maxTrackingMemos     = 64
)

// trackingEntry is one campaign at one stamp. Its mutex makes concurrent
// readers of the same stamp share one load and one derivation: the first
// computes, the others wait for it and read the result.
type trackingEntry struct {
	stamp trackingStamp

	mu       sync.Mutex
	loaded   bool
	camp     *planner.Campaign        // the header read with the stamp
	records  []planner.ShipmentRecord // every shipment, full log, state attached; by city then id
	alerts   []planner.Alert          // unacknowledged
	days     map[trackingDay]*dayView // the shipments as seen on a day
	progress map[trackingDay]*planner.CampaignProgress
	memo     map[memoKey]any // ListShipmentsMemo
}

// memoKey is what a ListShipmentsMemo result depends on besides the view.
type memoKey struct {
	day    trackingDay
	city   string
	stage  planner.Stage
	status planner.Status
	key    string
}

// trackingDay is the day shipments are seen on; travel is set for a
// ?today= view (events dated after the day are left out).
type trackingDay struct {
	day    planner.Date
	travel bool
}

// dayView is the campaign's shipments as seen on one day.
type dayView struct {
	records  []planner.ShipmentRecord // state attached
	statuses []planner.Status
}

// trackingEntryFor reads the stamp of campaign id with its header and
// returns the cache entry for it, loaded. Errors: ENotFound (campaign).
func (db *DB) trackingEntryFor(ctx context.Context, id int64) (*trackingEntry, error) {
	var row struct {
		campaignRow
		trackingStamp
	}
	if err := db.readGet(ctx, &row, trackingStampSQL, id, id); err != nil {
		return nil, translate(orNotFound(err, thingCampaign, id))
	}
	db.tracking.mu.Lock()
	e, ok := db.tracking.m[id]
	if !ok || e.stamp != row.trackingStamp {
		if len(db.tracking.m) >= maxTrackingCampaigns {
			clear(db.tracking.m)
		}
		e = &trackingEntry{stamp: row.trackingStamp}
		db.tracking.m[id] = e
	}
	db.tracking.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.loaded {
		return e, nil
	}
	camp, err := row.campaignRow.toCampaign()
	if err != nil {
		return nil, err
	}
	var records []planner.ShipmentRecord
	var acks []int64
	err = db.readTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		if records, err = loadCampaignShipments(ctx, tx, id); err != nil {
			return err
		}
		if err := tx.SelectContext(ctx, &acks, tx.Rebind(`SELECT event_id FROM alert_acks WHERE campaign_id = ?`), id); err != nil {
			return fmt.Errorf("alert acknowledgements of campaign %d: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return nil, err // not cached: the next reader tries again
	}
	for i := range records {
		records[i] = records[i].WithState()
	}
	acked := map[int64]bool{}
	for _, a := range acks {
		acked[a] = true
	}
	alerts := []planner.Alert{}
	for _, a := range planner.Alerts(records) {
		if !acked[a.EventID] {
			alerts = append(alerts, a)
		}
	}
	e.camp, e.records, e.alerts, e.loaded = camp, records, alerts, true
	e.days, e.progress = map[trackingDay]*dayView{}, map[trackingDay]*planner.CampaignProgress{}
	e.memo = map[memoKey]any{}
	return e, nil
}

// day returns the shipments as seen on d; e.mu must be held.
func (e *trackingEntry) day(d trackingDay) *dayView {
	if v, ok := e.days[d]; ok {
		return v
	}
	if len(e.days) >= maxTrackingDays {
		clear(e.days)
		clear(e.progress)
		clear(e.memo)
	}
	v := &dayView{records: e.records, statuses: make([]planner.Status, len(e.records))}
	if d.travel {
		v.records = make([]planner.ShipmentRecord, len(e.records))
		for i := range e.records {
			v.records[i] = e.records[i].AsOfDay(d.day).WithState()
		}
	}
	for i := range v.records {
		v.statuses[i], _ = v.records[i].Assess(d.day)
	}
	e.days[d] = v
	return v
}

// viewDay resolves a filter's Today against the campaign: zero is the
// campaign's own today, seen with its whole log.
func (db *DB) viewDay(camp *planner.Campaign, today planner.Date) trackingDay {
	if today.IsZero() {
		return trackingDay{day: camp.Today(db.now())}
	}
	return trackingDay{day: today, travel: true}
}

// CampaignProgress is planner.Progress of campaign id's shipments as
// ListShipments returns them for a filter with this Today (zero: the
// campaign's today), computed once per change of the log and day and
// shared by every reader: callers must not modify it. Errors: ENotFound.
func (db *DB) CampaignProgress(ctx context.Context, id int64, today planner.Date) (planner.CampaignProgress, error) {
	e, err := db.trackingEntryFor(ctx, id)
	if err != nil {
		return planner.CampaignProgress{}, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return db.progressOf(e, today), nil
}

// progressOf is CampaignProgress on e; e.mu must be held.
func (db *DB) progressOf(e *trackingEntry, today planner.Date) planner.CampaignProgress {
	d := db.viewDay(e.camp, today)
	if p, ok := e.progress[d]; ok {
		return *p
	}
	p := planner.Progress(e.camp, e.day(d).records, d.day)
	e.progress[d] = &p
	return p
}

// TrackingStamp identifies what a campaign's tracking reads were derived
// from: two equal stamps of one campaign mean the same shipments, events,
// acknowledgements and campaign version, so a page built from one may be
// served again for the other (api/pages keeps the dashboard that way).
type TrackingStamp struct{ s trackingStamp }

// CampaignTracking is CampaignProgress and ListAlerts from one read of the
// tracking stamp, as the dashboard shows them together, with that stamp.
// Errors: ENotFound.
func (db *DB) CampaignTracking(ctx context.Context, id int64, today planner.Date) (planner.CampaignProgress, []planner.Alert, TrackingStamp, error) {
	e, err := db.trackingEntryFor(ctx, id)
	if err != nil {
		return planner.CampaignProgress{}, nil, TrackingStamp{}, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return db.progressOf(e, today), slices.Clone(e.alerts), TrackingStamp{e.stamp}, nil
}
