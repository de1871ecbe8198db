package planner

import (
	"testing"
	"time"
)

// The fixed 2009 calendar of every tracking test: the campaign runs from
// Monday 2009-01-12 to Tuesday 2009-03-31, "today" is Friday 2009-03-20,
// and with 5 local distribution days every city is due 2009-03-26.
var (
	trStart    = NewDate(2009, time.January, 12)
	trDeadline = NewDate(2009, time.March, 31)
	trToday    = NewDate(2009, time.March, 20)
	trNow      = time.Date(2009, time.March, 20, 15, 30, 0, 0, time.UTC)
)

func trDay(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func trDayp(s string) *Date { d := trDay(s); return &d }

// trCampaign has two materials: L3 (2,000 pieces a box) and P1 (100 a box);
// L3 targets both venue categories, P1 only NIGHTCLUB.
func trCampaign() *Campaign {
	return &Campaign{
		Name:                  "trata 2009",
		Start:                 trStart,
		Deadline:              trDeadline,
		LocalDistributionDays: 5,
		Dispatch: Dispatch{BoxesPerDay: 10, WorkDays: []time.Weekday{time.Monday, time.Tuesday,
			time.Wednesday, time.Thursday, time.Friday}, Holidays: []Date{trDay("2009-02-02")}},
		Materials: []Material{
			{Code: "L3", Name: "Tríptico", Printed: 100000, PackSize: 100, PacksPerBox: 20},
			{Code: "P1", Name: "Póster", Printed: 5000, PackSize: 10, PacksPerBox: 10},
		},
		Categories: []VenueCategory{{Code: "NIGHTCLUB", Name: "Centros nocturnos"}, {Code: "SHELTER", Name: "Albergues", Sensitive: true}},
		// posters (P1) are not meant for shelters
		Targeting: []TargetingRule{{Material: "L3", Category: "NIGHTCLUB", PerVenue: 50}, {Material: "L3", Category: "SHELTER", PerVenue: 100},
			{Material: "P1", Category: "NIGHTCLUB", PerVenue: 5}, {Material: "P1", Category: "SHELTER", PerVenue: 0}},
		Venues: []Venue{
			{ID: "v-1", Category: "NIGHTCLUB", City: "TAP"},
			{ID: "v-2", Category: "SHELTER", City: "TAP"},
		},
	}
}

// trShipment is Tapachula's planned shipment: 10,000 L3 (5 boxes) and 500
// P1 (5 boxes), 3 transit days, dispatch planned 2009-03-02, due 03-26.
func trShipment(events ...Event) *ShipmentRecord {
	return &ShipmentRecord{
		ID: 7, CampaignID: 1, PlanVersion: 1, City: "TAP",
		Lines: []ShipmentLine{
			{Material: "L3", Packs: 100, Boxes: 5, Pieces: 10000},
			{Material: "P1", Packs: 50, Boxes: 5, Pieces: 500},
		},
		Boxes: 10, Pieces: 10500, TransitDays: 3,
		LatestDispatch: trDay("2009-03-23"), FirstDispatch: trDay("2009-03-02"),
		Dispatch: trDay("2009-03-02"), Arrival: trDay("2009-03-05"), Due: trDay("2009-03-26"),
		Events: events,
	}
}

func evDispatched(id int64, date string) Event {
	return Event{ID: id, Kind: EventDispatched, Date: trDay(date), Carrier: "Estafeta", Waybill: "W-1", Boxes: 10}
}

func evInTransit(id int64, date string) Event {
	return Event{ID: id, Kind: EventInTransit, Date: trDay(date), Checkpoint: "Oaxaca"}
}

// evDelivered accepts everything but rejected pieces of L3 (damaged).
func evDelivered(id int64, date string, rejectedL3 int64) Event {
	l := DeliveryLine{Material: "L3", Accepted: 10000 - rejectedL3, Rejected: rejectedL3}
	if rejectedL3 > 0 {
		l.Reason = RejectDamaged
	}
	return Event{ID: id, Kind: EventDelivered, Date: trDay(date), DeliveredBy: "chofer", ReceivedBy: "DIF Tapachula",
		Lines: []DeliveryLine{l, {Material: "P1", Accepted: 500}}}
}

func evDistributed(id int64, date string, lines ...DistributionLine) Event {
	return Event{ID: id, Kind: EventDistributed, Date: trDay(date), Distribution: lines}
}

func evCancelled(id int64, date string) Event {
	return Event{ID: id, Kind: EventCancelled, Date: trDay(date), Reason: "city removed"}
}

func evCorrection(id int64, date string, corrects int64, r Event) Event {
	return Event{ID: id, Kind: EventCorrection, Date: trDay(date), Corrects: corrects, Reason: "typo", Replacement: &r}
}

// fieldPaths returns the field paths of a validation error, failing the test
// when err is not an EInvalid *Error.
func trFieldPaths(t *testing.T, err error) []string {
	t.Helper()
	wantMessageIDs(t, err)
	if err == nil {
		return nil
	}
	if ErrorCode(err) != EInvalid {
		t.Fatalf("error %v has code %q, want invalid", err, ErrorCode(err))
	}
	var out []string
	for _, f := range ErrorFields(err) {
		if f.Message == "" {
			t.Errorf("field %s has no message", f.Path)
		}
		out = append(out, f.Path)
	}
	return out
}
