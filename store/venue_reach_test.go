package store

import (
	"context"
	"reflect"
	"testing"

	"github.com/reparto/reparto/planner"
)

// reachFixture is the fixture campaign with one registered nightclub in
// Tapachula (v-000003), committed, and Tapachula's shipment delivered.
func reachFixture(t *testing.T, db *DB) (context.Context, int64, planner.ShipmentRecord) {
	t.Helper()
	ctx := WithActor(context.Background(), Actor{Email: "planner@example.org"})
	id := createFixture(t, db)
	assertNoError(t, db.CreateVenue(ctx, id, planner.Venue{ID: "v-000003", Name: "Club Sur", Category: "NIGHTCLUB",
		Lat: 14.91, Lon: -92.26, City: "TAP"}))
	camp, err := db.GetCampaign(ctx, id)
	assertNoError(t, err)
	p, err := planner.Compute(camp)
	assertNoError(t, err)
	_, err = db.CommitPlan(ctx, id, 0, "", "first", p)
	assertNoError(t, err)
	tap := shipmentTo(t, db, id, "TAP")
	mustAppend(t, ctx, db, tap.ID, dispatchOf(tap, day(3, 2)))
	mustAppend(t, ctx, db, tap.ID, deliveryOf(tap, day(3, 6), 0))
	return ctx, id, tap
}

// Venue lines go through the store like category lines: a line naming a
// venue without its category is stored with the venue's category, a venue
// of another city is refused, and the queries read what was handed out to
// each venue, with corrections applied and as of a day.
func TestDistributionToVenues(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, id, tap := reachFixture(t, db)
		l3 := "L3-DEMAND"
		// v-000002 is a nightclub of Mexico City: not Tapachula's
		_, _, err := db.AppendEvent(ctx, tap.ID, planner.Event{Kind: planner.EventDistributed, Date: day(3, 8),
			Distribution: []planner.DistributionLine{{Material: l3, VenueID: "v-000002", Pieces: 1}}}, trackNow, "")
		wantCode(t, err, planner.EInvalid)
		if _, ok := fieldsOf(err)["distribution[0].venue_id"]; !ok {
			t.Errorf("venue of another city: fields %v", fieldsOf(err))
		}
		ev := mustAppend(t, ctx, db, tap.ID, planner.Event{Kind: planner.EventDistributed, Date: day(3, 8),
			Distribution: []planner.DistributionLine{{Material: l3, VenueID: "v-000003", Pieces: 100}, {Material: l3, Category: "NIGHTCLUB", Pieces: 500}}})
		if ev.Distribution[0].Category != "NIGHTCLUB" {
			t.Errorf("stored venue line = %+v, want the venue's category", ev.Distribution[0])
		}
		sh, err := db.GetShipment(ctx, tap.ID)
		assertNoError(t, err)
		if got := sh.State().Distributed[l3]; got != 600 {
			t.Errorf("distributed %s = %d, want 600 (venue lines count in the totals)", l3, got)
		}

		want := []planner.DistributionLine{{Material: l3, Category: "NIGHTCLUB", Pieces: 500},
			{Material: l3, Category: "NIGHTCLUB", VenueID: "v-000003", Pieces: 100}}
		for _, tc := range []struct {
			name  string
			city  string
			today planner.Date
			want  []planner.DistributionLine
		}{
			{"campaign", "", planner.Date{}, want},
			{"city", "TAP", day(3, 20), want},
			{"other city", "MEX", planner.Date{}, []planner.DistributionLine{}},
			{"before the report", "", day(3, 7), []planner.DistributionLine{}},
		} {
			got, err := db.DistributedLines(ctx, id, tc.city, tc.today)
			assertNoError(t, err)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s: lines = %+v, want %+v", tc.name, got, tc.want)
			}
		}

		cov, err := db.VenueCoverage(ctx, id, "", planner.Date{})
		assertNoError(t, err)
		for venue, want := range map[string]planner.VenueReach{"v-000003": planner.VenueReached, "v-000002": planner.VenueNotReached} {
			if got := cov.Reach(venue); got != want {
				t.Errorf("Reach(%s) = %s, want %s", venue, got, want)
			}
		}
		chp := planner.CoverageCount{}
		for _, k := range cov.Cells {
			if k.State == "MX-CHP" && k.Category == "NIGHTCLUB" {
				chp = k
			}
		}
		if chp.Targeted != 1 || chp.Reached != 1 {
			t.Errorf("Chiapas nightclubs = %+v, want 1 targeted, 1 reached", chp)
		}
		_, err = db.VenueCoverage(ctx, id, "X9", planner.Date{})
		wantCode(t, err, planner.EInvalid)

		prog, err := db.CityVenueProgress(ctx, id, "TAP", planner.Date{})
		assertNoError(t, err)
		var club *planner.VenueProgress
		for i := range prog.Venues {
			if prog.Venues[i].Venue.ID == "v-000003" {
				club = &prog.Venues[i]
			}
		}
		if club == nil || len(club.Lines) != 1 || club.Lines[0].Allocated <= 0 || club.Lines[0].Distributed != 100 {
			t.Fatalf("v-000003 progress = %+v", club)
		}
		var unreg planner.UnregisteredProgress
		for _, u := range prog.Unregistered {
			if u.Category == "NIGHTCLUB" {
				unreg = u
			}
		}
		if unreg.Venues != 39 || len(unreg.Lines) != 1 || unreg.Lines[0].Distributed != 500 ||
			unreg.Lines[0].Allocated+club.Lines[0].Allocated != 10000 {
			t.Errorf("unregistered nightclubs = %+v (the locked 10,000 pieces are shared with v-000003)", unreg)
		}
		_, err = db.CityVenueProgress(ctx, id, "XXX", planner.Date{})
		wantCode(t, err, planner.ENotFound)

		// the 100 pieces went to the unregistered nightclubs after all
		fixed := planner.Event{Kind: planner.EventDistributed, Date: day(3, 8),
			Distribution: []planner.DistributionLine{{Material: l3, Category: "NIGHTCLUB", Pieces: 600}}}
		mustAppend(t, ctx, db, tap.ID, planner.Event{Kind: planner.EventCorrection, Date: day(3, 9), Corrects: ev.ID,
			Reason: "wrong venue", Replacement: &fixed})
		got, err := db.DistributedLines(ctx, id, "", planner.Date{})
		assertNoError(t, err)
		if !reflect.DeepEqual(got, []planner.DistributionLine{{Material: l3, Category: "NIGHTCLUB", Pieces: 600}}) {
			t.Errorf("after the correction: %+v", got)
		}
		if got, _ := db.DistributedLines(ctx, id, "", day(3, 8)); len(got) != 2 {
			t.Errorf("before the correction's day: %+v, want the lines as first told", got)
		}
		cov, err = db.VenueCoverage(ctx, id, "", planner.Date{})
		assertNoError(t, err)
		if cov.Reach("v-000003") != planner.VenueNotReached || cov.Total.Reached != 0 {
			t.Errorf("after the correction: v-000003 %s, total %+v", cov.Reach("v-000003"), cov.Total)
		}
	})
}

// Before a first commit nothing is targeted, allocated or handed out.
func TestVenueCoverageWithoutPlan(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		cov, err := db.VenueCoverage(ctx, id, "", planner.Date{})
		assertNoError(t, err)
		if cov.Total != (planner.CoverageCount{}) || len(cov.Targeted) != 0 {
			t.Errorf("coverage without plan = %+v", cov.Total)
		}
		prog, err := db.CityVenueProgress(ctx, id, "TAP", planner.Date{})
		assertNoError(t, err)
		if len(prog.Venues) != 0 || len(prog.Unregistered) != 0 {
			t.Errorf("progress without plan = %+v", prog)
		}
		_, err = db.VenueCoverage(ctx, 9999, "", planner.Date{})
		wantCode(t, err, planner.ENotFound)
		_, err = db.DistributedLines(ctx, 9999, "", planner.Date{})
		wantCode(t, err, planner.ENotFound)
	})
}
