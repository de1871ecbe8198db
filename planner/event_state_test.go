package planner

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestMaintainedStateEqualsReplay drives random event sequences (valid
// and refused events of every kind, short loads, discrepancies, venue
// lines, corrections, cancellations) through Tapachula's shipment the way
// the store does: each event is checked with ValidateEventOn against the
// maintained state on a record without its log, and an accepted one is
// folded in with After (a correction: the amended log folded afresh).
// After every step the verdict must equal ValidateEvent's on the full log
// (same fields, same messages), the maintained state must equal
// LogState of the log, and the state before the step must be untouched.
func TestMaintainedStateEqualsReplay(t *testing.T) {
	accepted := map[EventKind]int{}
	refused := 0
	for seed := range uint64(40) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 13))
			c, s := trCampaign(), trShipment()
			st := s.LogState()
			for step := range 80 {
				e := randomEvent(rng, s)
				e.ID = int64(len(s.Events) + 1)
				want := ValidateEvent(s, e, c, trNow)
				bare := *s
				if e.Kind != EventCorrection {
					bare.Events = nil // the lifecycle check must not need the log
				}
				got := ValidateEventOn(&bare, st, e, c, trNow)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("step %d %s: maintained state says %v, replay says %v", step, e.Kind, got, want)
				}
				if got != nil {
					refused++
					continue
				}
				accepted[e.Kind]++
				before := s.LogState()
				s.Events = append(s.Events, e)
				next := st.After(s, e)
				if e.Kind == EventCorrection {
					next = s.LogState()
				}
				if !reflect.DeepEqual(st, before) {
					t.Fatalf("step %d %s: After changed the state it started from", step, e.Kind)
				}
				st = next
				if replay := s.LogState(); !reflect.DeepEqual(st, replay) {
					t.Fatalf("step %d %s: maintained state\n%+v\nreplay\n%+v", step, e.Kind, st, replay)
				}
			}
		})
	}
	// The sequences must reach every kind, refusals included, or they test little.
	for _, k := range []EventKind{EventDispatched, EventInTransit, EventDelivered, EventDistributed, EventCancelled, EventCorrection} {
		if accepted[k] < 3 {
			t.Errorf("only %d %s events accepted over all sequences: %v", accepted[k], k, accepted)
		}
	}
	if refused < 100 {
		t.Errorf("only %d events refused over all sequences", refused)
	}
	t.Logf("accepted %v, refused %d", accepted, refused)
}

// randomEvent is an event of a random kind for s, plausible often enough
// to be accepted now and then, with a date around the campaign's today.
func randomEvent(rng *rand.Rand, s *ShipmentRecord) Event {
	d := trDay("2009-03-01").AddDays(rng.IntN(24))
	pieces := func(n int64) int64 { return max(n-int64(rng.IntN(4))*n/3, 0) + int64(rng.IntN(3)) - 1 }
	switch rng.IntN(12) {
	case 0, 1:
		e := Event{Kind: EventDispatched, Date: d, Carrier: "Estafeta", Boxes: s.Boxes}
		if rng.IntN(3) == 0 {
			e.Boxes = int64(rng.IntN(int(s.Boxes)) + 1)
			for _, l := range s.Lines {
				e.Loaded = append(e.Loaded, LoadedLine{Material: l.Material, Pieces: pieces(l.Pieces)})
			}
		}
		return e
	case 2, 3:
		return Event{Kind: EventInTransit, Date: d, Checkpoint: fmt.Sprint("Km ", rng.IntN(900))}
	case 4, 5:
		st := s.LogState()
		e := Event{Kind: EventDelivered, Date: d, DeliveredBy: "chofer", ReceivedBy: "DIF", Discrepancy: rng.IntN(3) == 0}
		for _, l := range s.Lines {
			sent := st.Dispatched[l.Material]
			rej := int64(rng.IntN(3))
			line := DeliveryLine{Material: l.Material, Accepted: sent - rej, Rejected: rej}
			if rej > 0 {
				line.Reason = RejectDamaged
			}
			if rng.IntN(4) == 0 {
				line.Accepted = pieces(sent)
			}
			e.Lines = append(e.Lines, line)
		}
		return e
	case 6, 7, 8:
		e := Event{Kind: EventDistributed, Date: d}
		for _, l := range s.Lines {
			line := DistributionLine{Material: l.Material, Category: "NIGHTCLUB", Pieces: int64(rng.IntN(int(l.Pieces/4) + 2))}
			switch rng.IntN(4) {
			case 0:
				line.Category, line.VenueID = "", "v-1"
			case 1:
				line.Category = "SHELTER"
			}
			e.Distribution = append(e.Distribution, line)
		}
		return e
	case 9:
		if rng.IntN(3) > 0 {
			return Event{Kind: EventInTransit, Date: d, Note: "no cancellation this time"}
		}
		return Event{Kind: EventCancelled, Date: d, Reason: "random"}
	default:
		if len(s.Events) == 0 {
			return Event{Kind: EventInTransit, Date: d}
		}
		target := s.Events[rng.IntN(len(s.Events))]
		r := target
		r.ID, r.Corrects, r.Replacement = 0, 0, nil
		r.Date = r.Date.AddDays(rng.IntN(3) - 1)
		r.Lines = append([]DeliveryLine(nil), r.Lines...)
		for i := range r.Lines {
			r.Lines[i].Accepted = max(r.Lines[i].Accepted-int64(rng.IntN(2)), 0)
		}
		return Event{Kind: EventCorrection, Date: d, Reason: "typo", Corrects: target.ID, Replacement: &r}
	}
}
