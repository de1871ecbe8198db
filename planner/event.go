package planner

import "time"

// EventKind names one step of a shipment's life. The log of a shipment is
// append-only: nothing is ever edited in place, a mistake is amended by a
// later "correction" event, so that the history shown to an auditor is the
// history that happened.
type EventKind string

const (
	EventDispatched  EventKind = "dispatched"  // left the depot
	EventInTransit   EventKind = "in_transit"  // seen on the road (optional checkpoint)
	EventDelivered   EventKind = "delivered"   // proof of delivery at the city
	EventDistributed EventKind = "distributed" // handed out to venues (may repeat)
	EventCancelled   EventKind = "cancelled"   // will not travel (or will not arrive)
	EventCorrection  EventKind = "correction"  // amends an earlier event by id
)

// RejectReason says why received pieces were not accepted.
type RejectReason string

const (
	RejectDamaged   RejectReason = "damaged"
	RejectLost      RejectReason = "lost"
	RejectWrongItem RejectReason = "wrong_item"
	RejectSurplus   RejectReason = "surplus"
)

// LossMissing is the reason of pieces that were dispatched but neither
// accepted nor rejected at delivery (a delivery marked as a discrepancy
// that accounts for fewer pieces than left the depot). It is a loss
// reason, never a reason a receiver gives: Valid refuses it.
const LossMissing RejectReason = "missing"

// Valid reports whether r is one of the known reasons.
func (r RejectReason) Valid() bool {
	switch r {
	case RejectDamaged, RejectLost, RejectWrongItem, RejectSurplus:
		return true
	}
	return false
}

// Event is one entry of a shipment's log and the body of
// POST /api/v1/shipments/{id}/events. ID, RecordedAt and Author are set by
// the server; every other field is what the user reports. Which fields
// apply depends on Kind (see ValidateEvent); fields of another kind are
// rejected rather than silently stored.
type Event struct {
	ID         int64     `json:"id"`
	Kind       EventKind `json:"kind"`
	Date       Date      `json:"date"` // the day it happened (for a correction: the day it was made)
	RecordedAt time.Time `json:"recorded_at"`
	Author     string    `json:"author"`
	Note       string    `json:"note,omitempty"`

	// dispatched
	Carrier string `json:"carrier,omitempty"`
	Waybill string `json:"waybill,omitempty"`
	Vehicle string `json:"vehicle,omitempty"`
	Boxes   int64  `json:"boxes,omitempty"`
	// Loaded lists the pieces per material actually loaded. It is required
	// when fewer boxes than planned leave the depot (only the waybill can
	// say which boxes stayed behind); when absent the planned lines left.
	Loaded []LoadedLine `json:"loaded,omitempty"`

	// in_transit
	Checkpoint string `json:"checkpoint,omitempty"`

	// delivered
	DeliveredBy string         `json:"delivered_by,omitempty"`
	ReceivedBy  string         `json:"received_by,omitempty"`
	Lines       []DeliveryLine `json:"lines,omitempty"`
	Discrepancy bool           `json:"discrepancy,omitempty"` // accepted+rejected knowingly differs from dispatched

	// distributed
	Distribution []DistributionLine `json:"distribution,omitempty"`

	// cancelled, correction
	Reason string `json:"reason,omitempty"`

	// correction
	Corrects    int64  `json:"corrects,omitempty"`    // id of the amended event
	Replacement *Event `json:"replacement,omitempty"` // full payload of the same kind that replaces it
}

// LoadedLine is the pieces of one material put on the truck.
type LoadedLine struct {
	Material string `json:"material"`
	Pieces   int64  `json:"pieces"`
}

// DeliveryLine is the proof of delivery of one material, in pieces.
type DeliveryLine struct {
	Material string       `json:"material"`
	Accepted int64        `json:"accepted"`
	Rejected int64        `json:"rejected"`
	Reason   RejectReason `json:"reason,omitempty"` // mandatory when Rejected > 0
}

// DistributionLine is pieces of a material handed out to a venue category
// (venues not registered yet), or to one registered venue of the shipment's
// city. A venue line may leave Category out: the store records it with the
// venue's category (CompleteDistribution), so totals per category count
// venue lines too. Lines add up: a line with a venue id is part of its
// category's total, not a breakdown of another line
// (docs/tracking.md#distribution-to-venues).
type DistributionLine struct {
	Material string `json:"material"`
	Category string `json:"category"` // may be "" in a request when VenueID is set
	VenueID  string `json:"venue_id,omitempty"`
	Pieces   int64  `json:"pieces"`
}

// lifecycle reports whether the event moves the shipment (every kind but correction).
func (e Event) lifecycle() bool { return e.Kind != EventCorrection }
