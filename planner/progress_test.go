package planner

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// progressFixture: six shipments on the 2009 calendar, with the 2009-03-16
// holiday (Benito Juárez, observed) inside the pace window.
//
//	TAP 10 boxes, planned 03-02, dispatched 03-10, delivered 03-13 (300 L3 damaged), 6,000 distributed
//	MTY  6 boxes, planned 03-05, dispatched 03-12, transit 3: expected 03-15, not delivered
//	OAX  4 boxes, planned 03-09, dispatched 03-17, delivered 03-19 (1,000 L3 lost)
//	PUE  8 boxes, planned 03-20, latest dispatch 03-18, not dispatched
//	GDL  5 boxes, planned 03-23, latest dispatch 03-23, not dispatched
//	VER  3 boxes, planned 03-04, cancelled 03-03
func progressFixture() (*Campaign, []ShipmentRecord) {
	c := trCampaign()
	c.Dispatch.Holidays = []Date{trDay("2009-02-02"), trDay("2009-03-16")}
	l3 := func(id int64, city string, boxes int64, planned, latest string, events ...Event) ShipmentRecord {
		return ShipmentRecord{ID: id, City: city, Lines: []ShipmentLine{{Material: "L3", Packs: boxes * 20, Boxes: boxes, Pieces: boxes * 2000}},
			Boxes: boxes, Pieces: boxes * 2000, TransitDays: 3, LatestDispatch: trDay(latest), FirstDispatch: trDay(planned),
			Dispatch: trDay(planned), Arrival: trDay(planned).AddDays(3), Due: trDay("2009-03-26"), Events: events}
	}
	disp := func(id int64, date string, boxes int64) Event {
		e := evDispatched(id, date)
		e.Boxes = boxes
		return e
	}
	lost := Event{ID: 32, Kind: EventDelivered, Date: trDay("2009-03-19"), DeliveredBy: "a", ReceivedBy: "b",
		Lines: []DeliveryLine{{Material: "L3", Accepted: 7000, Rejected: 1000, Reason: RejectLost}}}
	tap := trShipment(evD1, evDelivered(3, "2009-03-13", 300), evDs4)
	tap.ID = 1
	return c, []ShipmentRecord{
		*tap,
		l3(2, "MTY", 6, "2009-03-05", "2009-03-23", disp(21, "2009-03-12", 6)),
		l3(3, "OAX", 4, "2009-03-09", "2009-03-23", disp(31, "2009-03-17", 4), lost),
		l3(4, "PUE", 8, "2009-03-20", "2009-03-18"),
		l3(5, "GDL", 5, "2009-03-23", "2009-03-23"),
		l3(6, "VER", 3, "2009-03-04", "2009-03-23", evCancelled(61, "2009-03-03")),
	}
}

func TestProgressTotals(t *testing.T) {
	c, shipments := progressFixture()
	p := Progress(c, shipments, trToday)
	for _, q := range []struct {
		name      string
		got, want Quantity
	}{
		{"planned", p.Planned, Quantity{Pieces: 10500 + 12000 + 8000 + 16000 + 10000, Boxes: 10 + 6 + 4 + 8 + 5}},
		{"dispatched", p.Dispatched, Quantity{Pieces: 10500 + 12000 + 8000, Boxes: 10 + 6 + 4}},
		{"delivered", p.Delivered, Quantity{Pieces: 9700 + 500 + 7000, Boxes: 10 + 4}},
		{"distributed", p.Distributed, Quantity{Pieces: 6000, Boxes: 10}},
	} {
		if q.got != q.want {
			t.Errorf("%s = %+v, want %+v", q.name, q.got, q.want)
		}
	}
	if p.RemainingBoxes != 13 {
		t.Errorf("remaining = %d, want 13 (PUE 8 + GDL 5)", p.RemainingBoxes)
	}
	wantStatus := map[Status]int{StatusDelivered: 1, StatusPartlyDistributed: 1, StatusAtRisk: 2, StatusOnTrack: 1, StatusCancelled: 1}
	if !reflect.DeepEqual(p.ByStatus, wantStatus) {
		t.Errorf("by status = %v, want %v", p.ByStatus, wantStatus)
	}
	if len(p.AtRisk) != 2 || p.AtRisk[0].City != "MTY" || p.AtRisk[0].Reason.Code != ReasonArrivalOverdue ||
		p.AtRisk[1].City != "PUE" || p.AtRisk[1].Text != "not dispatched; latest dispatch was 2009-03-18 (2 days ago)" {
		t.Errorf("at risk = %+v", p.AtRisk)
	}
	if want := []Loss{{"L3", RejectDamaged, 300}, {"L3", RejectLost, 1000}}; !slices.Equal(p.Losses, want) {
		t.Errorf("losses = %v, want %v", p.Losses, want)
	}
	if want := []ReasonLoss{{RejectDamaged, 300}, {RejectLost, 1000}}; !slices.Equal(p.LossesByReason, want) {
		t.Errorf("losses by reason = %v, want %v", p.LossesByReason, want)
	}
}

func TestProgressLateComesFirst(t *testing.T) {
	c, shipments := progressFixture()
	p := Progress(c, shipments, trDay("2009-03-27"))
	// MTY, PUE and GDL are all past their 03-26 due date without delivery
	var got []string
	for _, a := range p.AtRisk {
		got = append(got, string(a.Status)+" "+a.City)
	}
	if want := []string{"late GDL", "late MTY", "late PUE"}; !slices.Equal(got, want) {
		t.Errorf("at risk = %v, want %v", got, want)
	}
}

func TestProgressBurnDown(t *testing.T) {
	c, shipments := progressFixture()
	bd := Progress(c, shipments, trToday).BurnDown
	// 2009-01-12..01-31 is 20 days, February 28, March 31
	if len(bd) != 79 || bd[0].Date != trStart || bd[78].Date != trDeadline {
		t.Fatalf("burn-down has %d days from %s to %s", len(bd), bd[0].Date, bd[len(bd)-1].Date)
	}
	i64 := func(n int64) *int64 { return &n }
	want := map[string]BurnDownDay{
		"2009-01-12": {PlannedBoxes: 0, DispatchedBoxes: i64(0), DeliveredPieces: i64(0)},
		"2009-03-01": {PlannedBoxes: 0, DispatchedBoxes: i64(0), DeliveredPieces: i64(0)},
		"2009-03-02": {PlannedBoxes: 10, DispatchedBoxes: i64(0), DeliveredPieces: i64(0)},
		"2009-03-04": {PlannedBoxes: 10, DispatchedBoxes: i64(0), DeliveredPieces: i64(0)}, // VER is cancelled
		"2009-03-05": {PlannedBoxes: 16, DispatchedBoxes: i64(0), DeliveredPieces: i64(0)},
		"2009-03-09": {PlannedBoxes: 20, DispatchedBoxes: i64(0), DeliveredPieces: i64(0)},
		"2009-03-10": {PlannedBoxes: 20, DispatchedBoxes: i64(10), DeliveredPieces: i64(0)},
		"2009-03-12": {PlannedBoxes: 20, DispatchedBoxes: i64(16), DeliveredPieces: i64(0)},
		"2009-03-13": {PlannedBoxes: 20, DispatchedBoxes: i64(16), DeliveredPieces: i64(10200)},
		"2009-03-17": {PlannedBoxes: 20, DispatchedBoxes: i64(20), DeliveredPieces: i64(10200)},
		"2009-03-19": {PlannedBoxes: 20, DispatchedBoxes: i64(20), DeliveredPieces: i64(17200)},
		"2009-03-20": {PlannedBoxes: 28, DispatchedBoxes: i64(20), DeliveredPieces: i64(17200)},
		"2009-03-21": {PlannedBoxes: 28},
		"2009-03-22": {PlannedBoxes: 28},
		"2009-03-23": {PlannedBoxes: 33},
		"2009-03-31": {PlannedBoxes: 33},
	}
	for _, d := range bd {
		w, ok := want[d.Date.String()]
		if !ok {
			continue
		}
		w.Date = d.Date
		if !reflect.DeepEqual(d, w) {
			t.Errorf("%s: got %s, want %s", d.Date, trFmtDay(d), trFmtDay(w))
		}
	}
}

func trFmtDay(d BurnDownDay) string {
	f := func(p *int64) string {
		if p == nil {
			return "nil"
		}
		return fmt.Sprint(*p)
	}
	return fmt.Sprintf("planned %d, dispatched %s, delivered %s", d.PlannedBoxes, f(d.DispatchedBoxes), f(d.DeliveredPieces))
}

func TestProgressPaceAndProjection(t *testing.T) {
	c, shipments := progressFixture()
	p := Progress(c, shipments, trToday)
	// Last 7 working days to Fri 03-20, skipping the weekend and the 03-16
	// holiday: 03-20, 19, 18, 17, 13, 12, 11. MTY (6, 03-12) and OAX (4,
	// 03-17) fall in it; TAP (03-10) does not.
	if p.PaceFrom == nil || *p.PaceFrom != trDay("2009-03-11") || p.PaceBoxes != 10 || p.Pace != 10.0/7 {
		t.Fatalf("pace from %v: %d boxes, %v a day", p.PaceFrom, p.PaceBoxes, p.Pace)
	}
	// 13 boxes left at 10/7 a day: ceil(91/10) = 10 working days after
	// 03-20: 23 24 25 26 27, 30 31, 04-01 02 03.
	if p.ProjectedCompletion == nil || *p.ProjectedCompletion != trDay("2009-04-03") {
		t.Fatalf("projected completion %v, want 2009-04-03", p.ProjectedCompletion)
	}
	if p.ProjectedSlipDays == nil || *p.ProjectedSlipDays != 3 {
		t.Errorf("slip = %v, want 3 days after the deadline", p.ProjectedSlipDays)
	}
}

func TestProgressNoPace(t *testing.T) {
	c, shipments := progressFixture()
	// on 03-09 nothing has left in the last 7 working days (03-09 back to 02-27)
	p := Progress(c, shipments, trDay("2009-03-09"))
	if p.PaceBoxes != 0 || p.ProjectedCompletion != nil || p.ProjectedSlipDays != nil {
		t.Errorf("pace %d, completion %v, slip %v; want 0, nil, nil", p.PaceBoxes, p.ProjectedCompletion, p.ProjectedSlipDays)
	}
	if *p.PaceFrom != trDay("2009-02-27") {
		t.Errorf("pace from %s, want 2009-02-27", p.PaceFrom)
	}
}

func TestProgressAllDispatched(t *testing.T) {
	c, shipments := progressFixture()
	shipments = slices.Concat(shipments[:3], shipments[5:]) // drop PUE and GDL
	p := Progress(c, shipments, trToday)
	if p.RemainingBoxes != 0 || p.ProjectedCompletion == nil || *p.ProjectedCompletion != trDay("2009-03-17") ||
		*p.ProjectedSlipDays != -14 {
		t.Errorf("completion %v slip %v, want 2009-03-17 (last dispatch), -14", p.ProjectedCompletion, p.ProjectedSlipDays)
	}
}

func TestProgressBeforeStart(t *testing.T) {
	c, shipments := progressFixture()
	bd := Progress(c, shipments, trDay("2009-01-05")).BurnDown
	for _, d := range bd {
		if d.DispatchedBoxes != nil || d.DeliveredPieces != nil {
			t.Fatalf("%s has actual values before the campaign started", d.Date)
		}
	}
}

func TestProgressWithoutWorkDays(t *testing.T) {
	c, shipments := progressFixture()
	c.Dispatch.WorkDays = nil
	p := Progress(c, shipments, trToday)
	if p.PaceFrom != nil || p.ProjectedCompletion != nil {
		t.Errorf("pace from %v, completion %v; want nil without work days", p.PaceFrom, p.ProjectedCompletion)
	}
}
