package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reparto/reparto/planner"
)

// TestTrackingViewEqualsReplay appends random event sequences (valid and
// refused events, corrections, cancellations, re-plans that drop and bring
// back a city, reschedules, alert acknowledgements) and checks after every
// step that what the tracking reads serve from the maintained view equals
// a replay of the log just read from the database: every shipment's state
// and status, the progress, the alerts, on the campaign's today and on a
// ?today= day.
func TestTrackingViewEqualsReplay(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		db.Now = func() time.Time { return trackNow }
		for seed := range uint64(3) {
			t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
				ctx, id, p := committedFixture(t, db)
				rng := rand.New(rand.NewPCG(seed, 13))
				version := 1
				checkViewEqualsReplay(t, db, id)
				for step := range 60 {
					what := randomStep(t, ctx, db, rng, id, p, &version)
					t.Logf("step %d: %s", step, what)
					checkViewEqualsReplay(t, db, id)
				}
			})
		}
	})
}

// randomStep changes the campaign's tracking in one random way (or tries
// to: refused writes are part of the sequence) and says what it did.
func randomStep(t *testing.T, ctx context.Context, db *DB, rng *rand.Rand, id int64, p *planner.Plan, version *int) string {
	t.Helper()
	list, err := db.ListShipments(ctx, id, ShipmentFilter{})
	assertNoError(t, err)
	s := list[rng.IntN(len(list))]
	d := day(3, 1).AddDays(rng.IntN(22))
	var e planner.Event
	switch k := rng.IntN(12); k {
	case 0, 1:
		e = dispatchOf(s, d)
		if rng.IntN(3) == 0 && len(s.Lines) > 0 { // short: fewer boxes, loaded pieces told
			e.Boxes = max(s.Boxes-1, 0)
			for _, l := range s.Lines {
				e.Loaded = append(e.Loaded, planner.LoadedLine{Material: l.Material, Pieces: max(l.Pieces-int64(rng.IntN(3)), 0)})
			}
		}
	case 2:
		e = planner.Event{Kind: planner.EventInTransit, Date: d, Checkpoint: "Km " + fmt.Sprint(rng.IntN(900))}
	case 3, 4:
		e = deliveryOf(s, d, int64(rng.IntN(3)))
		if rng.IntN(3) == 0 && len(e.Lines) > 0 {
			e.Lines[0].Accepted -= int64(rng.IntN(5))
			e.Discrepancy = rng.IntN(2) == 0
		}
	case 5, 6:
		e = planner.Event{Kind: planner.EventDistributed, Date: d}
		for _, l := range s.Lines {
			e.Distribution = append(e.Distribution, planner.DistributionLine{Material: l.Material, Category: "NIGHTCLUB",
				Pieces: int64(rng.IntN(int(min(l.Pieces, 50)) + 1))})
		}
	case 7:
		e = planner.Event{Kind: planner.EventCancelled, Date: d, Reason: "random"}
	case 8, 9:
		if len(s.Events) == 0 {
			return "nothing to correct"
		}
		target := s.Events[rng.IntN(len(s.Events))]
		r := target
		r.ID, r.Corrects, r.Replacement = 0, 0, nil
		r.Date = r.Date.AddDays(rng.IntN(3) - 1)
		// A copy: the store's decoded events share their slices (event.go's
		// payload cache), and changing them in place would change the log
		// every later read decodes.
		r.Lines = slices.Clone(r.Lines)
		for i := range r.Lines {
			r.Lines[i].Accepted = max(r.Lines[i].Accepted-int64(rng.IntN(2)), 0)
		}
		e = planner.Event{Kind: planner.EventCorrection, Date: d, Reason: "typo", Corrects: target.ID, Replacement: &r}
	case 10:
		drop := p
		if rng.IntN(2) == 0 {
			q := *p
			q.Shipments = q.Shipments[1:]
			drop = &q
		}
		v, err := db.CommitPlan(ctx, id, *version, "", "random re-plan", drop)
		if err == nil {
			*version = v
		}
		return fmt.Sprintf("re-plan with %d cities: %v", len(drop.Shipments), err)
	case 11:
		if alerts, err := db.ListAlerts(ctx, id); err == nil && len(alerts) > 0 {
			_, err := db.AckAlert(ctx, id, alerts[rng.IntN(len(alerts))].EventID)
			return fmt.Sprintf("ack: %v", err)
		}
		_, err := db.RescheduleShipment(ctx, s.ID, s.Version, d)
		return fmt.Sprintf("reschedule %d to %s: %v", s.ID, d, err)
	}
	err = appendChecked(t, ctx, db, s.ID, e) // the verdict and the kept log state equal a replay
	return fmt.Sprintf("%s on %d (%s): %v", e.Kind, s.ID, d, err)
}

// checkViewEqualsReplay compares the maintained view with a replay of the
// log read afresh.
func checkViewEqualsReplay(t *testing.T, db *DB, id int64) {
	t.Helper()
	ctx := context.Background()
	var fresh []planner.ShipmentRecord
	var acks []int64
	var camp *planner.Campaign
	err := db.readTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		if camp, err = loadCampaignHeader(ctx, tx, id); err != nil {
			return err
		}
		if fresh, err = loadCampaignShipments(ctx, tx, id); err != nil {
			return err
		}
		return tx.SelectContext(ctx, &acks, `SELECT event_id FROM alert_acks WHERE campaign_id = `+fmt.Sprint(id))
	})
	assertNoError(t, err)
	today := camp.Today(db.now())
	for _, travel := range []planner.Date{{}, day(3, 10)} {
		got, err := db.ListShipments(ctx, id, ShipmentFilter{Today: travel})
		assertNoError(t, err)
		if len(got) != len(fresh) {
			t.Fatalf("today %v: %d shipments from the view, %d in the database", travel, len(got), len(fresh))
		}
		seen, replay := today, make([]planner.ShipmentRecord, len(fresh))
		if !travel.IsZero() {
			seen = travel
		}
		for i := range fresh {
			replay[i] = fresh[i]
			if !travel.IsZero() {
				replay[i] = fresh[i].AsOfDay(travel)
			}
			if got[i].ID != replay[i].ID || got[i].Version != replay[i].Version || !reflect.DeepEqual(got[i].Events, replay[i].Events) {
				t.Fatalf("today %v: shipment %d: view has version %d with %d events, database version %d with %d",
					travel, replay[i].ID, got[i].Version, len(got[i].Events), replay[i].Version, len(replay[i].Events))
			}
			if g, w := got[i].State(), replay[i].State(); !reflect.DeepEqual(g, w) {
				t.Fatalf("today %v: shipment %d state:\nview   %+v\nreplay %+v", travel, replay[i].ID, g, w)
			}
			gs, gr := got[i].Assess(seen)
			ws, wr := replay[i].Assess(seen)
			if gs != ws || !reflect.DeepEqual(gr, wr) {
				t.Fatalf("today %v: shipment %d status %s %v, replay %s %v", travel, replay[i].ID, gs, gr, ws, wr)
			}
			for _, st := range planner.Statuses {
				filtered, err := db.ListShipments(ctx, id, ShipmentFilter{Today: travel, Status: st, City: got[i].City})
				assertNoError(t, err)
				in := false
				for _, f := range filtered {
					in = in || f.ID == got[i].ID
				}
				if in != (st == ws) {
					t.Fatalf("today %v: shipment %d listed under status %s: %v, its status is %s", travel, got[i].ID, st, in, ws)
				}
			}
		}
		progress, err := db.CampaignProgress(ctx, id, travel)
		assertNoError(t, err)
		if want := planner.Progress(camp, replay, seen); !reflect.DeepEqual(progress, want) {
			t.Fatalf("today %v: progress\nview   %+v\nreplay %+v", travel, progress, want)
		}
	}
	acked := map[int64]bool{}
	for _, a := range acks {
		acked[a] = true
	}
	want := []planner.Alert{}
	for _, a := range planner.Alerts(fresh) {
		if !acked[a.EventID] {
			want = append(want, a)
		}
	}
	alerts, err := db.ListAlerts(ctx, id)
	assertNoError(t, err)
	if !reflect.DeepEqual(alerts, want) {
		t.Fatalf("alerts\nview   %+v\nreplay %+v", alerts, want)
	}
}

// TestGetCampaignHeaderSummary checks that the one-query read gives what
// the two reads it replaces give, for an open and a closed campaign.
func TestGetCampaignHeaderSummary(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, id, _ := committedFixture(t, db)
		for _, closeIt := range []bool{false, true} {
			if closeIt {
				_, err := db.exec(ctx, `UPDATE campaigns SET closed_at = ?, closed_by = ? WHERE id = ?`,
					trackNow, "admin@example.org", id)
				assertNoError(t, err)
			}
			camp, sum, err := db.GetCampaignHeaderSummary(ctx, id)
			assertNoError(t, err)
			wantCamp, err := db.GetCampaignHeader(ctx, id)
			assertNoError(t, err)
			wantSum, err := db.GetCampaignSummary(ctx, id)
			assertNoError(t, err)
			if !reflect.DeepEqual(camp, wantCamp) || !reflect.DeepEqual(sum, wantSum) {
				t.Fatalf("closed %v:\n%+v %+v\nwant\n%+v %+v", closeIt, camp, sum, wantCamp, wantSum)
			}
		}
		_, _, err := db.GetCampaignHeaderSummary(context.Background(), id+1000)
		wantCode(t, err, planner.ENotFound)
	})
}

// TestTrackingStampReadsAnIndexOnly: on SQLite the stamp, read on every
// tracking request, sums the shipments' versions from shipments_stamp
// without visiting the table's rows (kilobytes each, with their lines).
func TestTrackingStampReadsAnIndexOnly(t *testing.T) {
	db := openTestSQLite(t)
	var plan []struct {
		ID      int    `db:"id"`
		Parent  int    `db:"parent"`
		NotUsed int    `db:"notused"`
		Detail  string `db:"detail"`
	}
	if err := db.read.SelectContext(context.Background(), &plan, `EXPLAIN QUERY PLAN `+trackingStampSQL, 1, 1); err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, p := range plan {
		details = append(details, p.Detail)
		if strings.Contains(p.Detail, "shipments") && !strings.Contains(p.Detail, "COVERING INDEX shipments_stamp") {
			t.Errorf("the stamp reads shipments with %q, want the covering index shipments_stamp", p.Detail)
		}
	}
	if !slices.ContainsFunc(details, func(d string) bool { return strings.Contains(d, "shipments_stamp") }) {
		t.Errorf("query plan %q does not use shipments_stamp", details)
	}
}
