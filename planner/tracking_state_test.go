package planner

import (
	"reflect"
	"slices"
	"testing"
)

func TestStateStages(t *testing.T) {
	tests := []struct {
		name string
		log  []Event
		want Stage
	}{
		{"no events", nil, StagePlanned},
		{"dispatched", []Event{evD1}, StageDispatched},
		{"in transit", []Event{evD1, evT2}, StageInTransit},
		{"delivered", []Event{evD1, evT2, evDl3}, StageDelivered},
		{"distributed", []Event{evD1, evT2, evDl3, evDs4}, StageDistributed},
		{"cancelled", []Event{evC5}, StageCancelled},
		{"a correction does not move the stage", []Event{evD1, evCorrection(9, "2009-03-20", 1, evDispatched(0, "2009-03-11"))}, StageDispatched},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := trShipment(tc.log...).State().Stage; got != tc.want {
				t.Errorf("stage = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestStateFullLog(t *testing.T) {
	s := trShipment(evD1, evT2, evDelivered(3, "2009-03-13", 300), evDs4,
		evDistributed(6, "2009-03-16", DistributionLine{Material: "L3", Category: "NIGHTCLUB", Pieces: 1000},
			DistributionLine{Material: "P1", Category: "SHELTER", VenueID: "v-2", Pieces: 500}))
	st := s.State()
	if st.Stage != StageDistributed || st.Carrier != "Estafeta" || st.Waybill != "W-1" || st.DispatchedBoxes != 10 || st.Checkpoint != "Oaxaca" {
		t.Errorf("state = %+v", st)
	}
	for _, c := range []struct {
		name string
		got  *Date
		want string
	}{{"dispatched", st.DispatchedOn, "2009-03-10"}, {"last seen", st.LastSeenOn, "2009-03-11"},
		{"delivered", st.DeliveredOn, "2009-03-13"}, {"distributed", st.DistributedOn, "2009-03-16"},
		{"last event", st.LastEventOn, "2009-03-16"}} {
		if c.got == nil || c.got.String() != c.want {
			t.Errorf("%s on %v, want %s", c.name, c.got, c.want)
		}
	}
	if st.CancelledOn != nil {
		t.Errorf("cancelled on %v", st.CancelledOn)
	}
	wantMaps := map[string][2]map[string]int64{
		"dispatched":  {st.Dispatched, {"L3": 10000, "P1": 500}},
		"accepted":    {st.Accepted, {"L3": 9700, "P1": 500}},
		"rejected":    {st.Rejected, {"L3": 300, "P1": 0}},
		"distributed": {st.Distributed, {"L3": 7000, "P1": 500}},
	}
	for name, m := range wantMaps {
		if !reflect.DeepEqual(m[0], m[1]) {
			t.Errorf("%s = %v, want %v", name, m[0], m[1])
		}
	}
	wantDist := []DistributionLine{{"L3", "NIGHTCLUB", "", 7000}, {"P1", "SHELTER", "v-2", 500}}
	if !slices.Equal(st.Distribution, wantDist) {
		t.Errorf("distribution = %v, want %v", st.Distribution, wantDist)
	}
	if want := []Loss{{"L3", RejectDamaged, 300}}; !slices.Equal(st.Losses, want) {
		t.Errorf("losses = %v, want %v", st.Losses, want)
	}
}

func TestStateCorrectionKeepsOriginalInLog(t *testing.T) {
	// 300 damaged L3 reported, then corrected twice: first 400 lost, then 250
	// lost; the latest correction counts.
	first := evDelivered(0, "2009-03-14", 400)
	first.Lines[0].Reason = RejectLost
	second := evDelivered(0, "2009-03-14", 250)
	second.Lines[0].Reason = RejectLost
	s := trShipment(evD1, evDelivered(3, "2009-03-13", 300),
		evCorrection(10, "2009-03-19", 3, first), evCorrection(11, "2009-03-20", 3, second))
	st := s.State()
	if st.Accepted["L3"] != 9750 || st.Rejected["L3"] != 250 {
		t.Errorf("accepted/rejected L3 = %d/%d, want 9750/250", st.Accepted["L3"], st.Rejected["L3"])
	}
	if want := []Loss{{"L3", RejectLost, 250}}; !slices.Equal(st.Losses, want) {
		t.Errorf("losses = %v, want %v", st.Losses, want)
	}
	if st.DeliveredOn.String() != "2009-03-14" || st.DeliveryEventID != 3 {
		t.Errorf("delivered on %v by event %d, want 2009-03-14 by event 3", st.DeliveredOn, st.DeliveryEventID)
	}
	if !slices.Equal(st.Corrected, []int64{3}) {
		t.Errorf("corrected = %v, want [3]", st.Corrected)
	}
	orig := s.Events[1]
	if orig.Lines[0].Rejected != 300 || orig.Lines[0].Reason != RejectDamaged || orig.Date.String() != "2009-03-13" || len(s.Events) != 4 {
		t.Errorf("log changed: %+v", s.Events)
	}
}

func TestStateShortDispatch(t *testing.T) {
	e := evDispatched(1, "2009-03-10")
	e.Boxes, e.Loaded = 7, []LoadedLine{{Material: "L3", Pieces: 4000}, {Material: "P1", Pieces: 500}}
	st := trShipment(e).State()
	if want := map[string]int64{"L3": 4000, "P1": 500}; !reflect.DeepEqual(st.Dispatched, want) || st.DispatchedBoxes != 7 {
		t.Errorf("dispatched %v in %d boxes, want %v in 7", st.Dispatched, st.DispatchedBoxes, want)
	}
}
