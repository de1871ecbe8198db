package planner

import (
	"cmp"
	"maps"
	"slices"
)

// Stage is where a shipment is in its life, derived from its events.
type Stage string

const (
	StagePlanned     Stage = "planned"
	StageDispatched  Stage = "dispatched"
	StageInTransit   Stage = "in_transit"
	StageDelivered   Stage = "delivered"
	StageDistributed Stage = "distributed"
	StageCancelled   Stage = "cancelled"
)

// rank orders the stages of a shipment that travels; cancelled is off the line.
func (g Stage) rank() int {
	return slices.Index([]Stage{StagePlanned, StageDispatched, StageInTransit, StageDelivered, StageDistributed}, g)
}

// Dispatched reports whether the shipment has left the depot (and was not cancelled).
func (g Stage) Dispatched() bool { return g.rank() >= StageDispatched.rank() }

// Delivered reports whether the shipment has a proof of delivery.
func (g Stage) Delivered() bool { return g.rank() >= StageDelivered.rank() }

// Loss is pieces of a material lost at delivery for one reason: rejected
// (damaged, lost, wrong_item, surplus) or missing (dispatched but neither
// accepted nor rejected).
type Loss struct {
	Material string       `json:"material"`
	Reason   RejectReason `json:"reason"`
	Pieces   int64        `json:"pieces"`
}

// ShipmentState is a shipment's current state, derived from its log with
// every correction applied. Quantities are pieces per material code.
type ShipmentState struct {
	Stage           Stage              `json:"stage"`
	DispatchedOn    *Date              `json:"dispatched_on,omitempty"`
	LastSeenOn      *Date              `json:"last_seen_on,omitempty"` // latest in_transit report
	DeliveredOn     *Date              `json:"delivered_on,omitempty"`
	DistributedOn   *Date              `json:"distributed_on,omitempty"` // latest distribution report
	CancelledOn     *Date              `json:"cancelled_on,omitempty"`
	LastEventOn     *Date              `json:"last_event_on,omitempty"` // latest lifecycle event
	Carrier         string             `json:"carrier,omitempty"`
	Waybill         string             `json:"waybill,omitempty"`
	Vehicle         string             `json:"vehicle,omitempty"`
	Checkpoint      string             `json:"checkpoint,omitempty"`
	DispatchedBoxes int64              `json:"dispatched_boxes"`
	Dispatched      map[string]int64   `json:"dispatched"`
	Accepted        map[string]int64   `json:"accepted"`
	Rejected        map[string]int64   `json:"rejected"`
	Distributed     map[string]int64   `json:"distributed"`
	Distribution    []DistributionLine `json:"distribution"` // summed per material, category, venue
	Losses          []Loss             `json:"losses"`       // sorted by material, reason
	Discrepancy     bool               `json:"discrepancy"`
	CancelReason    string             `json:"cancel_reason,omitempty"`
	Corrected       []int64            `json:"corrected"` // ids of events amended by a correction
	DeliveryEventID int64              `json:"delivery_event_id,omitempty"`
}

// State derives the shipment's current state from its events. Lifecycle
// events are folded in log order; an event amended by corrections counts
// with the payload of the latest correction, while the log keeps both.
func (s *ShipmentRecord) State() ShipmentState {
	if st, ok := s.memoState(); ok {
		return st
	}
	st := newShipmentState()
	eff, corrected := s.effectiveEvents()
	for _, e := range eff {
		st.apply(s, e)
	}
	st.Corrected = corrected
	st.finish()
	return st
}

func newShipmentState() ShipmentState {
	return ShipmentState{
		Stage:        StagePlanned,
		Dispatched:   map[string]int64{},
		Accepted:     map[string]int64{},
		Rejected:     map[string]int64{},
		Distributed:  map[string]int64{},
		Distribution: []DistributionLine{},
		Losses:       []Loss{},
		Corrected:    []int64{},
	}
}

// effectiveEvents returns the lifecycle events in log order, each replaced
// by the payload of its latest correction (keeping the original id, author
// and recording time), and the ids of the amended events, ascending.
func (s *ShipmentRecord) effectiveEvents() ([]Event, []int64) {
	latest := map[int64]Event{}
	for _, e := range s.Events {
		if e.Kind == EventCorrection && e.Replacement != nil {
			latest[e.Corrects] = *e.Replacement
		}
	}
	var out []Event
	corrected := []int64{}
	for _, e := range s.Events {
		if !e.lifecycle() {
			continue
		}
		if r, ok := latest[e.ID]; ok {
			r.ID, r.Kind, r.RecordedAt, r.Author = e.ID, e.Kind, e.RecordedAt, e.Author
			r.Corrects, r.Replacement = 0, nil
			e = r
			corrected = append(corrected, e.ID)
		}
		out = append(out, e)
	}
	slices.Sort(corrected)
	return out, corrected
}

// apply folds one lifecycle event into the state. It trusts the event: the
// rules live in ValidateEvent.
func (st *ShipmentState) apply(s *ShipmentRecord, e Event) {
	d := e.Date
	st.LastEventOn = &d
	switch e.Kind {
	case EventDispatched:
		st.Stage, st.DispatchedOn = StageDispatched, &d
		st.Carrier, st.Waybill, st.Vehicle, st.DispatchedBoxes = e.Carrier, e.Waybill, e.Vehicle, e.Boxes
		clear(st.Dispatched)
		if len(e.Loaded) > 0 {
			for _, l := range e.Loaded {
				st.Dispatched[l.Material] = addPieces(st.Dispatched[l.Material], l.Pieces)
			}
		} else {
			for _, l := range s.Lines {
				st.Dispatched[l.Material] = l.Pieces
			}
		}
	case EventInTransit:
		st.Stage, st.LastSeenOn, st.Checkpoint = StageInTransit, &d, e.Checkpoint
	case EventDelivered:
		st.Stage, st.DeliveredOn, st.Discrepancy, st.DeliveryEventID = StageDelivered, &d, e.Discrepancy, e.ID
		for _, l := range e.Lines {
			st.Accepted[l.Material] = addPieces(st.Accepted[l.Material], l.Accepted)
			st.Rejected[l.Material] = addPieces(st.Rejected[l.Material], l.Rejected)
			if l.Rejected > 0 {
				st.Losses = append(st.Losses, Loss{Material: l.Material, Reason: l.Reason, Pieces: l.Rejected})
			}
		}
		st.Losses = append(st.Losses, missingLosses(st, e)...)
	case EventDistributed:
		st.Stage, st.DistributedOn = StageDistributed, &d
		for _, l := range e.Distribution {
			st.Distributed[l.Material] = addPieces(st.Distributed[l.Material], l.Pieces)
			st.Distribution = append(st.Distribution, l)
		}
	case EventCancelled:
		st.Stage, st.CancelledOn, st.CancelReason = StageCancelled, &d, e.Reason
	}
}

// missingLosses are the pieces of each material that left the depot but
// that delivery e neither accepted nor rejected (only possible when it is
// marked as a discrepancy): they count as losses with reason "missing",
// by material code, so that folding the same log gives the same state
// before finish sorts it too (LogState, which the store keeps).
func missingLosses(st *ShipmentState, e Event) []Loss {
	reported := map[string]DeliveryLine{}
	for _, l := range e.Lines {
		reported[l.Material] = l
	}
	var out []Loss
	for _, m := range slices.Sorted(maps.Keys(st.Dispatched)) {
		sent := st.Dispatched[m]
		l := reported[m]
		if l.Accepted < 0 || l.Rejected < 0 || l.Accepted > sent || l.Rejected > sent-l.Accepted {
			continue // not a log ValidateEvent accepts
		}
		if missing := sent - l.Accepted - l.Rejected; missing > 0 {
			out = append(out, Loss{Material: m, Reason: LossMissing, Pieces: missing})
		}
	}
	return out
}

// finish sums and sorts the per-line lists so that equal logs give equal states.
func (st *ShipmentState) finish() {
	st.Losses = sumLosses(st.Losses)
	slices.SortFunc(st.Distribution, func(a, b DistributionLine) int {
		return cmp.Or(cmp.Compare(a.Material, b.Material), cmp.Compare(a.Category, b.Category), cmp.Compare(a.VenueID, b.VenueID))
	})
	var merged []DistributionLine
	for _, l := range st.Distribution {
		if n := len(merged); n > 0 && merged[n-1].Material == l.Material && merged[n-1].Category == l.Category && merged[n-1].VenueID == l.VenueID {
			merged[n-1].Pieces = addPieces(merged[n-1].Pieces, l.Pieces)
			continue
		}
		merged = append(merged, l)
	}
	st.Distribution = append([]DistributionLine{}, merged...)
}

// sumLosses merges losses of the same material and reason, sorted.
func sumLosses(in []Loss) []Loss {
	slices.SortFunc(in, func(a, b Loss) int {
		return cmp.Or(cmp.Compare(a.Material, b.Material), cmp.Compare(a.Reason, b.Reason))
	})
	out := []Loss{}
	for _, l := range in {
		if n := len(out); n > 0 && out[n-1].Material == l.Material && out[n-1].Reason == l.Reason {
			out[n-1].Pieces = addPieces(out[n-1].Pieces, l.Pieces)
			continue
		}
		out = append(out, l)
	}
	return out
}

// piecesTotal sums a per-material quantity map.
func piecesTotal(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n = addPieces(n, v)
	}
	return n
}
