package planner

import (
	"time"
)

// ValidateEvent checks that e may be appended to s's log. It returns nil or
// an *Error with code EInvalid whose FieldErrors name the offending fields
// by their JSON path in the request body ("date", "lines[0].reason",
// "replacement.lines[1].accepted"), so that a form can show each message
// next to its field.
//
// The rules: a shipment moves planned → dispatched → (in_transit)* →
// delivered → (distributed)*; it may be cancelled until it is delivered and
// nothing but a correction follows a cancellation. Dates lie between the
// campaign start and the campaign's today (c.Today: its simulated as_of, or
// the clock in the campaign's time zone) and never before the previous
// lifecycle event. The payload rules of each kind are in event_payload.go.
// A correction must amend an existing non-correction event of s, and the log
// with the correction applied must still satisfy every rule.
func ValidateEvent(s *ShipmentRecord, e Event, c *Campaign, now time.Time) error {
	if e.Kind != EventCorrection {
		return ValidateEventOn(s, s.LogState(), e, c, now)
	}
	v := eventValidator{s: s, c: c, latest: c.Today(now)}
	v.correction(e)
	return v.result()
}

type eventValidator struct {
	s      *ShipmentRecord
	c      *Campaign
	latest Date // last acceptable event date
	errs   []FieldError
}

// result is nil, or the field errors found as one EInvalid error.
func (v *eventValidator) result() error {
	if len(v.errs) == 0 {
		return nil
	}
	return Invalid(v.errs...)
}

func (v *eventValidator) add(path string, id MsgID, format string, args ...any) {
	v.errs = append(v.errs, Fieldf(path, id, format, args...))
}

// check validates a lifecycle event against the state before it; paths are
// prefixed with prefix ("replacement." inside a correction).
func (v *eventValidator) check(st *ShipmentState, e Event, prefix string) {
	if !v.transition(st, e.Kind, prefix) {
		return
	}
	v.date(e.Date, prefix)
	if st.LastEventOn != nil && !e.Date.IsZero() && e.Date.Before(*st.LastEventOn) {
		v.add(prefix+"date", MsgBeforePrevious, "must not be before %s, the date of the previous event", st.LastEventOn)
	}
	v.foreign(e, prefix)
	switch e.Kind {
	case EventDispatched:
		v.dispatched(e, prefix)
	case EventDelivered:
		v.delivered(st, e, prefix)
	case EventDistributed:
		v.distributed(st, e, prefix)
	case EventCancelled:
		if e.Reason == "" {
			v.add(prefix+"reason", MsgCancelReason, "is required: say why the shipment is cancelled")
		}
	}
}

// transition reports whether kind may follow the current stage.
func (v *eventValidator) transition(st *ShipmentState, kind EventKind, prefix string) bool {
	path := prefix + "kind"
	from := st.Stage
	if from == StageCancelled {
		v.add(path, MsgWasCancelled, "the shipment was cancelled on %s; only a correction can be recorded", st.CancelledOn)
		return false
	}
	switch kind {
	case EventDispatched:
		if from == StagePlanned {
			return true
		}
		v.add(path, MsgWasDispatched, "the shipment was already dispatched on %s", st.DispatchedOn)
	case EventInTransit, EventDelivered:
		if from == StageDispatched || from == StageInTransit {
			return true
		}
		if from == StagePlanned {
			v.add(path, MsgNotDispatched, "the shipment has not been dispatched yet: it cannot be %s before it is dispatched", kindWords(kind))
		} else {
			v.add(path, MsgWasDelivered, "the shipment was already delivered on %s", st.DeliveredOn)
		}
	case EventDistributed:
		if from == StageDelivered || from == StageDistributed {
			return true
		}
		v.add(path, MsgNotDelivered, "the shipment has not been delivered yet: it cannot be distributed before it is delivered")
	case EventCancelled:
		if !from.Delivered() {
			return true
		}
		v.add(path, MsgDeliveredCancel, "the shipment was delivered on %s: a delivered shipment cannot be cancelled", st.DeliveredOn)
	case "":
		v.add(path, MsgRequired, "is required")
	default:
		v.add(path, MsgEventKind, "must be one of dispatched, in_transit, delivered, distributed, cancelled, correction")
	}
	return false
}

func kindWords(k EventKind) string {
	if k == EventInTransit {
		return "in transit"
	}
	return string(k)
}

// date checks the calendar bounds every event date must respect.
func (v *eventValidator) date(d Date, prefix string) {
	path := prefix + "date"
	switch {
	case d.IsZero():
		v.add(path, MsgRequired, "is required")
	case d.Before(v.c.Start):
		v.add(path, MsgBeforeCampaign, "must not be before the campaign start %s", v.c.Start)
	case d.After(v.latest):
		v.add(path, MsgAfterToday, "must not be after %s, the campaign's today", v.latest)
	}
}

// correction validates an amendment: its reference, then the whole log as
// it would read with the replacement, so a corrected date or quantity
// cannot break a later event either.
func (v *eventValidator) correction(e Event) {
	v.date(e.Date, "")
	v.foreign(e, "")
	if e.Reason == "" {
		v.add("reason", MsgCorrectReason, "is required: say why the event is corrected")
	}
	if e.Corrects == 0 {
		v.add("corrects", MsgCorrectsNeeded, "is required: the id of the event to correct")
		return
	}
	target, ok := v.s.eventByID(e.Corrects)
	switch {
	case !ok:
		v.add("corrects", MsgNotThisShipment, "event %d is not an event of this shipment", e.Corrects)
		return
	case target.Kind == EventCorrection:
		v.add("corrects", MsgCorrectsCorr, "event %d is itself a correction; correct the original event instead", e.Corrects)
		return
	}
	if e.Replacement == nil {
		v.add("replacement", MsgReplacementNeed, "is required: the corrected %s event", target.Kind)
		return
	}
	r := *e.Replacement
	if r.Kind == "" {
		r.Kind = target.Kind
	}
	if r.Kind != target.Kind {
		v.add("replacement.kind", MsgReplacementKind, "must be %s, the kind of event %d", target.Kind, target.ID)
		return
	}
	if r.Replacement != nil || r.Corrects != 0 {
		v.add("replacement", MsgReplacementCorr, "must not itself be a correction")
		return
	}
	e.Replacement = &r
	v.replay(e)
}

// replay folds the log with correction e applied, checking the replacement
// against the state before it and every later event against the new state.
func (v *eventValidator) replay(e Event) {
	amended := *v.s
	amended.Events = append(append([]Event{}, v.s.Events...), e)
	eff, _ := amended.effectiveEvents()
	st := newShipmentState()
	after := false
	for _, ev := range eff {
		switch {
		case ev.ID == e.Corrects:
			v.check(&st, ev, "replacement.")
			after = true
		case after:
			later := eventValidator{s: v.s, c: v.c, latest: v.latest}
			later.check(&st, ev, "")
			if len(later.errs) > 0 {
				v.add("replacement", MsgReplacementBad, "would make event %d (%s) invalid: %s", ev.ID, ev.Kind, later.errs[0])
			}
		}
		st.apply(&amended, ev)
	}
}
