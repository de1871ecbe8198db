package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/reparto/reparto/planner"
)

// Shipment events are only ever inserted: there is no UPDATE or DELETE of
// shipment_events anywhere in this package (and triggers refuse them).

type eventRow struct {
	ID            int64         `db:"id"`
	ShipmentID    int64         `db:"shipment_id"`
	Seq           int64         `db:"seq"`
	Kind          string        `db:"kind"`
	Date          string        `db:"date"`
	RecordedAt    time.Time     `db:"recorded_at"`
	Author        string        `db:"author"`
	Payload       string        `db:"payload"`
	AmendsEventID sql.NullInt64 `db:"amends_event_id"`
}

const eventColumns = `id, shipment_id, seq, kind, date, recorded_at, author, payload, amends_event_id`

// toEvent decodes the payload; the columns are authoritative for what the
// server set (id, kind, date, recording time, author).
func (r eventRow) toEvent() (planner.Event, error) {
	e, err := decodePayload(r.Payload)
	if err != nil {
		return e, fmt.Errorf("event %d payload: %w", r.ID, err)
	}
	d, err := planner.ParseDate(r.Date)
	if err != nil {
		return e, fmt.Errorf("event %d date %q: %w", r.ID, r.Date, err)
	}
	e.ID, e.Kind, e.Date, e.RecordedAt, e.Author = r.ID, planner.EventKind(r.Kind), d, r.RecordedAt.UTC(), r.Author
	return e, nil
}

// payloads memoises the decoding of event payloads. Events are never
// updated, and every dashboard, shipment list and alert list derives
// shipment states from all of a campaign's events: decoding the same JSON
// again on every request was half of the server's CPU under load. The key
// is the payload text itself, so the cache is right for any database and
// needs no invalidation; it is emptied when it grows past maxPayloads.
// Decoded events share their slices between callers, which only read them.
var payloads = struct {
	sync.Mutex
	m map[string]planner.Event
}{m: map[string]planner.Event{}}

const maxPayloads = 50_000

func decodePayload(text string) (planner.Event, error) {
	payloads.Lock()
	e, ok := payloads.m[text]
	payloads.Unlock()
	if ok {
		return e, nil
	}
	if err := json.Unmarshal([]byte(text), &e); err != nil {
		return planner.Event{}, err
	}
	payloads.Lock()
	if len(payloads.m) >= maxPayloads {
		clear(payloads.m)
	}
	payloads.m[text] = e
	payloads.Unlock()
	return e, nil
}

// loadEvents reads the events matching cond, by shipment in seq order.
func loadEvents(ctx context.Context, q queryer, cond string, args ...any) (map[int64][]planner.Event, error) {
	var rows []eventRow
	err := q.SelectContext(ctx, &rows, q.Rebind(`SELECT `+eventColumns+` FROM shipment_events WHERE `+cond+
		` ORDER BY shipment_id, seq`), args...)
	if err != nil {
		return nil, fmt.Errorf("load events: %w", err)
	}
	out := map[int64][]planner.Event{}
	for _, r := range rows {
		e, err := r.toEvent()
		if err != nil {
			return nil, err
		}
		out[r.ShipmentID] = append(out[r.ShipmentID], e)
	}
	return out, nil
}

const insertEventSQL = `INSERT INTO shipment_events (shipment_id, seq, kind, date, recorded_at, author,
	payload, amends_event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`

// insertEvent appends e (already validated, RecordedAt and Author set) to
// the log of shipment id with the next seq and returns it with its id. Two
// transactions that read the same last seq collide on UNIQUE (shipment_id,
// seq); the caller retries. Every caller also bumps the shipment's version
// in the same transaction: the tracking view's stamp (tracking_view.go)
// sees a new event only through that version.
func insertEvent(ctx context.Context, tx *Tx, shipmentID int64, e planner.Event) (planner.Event, error) {
	out, _, err := insertEventRow(ctx, tx, shipmentID, e)
	return out, err
}

// insertEventRow is insertEvent that also returns the row as stored: its
// toEvent is the event as the log reads it back. Its statements are the
// hot writes' prepared ones on SQLite (writestmts.go).
func insertEventRow(ctx context.Context, tx *Tx, shipmentID int64, e planner.Event) (planner.Event, eventRow, error) {
	var seq int64
	err := txGet(ctx, tx, &seq, `SELECT COALESCE(MAX(seq), 0) FROM shipment_events WHERE shipment_id = ?`, shipmentID)
	if err != nil {
		return e, eventRow{}, fmt.Errorf("last event of shipment %d: %w", shipmentID, err)
	}
	e.ID = 0
	payload, err := json.Marshal(e)
	if err != nil {
		return e, eventRow{}, fmt.Errorf("event payload: %w", err)
	}
	amends := sql.NullInt64{Int64: e.Corrects, Valid: e.Kind == planner.EventCorrection && e.Corrects != 0}
	err = txQueryRow(ctx, tx, insertEventSQL, shipmentID, seq+1, string(e.Kind), e.Date.String(),
		e.RecordedAt, e.Author, string(payload), amends).Scan(&e.ID)
	if err != nil {
		return e, eventRow{}, fmt.Errorf("insert %s event of shipment %d: %w", e.Kind, shipmentID, err)
	}
	row := eventRow{ID: e.ID, ShipmentID: shipmentID, Seq: seq + 1, Kind: string(e.Kind), Date: e.Date.String(),
		RecordedAt: e.RecordedAt, Author: e.Author, Payload: string(payload), AmendsEventID: amends}
	return e, row, nil
}

// maxAppendAttempts bounds the retries of an append that lost a race on a
// unique constraint (the same seq, or the same idempotency key).
const maxAppendAttempts = 5

// AppendEvent records event e on shipment shipmentID, as told by the actor
// of ctx (WithActor), and returns it with its id, recording time and
// author. now is the clock: the recording time and the "not after
// tomorrow" bound of ValidateEvent.
//
// In one transaction it loads the shipment, the state of its log (kept
// from the previous append, else folded from the log: event_state.go) and
// its campaign, checks e with planner.ValidateEventOn, appends it with the
// next seq, bumps the shipment's version and writes the audit record.
//
// With a non-empty idemKey the request is idempotent per actor: the key is
// stored in the same transaction as the event, with a hash of the request.
// The same key with the same shipment and event returns the event first
// recorded with created == false and records nothing; the same key with
// another request is EConflict. Concurrent requests with one key are
// decided by the key's primary key: the loser retries and finds the
// winner's result.
//
// Errors: ENotFound (shipment), EInvalid with field paths (the event),
// EConflict (key reused with another request).
func (db *DB) AppendEvent(ctx context.Context, shipmentID int64, e planner.Event, now time.Time, idemKey string) (planner.Event, bool, error) {
	return db.AppendEventIf(ctx, shipmentID, 0, e, now, idemKey)
}

// AppendEventIf is AppendEvent that also requires the shipment to be at
// version expect (0: any), for a client that sends If-Match: recording an
// event on a shipment that changed since the client read it is EConflict.
// An idempotent replay is answered before the version is checked, so a
// retry of a request that succeeded gets its original result.
func (db *DB) AppendEventIf(ctx context.Context, shipmentID int64, expect int, e planner.Event, now time.Time, idemKey string) (planner.Event, bool, error) {
	actor := ActorFrom(ctx)
	var req *idemRequest
	if idemKey != "" {
		r, err := newIdemRequest(actor, idemKey, "POST /shipments/"+strconv.FormatInt(shipmentID, 10)+"/events", eventForHash(e))
		if err != nil {
			return planner.Event{}, false, err
		}
		req = r
	}
	for attempt := 1; ; attempt++ {
		out, created, err := db.appendEventOnce(ctx, shipmentID, expect, e, now, actor, req)
		if err != nil && isUnique(err) && attempt < maxAppendAttempts {
			continue
		}
		return out, created, err
	}
}

// eventForHash is the part of e that the client chose.
func eventForHash(e planner.Event) planner.Event {
	e.ID, e.RecordedAt, e.Author = 0, time.Time{}, ""
	return e
}

func (db *DB) appendEventOnce(ctx context.Context, shipmentID int64, expect int, e planner.Event, now time.Time,
	actor Actor, req *idemRequest) (planner.Event, bool, error) {
	var out planner.Event
	created := false
	var next eventState // the log state this append commits
	err := db.WithTx(ctx, func(tx *Tx) error {
		ctx := db.stmtCtx(ctx) // the hot write path: no watcher goroutines (stmtCtx)
		created = false
		campaignID, version, err := db.lockShipment(ctx, tx, shipmentID)
		if err != nil {
			return err
		}
		if req != nil {
			found, err := req.replay(ctx, db, tx, &out)
			if err != nil || found {
				return err
			}
		}
		if expect != 0 && version != expect {
			return staleShipment(shipmentID, expect)
		}
		s, st, err := db.shipmentForEvent(ctx, tx, shipmentID, version, e)
		if err != nil {
			return err
		}
		c, err := loadEventCampaign(ctx, tx, campaignID, e)
		if err != nil {
			return err
		}
		e = planner.CompleteDistribution(e, c)
		e.ID, e.Author, e.RecordedAt = 0, actor.Email, now.UTC().Truncate(time.Microsecond)
		if err := planner.ValidateEventOn(s, st, e, c, now); err != nil {
			return err
		}
		var row eventRow
		if out, row, err = insertEventRow(ctx, tx, shipmentID, e); err != nil {
			return err
		}
		if err := bumpShipment(ctx, tx, shipmentID, 0, db.now()); err != nil {
			return err
		}
		if next, err = nextEventState(s, st, version+1, row); err != nil {
			return err
		}
		if req != nil {
			if err := req.store(ctx, db, tx, out, db.now()); err != nil {
				return err
			}
		}
		created = true
		return db.Audit(ctx, tx, AuditEntry{Action: "record_event", Entity: "shipment",
			EntityID: strconv.FormatInt(shipmentID, 10), CampaignID: campaignID, After: out})
	})
	if err != nil {
		return planner.Event{}, false, err
	}
	if created && !isDryRun(ctx) {
		db.states.put(shipmentID, next)
	}
	return out, created, nil
}

// loadEventCampaign reads what planner.CompleteDistribution and
// planner.ValidateEvent look at for e: the campaign row; its materials
// when e is a dispatch (the pieces loaded fill boxes of their pack sizes)
// or a correction (every later event is checked again, a dispatch too);
// its categories, targeting and cities when e reports distribution lines
// or corrects an event (the later events are checked again against the
// replacement); its venues when a line names one, as before. Venue
// counts and locks are never looked at. Reading the whole campaign was
// most of the cost of recording a plain checkpoint (issue 13).
func loadEventCampaign(ctx context.Context, q queryer, id int64, e planner.Event) (*planner.Campaign, error) {
	c, err := loadCampaignHeader(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if e.Kind == planner.EventDispatched || e.Kind == planner.EventCorrection {
		if c.Materials, err = loadMaterials(ctx, q, id); err != nil {
			return nil, err
		}
	}
	if !distributes(e) && e.Replacement == nil {
		return c, nil
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
	if namesVenue(e) {
		if c.Venues, err = loadVenues(ctx, q, id); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// distributes reports whether e (or its replacement) has distribution
// lines, the only part of an event checked against categories and targeting.
func distributes(e planner.Event) bool {
	return len(e.Distribution) > 0 || e.Replacement != nil && distributes(*e.Replacement)
}

// namesVenue reports whether e (or its replacement) names a registered
// venue, the one case where validation needs the campaign's venue list.
func namesVenue(e planner.Event) bool {
	for _, l := range e.Distribution {
		if l.VenueID != "" {
			return true
		}
	}
	return e.Replacement != nil && namesVenue(*e.Replacement)
}

// appendSystemEvent appends an event the store itself decides (the
// cancellation of a shipment dropped by a new plan) inside tx, without
// validation, and bumps the shipment's version, which must still be expect.
func appendSystemEvent(ctx context.Context, tx *Tx, shipmentID int64, expect int, e planner.Event, now time.Time) (planner.Event, error) {
	if err := bumpShipment(ctx, tx, shipmentID, expect, now); err != nil {
		return e, err
	}
	return insertEvent(ctx, tx, shipmentID, e)
}
