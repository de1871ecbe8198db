package planner

import (
	"maps"
	"testing"
)

func TestAssess(t *testing.T) {
	planned := func(f func(*ShipmentRecord)) *ShipmentRecord { s := trShipment(); f(s); return s }
	tests := []struct {
		name   string
		s      *ShipmentRecord
		today  string
		status Status
		code   string
		params map[string]string
	}{
		{"planned, before latest dispatch", trShipment(), "2009-03-20", StatusOnTrack, ReasonOnSchedule,
			map[string]string{"latest_dispatch": "2009-03-23", "days_left": "3"}},
		{"planned, on latest dispatch day", trShipment(), "2009-03-23", StatusOnTrack, ReasonOnSchedule,
			map[string]string{"latest_dispatch": "2009-03-23", "days_left": "0"}},
		{"planned, day after latest dispatch", trShipment(), "2009-03-24", StatusAtRisk, ReasonNotDispatched,
			map[string]string{"latest_dispatch": "2009-03-23", "days": "1"}},
		{"planned, latest dispatch 8 days ago", planned(func(s *ShipmentRecord) { s.LatestDispatch = trDay("2009-03-12") }),
			"2009-03-20", StatusAtRisk, ReasonNotDispatched, map[string]string{"latest_dispatch": "2009-03-12", "days": "8"}},
		{"planned arrival after due", planned(func(s *ShipmentRecord) { s.Dispatch, s.Arrival = trDay("2009-03-25"), trDay("2009-03-28") }),
			"2009-03-20", StatusAtRisk, ReasonArrivalAfterDue,
			map[string]string{"expected_arrival": "2009-03-28", "due": "2009-03-26", "days": "2"}},
		{"planned, on due date", trShipment(), "2009-03-26", StatusAtRisk, ReasonNotDispatched,
			map[string]string{"latest_dispatch": "2009-03-23", "days": "3"}},
		{"planned, past due", trShipment(), "2009-03-27", StatusLate, ReasonPastDue,
			map[string]string{"due": "2009-03-26", "days": "1", "stage": "not dispatched"}},
		{"dispatched, before expected arrival", trShipment(evD1), "2009-03-12", StatusOnTrack, ReasonInTransit,
			map[string]string{"dispatched": "2009-03-10", "expected_arrival": "2009-03-13", "due": "2009-03-26"}},
		{"dispatched, on expected arrival", trShipment(evD1), "2009-03-13", StatusOnTrack, ReasonInTransit,
			map[string]string{"dispatched": "2009-03-10", "expected_arrival": "2009-03-13", "due": "2009-03-26"}},
		{"dispatched, arrival overdue", trShipment(evD1, evT2), "2009-03-20", StatusAtRisk, ReasonArrivalOverdue,
			map[string]string{"dispatched": "2009-03-10", "expected_arrival": "2009-03-13", "days": "7"}},
		{"dispatched too late to arrive by due", trShipment(evDispatched(1, "2009-03-24")), "2009-03-24", StatusAtRisk,
			ReasonArrivalAfterDue, map[string]string{"expected_arrival": "2009-03-27", "due": "2009-03-26", "days": "1"}},
		{"in transit past due", trShipment(evD1, evT2), "2009-03-27", StatusLate, ReasonPastDue,
			map[string]string{"due": "2009-03-26", "days": "1", "stage": "in transit"}},
		{"delivered on time", trShipment(evD1, evDl3), "2009-03-20", StatusDelivered, ReasonDeliveredOnTime,
			map[string]string{"delivered": "2009-03-13", "due": "2009-03-26"}},
		{"delivered late", trShipment(evD1, evDelivered(3, "2009-03-28", 0)), "2009-03-30", StatusDelivered, ReasonDeliveredLate,
			map[string]string{"delivered": "2009-03-28", "due": "2009-03-26", "days": "2"}},
		{"partially distributed", trShipment(evD1, evDl3, evDs4), "2009-03-20", StatusPartlyDistributed, ReasonPartlyDistributed,
			map[string]string{"distributed": "2009-03-14", "pieces": "6000", "accepted": "10500", "left": "4500"}},
		{"partially distributed, one material untouched", trShipment(evD1, evDl3, evDistributed(4, "2009-03-14",
			DistributionLine{Material: "L3", Category: "NIGHTCLUB", Pieces: 10000})), "2009-03-20", StatusPartlyDistributed,
			ReasonPartlyDistributed, map[string]string{"distributed": "2009-03-14", "pieces": "10000", "accepted": "10500", "left": "500"}},
		{"distributed", trShipment(evD1, evDl3, evDs4, evDistributed(5, "2009-03-16",
			DistributionLine{Material: "L3", Category: "SHELTER", Pieces: 4000}, DistributionLine{Material: "P1", Category: "NIGHTCLUB", Pieces: 500})),
			"2009-03-20", StatusDistributed, ReasonDistributedPieces,
			map[string]string{"distributed": "2009-03-16", "pieces": "10500", "accepted": "10500"}},
		// a delivery that accepted nothing has nothing left to hand out
		{"nothing accepted, nothing to distribute", trShipment(evD1, Event{ID: 3, Kind: EventDelivered, Date: trDay("2009-03-13"),
			DeliveredBy: "a", ReceivedBy: "b", Discrepancy: true, Lines: []DeliveryLine{{Material: "L3", Rejected: 10000, Reason: RejectDamaged}}},
			evDistributed(4, "2009-03-14", DistributionLine{Material: "L3", Category: "NIGHTCLUB"})), "2009-03-20", StatusDistributed,
			ReasonDistributedPieces, map[string]string{"distributed": "2009-03-14", "pieces": "0", "accepted": "0"}},
		{"cancelled, even past due", trShipment(evC5), "2009-03-30", StatusCancelled, ReasonCancelledBecause,
			map[string]string{"cancelled": "2009-03-09", "reason": "city removed"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, r := tc.s.Assess(trDay(tc.today))
			if status != tc.status || r.Code != tc.code || !maps.Equal(r.Params, tc.params) {
				t.Errorf("Assess = %s %s %v, want %s %s %v", status, r.Code, r.Params, tc.status, tc.code, tc.params)
			}
		})
	}
}

func TestStatusText(t *testing.T) {
	s := trShipment()
	s.LatestDispatch = trDay("2009-03-12")
	status, text := s.Status(trToday)
	if want := "not dispatched; latest dispatch was 2009-03-12 (8 days ago)"; status != StatusAtRisk || text != want {
		t.Errorf("Status = %s %q, want at_risk %q", status, text, want)
	}
	_, text = trShipment(evD1, evT2).Status(trDay("2009-03-27"))
	if want := "not delivered (in transit); due 2009-03-26 (1 day ago)"; text != want {
		t.Errorf("text = %q, want %q", text, want)
	}
}
