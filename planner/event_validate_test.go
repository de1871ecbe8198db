package planner

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// validation case: the log so far, the new event and the field paths the
// error must name (nil: accepted).
type validateCase struct {
	name  string
	log   []Event
	event Event
	want  []string
}

func runValidateCases(t *testing.T, cases []validateCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := trFieldPaths(t, ValidateEvent(trShipment(tc.log...), tc.event, trCampaign(), trNow))
			if !slices.Equal(got, tc.want) {
				t.Errorf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

var (
	evD1  = evDispatched(1, "2009-03-10")
	evT2  = evInTransit(2, "2009-03-11")
	evDl3 = evDelivered(3, "2009-03-13", 0)
	evDs4 = evDistributed(4, "2009-03-14", DistributionLine{Material: "L3", Category: "NIGHTCLUB", Pieces: 6000})
	evC5  = evCancelled(5, "2009-03-09")
)

func TestValidateEventTransitions(t *testing.T) {
	runValidateCases(t, []validateCase{
		{"dispatched from planned", nil, evDispatched(0, "2009-03-10"), nil},
		{"dispatched twice", []Event{evD1}, evDispatched(0, "2009-03-12"), []string{"kind"}},
		{"dispatched after delivery", []Event{evD1, evDl3}, evDispatched(0, "2009-03-14"), []string{"kind"}},
		{"in_transit before dispatched", nil, evInTransit(0, "2009-03-11"), []string{"kind"}},
		{"in_transit after dispatched", []Event{evD1}, evInTransit(0, "2009-03-11"), nil},
		{"in_transit again", []Event{evD1, evT2}, evInTransit(0, "2009-03-12"), nil},
		{"in_transit after delivered", []Event{evD1, evDl3}, evInTransit(0, "2009-03-14"), []string{"kind"}},
		{"delivered before dispatched", nil, evDelivered(0, "2009-03-13", 0), []string{"kind"}},
		{"delivered after dispatched", []Event{evD1}, evDelivered(0, "2009-03-13", 0), nil},
		{"delivered after in_transit", []Event{evD1, evT2}, evDelivered(0, "2009-03-13", 0), nil},
		{"delivered twice", []Event{evD1, evDl3}, evDelivered(0, "2009-03-14", 0), []string{"kind"}},
		{"distributed before delivered", []Event{evD1, evT2}, evDs4, []string{"kind"}},
		{"distributed when planned", nil, evDs4, []string{"kind"}},
		{"distributed after delivered", []Event{evD1, evDl3}, evDs4, nil},
		{"distributed again", []Event{evD1, evDl3, evDs4}, evDistributed(0, "2009-03-15",
			DistributionLine{Material: "L3", Category: "SHELTER", Pieces: 4000}), nil},
		{"cancelled when planned", nil, evCancelled(0, "2009-03-09"), nil},
		{"cancelled after dispatched", []Event{evD1}, evCancelled(0, "2009-03-12"), nil},
		{"cancelled in transit", []Event{evD1, evT2}, evCancelled(0, "2009-03-12"), nil},
		{"cancelled after delivered", []Event{evD1, evDl3}, evCancelled(0, "2009-03-14"), []string{"kind"}},
		{"cancelled after distributed", []Event{evD1, evDl3, evDs4}, evCancelled(0, "2009-03-15"), []string{"kind"}},
		{"dispatched after cancelled", []Event{evC5}, evDispatched(0, "2009-03-10"), []string{"kind"}},
		{"cancelled twice", []Event{evC5}, evCancelled(0, "2009-03-10"), []string{"kind"}},
		{"correction after cancelled", []Event{evC5}, evCorrection(0, "2009-03-10", 5,
			Event{Date: trDay("2009-03-09"), Reason: "duplicate city"}), nil},
		{"unknown kind", nil, Event{Kind: "lost", Date: trDay("2009-03-10")}, []string{"kind"}},
		{"missing kind", nil, Event{Date: trDay("2009-03-10")}, []string{"kind"}},
	})
}

func TestValidateEventDates(t *testing.T) {
	bare := func(date string) Event { e := evDispatched(0, "2009-03-10"); e.Date = trDay(date); return e }
	runValidateCases(t, []validateCase{
		{"missing date", nil, Event{Kind: EventDispatched, Carrier: "Estafeta", Boxes: 10}, []string{"date"}},
		{"on campaign start", nil, bare("2009-01-12"), nil},
		{"before campaign start", nil, bare("2009-01-11"), []string{"date"}},
		{"today by the campaign's clock", nil, bare("2009-03-20"), nil},
		{"tomorrow", nil, bare("2009-03-21"), []string{"date"}},
		{"same day as previous event", []Event{evD1}, evInTransit(0, "2009-03-10"), nil},
		{"before previous event", []Event{evD1}, evInTransit(0, "2009-03-09"), []string{"date"}},
		// the dispatch date was corrected to 03-12: the previous date is the corrected one
		{"before corrected previous event", []Event{evD1, evCorrection(9, "2009-03-12", 1, evDispatched(0, "2009-03-12"))},
			evInTransit(0, "2009-03-11"), []string{"date"}},
	})
}

func TestValidateEventTodayIsTheCampaignsZone(t *testing.T) {
	// 03:30 UTC on 03-21 is still 21:30 on 03-20 in Mexico City, the
	// campaign's zone: 03-21 is tomorrow there.
	now := time.Date(2009, time.March, 21, 3, 30, 0, 0, time.UTC)
	e := evDispatched(0, "2009-03-21")
	if err := ValidateEvent(trShipment(), e, trCampaign(), now); err == nil {
		t.Fatal("2009-03-21 accepted at 21:30 on 2009-03-20 in Mexico City")
	}
	e.Date = trDay("2009-03-20")
	if err := ValidateEvent(trShipment(), e, trCampaign(), now); err != nil {
		t.Fatal(err)
	}
}

// A campaign with a simulated date refuses events after it, whatever the
// clock says (a dispatch dated 2009-05-30 was accepted while the demo's
// today was 2009-03-20).
func TestValidateEventAfterSimulatedToday(t *testing.T) {
	c := trCampaign()
	c.AsOf = trDayp("2009-03-20")
	now := time.Date(2026, time.December, 7, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		date string
		want []string
	}{{"2009-03-20", nil}, {"2009-03-21", []string{"date"}}, {"2009-05-30", []string{"date"}}} {
		got := trFieldPaths(t, ValidateEvent(trShipment(), evDispatched(0, tc.date), c, now))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: fields = %v, want %v", tc.date, got, tc.want)
		}
	}
	corr := evCorrection(0, "2009-03-20", 1, evDispatched(0, "2009-05-30"))
	got := trFieldPaths(t, ValidateEvent(trShipment(evD1), corr, c, now))
	if !slices.Equal(got, []string{"replacement.date"}) {
		t.Errorf("correction to a future date: fields = %v, want [replacement.date]", got)
	}
}

func TestValidateEventDispatched(t *testing.T) {
	with := func(f func(*Event)) Event { e := evDispatched(0, "2009-03-10"); f(&e); return e }
	short := func(l3, p1 int64, boxes int64) Event {
		return with(func(e *Event) {
			e.Boxes = boxes
			e.Loaded = []LoadedLine{{Material: "L3", Pieces: l3}, {Material: "P1", Pieces: p1}}
		})
	}
	runValidateCases(t, []validateCase{
		{"missing carrier", nil, with(func(e *Event) { e.Carrier = "" }), []string{"carrier"}},
		{"no boxes", nil, with(func(e *Event) { e.Boxes = 0 }), []string{"boxes"}},
		{"negative boxes", nil, with(func(e *Event) { e.Boxes = -1 }), []string{"boxes"}},
		{"more boxes than planned", nil, with(func(e *Event) { e.Boxes = 11 }), []string{"boxes"}},
		{"short without loaded", nil, with(func(e *Event) { e.Boxes = 7 }), []string{"loaded"}},
		// 4,000 L3 = 2 boxes of 2,000; 500 P1 = 5 boxes of 100: 7 boxes
		{"short with loaded", nil, short(4000, 500, 7), nil},
		// 4,001 L3 needs a third box
		{"loaded fills more boxes", nil, short(4001, 500, 7), []string{"loaded"}},
		// 3,000 L3 = 1½ boxes, 50 P1 = ½ box: 3 boxes one material per
		// box, or 2 with the halves packed together
		{"loaded packed with a shared box", nil, short(3000, 50, 2), nil},
		{"loaded one material per box", nil, short(3000, 50, 3), nil},
		{"loaded fills more than packed", nil, short(3000, 50, 1), []string{"loaded"}},
		{"loaded unknown material", nil, with(func(e *Event) {
			e.Loaded = []LoadedLine{{Material: "X9", Pieces: 1}}
		}), []string{"loaded[0].material"}},
		{"loaded twice", nil, with(func(e *Event) {
			e.Loaded = []LoadedLine{{Material: "L3", Pieces: 10000}, {Material: "L3", Pieces: 1}}
		}), []string{"loaded[1].material"}},
		{"loaded negative", nil, short(-2000, 500, 4), []string{"loaded[0].pieces"}},
		{"loaded above plan", nil, short(10000, 600, 10), []string{"loaded[1].pieces"}},
		{"field of another kind", nil, with(func(e *Event) { e.Checkpoint = "Puebla" }), []string{"checkpoint"}},
	})
}

func TestValidateEventDelivered(t *testing.T) {
	with := func(f func(*Event)) Event { e := evDelivered(0, "2009-03-13", 0); f(&e); return e }
	shortDispatch := evDispatched(1, "2009-03-10")
	shortDispatch.Boxes = 7
	shortDispatch.Loaded = []LoadedLine{{Material: "L3", Pieces: 4000}, {Material: "P1", Pieces: 500}}
	runValidateCases(t, []validateCase{
		{"all accepted", []Event{evD1}, with(func(*Event) {}), nil},
		{"rejected with reason", []Event{evD1}, evDelivered(0, "2009-03-13", 300), nil},
		{"missing delivered_by and received_by", []Event{evD1}, with(func(e *Event) { e.DeliveredBy, e.ReceivedBy = "", "" }),
			[]string{"delivered_by", "received_by"}},
		{"no lines", []Event{evD1}, with(func(e *Event) { e.Lines = nil }), []string{"lines"}},
		{"rejected without reason", []Event{evD1}, with(func(e *Event) { e.Lines[0].Accepted, e.Lines[0].Rejected = 9000, 1000 }),
			[]string{"lines[0].reason"}},
		{"unknown reason", []Event{evD1}, with(func(e *Event) {
			e.Lines[0].Accepted, e.Lines[0].Rejected, e.Lines[0].Reason = 9000, 1000, "stolen"
		}), []string{"lines[0].reason"}},
		{"every reason is valid", []Event{evD1}, with(func(e *Event) {
			e.Lines = []DeliveryLine{{Material: "L3", Accepted: 9000, Rejected: 1000, Reason: RejectLost},
				{Material: "P1", Accepted: 400, Rejected: 100, Reason: RejectWrongItem}}
		}), nil},
		{"surplus reason", []Event{evD1}, with(func(e *Event) {
			e.Lines[1] = DeliveryLine{Material: "P1", Accepted: 100, Rejected: 400, Reason: RejectSurplus}
		}), nil},
		{"negative accepted", []Event{evD1}, with(func(e *Event) {
			e.Lines[0] = DeliveryLine{Material: "L3", Accepted: -5, Rejected: 10005, Reason: RejectDamaged}
		}), []string{"lines[0].accepted"}},
		{"negative rejected", []Event{evD1}, with(func(e *Event) {
			e.Lines[0] = DeliveryLine{Material: "L3", Accepted: 10010, Rejected: -10}
		}), []string{"lines[0].rejected"}},
		{"sum differs from dispatched", []Event{evD1}, with(func(e *Event) { e.Lines[0].Accepted = 9500 }),
			[]string{"lines[0].accepted"}},
		{"sum differs with discrepancy", []Event{evD1}, with(func(e *Event) { e.Lines[0].Accepted, e.Discrepancy = 9500, true }), nil},
		{"material not in shipment", []Event{evD1}, with(func(e *Event) {
			e.Lines = append(e.Lines, DeliveryLine{Material: "X9", Accepted: 1})
		}), []string{"lines[2].material"}},
		{"material twice", []Event{evD1}, with(func(e *Event) { e.Lines[1] = e.Lines[0] }),
			[]string{"lines[1].material", "lines"}},
		{"material missing", []Event{evD1}, with(func(e *Event) { e.Lines = e.Lines[:1] }), []string{"lines"}},
		{"material missing with discrepancy", []Event{evD1}, with(func(e *Event) { e.Lines, e.Discrepancy = e.Lines[:1], true }), nil},
		{"short dispatch delivered as loaded", []Event{shortDispatch}, with(func(e *Event) { e.Lines[0].Accepted = 4000 }), nil},
		{"short dispatch delivered as planned", []Event{shortDispatch}, with(func(*Event) {}), []string{"lines[0].accepted"}},
		{"field of another kind", []Event{evD1}, with(func(e *Event) { e.Carrier = "DHL" }), []string{"carrier"}},
		{"boxes received counted", []Event{evD1}, with(func(e *Event) { e.Boxes = 10 }), nil},
		{"fewer boxes received", []Event{evD1}, with(func(e *Event) { e.Boxes = 3 }), nil},
		{"more boxes received than dispatched", []Event{shortDispatch}, with(func(e *Event) { e.Lines[0].Accepted, e.Boxes = 4000, 8 }),
			[]string{"boxes"}},
		{"negative boxes received", []Event{evD1}, with(func(e *Event) { e.Boxes = -1 }), []string{"boxes"}},
	})
}

func TestValidateEventDistributedAndCancelled(t *testing.T) {
	rejected := evDelivered(3, "2009-03-13", 1000) // 9,000 L3 accepted
	line := func(m, c, v string, n int64) DistributionLine {
		return DistributionLine{Material: m, Category: c, VenueID: v, Pieces: n}
	}
	runValidateCases(t, []validateCase{
		{"all accepted distributed", []Event{evD1, rejected}, evDistributed(0, "2009-03-14",
			line("L3", "NIGHTCLUB", "", 5000), line("L3", "SHELTER", "v-2", 4000), line("P1", "NIGHTCLUB", "v-1", 500)), nil},
		{"more than accepted", []Event{evD1, rejected}, evDistributed(0, "2009-03-14",
			line("L3", "NIGHTCLUB", "", 5000), line("L3", "SHELTER", "", 4001)), []string{"distribution[1].pieces"}},
		{"more than accepted over two reports", []Event{evD1, rejected, evDs4}, evDistributed(0, "2009-03-15",
			line("L3", "SHELTER", "", 3001)), []string{"distribution[0].pieces"}},
		{"unknown category", []Event{evD1, evDl3}, evDistributed(0, "2009-03-14", line("L3", "BAR", "", 1)),
			[]string{"distribution[0].category"}},
		{"unknown venue", []Event{evD1, evDl3}, evDistributed(0, "2009-03-14", line("L3", "SHELTER", "v-9", 1)),
			[]string{"distribution[0].venue_id"}},
		{"venue of another category", []Event{evD1, evDl3}, evDistributed(0, "2009-03-14", line("L3", "NIGHTCLUB", "v-2", 1)),
			[]string{"distribution[0].venue_id"}},
		{"negative pieces", []Event{evD1, evDl3}, evDistributed(0, "2009-03-14", line("L3", "NIGHTCLUB", "", -1)),
			[]string{"distribution[0].pieces"}},
		{"material not in shipment", []Event{evD1, evDl3}, evDistributed(0, "2009-03-14", line("X9", "NIGHTCLUB", "", 0)),
			[]string{"distribution[0].material"}},
		{"no lines", []Event{evD1, evDl3}, evDistributed(0, "2009-03-14"), []string{"distribution"}},
		{"cancel without reason", nil, Event{Kind: EventCancelled, Date: trDay("2009-03-09")}, []string{"reason"}},
	})
}

func TestValidateEventCorrection(t *testing.T) {
	log := []Event{evD1, evT2, evDl3, evDs4}
	runValidateCases(t, []validateCase{
		{"correct delivered quantities", log, evCorrection(0, "2009-03-20", 3, evDelivered(0, "2009-03-13", 400)), nil},
		{"kind may be left out", log, evCorrection(0, "2009-03-20", 2, Event{Date: trDay("2009-03-12")}), nil},
		{"missing corrects", log, Event{Kind: EventCorrection, Date: trDay("2009-03-20"), Reason: "x", Replacement: &evT2},
			[]string{"corrects"}},
		{"unknown event", log, evCorrection(0, "2009-03-20", 99, evT2), []string{"corrects"}},
		{"correcting a correction", append(slices.Clone(log), evCorrection(8, "2009-03-20", 2, evT2)),
			evCorrection(0, "2009-03-20", 8, evT2), []string{"corrects"}},
		{"missing reason", log, func() Event { e := evCorrection(0, "2009-03-20", 2, evT2); e.Reason = ""; return e }(),
			[]string{"reason"}},
		{"missing replacement", log, Event{Kind: EventCorrection, Date: trDay("2009-03-20"), Corrects: 2, Reason: "x"},
			[]string{"replacement"}},
		{"missing date", log, func() Event { e := evCorrection(0, "2009-03-20", 2, evT2); e.Date = Date{}; return e }(),
			[]string{"date"}},
		{"other kind", log, evCorrection(0, "2009-03-20", 2, evCancelled(0, "2009-03-11")), []string{"replacement.kind"}},
		{"invalid replacement", log, evCorrection(0, "2009-03-20", 3, func() Event {
			e := evDelivered(0, "2009-03-13", 400)
			e.Lines[0].Reason = ""
			return e
		}()), []string{"replacement.lines[0].reason"}},
		{"replacement before previous event", log, evCorrection(0, "2009-03-20", 2, evInTransit(0, "2009-03-09")),
			[]string{"replacement.date"}},
		// moving the dispatch after the in_transit report breaks event 2
		{"breaks a later event", log, evCorrection(0, "2009-03-20", 1, evDispatched(0, "2009-03-12")),
			[]string{"replacement"}},
		// 6,000 L3 were distributed: accepting only 5,000 cannot stand
		{"accepted below distributed", log, evCorrection(0, "2009-03-20", 3, evDelivered(0, "2009-03-13", 5000)),
			[]string{"replacement"}},
		{"field of another kind", log, func() Event { e := evCorrection(0, "2009-03-20", 2, evT2); e.Boxes = 3; return e }(),
			[]string{"boxes"}},
	})
}

func TestValidateEventMessages(t *testing.T) {
	err := ValidateEvent(trShipment(), evDelivered(0, "2009-03-13", 0), trCampaign(), trNow)
	if msg := ErrorMessage(err); !strings.Contains(msg, "not been dispatched") {
		t.Errorf("message %q does not say the shipment was not dispatched", msg)
	}
	e := evDelivered(0, "2009-03-13", 0)
	e.Lines[0].Accepted = 9500
	err = ValidateEvent(trShipment(evD1), e, trCampaign(), trNow)
	if msg := ErrorFields(err)[0].Message; !strings.Contains(msg, "9500") || !strings.Contains(msg, "10000") {
		t.Errorf("message %q does not give the quantities", msg)
	}
}

// Distribution lines that name a registered venue: the category may be
// left out (it is the venue's), and the venue must be of a targeted
// category and belong to the shipment's city.
func TestValidateEventDistributedToVenues(t *testing.T) {
	c := trCampaign()
	c.Venues = append(c.Venues,
		Venue{ID: "v-3", Category: "NIGHTCLUB", City: "OAX"},             // another city
		Venue{ID: "v-4", Category: "NIGHTCLUB"},                          // no city, no city nearby
		Venue{ID: "v-5", Category: "NIGHTCLUB", Lat: 14.91, Lon: -92.26}, // within Tapachula's radius
	)
	c.Cities = []City{{Code: "TAP", Lat: 14.9, Lon: -92.27, RadiusKm: 15}, {Code: "OAX", Lat: 17.06, Lon: -96.72, RadiusKm: 15}}
	log := []Event{evD1, evDl3}
	line := func(m, k, v string, n int64) DistributionLine {
		return DistributionLine{Material: m, Category: k, VenueID: v, Pieces: n}
	}
	for _, tc := range []struct {
		name string
		line DistributionLine
		want []string
	}{
		{"venue without category", line("L3", "", "v-1", 100), nil},
		{"venue with its category", line("L3", "NIGHTCLUB", "v-1", 100), nil},
		{"venue assigned by distance", line("P1", "", "v-5", 10), nil},
		{"category without venue", line("L3", "NIGHTCLUB", "", 100), nil},
		{"neither category nor venue", line("L3", "", "", 100), []string{"distribution[0].category"}},
		{"unknown venue without category", line("L3", "", "v-9", 1), []string{"distribution[0].venue_id"}},
		{"venue of another category", line("L3", "SHELTER", "v-1", 1), []string{"distribution[0].venue_id"}},
		{"venue category not targeted", line("P1", "", "v-2", 1), []string{"distribution[0].venue_id"}},
		{"given category not targeted", line("P1", "SHELTER", "v-2", 1), []string{"distribution[0].category"}},
		{"venue of another city", line("L3", "", "v-3", 1), []string{"distribution[0].venue_id"}},
		{"venue of no city", line("L3", "NIGHTCLUB", "v-4", 1), []string{"distribution[0].venue_id"}},
		{"venue line above accepted", line("L3", "", "v-1", 10001), []string{"distribution[0].pieces"}},
		{"unknown category and venue", line("L3", "BAR", "v-9", 1), []string{"distribution[0].category"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := evDistributed(0, "2009-03-14", tc.line)
			got := trFieldPaths(t, ValidateEvent(trShipment(log...), e, c, trNow))
			if !slices.Equal(got, tc.want) {
				t.Errorf("fields = %v, want %v (%v)", got, tc.want, ValidateEvent(trShipment(log...), e, c, trNow))
			}
		})
	}
}

// The messages of the venue rules give the venue, its city or category
// and the shipment's city, and carry their own ids.
func TestValidateEventVenueMessages(t *testing.T) {
	c := trCampaign()
	c.Venues = append(c.Venues, Venue{ID: "v-3", Category: "NIGHTCLUB", City: "OAX"}, Venue{ID: "v-4", Category: "NIGHTCLUB"})
	for _, tc := range []struct {
		line DistributionLine
		id   MsgID
		text string
	}{
		{DistributionLine{Material: "L3", VenueID: "v-3", Pieces: 1}, MsgVenueCity, `venue "v-3" belongs to city "OAX", not to "TAP", the city of this shipment`},
		{DistributionLine{Material: "L3", VenueID: "v-4", Pieces: 1}, MsgVenueNoCity, `venue "v-4" is not assigned to any city`},
		{DistributionLine{Material: "P1", VenueID: "v-2", Pieces: 1}, MsgVenueNotTarget, `material "P1" does not target category "SHELTER" of venue "v-2"`},
		{DistributionLine{Material: "L3", Pieces: 1}, MsgCategoryOrVenue, `is required: the venue category, or a registered venue`},
	} {
		err := ValidateEvent(trShipment(evD1, evDl3), evDistributed(0, "2009-03-14", tc.line), c, trNow)
		fs := ErrorFields(err)
		if len(fs) != 1 || fs[0].ID != tc.id || !strings.Contains(fs[0].Message, tc.text) {
			t.Errorf("%+v: errors %+v, want one %s containing %q", tc.line, fs, tc.id, tc.text)
		}
	}
}

// A venue line without category is recorded with the venue's category,
// in the event and in a correction's replacement; the caller's event is
// not changed and lines that need nothing are shared.
func TestCompleteDistribution(t *testing.T) {
	c := trCampaign()
	lines := []DistributionLine{{Material: "L3", VenueID: "v-2", Pieces: 4}, {Material: "L3", Category: "NIGHTCLUB", Pieces: 5},
		{Material: "L3", VenueID: "v-9", Pieces: 1}}
	e := evDistributed(0, "2009-03-14", lines...)
	got := CompleteDistribution(e, c)
	if got.Distribution[0].Category != "SHELTER" || got.Distribution[1].Category != "NIGHTCLUB" || got.Distribution[2].Category != "" {
		t.Errorf("completed lines = %+v", got.Distribution)
	}
	if lines[0].Category != "" {
		t.Error("the caller's lines were changed")
	}
	corr := evCorrection(0, "2009-03-20", 4, evDistributed(0, "2009-03-14", lines[0]))
	if r := CompleteDistribution(corr, c).Replacement; r.Distribution[0].Category != "SHELTER" || corr.Replacement.Distribution[0].Category != "" {
		t.Errorf("replacement = %+v, caller's = %+v", r.Distribution, corr.Replacement.Distribution)
	}
	plain := evDistributed(0, "2009-03-14", lines[1])
	if out := CompleteDistribution(plain, c); &out.Distribution[0] != &plain.Distribution[0] {
		t.Error("a report without venue lines was copied")
	}
}
