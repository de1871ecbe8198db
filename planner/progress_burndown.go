package planner

import (
	"slices"
	"time"
)

// BurnDownDay is one calendar day of the campaign's burn-down chart.
// PlannedBoxes counts each shipment's boxes on its planned dispatch day (the
// day its last box is loaded and the truck leaves); the actual series count
// dispatched boxes and accepted pieces on their event dates and are nil
// after today.
type BurnDownDay struct {
	Date            Date   `json:"date"`
	PlannedBoxes    int64  `json:"planned_boxes"`    // cumulative
	DispatchedBoxes *int64 `json:"dispatched_boxes"` // cumulative, nil after today
	DeliveredPieces *int64 `json:"delivered_pieces"` // cumulative accepted, nil after today
}

// burnDown returns one entry per calendar day from the campaign start to its
// deadline, both included. Cancelled shipments are left out.
func burnDown(c *Campaign, shipments []ShipmentRecord, states []ShipmentState, today Date) []BurnDownDay {
	n := c.Deadline.DaysSince(c.Start) + 1
	if n <= 0 {
		return []BurnDownDay{}
	}
	planned := make([]int64, n)
	dispatched := make([]int64, n)
	delivered := make([]int64, n)
	at := func(d Date) int { // index of d, clamped: anything before start counts from day 0
		return min(max(d.DaysSince(c.Start), 0), n)
	}
	for i := range shipments {
		s, st := &shipments[i], &states[i]
		if st.Stage == StageCancelled {
			continue
		}
		if j := at(s.Dispatch); j < n {
			planned[j] += s.Boxes
		}
		if st.DispatchedOn != nil {
			if j := at(*st.DispatchedOn); j < n {
				dispatched[j] += st.DispatchedBoxes
			}
		}
		if st.DeliveredOn != nil {
			if j := at(*st.DeliveredOn); j < n {
				delivered[j] += piecesTotal(st.Accepted)
			}
		}
	}
	out := make([]BurnDownDay, n)
	var cp, cd, cv int64
	for j := range n {
		d := c.Start.AddDays(j)
		cp, cd, cv = cp+planned[j], cd+dispatched[j], cv+delivered[j]
		out[j] = BurnDownDay{Date: d, PlannedBoxes: cp}
		if !d.After(today) {
			dv, vv := cd, cv
			out[j].DispatchedBoxes, out[j].DeliveredPieces = &dv, &vv
		}
	}
	return out
}

// paceDays is the working-day window of the dispatch pace.
const paceDays = 7

// pace measures the boxes dispatched over the last 7 working days up to and
// including today (days before the campaign start count as empty working
// days), and projects the working day on which the remaining boxes would all
// be dispatched at that pace: the ceil(7*remaining/paceBoxes)-th working day
// after today. With nothing left, completion is the last dispatch day.
func (p *CampaignProgress) pace(c *Campaign, shipments []ShipmentRecord, states []ShipmentState, today Date) {
	from, ok := lastWorkingDays(c, today, paceDays)
	if !ok {
		return
	}
	p.PaceFrom = &from
	var last *Date
	for i := range shipments {
		st := &states[i]
		if st.Stage == StageCancelled || st.DispatchedOn == nil {
			continue
		}
		d := *st.DispatchedOn
		if !d.Before(from) && !d.After(today) {
			p.PaceBoxes += st.DispatchedBoxes
		}
		if last == nil || d.After(*last) {
			last = &d
		}
	}
	p.Pace = float64(p.PaceBoxes) / paceDays
	switch {
	case p.RemainingBoxes == 0:
		p.ProjectedCompletion = last
	case p.PaceBoxes > 0:
		need := (paceDays*p.RemainingBoxes + p.PaceBoxes - 1) / p.PaceBoxes
		d := today
		for need > 0 {
			d = d.AddDays(1)
			if isCampaignWorkDay(c, d) {
				need--
			}
		}
		p.ProjectedCompletion = &d
	}
	if p.ProjectedCompletion != nil {
		slip := p.ProjectedCompletion.DaysSince(c.Deadline)
		p.ProjectedSlipDays = &slip
	}
}

// lastWorkingDays returns the first of the n most recent working days up to
// and including today; ok is false when the campaign has no valid working
// day (then neither it nor the projection, which relies on it, would end).
func lastWorkingDays(c *Campaign, today Date, n int) (Date, bool) {
	if !slices.ContainsFunc(c.Dispatch.WorkDays, func(w time.Weekday) bool { return w >= time.Sunday && w <= time.Saturday }) {
		return Date{}, false // no day would ever qualify
	}
	d := today
	for {
		if isCampaignWorkDay(c, d) {
			if n--; n == 0 {
				return d, true
			}
		}
		d = d.AddDays(-1)
	}
}

// isCampaignWorkDay reports whether the depot loads trucks on d.
func isCampaignWorkDay(c *Campaign, d Date) bool {
	wd := false
	for _, w := range c.Dispatch.WorkDays {
		wd = wd || w == d.Weekday()
	}
	if !wd {
		return false
	}
	for _, h := range c.Dispatch.Holidays {
		if h.Equal(d) {
			return false
		}
	}
	return true
}
