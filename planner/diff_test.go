package planner

import (
	"reflect"
	"testing"
)

func diffShipment(city, first, dispatch, arrival string, lines ...ShipmentLine) Shipment {
	s := Shipment{City: city, Lines: lines, FirstDispatch: trDay(first), Dispatch: trDay(dispatch), Arrival: trDay(arrival)}
	for _, l := range lines {
		s.Boxes += l.Boxes
		s.Pieces += l.Pieces
	}
	return s
}

func trQD(m string, op, np, ob, nb int64) QuantityDiff {
	return QuantityDiff{Material: m, OldPieces: op, NewPieces: np, Pieces: np - op, OldBoxes: ob, NewBoxes: nb, Boxes: nb - ob}
}

func TestDiffPlans(t *testing.T) {
	l3 := func(p, b int64) ShipmentLine { return ShipmentLine{Material: "L3", Pieces: p, Boxes: b} }
	p1 := func(p, b int64) ShipmentLine { return ShipmentLine{Material: "P1", Pieces: p, Boxes: b} }
	old := &Plan{Shipments: []Shipment{
		diffShipment("TAP", "2009-02-27", "2009-03-02", "2009-03-05", l3(10000, 5), p1(500, 5)),
		diffShipment("MTY", "2009-03-03", "2009-03-03", "2009-03-05", l3(4000, 2)),
		diffShipment("OAX", "2009-03-03", "2009-03-03", "2009-03-04", l3(2000, 1)),
	}}
	next := &Plan{Shipments: []Shipment{
		diffShipment("PUE", "2009-03-02", "2009-03-02", "2009-03-03", p1(300, 3)),
		diffShipment("TAP", "2009-02-27", "2009-03-02", "2009-03-05", l3(8000, 4), p1(500, 5)),
		diffShipment("MTY", "2009-03-04", "2009-03-04", "2009-03-06", l3(4000, 2)),
	}}
	got := DiffPlans(old, next)

	wantLines := []LineDiff{
		{City: "OAX", QuantityDiff: trQD("L3", 2000, 0, 1, 0)},
		{City: "TAP", QuantityDiff: trQD("L3", 10000, 8000, 5, 4)},
		{City: "PUE", QuantityDiff: trQD("P1", 0, 300, 0, 3)},
	}
	if !reflect.DeepEqual(got.Lines, wantLines) {
		t.Errorf("lines =\n%+v\nwant\n%+v", got.Lines, wantLines)
	}
	wantMaterials := []QuantityDiff{trQD("L3", 16000, 12000, 8, 6), trQD("P1", 500, 800, 5, 8)}
	if !reflect.DeepEqual(got.Materials, wantMaterials) {
		t.Errorf("materials = %+v, want %+v", got.Materials, wantMaterials)
	}
	wantTotals := DiffTotals{QuantityDiff: trQD("", 16500, 12800, 13, 14), CitiesAdded: 1, CitiesRemoved: 1, CitiesChanged: 2}
	if got.Totals != wantTotals {
		t.Errorf("totals = %+v, want %+v", got.Totals, wantTotals)
	}
	wantCities := []CityDiff{
		{City: "MTY", Change: CityChanged, QuantityDiff: trQD("", 4000, 4000, 2, 2),
			FirstDispatch: DateChange{trDayp("2009-03-03"), trDayp("2009-03-04")},
			Dispatch:      DateChange{trDayp("2009-03-03"), trDayp("2009-03-04")},
			Arrival:       DateChange{trDayp("2009-03-05"), trDayp("2009-03-06")}},
		{City: "OAX", Change: CityRemoved, QuantityDiff: trQD("", 2000, 0, 1, 0),
			FirstDispatch: DateChange{trDayp("2009-03-03"), nil}, Dispatch: DateChange{trDayp("2009-03-03"), nil},
			Arrival: DateChange{trDayp("2009-03-04"), nil}},
		{City: "PUE", Change: CityAdded, QuantityDiff: trQD("", 0, 300, 0, 3),
			FirstDispatch: DateChange{nil, trDayp("2009-03-02")}, Dispatch: DateChange{nil, trDayp("2009-03-02")},
			Arrival: DateChange{nil, trDayp("2009-03-03")}},
		{City: "TAP", Change: CityChanged, QuantityDiff: trQD("", 10500, 8500, 10, 9),
			FirstDispatch: DateChange{trDayp("2009-02-27"), trDayp("2009-02-27")},
			Dispatch:      DateChange{trDayp("2009-03-02"), trDayp("2009-03-02")},
			Arrival:       DateChange{trDayp("2009-03-05"), trDayp("2009-03-05")}},
	}
	if !reflect.DeepEqual(got.Cities, wantCities) {
		t.Errorf("cities =\n%+v\nwant\n%+v", got.Cities, wantCities)
	}
	if !reflect.DeepEqual(DiffPlans(old, next), got) {
		t.Error("diff is not deterministic")
	}
}

func TestDiffPlansFirstVersionAddsEverything(t *testing.T) {
	p := &Plan{Shipments: []Shipment{diffShipment("TAP", "2009-02-27", "2009-03-02", "2009-03-05",
		ShipmentLine{Material: "L3", Pieces: 10000, Boxes: 5})}}
	got := DiffPlans(nil, p)
	if len(got.Cities) != 1 || got.Cities[0].Change != CityAdded || got.Totals.CitiesAdded != 1 ||
		got.Totals.QuantityDiff != trQD("", 0, 10000, 0, 5) || len(got.Lines) != 1 || got.Lines[0].QuantityDiff != trQD("L3", 0, 10000, 0, 5) {
		t.Errorf("diff = %+v", got)
	}
}

func TestDiffPlansIdentical(t *testing.T) {
	p := &Plan{Shipments: []Shipment{diffShipment("TAP", "2009-02-27", "2009-03-02", "2009-03-05",
		ShipmentLine{Material: "L3", Pieces: 10000, Boxes: 5})}}
	got := DiffPlans(p, p)
	if len(got.Cities)+len(got.Lines)+len(got.Materials) != 0 || got.Totals.Pieces != 0 || got.Totals.CitiesChanged != 0 {
		t.Errorf("diff of a plan with itself = %+v", got)
	}
}
