package planner

import (
	"cmp"
	"slices"
)

// Quantity is an amount of material in pieces and in boxes.
type Quantity struct {
	Pieces int64 `json:"pieces"`
	Boxes  int64 `json:"boxes"`
}

// ShipmentAssessment is one shipment's status on a day, for lists of
// shipments that need attention.
type ShipmentAssessment struct {
	ShipmentID int64  `json:"shipment_id"`
	City       string `json:"city"`
	Due        Date   `json:"due"`
	Status     Status `json:"status"`
	Reason     Reason `json:"reason"`
	Text       string `json:"text"` // Reason in English
}

// ReasonLoss is the pieces of all materials lost for one reason (rejected
// at delivery, or missing from it).
type ReasonLoss struct {
	Reason RejectReason `json:"reason"`
	Pieces int64        `json:"pieces"`
}

// CampaignProgress is the campaign seen from the depot on Today.
//
// Cancelled shipments count nowhere (they will not travel; a shipment
// cancelled after dispatch is reported by its cancellation, not as
// dispatched). Planned is the planned content of the other shipments;
// Dispatched is what left per the dispatched events (boxes and loaded
// pieces); Delivered is the accepted pieces, with the dispatched boxes of the
// delivered shipments; Distributed is the pieces handed out, with the
// dispatched boxes of the shipments that reported a distribution.
type CampaignProgress struct {
	Today       Date     `json:"today"`
	Start       Date     `json:"start"`
	Deadline    Date     `json:"deadline"`
	Planned     Quantity `json:"planned"`
	Dispatched  Quantity `json:"dispatched"`
	Delivered   Quantity `json:"delivered"`
	Distributed Quantity `json:"distributed"`
	// RemainingBoxes is the planned boxes of shipments not yet dispatched
	// (a short dispatch leaves no remainder: its missing boxes need a re-plan).
	RemainingBoxes int64 `json:"remaining_boxes"`

	BurnDown []BurnDownDay `json:"burn_down"`

	// Pace: PaceBoxes were dispatched from PaceFrom to Today, the last
	// PaceDays working days (7, or fewer since the campaign start); the pace
	// is PaceBoxes/PaceDays boxes a working day.
	PaceFrom  *Date   `json:"pace_from"`
	PaceDays  int     `json:"pace_days"`
	PaceBoxes int64   `json:"pace_boxes"`
	Pace      float64 `json:"pace"` // for display; projections use PaceBoxes exactly
	// ProjectedCompletion is the working day the remaining boxes would all be
	// dispatched at the pace; nil when the pace is 0. ProjectedSlipDays is
	// its distance to the deadline in calendar days (> 0: after it).
	ProjectedCompletion *Date `json:"projected_completion"`
	ProjectedSlipDays   *int  `json:"projected_slip_days"`

	ByStatus       map[Status]int       `json:"by_status"`
	AtRisk         []ShipmentAssessment `json:"at_risk"` // late first, then at risk; by due date and city
	Losses         []Loss               `json:"losses"`  // by material and reason
	LossesByReason []ReasonLoss         `json:"losses_by_reason"`
}

// Progress sums the shipments of campaign c as seen on today: quantities
// at each stage, the burn-down, the dispatch pace and its projected
// completion, the shipments at risk or late, and the losses.
func Progress(c *Campaign, shipments []ShipmentRecord, today Date) CampaignProgress {
	p := CampaignProgress{Today: today, Start: c.Start, Deadline: c.Deadline, ByStatus: map[Status]int{},
		AtRisk: []ShipmentAssessment{}, LossesByReason: []ReasonLoss{}}
	states := make([]ShipmentState, len(shipments))
	var losses []Loss
	for i := range shipments {
		s := &shipments[i]
		st := s.State()
		states[i] = st
		status, r := s.Assess(today)
		p.ByStatus[status]++
		if status == StatusAtRisk || status == StatusLate {
			p.AtRisk = append(p.AtRisk, ShipmentAssessment{ShipmentID: s.ID, City: s.City, Due: s.Due,
				Status: status, Reason: r, Text: r.Text()})
		}
		if st.Stage == StageCancelled {
			continue
		}
		p.Planned.add(s.Pieces, s.Boxes)
		if !st.Stage.Dispatched() {
			p.RemainingBoxes += s.Boxes
			continue
		}
		p.Dispatched.add(piecesTotal(st.Dispatched), st.DispatchedBoxes)
		if st.Stage.Delivered() {
			p.Delivered.add(piecesTotal(st.Accepted), st.DispatchedBoxes)
		}
		if st.Stage == StageDistributed {
			p.Distributed.add(piecesTotal(st.Distributed), st.DispatchedBoxes)
		}
		losses = append(losses, st.Losses...)
	}
	slices.SortFunc(p.AtRisk, func(a, b ShipmentAssessment) int {
		return cmp.Or(cmp.Compare(statusRank(a.Status), statusRank(b.Status)), a.Due.Compare(b.Due),
			cmp.Compare(a.City, b.City), cmp.Compare(a.ShipmentID, b.ShipmentID))
	})
	p.Losses = sumLosses(losses)
	for _, l := range p.Losses {
		i := slices.IndexFunc(p.LossesByReason, func(r ReasonLoss) bool { return r.Reason == l.Reason })
		if i < 0 {
			p.LossesByReason = append(p.LossesByReason, ReasonLoss{Reason: l.Reason})
			i = len(p.LossesByReason) - 1
		}
		p.LossesByReason[i].Pieces = addPieces(p.LossesByReason[i].Pieces, l.Pieces)
	}
	slices.SortFunc(p.LossesByReason, func(a, b ReasonLoss) int { return cmp.Compare(a.Reason, b.Reason) })
	p.BurnDown = burnDown(c, shipments, states, today)
	p.pace(c, shipments, states, today)
	return p
}

func (q *Quantity) add(pieces, boxes int64) {
	q.Pieces = addPieces(q.Pieces, pieces)
	q.Boxes = addPieces(q.Boxes, boxes)
}

// statusRank puts late shipments before those at risk.
func statusRank(s Status) int {
	if s == StatusLate {
		return 0
	}
	return 1
}
