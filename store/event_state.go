package store

import (
	"context"
	"slices"
	"sync"

	"github.com/reparto/reparto/planner"
)

// Recording an event used to read the shipment's whole log and fold it
// again to check the new event against it: O(events) per write, and a
// truck reporting a checkpoint per toll booth made a day's writes O(n²)
// under the one SQLite write lock (issue 13). Now the store keeps, per
// shipment, the state its log folds to (planner.LogState) with the
// shipment version it was folded at; an append folds its event into the
// state (planner.ShipmentState.After) and keeps the result under the
// version it commits.
//
// The version is the key because every write to a shipment bumps it in
// the same transaction (each event append, each edit of its planned
// lines or dates, the cancellation by a re-plan: see tracking_view.go),
// and shipment ids are never reused. A state kept for (id, v) was folded
// from what was committed at v, so it is the state of the log whenever
// the shipment is at v again, read under its lock; any other writer, in
// this process or another, moves the version on and the next append
// folds the log afresh. Entries are only added after their transaction
// committed (never in a dry run), so a rolled-back append leaves nothing.

// eventStates holds the log state of recently written shipments.
type eventStates struct {
	mu sync.Mutex
	m  map[int64]eventState
}

// eventState is a shipment and its log state at one version.
type eventState struct {
	version int
	ship    planner.ShipmentRecord // without its events; shared by readers: never modified
	state   planner.ShipmentState  // shared by readers: never modified
}

// maxEventStates bounds the cache: a national campaign has a few thousand
// shipments, each entry a few maps of a few materials.
const maxEventStates = 20_000

// get returns shipment id and its log state at version, if kept.
func (c *eventStates) get(id int64, version int) (eventState, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if !ok || e.version != version {
		return eventState{}, false
	}
	return e, true
}

// put keeps the log state of shipment id at e.version, unless a later
// version is kept already (two appends may finish committing out of order).
func (c *eventStates) put(id int64, e eventState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[id]; ok && old.version > e.version {
		return
	}
	if c.m == nil || len(c.m) >= maxEventStates {
		c.m = map[int64]eventState{}
	}
	c.m[id] = e
}

// shipmentForEvent returns what checking e against shipment id needs,
// inside tx once the shipment is locked at version: the shipment and its
// log state, as kept at this version (the shipment row too, since the
// version moves with every change of it). The shipment and its log are
// read when nothing is kept at this version, or when e is a correction
// (ValidateEventOn checks a correction on the log).
func (db *DB) shipmentForEvent(ctx context.Context, tx *Tx, id int64, version int, e planner.Event) (*planner.ShipmentRecord, planner.ShipmentState, error) {
	if e.Kind != planner.EventCorrection {
		if kept, ok := db.states.get(id, version); ok {
			return &kept.ship, kept.state, nil
		}
	}
	s, err := loadShipment(ctx, tx, id)
	if err != nil {
		return nil, planner.ShipmentState{}, err
	}
	return s, s.LogState(), nil
}

// nextEventState is the log state of s at version once the event stored
// as row is appended: st folded with the event as the log reads it back,
// or, for a correction, the amended log folded afresh (s.Events is the
// whole log then: see shipmentForEvent).
func nextEventState(s *planner.ShipmentRecord, st planner.ShipmentState, version int, row eventRow) (eventState, error) {
	e, err := row.toEvent()
	if err != nil {
		return eventState{}, err
	}
	next := eventState{version: version, ship: *s}
	next.ship.Version, next.ship.Events = version, nil
	if e.Kind == planner.EventCorrection {
		amended := *s
		amended.Events = append(slices.Clip(s.Events), e)
		next.state = amended.LogState()
		return next, nil
	}
	next.state = st.After(s, e)
	return next, nil
}
