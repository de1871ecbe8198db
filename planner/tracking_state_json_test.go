package planner

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// TestShipmentStateJSON checks that ShipmentState.MarshalJSON writes what
// encoding/json writes from the field tags, for states derived from real
// logs and for random ones with awkward strings.
func TestShipmentStateJSON(t *testing.T) {
	type plain ShipmentState // the same fields without the method
	strs := []string{"", "MEX", "a<b>&c", `quo"te\`, "línea\u2028", "\xff\xfe", "tab\there", "ñ"}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func() string { return strs[rng.IntN(len(strs))] }
	date := func() *Date {
		if rng.IntN(2) == 0 {
			return nil
		}
		d := NewDate(2009, 3, 1+rng.IntN(28))
		if rng.IntN(8) == 0 {
			d = Date{}
		}
		return &d
	}
	pieces := func() map[string]int64 {
		switch rng.IntN(4) {
		case 0:
			return nil
		case 1:
			return map[string]int64{}
		}
		m := map[string]int64{}
		for range 1 + rng.IntN(20) {
			m[pick()+string(rune('A'+rng.IntN(26)))] = rng.Int64N(1e12) - 1e6
		}
		return m
	}
	var states []ShipmentState
	for _, log := range [][]Event{nil, {evDispatched(1, "2009-03-02")}, {evDispatched(1, "2009-03-02"), evInTransit(2, "2009-03-03")},
		{evDispatched(1, "2009-03-02"), evDelivered(2, "2009-03-05", 40), evDistributed(3, "2009-03-06",
			DistributionLine{Material: "L3", Category: "NIGHTCLUB", VenueID: "v-1", Pieces: 10})},
		{evCancelled(1, "2009-03-01")},
		{evDispatched(1, "2009-03-02"), evDelivered(2, "2009-03-05", 0), evCorrection(3, "2009-03-06", 2, evDelivered(0, "2009-03-05", 7))}} {
		states = append(states, trShipment(log...).State())
	}
	for range 300 {
		st := ShipmentState{Stage: Stage(pick()), DispatchedOn: date(), LastSeenOn: date(), DeliveredOn: date(),
			DistributedOn: date(), CancelledOn: date(), LastEventOn: date(), Carrier: pick(), Waybill: pick(),
			Vehicle: pick(), Checkpoint: pick(), DispatchedBoxes: rng.Int64N(1e9), Dispatched: pieces(),
			Accepted: pieces(), Rejected: pieces(), Distributed: pieces(), Discrepancy: rng.IntN(2) == 0,
			CancelReason: pick(), DeliveryEventID: rng.Int64N(3)}
		if rng.IntN(3) > 0 {
			st.Distribution = []DistributionLine{}
			for range rng.IntN(4) {
				st.Distribution = append(st.Distribution, DistributionLine{Material: pick(), Category: pick(), VenueID: pick(), Pieces: rng.Int64N(100)})
			}
		}
		if rng.IntN(3) > 0 {
			st.Losses = []Loss{}
			for range rng.IntN(4) {
				st.Losses = append(st.Losses, Loss{Material: pick(), Reason: RejectReason(pick()), Pieces: rng.Int64N(100)})
			}
		}
		if rng.IntN(3) > 0 {
			st.Corrected = []int64{}
			for range rng.IntN(4) {
				st.Corrected = append(st.Corrected, rng.Int64N(1000))
			}
		}
		states = append(states, st)
	}
	for i, st := range states {
		want, err := json.Marshal(plain(st))
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(st)
		if err != nil {
			t.Fatalf("state %d: %v", i, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("state %d:\ngot  %s\nwant %s", i, got, want)
		}
	}
}
