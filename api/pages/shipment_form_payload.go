package pages

import (
	"strconv"
	"strings"

	"github.com/reparto/reparto/planner"
)

// The kind-specific fields of an event form. A lifecycle form names them
// as the event's JSON body does ("carrier", "lines[0].accepted"); a
// correction form names the fields of its replacement with the prefix
// "replacement." ("replacement.carrier", "replacement.lines[0].accepted"),
// so a FieldError path is always the name of its input.

// correctionForm is the correction form of event e as it currently reads:
// every field of e, pre-filled, so that any of them can be corrected.
func correctionForm(camp *planner.Campaign, sh *planner.ShipmentRecord, e planner.Event) *eventForm {
	f := newEventForm(planner.EventCorrection, nil)
	f.Corrects, f.Target, f.Defaults = e.ID, &e, e
	switch e.Kind {
	case planner.EventDispatched:
		loaded := map[string]int64{}
		for _, l := range e.Loaded {
			loaded[l.Material] = l.Pieces
		}
		f.Rows = materialRows(camp, sh, "replacement.loaded", nil)
		for i := range f.Rows {
			if n, ok := loaded[f.Rows[i].Material]; ok {
				f.Rows[i].Value = strconv.FormatInt(n, 10)
			}
		}
	case planner.EventDelivered:
		f.Rows = correctionRows(camp, sh, e)
	case planner.EventDistributed:
		for i, l := range e.Distribution {
			f.Rows = append(f.Rows, formRow{Prefix: "replacement.distribution", Index: i, Material: l.Material,
				Name: materialName(camp, l.Material), Category: l.Category, VenueID: l.VenueID, Value: strconv.FormatInt(l.Pieces, 10)})
		}
		for i := range 2 {
			f.Rows = append(f.Rows, formRow{Prefix: "replacement.distribution", Index: len(e.Distribution) + i})
		}
	}
	return f
}

// payload reads the kind-specific fields of an event of kind e.Kind named
// with prefix into e. With keep (a correction), an input the form did not
// send leaves e's current value, so a client that posts only what it
// changes does not blank the rest; an input sent empty clears the value.
func (fp *formParser) payload(e *planner.Event, rows []formRow, prefix string, keep bool) {
	text := func(dst *string, name string) {
		if !keep || fp.Values.Has(prefix+name) {
			*dst = fp.Str(prefix + name)
		}
	}
	text(&e.Note, "note")
	switch e.Kind {
	case planner.EventDispatched:
		text(&e.Carrier, "carrier")
		text(&e.Waybill, "waybill")
		text(&e.Vehicle, "vehicle")
		if !keep || fp.Values.Has(prefix+"boxes") {
			e.Boxes = fp.Count(prefix + "boxes")
		}
		if !keep || fp.sent(rows, "pieces") {
			e.Loaded = nil
			for _, r := range rows {
				if fp.Str(r.N("pieces")) != "" {
					fp.rows[r.Prefix] = append(fp.rows[r.Prefix], r.Index)
					e.Loaded = append(e.Loaded, planner.LoadedLine{Material: r.Material, Pieces: fp.Count(r.N("pieces"))})
				}
			}
		}
	case planner.EventInTransit:
		text(&e.Checkpoint, "checkpoint")
	case planner.EventDelivered:
		text(&e.DeliveredBy, "delivered_by")
		text(&e.ReceivedBy, "received_by")
		if fp.Values.Has(prefix + "boxes") { // the mobile receipt counts the boxes; the desktop form does not ask
			e.Boxes = fp.Count(prefix + "boxes")
		}
		e.Discrepancy = fp.Str(prefix+"discrepancy") != ""
		if !keep || fp.sent(rows, "accepted") {
			e.Lines = fp.deliveryLines(rows)
		}
	case planner.EventDistributed:
		if !keep || fp.sent(rows, "pieces") {
			e.Distribution = nil
			for _, r := range rows {
				if fp.Str(r.N("pieces")) == "" {
					continue
				}
				fp.rows[r.Prefix] = append(fp.rows[r.Prefix], r.Index)
				e.Distribution = append(e.Distribution, planner.DistributionLine{Material: fp.Str(r.N("material")),
					Category: fp.Str(r.N("category")), VenueID: fp.Str(r.N("venue_id")), Pieces: fp.Count(r.N("pieces"))})
			}
		}
	case planner.EventCancelled:
		text(&e.Reason, "reason")
	}
}

// sent reports whether the form sent input field of any of rows.
func (fp *formParser) sent(rows []formRow, field string) bool {
	for _, r := range rows {
		if fp.Values.Has(r.N(field)) {
			return true
		}
	}
	return false
}

// FieldID is the HTML id of input name of the form: "dispatched-carrier",
// "correction-12-replacement-carrier".
func (f *eventForm) FieldID(name string) string {
	return f.HTMLID() + "-" + strings.ReplaceAll(name, ".", "-")
}

// PayloadKind is the kind whose fields the form shows: its own, or for a
// correction the kind of the corrected event.
func (f *eventForm) PayloadKind() string {
	if f.Kind == planner.EventCorrection && f.Target != nil {
		return string(f.Target.Kind)
	}
	return string(f.Kind)
}

// Prefix is what the form's payload inputs are named with.
func (f *eventForm) Prefix() string {
	if f.Kind == planner.EventCorrection {
		return "replacement."
	}
	return ""
}
