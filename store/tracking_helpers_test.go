package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/reparto/reparto/planner"
)

// trackNow is the clock of the tracking tests: the fixture's as_of.
var trackNow = time.Date(2009, 3, 20, 10, 0, 0, 0, time.UTC)

func day(m time.Month, d int) planner.Date { return planner.NewDate(2009, m, d) }

// planAs runs the planner over the fixture campaign.
func planFixture(t *testing.T) *planner.Plan {
	t.Helper()
	p, err := planner.Compute(fixtureCampaign())
	assertNoError(t, err)
	if len(p.Shipments) != 2 {
		t.Fatalf("fixture plan has %d shipments, want 2 (MEX, TAP)", len(p.Shipments))
	}
	return p
}

// committedFixture stores the fixture campaign and commits its plan as
// version 1; the context's actor is planner@example.org.
func committedFixture(t *testing.T, db *DB) (context.Context, int64, *planner.Plan) {
	t.Helper()
	ctx := WithActor(context.Background(), Actor{Email: "planner@example.org"})
	id := createFixture(t, db)
	p := planFixture(t)
	v, err := db.CommitPlan(ctx, id, 0, "", "first", p)
	assertNoError(t, err)
	if v != 1 {
		t.Fatalf("first commit is version %d, want 1", v)
	}
	return ctx, id, p
}

// shipmentTo returns the live (not cancelled) shipment of a city.
func shipmentTo(t *testing.T, db *DB, campaignID int64, city string) planner.ShipmentRecord {
	t.Helper()
	list, err := db.ListShipments(context.Background(), campaignID, ShipmentFilter{City: city})
	assertNoError(t, err)
	for _, s := range list {
		if s.State().Stage != planner.StageCancelled {
			return s
		}
	}
	t.Fatalf("no live shipment to %s among %d", city, len(list))
	return planner.ShipmentRecord{}
}

func dispatchOf(s planner.ShipmentRecord, d planner.Date) planner.Event {
	return planner.Event{Kind: planner.EventDispatched, Date: d, Carrier: "Estafeta", Waybill: "W-1", Boxes: s.Boxes}
}

// deliveryOf accepts everything dispatched except rejected pieces of the
// first material, rejected as damaged.
func deliveryOf(s planner.ShipmentRecord, d planner.Date, rejected int64) planner.Event {
	e := planner.Event{Kind: planner.EventDelivered, Date: d, DeliveredBy: "Juan", ReceivedBy: "Delegación"}
	for i, l := range s.Lines {
		dl := planner.DeliveryLine{Material: l.Material, Accepted: l.Pieces}
		if i == 0 && rejected > 0 {
			dl.Accepted, dl.Rejected, dl.Reason = l.Pieces-rejected, rejected, planner.RejectDamaged
		}
		e.Lines = append(e.Lines, dl)
	}
	return e
}

// mustAppend records e and fails the test on any error.
func mustAppend(t *testing.T, ctx context.Context, db *DB, id int64, e planner.Event) planner.Event {
	t.Helper()
	out, created, err := db.AppendEvent(ctx, id, e, trackNow, "")
	assertNoError(t, err)
	if !created {
		t.Fatalf("event %s not created", e.Kind)
	}
	return out
}

// cities lists the cities of shipments, sorted.
func cities(list []planner.ShipmentRecord) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.City)
	}
	slices.Sort(out)
	return out
}

// countRows counts the rows of a table matching cond.
func countRows(t *testing.T, db *DB, table, cond string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.read.GetContext(context.Background(), &n, db.read.Rebind("SELECT COUNT(*) FROM "+table+" WHERE "+cond), args...); err != nil {
		t.Fatal(err)
	}
	return n
}
