package planner

import (
	"fmt"
	"slices"
)

// eventFields lists the kind-specific fields of an Event, whether e sets
// them, and the kinds they belong to; the id, date, note and server-set
// fields belong to every kind.
func eventFields(e Event) []struct {
	name  string
	set   bool
	kinds []EventKind
} {
	type f = struct {
		name  string
		set   bool
		kinds []EventKind
	}
	return []f{
		{"carrier", e.Carrier != "", []EventKind{EventDispatched}},
		{"waybill", e.Waybill != "", []EventKind{EventDispatched}},
		{"vehicle", e.Vehicle != "", []EventKind{EventDispatched}},
		{"boxes", e.Boxes != 0, []EventKind{EventDispatched, EventDelivered}},
		{"loaded", len(e.Loaded) > 0, []EventKind{EventDispatched}},
		{"checkpoint", e.Checkpoint != "", []EventKind{EventInTransit}},
		{"delivered_by", e.DeliveredBy != "", []EventKind{EventDelivered}},
		{"received_by", e.ReceivedBy != "", []EventKind{EventDelivered}},
		{"lines", len(e.Lines) > 0, []EventKind{EventDelivered}},
		{"discrepancy", e.Discrepancy, []EventKind{EventDelivered}},
		{"distribution", len(e.Distribution) > 0, []EventKind{EventDistributed}},
		{"reason", e.Reason != "", []EventKind{EventCancelled, EventCorrection}},
		{"corrects", e.Corrects != 0, []EventKind{EventCorrection}},
		{"replacement", e.Replacement != nil, []EventKind{EventCorrection}},
	}
}

// foreign rejects fields that do not belong to e's kind, so that a typo in a
// client never stores data that no view will ever show.
func (v *eventValidator) foreign(e Event, prefix string) {
	for _, f := range eventFields(e) {
		if f.set && !slices.Contains(f.kinds, e.Kind) {
			v.add(prefix+f.name, MsgNotApplicable, "does not apply to a %s event", e.Kind)
		}
	}
}

// dispatched checks the carrier, the boxes and, for a short load, the
// pieces loaded per material.
func (v *eventValidator) dispatched(e Event, prefix string) {
	if e.Carrier == "" {
		v.add(prefix+"carrier", MsgRequired, "is required")
	}
	switch {
	case e.Boxes < 1:
		v.add(prefix+"boxes", MsgAtLeastOne, "must be at least 1")
	case e.Boxes > v.s.Boxes:
		v.add(prefix+"boxes", MsgBoxesExceed, "must not exceed the %d planned boxes", v.s.Boxes)
	case e.Boxes < v.s.Boxes && len(e.Loaded) == 0 && (len(v.s.Packing) == 0 || e.Boxes != BoxCount(v.s.Packing)):
		// The packed count (labels 1..N) is the whole load too.
		v.add(prefix+"loaded", MsgLoadedRequired, "is required when fewer boxes than the %d planned are dispatched: list the pieces loaded per material", v.s.Boxes)
	}
	if len(e.Loaded) == 0 {
		return
	}
	seen := map[string]bool{}
	var boxes int64
	var loaded []ShipmentLine
	ok := true
	for i, l := range e.Loaded {
		path := fmt.Sprintf("%sloaded[%d]", prefix, i)
		planned, found := v.s.plannedLine(l.Material)
		switch {
		case !found:
			v.add(path+".material", MsgNotInShipment, "%q is not in this shipment", l.Material)
			ok = false
			continue
		case seen[l.Material]:
			v.add(path+".material", MsgListedTwice, "%q is listed twice", l.Material)
			ok = false
			continue
		}
		seen[l.Material] = true
		switch {
		case l.Pieces < 0:
			v.add(path+".pieces", MsgNegative, "must not be negative")
			ok = false
		case l.Pieces > planned.Pieces:
			v.add(path+".pieces", MsgPiecesExceed, "must not exceed the %d planned pieces", planned.Pieces)
			ok = false
		}
		if m, known := v.c.Material(l.Material); known && m.PackSize > 0 && m.PacksPerBox > 0 && l.Pieces > 0 {
			perBox := m.PackSize * m.PacksPerBox
			boxes += (l.Pieces + perBox - 1) / perBox
			packs := (l.Pieces + m.PackSize - 1) / m.PackSize // an opened pack still travels as a pack
			loaded = append(loaded, ShipmentLine{Material: m.Code, Packs: packs, Pieces: packs * m.PackSize})
		}
	}
	// The boxes that left may be whole boxes of one material or include
	// boxes where remainders were packed together (docs/planning.md#packing-boxes):
	// either count is what the pieces fill.
	packed := boxes
	if runs, err := PackBoxes(v.c.Materials, loaded); err == nil {
		packed = BoxCount(runs)
	}
	if ok && boxes != e.Boxes && packed != e.Boxes {
		v.add(prefix+"loaded", MsgLoadedBoxes, "the pieces listed fill %d boxes, not the %d dispatched", packed, e.Boxes)
	}
}

// delivered checks the proof of delivery: per material, accepted plus
// rejected equals what left the depot unless discrepancy is set, and any
// rejection says why.
func (v *eventValidator) delivered(st *ShipmentState, e Event, prefix string) {
	if e.DeliveredBy == "" {
		v.add(prefix+"delivered_by", MsgRequired, "is required")
	}
	if e.ReceivedBy == "" {
		v.add(prefix+"received_by", MsgRequired, "is required")
	}
	// Boxes received are optional (0: not counted, as on a receipt signed
	// before the boxes were labelled); counted, they cannot exceed what left.
	switch {
	case e.Boxes < 0:
		v.add(prefix+"boxes", MsgAtLeastOne, "must be at least 1")
	case e.Boxes > st.DispatchedBoxes && e.Boxes > 0:
		v.add(prefix+"boxes", MsgBoxesReceived, "must not exceed the %d boxes dispatched", st.DispatchedBoxes)
	}
	if len(e.Lines) == 0 {
		v.add(prefix+"lines", MsgLinesRequired, "is required: one line per material received")
		return
	}
	seen := map[string]bool{}
	for i, l := range e.Lines {
		path := fmt.Sprintf("%slines[%d]", prefix, i)
		if _, ok := v.s.plannedLine(l.Material); !ok {
			v.add(path+".material", MsgNotInShipment, "%q is not in this shipment", l.Material)
			continue
		}
		if seen[l.Material] {
			v.add(path+".material", MsgListedTwice, "%q is listed twice", l.Material)
			continue
		}
		seen[l.Material] = true
		switch {
		case l.Rejected > 0 && l.Reason == "":
			v.add(path+".reason", MsgRejectReason, "is required when pieces are rejected: damaged, lost, wrong_item or surplus")
		case l.Reason != "" && !l.Reason.Valid():
			v.add(path+".reason", MsgRejectKind, "must be one of damaged, lost, wrong_item, surplus")
		}
		v.deliveredPieces(l, st.Dispatched[l.Material], e.Discrepancy, path)
	}
	if e.Discrepancy {
		return
	}
	for _, pl := range v.s.Lines {
		if sent := st.Dispatched[pl.Material]; sent > 0 && !seen[pl.Material] {
			v.add(prefix+"lines", MsgLineMissing, "%q is missing (%d pieces dispatched); set discrepancy if it did not arrive", pl.Material, sent)
		}
	}
}

// deliveredPieces bounds one delivery line by what left the depot: each
// quantity is at least 0, accepted + rejected never exceeds the pieces
// dispatched (a discrepancy may only report fewer: the rest is missing),
// and without discrepancy the two add up to exactly that. The comparisons
// subtract from the bound instead of adding user numbers, so that no input
// can overflow them.
func (v *eventValidator) deliveredPieces(l DeliveryLine, sent int64, discrepancy bool, path string) {
	negative := false
	if l.Accepted < 0 {
		v.add(path+".accepted", MsgNegative, "must not be negative")
		negative = true
	}
	if l.Rejected < 0 {
		v.add(path+".rejected", MsgNegative, "must not be negative")
		negative = true
	}
	switch {
	case negative:
	case l.Accepted > sent:
		v.add(path+".accepted", MsgAcceptedExceeds, "must not exceed the %d pieces dispatched", sent)
	case l.Rejected > sent-l.Accepted:
		v.add(path+".rejected", MsgReceivedExceeds, "accepted %d + rejected %d exceed the %d pieces dispatched", l.Accepted, l.Rejected, sent)
	case !discrepancy && l.Accepted+l.Rejected != sent:
		v.add(path+".accepted", MsgReceivedDiffer, "accepted %d + rejected %d = %d pieces, but %d were dispatched; set discrepancy if that is what arrived",
			l.Accepted, l.Rejected, l.Accepted+l.Rejected, sent)
	}
}

// distributed checks that pieces go to known categories and venues that
// the material targets and that, over all distribution reports, no more is
// handed out than accepted. What is left to hand out is tracked by
// subtraction, so that no sum of user numbers can overflow.
func (v *eventValidator) distributed(st *ShipmentState, e Event, prefix string) {
	if len(e.Distribution) == 0 {
		v.add(prefix+"distribution", MsgDistribRequired, "is required: pieces per material and venue category")
		return
	}
	left := map[string]int64{}
	for m, n := range st.Accepted {
		left[m] = max(0, n-st.Distributed[m])
	}
	reported := map[string]bool{}
	for i, l := range e.Distribution {
		path := fmt.Sprintf("%sdistribution[%d]", prefix, i)
		_, planned := v.s.plannedLine(l.Material)
		if !planned {
			v.add(path+".material", MsgNotInShipment, "%q is not in this shipment", l.Material)
		}
		v.destination(path, l, planned)
		switch {
		case l.Pieces < 0:
			v.add(path+".pieces", MsgNegative, "must not be negative")
		case l.Pieces > left[l.Material] && !reported[l.Material]:
			v.add(path+".pieces", MsgDistribExceeds, "%d more pieces of %q exceed what is left to distribute: %d of the %d accepted",
				l.Pieces, l.Material, left[l.Material], st.Accepted[l.Material])
			reported[l.Material] = true
		case l.Pieces <= left[l.Material]:
			left[l.Material] -= l.Pieces
		}
	}
}

// destination checks where a distribution line's pieces went: a category
// the material targets, a registered venue of the shipment's city, or both
// (docs/tracking.md#distribution-to-venues). The targeting check needs a
// material of the shipment (planned); an unplanned one is reported apart.
func (v *eventValidator) destination(path string, l DistributionLine, planned bool) {
	if l.Category == "" && l.VenueID == "" {
		v.add(path+".category", MsgCategoryOrVenue, "is required: the venue category, or a registered venue (venue_id)")
		return
	}
	if l.Category != "" {
		switch _, ok := v.c.Category(l.Category); {
		case !ok:
			v.add(path+".category", MsgUnknownCategory, "%q is not a venue category of this campaign", l.Category)
			return
		case planned && !v.c.Targets(l.Material, l.Category):
			v.add(path+".category", MsgNotTargeted, "material %q does not target venue category %q: hand it out only to the categories it targets",
				l.Material, l.Category)
			return
		}
	}
	if l.VenueID != "" {
		v.venue(path, l, planned)
	}
}

// venue checks a distribution line's registered venue: it exists, it is
// of the line's category when one is given (else its own category must be
// targeted), and it belongs to the shipment's city, since the pieces of a
// city's shipment are handed out in that city.
func (v *eventValidator) venue(path string, l DistributionLine, planned bool) {
	ven, ok := v.c.venue(l.VenueID)
	switch {
	case !ok:
		v.add(path+".venue_id", MsgUnknownVenue, "%q is not a registered venue of this campaign", l.VenueID)
		return
	case l.Category != "" && ven.Category != l.Category:
		v.add(path+".venue_id", MsgVenueCategory, "venue %q is in category %q, not %q", l.VenueID, ven.Category, l.Category)
		return
	case l.Category == "" && planned && !v.c.Targets(l.Material, ven.Category):
		v.add(path+".venue_id", MsgVenueNotTarget, "material %[1]q does not target category %[3]q of venue %[2]q: hand it out only to the categories it targets",
			l.Material, l.VenueID, ven.Category)
		return
	}
	switch city := v.venueCity(ven); {
	case city == "":
		v.add(path+".venue_id", MsgVenueNoCity, "venue %q is not assigned to any city of this campaign, so no shipment can hand it pieces", l.VenueID)
	case city != v.s.City:
		v.add(path+".venue_id", MsgVenueCity, "venue %q belongs to city %q, not to %q, the city of this shipment", l.VenueID, city, v.s.City)
	}
}

// venueCity is the city the planner assigns ven to now (AssignedCities):
// its own city, else the nearest city whose radius reaches it.
func (v *eventValidator) venueCity(ven Venue) string {
	return AssignedCities(v.c.Cities, []Venue{ven})[0]
}
