package planner

import (
	"slices"
	"testing"
)

func planShipment(city string, l3 int64, dispatch string) Shipment {
	d := trDay(dispatch)
	return Shipment{City: city, Lines: []ShipmentLine{{Material: "L3", Packs: l3 / 100, Boxes: (l3 + 1999) / 2000, Pieces: l3}},
		Boxes: (l3 + 1999) / 2000, Pieces: l3, TransitDays: 2, LatestDispatch: trDay("2009-03-24"),
		FirstDispatch: d, Dispatch: d, Arrival: d.AddDays(2), Due: trDay("2009-03-26")}
}

func TestShipmentsFromPlan(t *testing.T) {
	sh := Shipment{City: "TAP", Lines: []ShipmentLine{{Material: "P1", Pieces: 500}, {Material: "L3", Pieces: 10000}},
		Boxes: 10, Pieces: 10500, TransitDays: 3, LatestDispatch: trDay("2009-03-23"), FirstDispatch: trDay("2009-02-27"),
		Dispatch: trDay("2009-03-02"), Arrival: trDay("2009-03-05"), Due: trDay("2009-03-26")}
	got := ShipmentsFromPlan(&Plan{Shipments: []Shipment{sh, planShipment("MTY", 4000, "2009-03-03")}}, 4)
	if len(got) != 2 || got[0].City != "TAP" || got[1].City != "MTY" {
		t.Fatalf("shipments = %+v, want TAP then MTY (loading order)", got)
	}
	s := got[0]
	if s.PlanVersion != 4 || s.Boxes != 10 || s.Pieces != 10500 || s.TransitDays != 3 || s.ID != 0 || len(s.Events) != 0 ||
		s.LatestDispatch != trDay("2009-03-23") || s.FirstDispatch != trDay("2009-02-27") || s.Dispatch != trDay("2009-03-02") ||
		s.Arrival != trDay("2009-03-05") || s.Due != trDay("2009-03-26") {
		t.Errorf("record = %+v", s)
	}
	if s.Lines[0].Material != "L3" || s.Lines[1].Material != "P1" || sh.Lines[0].Material != "P1" {
		t.Errorf("lines = %v: want sorted by material without touching the plan", s.Lines)
	}
	if ShipmentsFromPlan(nil, 1) != nil {
		t.Error("nil plan gave shipments")
	}
}

func TestReconcileShipments(t *testing.T) {
	rec := func(id int64, city string, events ...Event) ShipmentRecord {
		s := ShipmentsFromPlan(&Plan{Shipments: []Shipment{planShipment(city, 2000, "2009-03-02")}}, 1)[0]
		s.ID, s.CampaignID, s.Version, s.Events = id, 1, 3, events
		return s
	}
	existing := []ShipmentRecord{
		rec(1, "TAP"),             // planned, still served: updated
		rec(2, "MTY", evD1),       // dispatched, served with other numbers: untouched
		rec(3, "OAX"),             // planned, dropped: cancelled
		rec(4, "GDL", evD1, evT2), // in transit, dropped: untouched
		rec(5, "VER", evCancelled(9, "2009-03-01")), // cancelled earlier, served again: new one
		rec(8, "CUN"), rec(6, "CUN"), // two live planned: lowest id updated, other cancelled
		rec(9, "MID", evD1, evDl3), // delivered: untouched
	}
	p := &Plan{Shipments: []Shipment{
		planShipment("TAP", 6000, "2009-03-04"), planShipment("MTY", 8000, "2009-03-04"),
		planShipment("VER", 2000, "2009-03-05"), planShipment("PUE", 4000, "2009-03-05"),
		planShipment("CUN", 2000, "2009-03-06"), planShipment("MID", 2000, "2009-03-06"),
	}}
	update, create, cancel := ReconcileShipments(existing, p, 2)

	if got := trCities(update); !slices.Equal(got, []string{"CUN", "TAP"}) {
		t.Fatalf("update = %v, want [CUN TAP]", got)
	}
	tap := update[1]
	if tap.ID != 1 || tap.CampaignID != 1 || tap.Version != 3 || tap.PlanVersion != 2 || tap.Pieces != 6000 || tap.Boxes != 3 ||
		tap.Dispatch != trDay("2009-03-04") || tap.Lines[0].Pieces != 6000 {
		t.Errorf("updated TAP = %+v", tap)
	}
	if update[0].ID != 6 {
		t.Errorf("updated CUN id %d, want 6", update[0].ID)
	}
	if got := trCities(create); !slices.Equal(got, []string{"PUE", "VER"}) {
		t.Fatalf("create = %v, want [PUE VER]", got)
	}
	if create[0].ID != 0 || create[0].CampaignID != 1 || create[0].PlanVersion != 2 || create[0].Pieces != 4000 {
		t.Errorf("created PUE = %+v", create[0])
	}
	if !slices.Equal(cancel, []int64{3, 8}) {
		t.Errorf("cancel = %v, want [3 8]", cancel)
	}
	if existing[0].PlanVersion != 1 || existing[0].Pieces != 2000 {
		t.Errorf("existing record modified: %+v", existing[0])
	}
}

func TestReconcileFirstCommit(t *testing.T) {
	update, create, cancel := ReconcileShipments(nil, &Plan{Shipments: []Shipment{planShipment("TAP", 2000, "2009-03-02")}}, 1)
	if len(update) != 0 || len(cancel) != 0 || len(create) != 1 || create[0].City != "TAP" {
		t.Errorf("got %v %v %v", update, create, cancel)
	}
}

func TestPlanCancellationIsValid(t *testing.T) {
	e := PlanCancellation(2, trToday)
	if err := ValidateEvent(trShipment(), e, trCampaign(), trNow); err != nil {
		t.Fatal(err)
	}
}

func trCities(rs []ShipmentRecord) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.City)
	}
	return out
}
