package planner

import (
	"maps"
	"testing"
)

// Restoring version 1 after the data changed gives back version 1's
// quantities for the cities still to dispatch, keeps the dispatched city as
// loaded and schedules from today.
func TestRestoreBringsBackAVersion(t *testing.T) {
	v1 := replanMustCompute(t, replanCampaign())
	shipments := ShipmentsFromPlan(v1, 1)
	for i := range shipments {
		shipments[i].ID = int64(i + 1)
	}
	changed := replanCampaign()
	for i := range changed.VenueCounts {
		changed.VenueCounts[i].Count *= 2
	}
	v2 := replanMustCompute(t, changed)
	e := evDispatched(10, "2009-01-13")
	e.Boxes = shipments[0].Boxes
	shipments[0].Events = []Event{e}
	today := trDay("2009-03-04")

	p, err := Restore(changed, v1, v2, restoreShipments(v2, shipments[0]), today)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range changed.Cities {
		want := cityCells(v1, k.Code)
		if k.Code == shipments[0].City {
			want = cityCells(v2, k.Code) // dispatched under version 2: what it loaded
		}
		if got := cityCells(p, k.Code); !maps.Equal(got, want) {
			t.Errorf("%s: restored %v, want %v", k.Code, got, want)
		}
	}
	for _, s := range p.Shipments {
		if s.City != shipments[0].City && s.FirstDispatch.Before(today) {
			t.Errorf("%s planned on %s, before today", s.City, s.FirstDispatch)
		}
	}

	gone := replanCampaign()
	gone.Cities = gone.Cities[1:]
	gone.VenueCounts = gone.VenueCounts[2:]
	if _, err := Restore(gone, v1, v1, nil, today); ErrorCode(err) != EInvalid {
		t.Errorf("restoring a version with a removed city: %v, want EInvalid", err)
	}
}

// restoreShipments is v's shipments with ids, the one to
// dispatched's city replaced by dispatched (re-planned to v's content).
func restoreShipments(v *Plan, dispatched ShipmentRecord) []ShipmentRecord {
	out := ShipmentsFromPlan(v, 2)
	for i := range out {
		out[i].ID = int64(i + 1)
		if out[i].City == dispatched.City {
			out[i].Events = dispatched.Events
			out[i].Events[0].Boxes = out[i].Boxes
		}
	}
	return out
}
