package planner

import (
	"math/big"
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
	from, days, ok := lastWorkingDays(c, today, paceDays)
	if !ok {
		return
	}
	p.PaceFrom, p.PaceDays = &from, days
	// Early in a campaign the window is the working days since its start:
	// days before it were not slow, there was nothing to do yet (counting
	// them made two days of work read as a third of the real pace).
	// Dispatches dated before the start then count in the window too.
	short := days < paceDays
	var last *Date
	for i := range shipments {
		st := &states[i]
		if st.Stage == StageCancelled || st.DispatchedOn == nil {
			continue
		}
		d := *st.DispatchedOn
		if (short || !d.Before(from)) && !d.After(today) {
			p.PaceBoxes = addPieces(p.PaceBoxes, st.DispatchedBoxes)
		}
		if last == nil || d.After(*last) {
			last = &d
		}
	}
	p.Pace = float64(p.PaceBoxes) / float64(days)
	switch {
	case p.RemainingBoxes == 0:
		p.ProjectedCompletion = last
	case p.PaceBoxes > 0:
		p.ProjectedCompletion = projectedDay(c, today, days, p.RemainingBoxes, p.PaceBoxes)
	}
	if p.ProjectedCompletion != nil {
		slip := p.ProjectedCompletion.DaysSince(c.Deadline)
		p.ProjectedSlipDays = &slip
	}
}

// maxProjectionDays bounds the projection: past about 270 years of working
// days it says nothing a coordinator can use, and the date would leave
// the calendar.
const maxProjectionDays = 100_000

// projectedDay is the working day after today on which remaining boxes
// would all be dispatched at paceBoxes per window of days working days:
// the ceil(days × remaining ÷ paceBoxes)-th one, found by calendar
// arithmetic (a backlog of 10^12 boxes at one box a week must not walk
// day by day). Nil beyond maxProjectionDays.
func projectedDay(c *Campaign, today Date, days int, remaining, paceBoxes int64) *Date {
	need := new(big.Int).Mul(big.NewInt(int64(days)), big.NewInt(remaining))
	need.Add(need, big.NewInt(paceBoxes-1))
	need.Quo(need, big.NewInt(paceBoxes))
	if !need.IsInt64() || need.Int64() > maxProjectionDays {
		return nil
	}
	cal, err := newCalendar(today.AddDays(1), c.Dispatch)
	if err != nil {
		return nil
	}
	d := cal.date(cal.dispatchDay(int(need.Int64()) - 1))
	return &d
}

// lastWorkingDays returns the first of the n most recent working days up to
// and including today, not before the campaign start, and how many there
// are (n, or fewer early in the campaign); ok is false when there is none
// (today before the first working day, or no valid working day at all).
func lastWorkingDays(c *Campaign, today Date, n int) (Date, int, bool) {
	if !slices.ContainsFunc(c.Dispatch.WorkDays, func(w time.Weekday) bool { return w >= time.Sunday && w <= time.Saturday }) {
		return Date{}, 0, false // no day would ever qualify
	}
	var from Date
	found := 0
	for d := today; found < n && !d.Before(c.Start); d = d.AddDays(-1) {
		if isCampaignWorkDay(c, d) {
			from = d
			found++
		}
	}
	return from, found, found > 0
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
