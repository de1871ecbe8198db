package store

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/reparto/reparto/planner"
)

func TestCommitPlanVersions(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, id, p := committedFixture(t, db)

		latest, err := db.LatestPlan(ctx, id)
		assertNoError(t, err)
		if latest.Version != 1 || latest.Author != "planner@example.org" || latest.Note != "first" {
			t.Errorf("latest = v%d by %q (%q), want v1 by planner@example.org (first)", latest.Version, latest.Author, latest.Note)
		}
		if latest.Plan == nil || len(latest.Plan.Shipments) != 2 || latest.Plan.TotalBoxes != p.TotalBoxes ||
			len(latest.Plan.Cells) != len(p.Cells) {
			t.Fatalf("stored plan does not round-trip: %+v", latest.Plan)
		}
		if d := planner.DiffPlans(p, latest.Plan); len(d.Cities) != 0 || len(d.Lines) != 0 {
			t.Errorf("stored plan differs from the committed one: %+v", d)
		}
		list, err := db.ListShipments(ctx, id, ShipmentFilter{})
		assertNoError(t, err)
		if got := cities(list); !slices.Equal(got, []string{"MEX", "TAP"}) {
			t.Errorf("shipments to %v, want [MEX TAP]", got)
		}
		for _, s := range list {
			if s.PlanVersion != 1 || s.Version != 1 || len(s.Events) != 0 {
				t.Errorf("shipment %s: plan v%d, version %d, %d events; want v1, 1, 0", s.City, s.PlanVersion, s.Version, len(s.Events))
			}
		}

		_, err = db.CommitPlan(ctx, id, 0, "", "stale", p)
		wantCode(t, err, planner.EConflict)
		v, err := db.CommitPlan(ctx, id, 1, "ana", "second", p)
		assertNoError(t, err)
		if v != 2 {
			t.Errorf("second commit is version %d, want 2", v)
		}
		versions, err := db.ListPlanVersions(ctx, id)
		assertNoError(t, err)
		if len(versions) != 2 || versions[0].Version != 1 || versions[1].Version != 2 || versions[1].Author != "ana" || versions[1].Plan != nil {
			t.Errorf("versions = %+v", versions)
		}
		_, err = db.GetPlanVersion(ctx, id, 3)
		wantCode(t, err, planner.ENotFound)
		if n := countRows(t, db, "audit_log", "action = ? AND campaign_id = ?", "commit_plan", id); n != 2 {
			t.Errorf("%d commit_plan audit rows, want 2", n)
		}

		other := createFixture(t, db)
		_, err = db.LatestPlan(ctx, other)
		wantCode(t, err, planner.ENotFound)
		_, err = db.LatestPlan(ctx, 9999)
		wantCode(t, err, planner.ENotFound)
		_, err = db.CommitPlan(ctx, 9999, 0, "", "", p)
		wantCode(t, err, planner.ENotFound)
	})
}

// A new version updates undispatched shipments, creates shipments for new
// cities, cancels those of dropped cities and leaves dispatched ones alone.
func TestCommitPlanReconcilesShipments(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, id, p1 := committedFixture(t, db)
		tap := shipmentTo(t, db, id, "TAP")
		mustAppend(t, ctx, db, tap.ID, dispatchOf(tap, day(3, 2)))

		// Version 2: MEX dropped, TAP (dispatched) changed, ZZZ added.
		p2 := *p1
		p2.Shipments = nil
		for _, sh := range p1.Shipments {
			switch sh.City {
			case "MEX":
				zzz := sh
				zzz.City = "ZZZ"
				p2.Shipments = append(p2.Shipments, zzz)
			case "TAP":
				sh.Boxes += 7
				p2.Shipments = append(p2.Shipments, sh)
			}
		}
		_, err := db.CommitPlan(ctx, id, 1, "", "drop MEX", &p2)
		assertNoError(t, err)

		all, err := db.ListShipments(ctx, id, ShipmentFilter{})
		assertNoError(t, err)
		byCity := map[string]planner.ShipmentRecord{}
		for _, s := range all {
			byCity[s.City] = s
		}
		if len(all) != 3 {
			t.Fatalf("%d shipments, want 3 (MEX cancelled, TAP, ZZZ)", len(all))
		}
		mex := byCity["MEX"]
		if st := mex.State(); st.Stage != planner.StageCancelled || st.CancelReason != "city no longer in plan version 2" {
			t.Errorf("MEX: %s %q, want cancelled because it left plan version 2", st.Stage, st.CancelReason)
		}
		if mex.Events[0].Date != day(3, 20) {
			t.Errorf("MEX cancelled on %s, want the campaign's as_of 2009-03-20", mex.Events[0].Date)
		}
		if got := byCity["TAP"]; got.PlanVersion != 1 || got.Boxes != tap.Boxes {
			t.Errorf("dispatched TAP was rewritten: v%d, %d boxes; want v1, %d", got.PlanVersion, got.Boxes, tap.Boxes)
		}
		if got := byCity["ZZZ"]; got.PlanVersion != 2 || got.State().Stage != planner.StagePlanned {
			t.Errorf("ZZZ: v%d %s, want a planned shipment of v2", got.PlanVersion, got.State().Stage)
		}

		// Version 3 brings MEX back: a new shipment, the cancelled one stays.
		_, err = db.CommitPlan(ctx, id, 2, "", "MEX back", p1)
		assertNoError(t, err)
		mexes, err := db.ListShipments(ctx, id, ShipmentFilter{City: "MEX"})
		assertNoError(t, err)
		if len(mexes) != 2 || mexes[0].State().Stage != planner.StageCancelled || mexes[1].State().Stage != planner.StagePlanned {
			t.Errorf("MEX shipments after v3: %d, want the cancelled one and a new planned one", len(mexes))
		}
		zzz, err := db.ListShipments(ctx, id, ShipmentFilter{City: "ZZZ", Stage: planner.StageCancelled})
		assertNoError(t, err)
		if len(zzz) != 1 {
			t.Errorf("ZZZ not cancelled by v3")
		}
	})
}

// Rounds of concurrent commits from the same latest version: exactly one
// wins each round, the others get EConflict, versions stay consecutive.
func TestConcurrentCommits(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(context.Background(), Actor{Email: "planner@example.org"})
		id := createFixture(t, db)
		p := planFixture(t)
		const rounds, racers = 4, 6
		for r := range rounds {
			var wg sync.WaitGroup
			var mu sync.Mutex
			wins, conflicts := []int{}, 0
			for range racers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					v, err := db.CommitPlan(ctx, id, r, "", "race", p)
					mu.Lock()
					defer mu.Unlock()
					switch planner.ErrorCode(err) {
					case "":
						wins = append(wins, v)
					case planner.EConflict:
						conflicts++
					default:
						t.Errorf("round %d: unexpected error %v", r, err)
					}
				}()
			}
			wg.Wait()
			if len(wins) != 1 || wins[0] != r+1 || conflicts != racers-1 {
				t.Fatalf("round %d: wins %v, %d conflicts; want one win (v%d) and %d conflicts", r, wins, conflicts, r+1, racers-1)
			}
		}
		versions, err := db.ListPlanVersions(ctx, id)
		assertNoError(t, err)
		for i, v := range versions {
			if v.Version != i+1 {
				t.Fatalf("versions %+v are not 1..%d", versions, rounds)
			}
		}
		if len(versions) != rounds {
			t.Fatalf("%d versions, want %d", len(versions), rounds)
		}
		if n := countRows(t, db, "shipments", "campaign_id = ?", id); n != 2 {
			t.Errorf("%d shipments after %d commits, want 2 (losers roll back)", n, rounds)
		}
	})
}
