package store

import (
	"reflect"
	"testing"

	"github.com/reparto/reparto/planner"
)

// Boxes are committed with the plan: each shipment's boxes are the plan's
// packing, and a re-plan that changes only another city leaves them
// identical, before and after the shipment leaves.
func TestShipmentBoxesSurviveReplanOfOtherCities(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, id, p1 := committedFixture(t, db)
		want := map[string][]planner.BoxRun{}
		for _, sh := range p1.Shipments {
			if sh.Packing == nil || planner.BoxCount(sh.Packing) != sh.Boxes {
				t.Fatalf("%s: plan packs %d boxes, schedules %d", sh.City, planner.BoxCount(sh.Packing), sh.Boxes)
			}
			want[sh.City] = sh.Packing
			rec := shipmentTo(t, db, id, sh.City)
			got, err := db.ShipmentBoxes(ctx, id, rec.ID)
			assertNoError(t, err)
			if !reflect.DeepEqual(got, sh.Packing) || !reflect.DeepEqual(rec.Packing, sh.Packing) {
				t.Fatalf("%s boxes = %+v, record %+v; want the committed %+v", sh.City, got, rec.Packing, sh.Packing)
			}
		}
		tapBoxes := func(step string) {
			t.Helper()
			tap := shipmentTo(t, db, id, "TAP")
			got, err := db.ShipmentBoxes(ctx, id, tap.ID)
			assertNoError(t, err)
			if !reflect.DeepEqual(got, want["TAP"]) {
				t.Errorf("%s: TAP boxes = %+v, want them unchanged %+v", step, got, want["TAP"])
			}
		}

		// Version 2 gives MEX a locked quantity; TAP's lines stay as they were.
		c := fixtureCampaign()
		c.Locks = append(c.Locks, planner.Lock{Material: "L3-DEMAND", City: "MEX", Category: "NIGHTCLUB", Pieces: 4300})
		p2, err := planner.Compute(c)
		assertNoError(t, err)
		_, err = db.CommitPlan(ctx, id, 1, "", "MEX locked", p2)
		assertNoError(t, err)
		mex := shipmentTo(t, db, id, "MEX")
		if mex.PlanVersion != 2 || reflect.DeepEqual(mex.Packing, want["MEX"]) {
			t.Fatalf("MEX: v%d boxes %+v; want v2 with other boxes than v1", mex.PlanVersion, mex.Packing)
		}
		tapBoxes("after a re-plan of MEX")

		// TAP leaves; version 3 re-plans the rest and changes MEX again.
		tap := shipmentTo(t, db, id, "TAP")
		mustAppend(t, ctx, db, tap.ID, dispatchOf(tap, day(3, 2)))
		c.Locks[len(c.Locks)-1].Pieces = 6100
		list, err := db.ListShipments(ctx, id, ShipmentFilter{})
		assertNoError(t, err)
		p3, err := planner.Replan(c, p2, list, planner.ReplanOptions{}, day(3, 20))
		assertNoError(t, err)
		_, err = db.CommitPlan(ctx, id, 2, "", "MEX again", p3)
		assertNoError(t, err)
		tapBoxes("after TAP left and MEX was re-planned")
	})
}

func TestShipmentBoxesNotFound(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, id, _ := committedFixture(t, db)
		tap := shipmentTo(t, db, id, "TAP")
		other := createFixture(t, db)
		_, err := db.ShipmentBoxes(ctx, other, tap.ID)
		wantCode(t, err, planner.ENotFound)
		_, err = db.ShipmentBoxes(ctx, id, 999999)
		wantCode(t, err, planner.ENotFound)

		// A shipment committed before boxes were packed has none to show.
		_, err = db.exec(ctx, `UPDATE shipments SET packing = NULL, version = version + 1 WHERE id = ?`, tap.ID)
		assertNoError(t, err)
		_, err = db.ShipmentBoxes(ctx, id, tap.ID)
		wantCode(t, err, planner.ENotFound)
		if got := shipmentTo(t, db, id, "TAP"); got.Packing != nil {
			t.Errorf("unpacked shipment reads back with boxes %+v", got.Packing)
		}
	})
}
