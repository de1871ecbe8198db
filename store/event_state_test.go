package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reparto/reparto/planner"
)

// TestEventStateEqualsReplay runs the random sequences of
// TestTrackingViewEqualsReplay (events valid and refused, corrections,
// cancellations, re-plans, reschedules) on every shipment of a campaign,
// long enough for the appends to find the log state they kept. Each
// append's verdict is checked against ValidateEvent on the log read afresh
// (appendChecked), and after every step each log state kept for a
// shipment's current version must equal LogState of its log.
func TestEventStateEqualsReplay(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		db.Now = func() time.Time { return trackNow }
		for seed := range uint64(3) {
			t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
				ctx, id, p := committedFixture(t, db)
				rng := rand.New(rand.NewPCG(seed, 31))
				version := 1
				hits := 0
				for step := range 120 {
					hits += keptStates(t, db, id)
					what := randomStep(t, ctx, db, rng, id, p, &version)
					t.Logf("step %d: %s", step, what)
				}
				if hits < 20 {
					t.Errorf("only %d log states found kept at the shipment's version: the appends barely used them", hits)
				}
			})
		}
	})
}

// appendChecked is AppendEvent for randomStep, checked against a replay:
// the verdict must be the one ValidateEvent gives on the shipment's whole
// log read afresh, with the same fields and messages, and a committed
// append must keep the log state of the new log at the new version.
func appendChecked(t *testing.T, ctx context.Context, db *DB, id int64, e planner.Event) error {
	t.Helper()
	var want error
	err := db.readTx(ctx, func(tx *sqlx.Tx) error {
		s, err := loadShipment(ctx, tx, id)
		if err != nil {
			return err
		}
		c, err := loadCampaign(ctx, tx, s.CampaignID, true)
		if err != nil {
			return err
		}
		want = planner.ValidateEvent(s, planner.CompleteDistribution(e, c), c, trackNow)
		return nil
	})
	assertNoError(t, err)
	_, _, got := db.AppendEvent(ctx, id, e, trackNow, "")
	if (got == nil) != (want == nil) || got != nil && (got.Error() != want.Error() ||
		!reflect.DeepEqual(planner.ErrorFields(got), planner.ErrorFields(want))) {
		t.Fatalf("%s on %d: the store says %v, a replay of the log says %v", e.Kind, id, got, want)
	}
	if got == nil && keptState(t, db, id) == 0 {
		t.Fatalf("%s on %d: no log state kept for the version it committed", e.Kind, id)
	}
	return got
}

// keptStates checks the log state kept for each shipment of campaign id
// and returns how many were kept at the shipment's current version.
func keptStates(t *testing.T, db *DB, id int64) int {
	t.Helper()
	list, err := db.ListShipments(context.Background(), id, ShipmentFilter{})
	assertNoError(t, err)
	n := 0
	for _, s := range list {
		n += keptState(t, db, s.ID)
	}
	return n
}

// keptState compares the log state kept for shipment id at its current
// version, if any, with LogState of its log read afresh; it returns 1
// when a state was kept.
func keptState(t *testing.T, db *DB, id int64) int {
	t.Helper()
	ctx := context.Background()
	var s *planner.ShipmentRecord
	err := db.readTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		s, err = loadShipment(ctx, tx, id)
		return err
	})
	assertNoError(t, err)
	kept, ok := db.states.get(id, s.Version)
	if !ok {
		return 0
	}
	if replay := s.LogState(); !reflect.DeepEqual(kept.state, replay) {
		t.Fatalf("shipment %d at version %d: kept log state\n%+v\nreplay\n%+v", id, s.Version, kept.state, replay)
	}
	row := *s
	row.Events = nil
	if !reflect.DeepEqual(kept.ship, row) {
		t.Fatalf("shipment %d at version %d: kept shipment\n%+v\nread\n%+v", id, s.Version, kept.ship, row)
	}
	return 1
}
