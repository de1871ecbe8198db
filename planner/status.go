package planner

import (
	"fmt"
	"regexp"
	"strings"
)

// Status is a logistics officer's reading of a shipment against its dates.
type Status string

const (
	StatusOnTrack     Status = "on_track"    // nothing suggests it will miss its due date
	StatusAtRisk      Status = "at_risk"     // will probably miss its due date unless someone acts
	StatusLate        Status = "late"        // past its due date and not delivered
	StatusDelivered   Status = "delivered"   // proof of delivery recorded
	StatusDistributed Status = "distributed" // every accepted piece handed out to venues
	StatusCancelled   Status = "cancelled"
	// StatusPartlyDistributed: distribution reports cover only part of
	// what was accepted at delivery.
	StatusPartlyDistributed Status = "partially_distributed"
)

// Statuses lists every status in the order a logistics officer reads
// them (what needs action first); filters, pages and the API description
// take their list from here.
var Statuses = []Status{StatusLate, StatusAtRisk, StatusOnTrack, StatusDelivered,
	StatusPartlyDistributed, StatusDistributed, StatusCancelled}

// Reason explains a status as a message code and its parameters, so that
// the UI can word it in Spanish; Text words it in English. Dates are
// YYYY-MM-DD and numbers are decimal strings.
type Reason struct {
	Code   string            `json:"code"`
	Params map[string]string `json:"params"`
}

// Reason codes, with the parameters each one carries.
const (
	ReasonOnSchedule        = "on_schedule"        // latest_dispatch, days_left
	ReasonInTransit         = "in_transit"         // dispatched, expected_arrival, due
	ReasonNotDispatched     = "not_dispatched"     // latest_dispatch, days
	ReasonArrivalAfterDue   = "arrival_after_due"  // expected_arrival, due, days
	ReasonArrivalOverdue    = "arrival_overdue"    // dispatched, expected_arrival, days
	ReasonPastDue           = "past_due"           // due, days, stage
	ReasonDeliveredOnTime   = "delivered_on_time"  // delivered, due
	ReasonDeliveredLate     = "delivered_late"     // delivered, due, days
	ReasonDistributedPieces = "distributed_pieces" // distributed, pieces, accepted
	ReasonPartlyDistributed = "partly_distributed" // distributed, pieces, accepted, left
	ReasonCancelledBecause  = "cancelled_because"  // cancelled, reason
)

var reasonText = map[string]string{
	ReasonOnSchedule:        "not dispatched yet; latest dispatch is {latest_dispatch} (in {days_left} days)",
	ReasonInTransit:         "dispatched on {dispatched}; expected {expected_arrival}, due {due}",
	ReasonNotDispatched:     "not dispatched; latest dispatch was {latest_dispatch} ({days} days ago)",
	ReasonArrivalAfterDue:   "expected arrival {expected_arrival} is {days} days after the due date {due}",
	ReasonArrivalOverdue:    "dispatched on {dispatched}; expected {expected_arrival} but not delivered ({days} days overdue)",
	ReasonPastDue:           "not delivered ({stage}); due {due} ({days} days ago)",
	ReasonDeliveredOnTime:   "delivered on {delivered}; due {due}",
	ReasonDeliveredLate:     "delivered on {delivered}, {days} days after the due date {due}",
	ReasonDistributedPieces: "distributed {pieces} of {accepted} accepted pieces (last report {distributed})",
	ReasonPartlyDistributed: "distributed {pieces} of {accepted} accepted pieces, {left} still to hand out (last report {distributed})",
	ReasonCancelledBecause:  "cancelled on {cancelled}: {reason}",
}

// Text words the reason in English, filling in its parameters.
func (r Reason) Text() string {
	t, ok := reasonText[r.Code]
	if !ok {
		return r.Code
	}
	pairs := make([]string, 0, 2*len(r.Params))
	for k, v := range r.Params {
		pairs = append(pairs, "{"+k+"}", v)
	}
	return oneDays.ReplaceAllString(strings.NewReplacer(pairs...).Replace(t), "1 day")
}

// oneDays finds "1 days" (but not "21 days") to word the singular.
var oneDays = regexp.MustCompile(`\b1 days\b`)

func reason(code string, kv ...any) Reason {
	p := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i].(string)] = fmt.Sprint(kv[i+1])
	}
	return Reason{Code: code, Params: p}
}

// Status says whether the shipment will make its due date, as seen on today,
// with the reason in plain English (use Assess for the coded reason).
func (s *ShipmentRecord) Status(today Date) (Status, string) {
	st, r := s.Assess(today)
	return st, r.Text()
}

// Assess reads the shipment on today, in this order:
//
//   - cancelled, distributed and delivered are final readings of the log
//     (a delivery after the due date is "delivered", its reason says how late);
//     a shipment with distribution reports is "partially_distributed" while
//     any material has accepted pieces not yet reported as handed out;
//   - late: today is after the due date and there is no proof of delivery;
//   - at_risk, not dispatched: today is after the latest dispatch day (the
//     truck can no longer arrive by the due date), or the planned arrival is
//     already after the due date;
//   - at_risk, dispatched: today is after the expected arrival (real
//     dispatch day + planned transit days) with no delivery, or that
//     expected arrival is after the due date;
//   - otherwise on_track.
//
// Every comparison is strict: on its latest dispatch day or its due date a
// shipment is still on track.
func (s *ShipmentRecord) Assess(today Date) (Status, Reason) {
	st := s.State()
	switch st.Stage {
	case StageCancelled:
		return StatusCancelled, reason(ReasonCancelledBecause, "cancelled", st.CancelledOn, "reason", st.CancelReason)
	case StageDistributed:
		pieces, accepted := piecesTotal(st.Distributed), piecesTotal(st.Accepted)
		if st.partlyDistributed() {
			return StatusPartlyDistributed, reason(ReasonPartlyDistributed, "distributed", st.DistributedOn,
				"pieces", pieces, "accepted", accepted, "left", max(0, accepted-pieces))
		}
		return StatusDistributed, reason(ReasonDistributedPieces, "distributed", st.DistributedOn,
			"pieces", pieces, "accepted", accepted)
	case StageDelivered:
		if late := st.DeliveredOn.DaysSince(s.Due); late > 0 {
			return StatusDelivered, reason(ReasonDeliveredLate, "delivered", st.DeliveredOn, "due", s.Due, "days", late)
		}
		return StatusDelivered, reason(ReasonDeliveredOnTime, "delivered", st.DeliveredOn, "due", s.Due)
	}
	if today.After(s.Due) {
		return StatusLate, reason(ReasonPastDue, "due", s.Due, "days", today.DaysSince(s.Due), "stage", stageWords(st.Stage))
	}
	if st.Stage == StagePlanned {
		if today.After(s.LatestDispatch) {
			return StatusAtRisk, reason(ReasonNotDispatched, "latest_dispatch", s.LatestDispatch, "days", today.DaysSince(s.LatestDispatch))
		}
		if expected := s.ExpectedArrival(st, today); expected.After(s.Due) {
			return StatusAtRisk, reason(ReasonArrivalAfterDue, "expected_arrival", expected, "due", s.Due, "days", expected.DaysSince(s.Due))
		}
		return StatusOnTrack, reason(ReasonOnSchedule, "latest_dispatch", s.LatestDispatch, "days_left", s.LatestDispatch.DaysSince(today))
	}
	expected := s.ExpectedArrival(st, today)
	if today.After(expected) {
		return StatusAtRisk, reason(ReasonArrivalOverdue, "dispatched", st.DispatchedOn, "expected_arrival", expected, "days", today.DaysSince(expected))
	}
	if expected.After(s.Due) {
		return StatusAtRisk, reason(ReasonArrivalAfterDue, "expected_arrival", expected, "due", s.Due, "days", expected.DaysSince(s.Due))
	}
	return StatusOnTrack, reason(ReasonInTransit, "dispatched", st.DispatchedOn, "expected_arrival", expected, "due", s.Due)
}

// ExpectedArrival is when the shipment can be expected at its city, read
// on today: the real dispatch day plus the planned transit days once it
// has left; before that, the later of the planned dispatch day and today
// plus the transit days. A shipment that has not left cannot arrive
// earlier than today's departure would bring it, so once its planned
// dispatch day has passed its expected arrival moves with today instead
// of showing a day in the past (pages say "not dispatched yet" beside it).
func (s *ShipmentRecord) ExpectedArrival(st ShipmentState, today Date) Date {
	if st.DispatchedOn != nil {
		return st.DispatchedOn.AddDays(s.TransitDays)
	}
	if !today.After(s.Dispatch) {
		return s.Arrival // the planned dispatch day plus transit
	}
	return today.AddDays(s.TransitDays)
}

// partlyDistributed reports whether some material has accepted pieces
// that no distribution report has handed out yet.
func (st *ShipmentState) partlyDistributed() bool {
	for m, n := range st.Accepted {
		if st.Distributed[m] < n {
			return true
		}
	}
	return false
}

func stageWords(g Stage) string {
	switch g {
	case StagePlanned:
		return "not dispatched"
	case StageInTransit:
		return "in transit"
	}
	return string(g)
}
