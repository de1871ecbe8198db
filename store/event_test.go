package store

import (
	"testing"

	"github.com/reparto/reparto/planner"
)

// A sample of the transition rules through the store (the rules
// themselves are tested in planner): each step is appended in order and
// either stored or refused with the named field, leaving the log as it was.
func TestAppendEventTransitions(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, id, _ := committedFixture(t, db)
		tap := shipmentTo(t, db, id, "TAP")
		delivery := deliveryOf(tap, day(3, 6), 0)
		short := deliveryOf(tap, day(3, 6), 0)
		short.Lines[0].Accepted--
		steps := []struct {
			name      string
			e         planner.Event
			wantField string // "" when the event is stored
			wantStage planner.Stage
		}{
			{"delivered before dispatch", delivery, "kind", planner.StagePlanned},
			{"dispatch without carrier", planner.Event{Kind: planner.EventDispatched, Date: day(3, 2), Boxes: tap.Boxes}, "carrier", planner.StagePlanned},
			{"dispatch before the start", dispatchOf(tap, day(1, 5)), "date", planner.StagePlanned},
			{"dispatch", dispatchOf(tap, day(3, 2)), "", planner.StageDispatched},
			{"dispatch twice", dispatchOf(tap, day(3, 3)), "kind", planner.StageDispatched},
			{"checkpoint", planner.Event{Kind: planner.EventInTransit, Date: day(3, 4), Checkpoint: "Tuxtla"}, "", planner.StageInTransit},
			{"checkpoint before the previous event", planner.Event{Kind: planner.EventInTransit, Date: day(3, 1), Checkpoint: "Puebla"}, "date", planner.StageInTransit},
			{"delivery one piece short", short, "lines[0].accepted", planner.StageInTransit},
			{"delivery", delivery, "", planner.StageDelivered},
			{"cancel after delivery", planner.Event{Kind: planner.EventCancelled, Date: day(3, 7), Reason: "x"}, "kind", planner.StageDelivered},
			{"distribute more than accepted", planner.Event{Kind: planner.EventDistributed, Date: day(3, 8),
				Distribution: []planner.DistributionLine{{Material: tap.Lines[0].Material, Category: "NIGHTCLUB", Pieces: tap.Lines[0].Pieces + 1}}},
				"distribution[0].pieces", planner.StageDelivered},
			{"distribute to a venue of another category", planner.Event{Kind: planner.EventDistributed, Date: day(3, 8),
				Distribution: []planner.DistributionLine{{Material: tap.Lines[0].Material, Category: "NIGHTCLUB", VenueID: "v-000001", Pieces: 1}}},
				"distribution[0].venue_id", planner.StageDelivered},
			{"distribute", planner.Event{Kind: planner.EventDistributed, Date: day(3, 8),
				Distribution: []planner.DistributionLine{{Material: tap.Lines[0].Material, Category: "NIGHTCLUB", Pieces: 100}}},
				"", planner.StageDistributed},
		}
		stored := 0
		for _, st := range steps {
			_, created, err := db.AppendEvent(ctx, tap.ID, st.e, trackNow, "")
			if st.wantField == "" {
				assertNoError(t, err)
				stored++
			} else {
				wantCode(t, err, planner.EInvalid)
				if _, ok := fieldsOf(err)[st.wantField]; !ok {
					t.Errorf("%s: fields %v, want %q", st.name, fieldsOf(err), st.wantField)
				}
			}
			if created != (st.wantField == "") {
				t.Errorf("%s: created = %v", st.name, created)
			}
			s, err := db.GetShipment(ctx, tap.ID)
			assertNoError(t, err)
			if got := s.State().Stage; got != st.wantStage || len(s.Events) != stored || s.Version != 1+stored {
				t.Errorf("after %s: %s, %d events, version %d; want %s, %d, %d", st.name, got, len(s.Events), s.Version,
					st.wantStage, stored, 1+stored)
			}
		}

		s, err := db.GetShipment(ctx, tap.ID)
		assertNoError(t, err)
		first := s.Events[0]
		if first.Author != "planner@example.org" || !first.RecordedAt.Equal(trackNow) || first.Date != day(3, 2) {
			t.Errorf("dispatch event = %+v, want author planner@example.org recorded at %s", first, trackNow)
		}
		// A correction amends the dispatch date; the log keeps both.
		fix := dispatchOf(tap, day(3, 3))
		fix.Kind = ""
		corr := mustAppend(t, ctx, db, tap.ID, planner.Event{Kind: planner.EventCorrection, Date: day(3, 9), Reason: "typo", Corrects: first.ID, Replacement: &fix})
		s, err = db.GetShipment(ctx, tap.ID)
		assertNoError(t, err)
		if st := s.State(); *st.DispatchedOn != day(3, 3) || len(s.Events) != stored+1 || s.Events[len(s.Events)-1].ID != corr.ID {
			t.Errorf("after correction: dispatched on %s with %d events, want 2009-03-03 with %d", st.DispatchedOn, len(s.Events), stored+1)
		}
		if n := countRows(t, db, "shipment_events", "amends_event_id = ?", first.ID); n != 1 {
			t.Errorf("%d events amend the dispatch, want 1", n)
		}
		if n := countRows(t, db, "audit_log", "action = ? AND entity_id = ?", "record_event", itoa(tap.ID)); n != int64(stored+1) {
			t.Errorf("%d record_event audit rows, want %d", n, stored+1)
		}

		_, _, err = db.AppendEvent(ctx, 9999, dispatchOf(tap, day(3, 2)), trackNow, "")
		wantCode(t, err, planner.ENotFound)
	})
}

// The log is append-only in SQL too; deleting the whole campaign still works.
func TestEventsAreAppendOnly(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, id, _ := committedFixture(t, db)
		tap := shipmentTo(t, db, id, "TAP")
		e := mustAppend(t, ctx, db, tap.ID, dispatchOf(tap, day(3, 2)))
		if _, err := db.exec(ctx, `UPDATE shipment_events SET date = '2009-03-01' WHERE id = ?`, e.ID); err == nil {
			t.Error("UPDATE of an event succeeded")
		}
		if _, err := db.exec(ctx, `DELETE FROM shipment_events WHERE id = ?`, e.ID); err == nil {
			t.Error("DELETE of an event succeeded")
		}
		assertNoError(t, db.DeleteCampaign(ctx, id))
		if n := countRows(t, db, "shipment_events", "1 = 1"); n != 0 {
			t.Errorf("%d events left after deleting the campaign", n)
		}
	})
}

func TestAppendEventIfStaleVersion(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, id, _ := committedFixture(t, db)
		tap := shipmentTo(t, db, id, "TAP")
		_, _, err := db.AppendEventIf(ctx, tap.ID, tap.Version+1, dispatchOf(tap, day(3, 2)), trackNow, "")
		wantCode(t, err, planner.EConflict)
		_, created, err := db.AppendEventIf(ctx, tap.ID, tap.Version, dispatchOf(tap, day(3, 2)), trackNow, "")
		assertNoError(t, err)
		if !created {
			t.Error("not created")
		}
		_, _, err = db.AppendEventIf(ctx, tap.ID, tap.Version, planner.Event{Kind: planner.EventInTransit, Date: day(3, 3)}, trackNow, "")
		wantCode(t, err, planner.EConflict)
	})
}

func TestRescheduleShipment(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, id, _ := committedFixture(t, db)
		mex := shipmentTo(t, db, id, "MEX")
		_, err := db.RescheduleShipment(ctx, mex.ID, mex.Version+1, day(3, 23))
		wantCode(t, err, planner.EConflict)
		_, err = db.RescheduleShipment(ctx, mex.ID, mex.Version, day(4, 1))
		wantCode(t, err, planner.EInvalid)
		got, err := db.RescheduleShipment(ctx, mex.ID, mex.Version, day(3, 23))
		assertNoError(t, err)
		want := day(3, 23).AddDays(mex.TransitDays)
		if got.Dispatch != day(3, 23) || got.FirstDispatch != day(3, 23) || got.Arrival != want || got.Version != mex.Version+1 {
			t.Errorf("rescheduled = %s..%s arriving %s v%d; want 2009-03-23 arriving %s v%d",
				got.FirstDispatch, got.Dispatch, got.Arrival, got.Version, want, mex.Version+1)
		}
		stored := shipmentTo(t, db, id, "MEX")
		if stored.Arrival != want || stored.Version != got.Version {
			t.Errorf("stored %s v%d, want %s v%d", stored.Arrival, stored.Version, want, got.Version)
		}
		mustAppend(t, ctx, db, mex.ID, dispatchOf(mex, day(3, 20)))
		_, err = db.RescheduleShipment(ctx, mex.ID, got.Version+1, day(3, 24))
		wantCode(t, err, planner.EInvalid)
		_, err = db.RescheduleShipment(ctx, 9999, 1, day(3, 24))
		wantCode(t, err, planner.ENotFound)
	})
}

func TestListShipmentsFilters(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, id, _ := committedFixture(t, db)
		tap := shipmentTo(t, db, id, "TAP")
		mustAppend(t, ctx, db, tap.ID, dispatchOf(tap, day(3, 2)))
		mustAppend(t, ctx, db, tap.ID, deliveryOf(tap, day(3, 6), 0))
		cases := []struct {
			f    ShipmentFilter
			want []string
		}{
			{ShipmentFilter{}, []string{"MEX", "TAP"}},
			{ShipmentFilter{City: "TAP"}, []string{"TAP"}},
			{ShipmentFilter{City: "GDL"}, nil},
			{ShipmentFilter{Stage: planner.StageDelivered}, []string{"TAP"}},
			{ShipmentFilter{Stage: planner.StagePlanned}, []string{"MEX"}},
			{ShipmentFilter{Status: planner.StatusDelivered}, []string{"TAP"}},
			{ShipmentFilter{Status: planner.StatusLate, Today: day(3, 30)}, []string{"MEX"}},
		}
		for _, c := range cases {
			got, err := db.ListShipments(ctx, id, c.f)
			assertNoError(t, err)
			if g := cities(got); len(g) != len(c.want) || (len(g) > 0 && g[0] != c.want[0]) {
				t.Errorf("%+v: %v, want %v", c.f, g, c.want)
			}
		}
		_, err := db.ListShipments(ctx, id, ShipmentFilter{Status: "lost"})
		wantCode(t, err, planner.EInvalid)
		_, err = db.ListShipments(ctx, 9999, ShipmentFilter{})
		wantCode(t, err, planner.ENotFound)
	})
}

func TestAlertsAndAcknowledgement(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, id, _ := committedFixture(t, db)
		tap := shipmentTo(t, db, id, "TAP")
		mustAppend(t, ctx, db, tap.ID, dispatchOf(tap, day(3, 2)))
		del := mustAppend(t, ctx, db, tap.ID, deliveryOf(tap, day(3, 6), 100))
		alerts, err := db.ListAlerts(ctx, id)
		assertNoError(t, err)
		l := tap.Lines[0]
		if len(alerts) != 1 || alerts[0].EventID != del.ID || alerts[0].Material != l.Material ||
			alerts[0].Dispatched != l.Pieces || alerts[0].Accepted != l.Pieces-100 || alerts[0].Rejected != 100 ||
			alerts[0].Reason != planner.RejectDamaged || alerts[0].Missing != 0 {
			t.Fatalf("alerts = %+v, want one for %d damaged pieces of %s", alerts, 100, l.Material)
		}
		_, err = db.AckAlert(ctx, id, del.ID+1000)
		wantCode(t, err, planner.ENotFound)
		created, err := db.AckAlert(ctx, id, del.ID)
		assertNoError(t, err)
		again, err := db.AckAlert(ctx, id, del.ID)
		assertNoError(t, err)
		if !created || again {
			t.Errorf("ack created = %v, again = %v; want true, false", created, again)
		}
		alerts, err = db.ListAlerts(ctx, id)
		assertNoError(t, err)
		if len(alerts) != 0 {
			t.Errorf("alerts after ack = %+v, want none", alerts)
		}
		if n := countRows(t, db, "alert_acks", "acked_by = ?", "planner@example.org"); n != 1 {
			t.Errorf("%d acks by planner@example.org, want 1", n)
		}
	})
}

// fieldsOf returns the field errors of err by path.
func fieldsOf(err error) map[string]string {
	out := map[string]string{}
	for _, f := range planner.ErrorFields(err) {
		out[f.Path] = f.Message
	}
	return out
}

func itoa(n int64) string { return planner.DecimalInt(n).String() }
