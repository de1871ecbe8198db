package planner

import (
	"math"
	"testing"
)

// FuzzEventQuantities drives one shipment through a dispatch, a delivery,
// two distribution reports and a correction of the delivery, with
// arbitrary (often huge) quantities, keeping every event ValidateEvent
// accepts, and asserts what a logistics officer relies on: no total is
// negative, and per material distributed ≤ accepted, accepted + rejected
// ≤ dispatched ≤ planned, with the campaign progress in the same order.
// Issue 12.3 (a distribution of MaxInt64 pieces stored, totals negative)
// is among its seeds.
func FuzzEventQuantities(f *testing.F) {
	const huge = math.MaxInt64
	type seed struct {
		boxes, loadL3, loadP1, accL3, rejL3, accP1, rejP1 int64
		discrepancy                                       bool
		dist1, dist2, corrected                           int64
		cats                                              uint8
	}
	for _, s := range []seed{
		{10, 0, 0, 10000, 0, 500, 0, false, 6000, 4000, 9000, 0},
		{10, 0, 0, 7250, 0, 500, 0, true, 100, huge, 7250, 0},
		{10, 0, 0, huge, 0, 500, 0, true, huge, 1, huge, 1},
		{10, 0, 0, 9000, huge - 8999, 500, 0, false, 1, huge, 1, 2},
		{7, 4000, 500, 4000, 0, 500, 0, false, 2000, 2000, huge, 3},
		{huge, huge, huge, huge, huge, huge, huge, true, huge, huge, huge, 255},
		{1, -1, math.MinInt64, -1, math.MinInt64, 0, 0, true, math.MinInt64, -1, 0, 5},
		{10, 0, 0, 5000, 1000, 0, 0, true, 5000, 0, 4000, 6},
	} {
		f.Add(s.boxes, s.loadL3, s.loadP1, s.accL3, s.rejL3, s.accP1, s.rejP1, s.discrepancy, s.dist1, s.dist2, s.corrected, s.cats)
	}
	f.Fuzz(func(t *testing.T, boxes, loadL3, loadP1, accL3, rejL3, accP1, rejP1 int64, discrepancy bool,
		dist1, dist2, corrected int64, cats uint8) {
		c, s := trCampaign(), trShipment()
		dispatch := evDispatched(0, "2009-03-10")
		dispatch.Boxes = boxes
		if loadL3 != 0 || loadP1 != 0 {
			dispatch.Loaded = []LoadedLine{{Material: "L3", Pieces: loadL3}, {Material: "P1", Pieces: loadP1}}
		}
		reason := func(n int64) RejectReason {
			if n != 0 {
				return RejectDamaged
			}
			return ""
		}
		delivered := func(accL3 int64) Event {
			return Event{Kind: EventDelivered, Date: trDay("2009-03-13"), DeliveredBy: "a", ReceivedBy: "b", Discrepancy: discrepancy,
				Lines: []DeliveryLine{{Material: "L3", Accepted: accL3, Rejected: rejL3, Reason: reason(rejL3)},
					{Material: "P1", Accepted: accP1, Rejected: rejP1, Reason: reason(rejP1)}}}
		}
		category := func(bit uint8) string {
			if cats&bit != 0 {
				return "SHELTER"
			}
			return "NIGHTCLUB"
		}
		events := []Event{
			dispatch,
			delivered(accL3),
			evDistributed(0, "2009-03-14", DistributionLine{Material: "L3", Category: category(1), Pieces: dist1},
				DistributionLine{Material: "P1", Category: category(2), Pieces: dist2}),
			evDistributed(0, "2009-03-15", DistributionLine{Material: "L3", Category: category(4), Pieces: dist2}),
		}
		for i, e := range events {
			e.ID = int64(i + 1)
			if ValidateEvent(s, e, c, trNow) == nil {
				s.Events = append(s.Events, e)
			}
		}
		if d, ok := deliveryID(s); ok {
			corr := evCorrection(int64(len(events)+1), "2009-03-20", d, delivered(corrected))
			if ValidateEvent(s, corr, c, trNow) == nil {
				s.Events = append(s.Events, corr)
			}
		}
		checkQuantities(t, s)
		_, list := progressFixture()
		list[0] = *s
		checkProgress(t, Progress(c, list, trToday))
	})
}

func deliveryID(s *ShipmentRecord) (int64, bool) {
	for _, e := range s.Events {
		if e.Kind == EventDelivered {
			return e.ID, true
		}
	}
	return 0, false
}

// checkQuantities asserts the physical bounds of a shipment's state.
func checkQuantities(t *testing.T, s *ShipmentRecord) {
	t.Helper()
	st := s.State()
	if st.DispatchedBoxes < 0 || st.DispatchedBoxes > s.Boxes {
		t.Fatalf("dispatched boxes %d outside 0…%d; log %+v", st.DispatchedBoxes, s.Boxes, s.Events)
	}
	lost := map[string]int64{}
	for _, l := range st.Losses {
		if l.Pieces <= 0 {
			t.Fatalf("loss %+v is not positive; log %+v", l, s.Events)
		}
		lost[l.Material] += l.Pieces
	}
	for _, pl := range s.Lines {
		m := pl.Material
		sent, acc, rej, dist := st.Dispatched[m], st.Accepted[m], st.Rejected[m], st.Distributed[m]
		switch {
		case sent < 0 || sent > pl.Pieces:
			t.Fatalf("%s: dispatched %d outside 0…%d planned; log %+v", m, sent, pl.Pieces, s.Events)
		case acc < 0 || rej < 0 || dist < 0:
			t.Fatalf("%s: negative quantity: accepted %d rejected %d distributed %d; log %+v", m, acc, rej, dist, s.Events)
		case acc > sent || rej > sent-acc:
			t.Fatalf("%s: accepted %d + rejected %d exceed the %d dispatched; log %+v", m, acc, rej, sent, s.Events)
		case dist > acc:
			t.Fatalf("%s: distributed %d exceed the %d accepted; log %+v", m, dist, acc, s.Events)
		case st.Stage.Delivered() && lost[m] != sent-acc:
			t.Fatalf("%s: losses %d, but %d dispatched and %d accepted; log %+v", m, lost[m], sent, acc, s.Events)
		}
	}
}

// checkProgress asserts that campaign totals are never negative and keep
// their order.
func checkProgress(t *testing.T, p CampaignProgress) {
	t.Helper()
	for _, q := range []Quantity{p.Planned, p.Dispatched, p.Delivered, p.Distributed} {
		if q.Pieces < 0 || q.Boxes < 0 {
			t.Fatalf("negative total in %+v", p)
		}
	}
	if p.Distributed.Pieces > p.Delivered.Pieces || p.Delivered.Pieces > p.Dispatched.Pieces || p.Dispatched.Pieces > p.Planned.Pieces {
		t.Fatalf("totals out of order: planned %d ≥ dispatched %d ≥ delivered %d ≥ distributed %d does not hold",
			p.Planned.Pieces, p.Dispatched.Pieces, p.Delivered.Pieces, p.Distributed.Pieces)
	}
	for _, l := range p.LossesByReason {
		if l.Pieces <= 0 {
			t.Fatalf("loss %+v is not positive", l)
		}
	}
}
