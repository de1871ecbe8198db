package planner

import (
	"slices"
	"testing"
)

func TestAlerts(t *testing.T) {
	missingP1 := evDelivered(13, "2009-03-14", 0)
	missingP1.Lines, missingP1.Discrepancy = missingP1.Lines[:1], true
	oax := trShipment(evDispatched(11, "2009-03-10"), missingP1)
	oax.ID, oax.City = 8, "OAX"
	fixed := trShipment(evD1, evDelivered(3, "2009-03-13", 200), evCorrection(4, "2009-03-20", 3, evDelivered(0, "2009-03-13", 0)))
	fixed.ID, fixed.City = 9, "ACA"
	shipments := []ShipmentRecord{
		*trShipment(evD1, evDelivered(3, "2009-03-13", 300)), // TAP, id 7: 300 L3 damaged
		*oax,              // P1 never arrived
		*fixed,            // the rejection was a typo, corrected away
		*trShipment(evD1), // not delivered yet
	}
	want := []Alert{
		{EventID: 13, ShipmentID: 8, City: "OAX", Date: trDay("2009-03-14"), Material: "P1", Dispatched: 500, Missing: 500, Discrepancy: true},
		{EventID: 3, ShipmentID: 7, City: "TAP", Date: trDay("2009-03-13"), Material: "L3", Dispatched: 10000, Accepted: 9700,
			Rejected: 300, Reason: RejectDamaged},
	}
	if got := Alerts(shipments); !slices.Equal(got, want) {
		t.Errorf("alerts =\n%+v\nwant\n%+v", got, want)
	}
}

func TestAlertKeyStableAcrossCorrection(t *testing.T) {
	s := trShipment(evD1, evDelivered(3, "2009-03-13", 300), evCorrection(4, "2009-03-20", 3, evDelivered(0, "2009-03-13", 500)))
	got := Alerts([]ShipmentRecord{*s})
	if len(got) != 1 || got[0].EventID != 3 || got[0].Rejected != 500 || got[0].Accepted != 9500 {
		t.Errorf("alerts = %+v, want one keyed by event 3 with 500 rejected", got)
	}
}
