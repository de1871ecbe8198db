package planner

import (
	"math"
	"slices"
	"testing"
)

// Issue 12.3: no quantity of an event may exceed what the shipment can
// physically hold, and no check may overflow on the way.
func TestValidateEventQuantityBounds(t *testing.T) {
	const huge = math.MaxInt64
	delivered := func(discrepancy bool, lines ...DeliveryLine) Event {
		e := evDelivered(0, "2009-03-13", 0)
		e.Lines, e.Discrepancy = lines, discrepancy
		return e
	}
	l3 := func(accepted, rejected int64) DeliveryLine {
		l := DeliveryLine{Material: "L3", Accepted: accepted, Rejected: rejected}
		if rejected != 0 {
			l.Reason = RejectDamaged
		}
		return l
	}
	p1 := DeliveryLine{Material: "P1", Accepted: 500}
	dist := func(lines ...DistributionLine) Event { return evDistributed(0, "2009-03-15", lines...) }
	line := func(m, c string, n int64) DistributionLine {
		return DistributionLine{Material: m, Category: c, Pieces: n}
	}
	short := evDispatched(0, "2009-03-10")
	short.Boxes, short.Loaded = 7, []LoadedLine{{Material: "L3", Pieces: huge}, {Material: "P1", Pieces: 500}}
	hugeBoxes := evDispatched(0, "2009-03-10")
	hugeBoxes.Boxes = huge
	runValidateCases(t, []validateCase{
		{"dispatched boxes beyond int range", nil, hugeBoxes, []string{"boxes"}},
		{"loaded pieces beyond int range", nil, short, []string{"loaded[0].pieces"}},
		{"discrepancy accepting more than dispatched", []Event{evD1}, delivered(true, l3(huge, 0), p1), []string{"lines[0].accepted"}},
		{"discrepancy accepting one piece more", []Event{evD1}, delivered(true, l3(10001, 0), p1), []string{"lines[0].accepted"}},
		{"discrepancy rejecting beyond int range", []Event{evD1}, delivered(true, l3(10000, huge), p1), []string{"lines[0].rejected"}},
		{"discrepancy rejecting more than is left", []Event{evD1}, delivered(true, l3(9000, 1001), p1), []string{"lines[0].rejected"}},
		// 9,000 + (MaxInt64 − 8,999) wraps to a negative sum: it must not pass as "fewer"
		{"sum that wraps around", []Event{evD1}, delivered(false, l3(9000, huge-8999), p1), []string{"lines[0].rejected"}},
		{"discrepancy with fewer pieces", []Event{evD1}, delivered(true, l3(9000, 300), p1), nil},
		{"discrepancy with everything", []Event{evD1}, delivered(true, l3(9700, 300), p1), nil},
		// the attack: 6,000 already distributed, then MaxInt64 more
		{"distribution beyond int range after a report", []Event{evD1, evDl3, evDs4}, dist(line("L3", "SHELTER", huge)),
			[]string{"distribution[0].pieces"}},
		{"distribution beyond int range in a second line", []Event{evD1, evDl3}, dist(line("L3", "SHELTER", 100), line("L3", "NIGHTCLUB", huge)),
			[]string{"distribution[1].pieces"}},
		{"two lines that together wrap around", []Event{evD1, evDl3}, dist(line("L3", "SHELTER", huge), line("L3", "NIGHTCLUB", huge)),
			[]string{"distribution[0].pieces"}},
		{"distribution of exactly what is left", []Event{evD1, evDl3, evDs4}, dist(line("L3", "SHELTER", 4000), line("P1", "NIGHTCLUB", 500)), nil},
		{"distribution one piece beyond what is left", []Event{evD1, evDl3, evDs4}, dist(line("L3", "SHELTER", 4001)),
			[]string{"distribution[0].pieces"}},
		{"correction accepting beyond int range", []Event{evD1, evDl3}, evCorrection(0, "2009-03-20", 3, delivered(true, l3(huge, 0), p1)),
			[]string{"replacement.lines[0].accepted"}},
	})
}

// Issue 9.5: a material is handed out only to the categories it targets.
func TestValidateEventDistributionTargeting(t *testing.T) {
	line := func(m, c string, n int64) DistributionLine {
		return DistributionLine{Material: m, Category: c, Pieces: n}
	}
	log := []Event{evD1, evDl3}
	runValidateCases(t, []validateCase{
		{"targeted categories", log, evDistributed(0, "2009-03-14", line("L3", "SHELTER", 10), line("P1", "NIGHTCLUB", 10)), nil},
		{"category the material does not target", log, evDistributed(0, "2009-03-14", line("L3", "SHELTER", 10), line("P1", "SHELTER", 10)),
			[]string{"distribution[1].category"}},
		{"correction moving pieces to an untargeted category", append(slices.Clone(log), evDistributed(4, "2009-03-14", line("P1", "NIGHTCLUB", 10))),
			evCorrection(0, "2009-03-20", 4, evDistributed(0, "2009-03-14", line("P1", "SHELTER", 10))),
			[]string{"replacement.distribution[0].category"}},
	})
	err := ValidateEvent(trShipment(log...), evDistributed(0, "2009-03-14", line("P1", "SHELTER", 10)), trCampaign(), trNow)
	if fs := ErrorFields(err); len(fs) != 1 || fs[0].Message != `material "P1" does not target venue category "SHELTER": hand it out only to the categories it targets` {
		t.Errorf("fields = %v", fs)
	}
}

// Issue 9.5: pieces that left the depot but were neither accepted nor
// rejected at a delivery marked as a discrepancy are losses, "missing".
func TestStateMissingLosses(t *testing.T) {
	d := Event{ID: 3, Kind: EventDelivered, Date: trDay("2009-03-13"), DeliveredBy: "a", ReceivedBy: "b", Discrepancy: true,
		Lines: []DeliveryLine{{Material: "L3", Accepted: 9000, Rejected: 300, Reason: RejectDamaged}}} // P1 never arrived
	st := trShipment(evD1, d).State()
	want := []Loss{{"L3", RejectDamaged, 300}, {"L3", LossMissing, 700}, {"P1", LossMissing, 500}}
	if !slices.Equal(st.Losses, want) {
		t.Errorf("losses = %v, want %v", st.Losses, want)
	}
	if LossMissing.Valid() {
		t.Error(`"missing" accepted as a reason a receiver gives`)
	}
	c, shipments := progressFixture()
	shipments[0] = *trShipment(evD1, d)
	p := Progress(c, shipments, trToday)
	wantByReason := []ReasonLoss{{RejectDamaged, 300}, {RejectLost, 1000}, {LossMissing, 1200}}
	if !slices.Equal(p.LossesByReason, wantByReason) {
		t.Errorf("losses by reason = %v, want %v", p.LossesByReason, wantByReason)
	}
	// a complete delivery has nothing missing
	if st := trShipment(evD1, evDelivered(3, "2009-03-13", 300)).State(); len(st.Losses) != 1 || st.Losses[0].Reason != RejectDamaged {
		t.Errorf("losses of a complete delivery = %v", st.Losses)
	}
}

// A log stored before the bounds existed (the 12.3 attack) still sums to
// non-negative totals: sums saturate instead of wrapping around.
func TestStateSumsSaturate(t *testing.T) {
	huge := DistributionLine{Material: "L3", Category: "NIGHTCLUB", Pieces: math.MaxInt64}
	s := trShipment(evD1, evDl3, evDs4, evDistributed(5, "2009-03-15", huge), evDistributed(6, "2009-03-16", huge))
	st := s.State()
	if st.Distributed["L3"] != math.MaxInt64 || st.Distribution[0].Pieces != math.MaxInt64 {
		t.Errorf("distributed = %v, distribution %v, want saturated at MaxInt64", st.Distributed, st.Distribution)
	}
	c, shipments := progressFixture()
	shipments[0] = *s
	p := Progress(c, shipments, trToday)
	if p.Distributed.Pieces < 0 || p.Delivered.Pieces < 0 || p.Dispatched.Pieces < 0 {
		t.Errorf("progress went negative: %+v", p)
	}
	for _, tc := range []struct{ a, b, want int64 }{
		{1, 2, 3}, {math.MaxInt64, 1, math.MaxInt64}, {math.MaxInt64, math.MaxInt64, math.MaxInt64},
		{math.MinInt64, -1, math.MinInt64}, {math.MaxInt64, math.MinInt64, -1}, {-5, 3, -2},
	} {
		if got := addPieces(tc.a, tc.b); got != tc.want {
			t.Errorf("addPieces(%d, %d) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// Issue 9.9: an undispatched shipment never expects an arrival in the
// past: after its planned dispatch day the earliest departure is today.
func TestExpectedArrival(t *testing.T) {
	for _, tc := range []struct {
		name, today, want string
		s                 *ShipmentRecord
	}{
		{"planned, before the planned dispatch", "2009-02-20", "2009-03-05", trShipment()},
		{"planned, on the planned dispatch day", "2009-03-02", "2009-03-05", trShipment()},
		{"planned, after the planned dispatch day", "2009-03-20", "2009-03-23", trShipment()},
		{"dispatched late", "2009-03-20", "2009-03-13", trShipment(evD1)},
		{"delivered", "2009-03-25", "2009-03-13", trShipment(evD1, evDl3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.s
			if got := s.ExpectedArrival(s.State(), trDay(tc.today)); got != trDay(tc.want) {
				t.Errorf("expected arrival on %s = %s, want %s", tc.today, got, tc.want)
			}
		})
	}
}
