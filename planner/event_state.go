package planner

import (
	"maps"
	"slices"
	"time"
)

// A new lifecycle event is checked against the state its shipment's log
// folds to: the stage, the date of the last event, the boxes and pieces
// dispatched, the pieces accepted and handed out so far. Folding the whole
// log again for every append made one write cost O(events), and a day of
// checkpoints on one truck O(n²) (issue 13). The store keeps the folded
// state of a shipment instead and folds each new event into it: LogState
// is the fold of a whole log, After one more step of it, and
// ValidateEventOn is ValidateEvent given the fold. After(LogState(log),
// e) equals LogState(log + e) for every lifecycle event e, since a new
// event is never amended by an earlier correction.

// LogState is the state s's log folds to, with every correction applied:
// State before the per-line lists are summed and sorted and without the
// ids of corrected events. It is what ValidateEvent checks a new lifecycle
// event against.
func (s *ShipmentRecord) LogState() ShipmentState {
	eff, _ := s.effectiveEvents()
	st := newShipmentState()
	for _, prev := range eff {
		st.apply(s, prev)
	}
	return st
}

// After returns st, the LogState of s, with lifecycle event e appended to
// s's log, as the store reads e back (id, date, recording time and
// author from its columns). st itself is left as it was: its maps and
// slices are copied, so one state can be shared by concurrent readers.
func (st ShipmentState) After(s *ShipmentRecord, e Event) ShipmentState {
	next := st.clone()
	if e.lifecycle() {
		next.apply(s, e)
	}
	return next
}

// clone copies st deeply enough for apply: the maps and slices apply
// writes to. The dates are never written through their pointers.
func (st ShipmentState) clone() ShipmentState {
	st.Dispatched = maps.Clone(st.Dispatched)
	st.Accepted = maps.Clone(st.Accepted)
	st.Rejected = maps.Clone(st.Rejected)
	st.Distributed = maps.Clone(st.Distributed)
	st.Distribution = slices.Clone(st.Distribution)
	st.Losses = slices.Clone(st.Losses)
	st.Corrected = slices.Clone(st.Corrected)
	return st
}

// ValidateEventOn is ValidateEvent(s, e, c, now) for a shipment whose log
// folds to st (s.LogState()): a lifecycle event is checked against st
// alone, without reading s.Events, with the same rules and messages. A
// correction needs the log itself (the event it amends and every event
// after it): it is checked by ValidateEvent, on s.Events.
func ValidateEventOn(s *ShipmentRecord, st ShipmentState, e Event, c *Campaign, now time.Time) error {
	if e.Kind == EventCorrection {
		return ValidateEvent(s, e, c, now)
	}
	v := eventValidator{s: s, c: c, latest: c.Today(now)}
	v.check(&st, e, "")
	return v.result()
}
