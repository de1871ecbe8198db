package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reparto/reparto/planner"
)

// The state follows the campaign's life: draft, planned after a commit,
// in progress after the first event, closed by an admin, and back.
func TestCampaignStateThroughItsLife(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		draft := createFixture(t, db)
		ctx, id, _ := committedFixture(t, db)
		state := func(id int64) planner.CampaignState {
			t.Helper()
			list, err := db.ListCampaigns(ctx)
			assertNoError(t, err)
			for _, s := range list {
				if s.ID == id {
					return s.State()
				}
			}
			t.Fatalf("campaign %d not listed", id)
			return ""
		}
		steps := []struct {
			name string
			do   func() error
			want planner.CampaignState
		}{
			{"committed", func() error { return nil }, planner.StatePlanned},
			{"dispatched", func() error {
				tap := shipmentTo(t, db, id, "TAP")
				_, _, err := db.AppendEvent(ctx, tap.ID, dispatchOf(tap, day(3, 2)), trackNow, "")
				return err
			}, planner.StateInProgress},
			{"closed", func() error { return db.CloseCampaign(ctx, id) }, planner.StateClosed},
			{"reopened", func() error { return db.ReopenCampaign(ctx, id) }, planner.StateInProgress},
		}
		if got := state(draft); got != planner.StateDraft {
			t.Errorf("uncommitted campaign: state %q, want draft", got)
		}
		for _, st := range steps {
			assertNoError(t, st.do())
			if got := state(id); got != st.want {
				t.Errorf("%s: state %q, want %q", st.name, got, st.want)
			}
		}
	})
}

// A closed campaign refuses every kind of write with ErrCampaignClosed
// (409) and changes nothing; reopening lets writes through again.
func TestClosedCampaignRefusesEveryWrite(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, id, plan := committedFixture(t, db)
		tap := shipmentTo(t, db, id, "TAP")
		ctx = WithActor(ctx, Actor{Email: "admin@test.local"})
		assertNoError(t, db.CloseCampaign(ctx, id))
		wantCode(t, db.CloseCampaign(ctx, id), planner.EConflict) // already closed
		before := rowCounts(t, db)
		boxes := int64(1)
		writes := []struct {
			name string
			do   func() error
		}{
			{"material", func() error {
				return db.CreateMaterial(ctx, id, planner.Material{Code: "X", Name: "X", Printed: 10, PackSize: 10, PacksPerBox: 1})
			}},
			{"delete venue", func() error { return db.DeleteVenue(ctx, id, "v-000002") }},
			{"header", func() error {
				c, err := db.GetCampaignHeader(ctx, id)
				if err != nil {
					return err
				}
				c.Name = "renamed"
				return db.UpdateCampaign(ctx, id, c)
			}},
			{"targeting", func() error { return db.SetTargeting(ctx, id, nil) }},
			{"plan commit", func() error { _, err := db.CommitPlan(ctx, id, 1, "", "again", plan); return err }},
			{"event", func() error {
				_, _, err := db.AppendEvent(ctx, tap.ID, dispatchOf(tap, day(3, 2)), trackNow, "")
				return err
			}},
			{"reschedule", func() error { _, err := db.RescheduleShipment(ctx, tap.ID, 0, day(3, 3)); return err }},
			{"scenario", func() error { return db.ApplyScenario(ctx, id, 0, ScenarioChange{BoxesPerDay: &boxes}) }},
		}
		for _, w := range writes {
			err := w.do()
			if !errors.Is(err, ErrCampaignClosed) || planner.ErrorCode(err) != planner.EConflict {
				t.Errorf("%s on a closed campaign: %v, want ErrCampaignClosed", w.name, err)
			}
		}
		assertSameCounts(t, before, rowCounts(t, db))
		assertNoError(t, db.ReopenCampaign(ctx, id))
		wantCode(t, db.ReopenCampaign(ctx, id), planner.EConflict) // not closed
		assertNoError(t, writes[0].do())
		trail := auditTrail(t, db, AuditFilter{CampaignID: id})
		if !containsAll(trail, "close campaign", "reopen campaign") {
			t.Errorf("audit trail %v lacks the close and the reopen", trail)
		}
	})
}

// A copy takes the catalogue, not the history: no plan versions, no
// shipments, no simulated date; the original is untouched.
func TestCopyCampaign(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, src, _ := committedFixture(t, db)
		start, deadline := planner.NewDate(2010, time.January, 11), planner.NewDate(2010, time.March, 31)
		id, err := db.CopyCampaign(ctx, src, CampaignCopy{Name: "Campaña 2010", Start: start, Deadline: deadline})
		assertNoError(t, err)
		orig, err := db.GetCampaign(ctx, src)
		assertNoError(t, err)
		cp, err := db.GetCampaign(ctx, id)
		assertNoError(t, err)
		if cp.Name != "Campaña 2010" || cp.Start != start || cp.Deadline != deadline || cp.AsOf != nil {
			t.Errorf("copy header: %q %v %v as_of %v", cp.Name, cp.Start, cp.Deadline, cp.AsOf)
		}
		if len(cp.Materials) != len(orig.Materials) || len(cp.Cities) != len(orig.Cities) ||
			len(cp.Categories) != len(orig.Categories) || len(cp.Targeting) != len(orig.Targeting) ||
			len(cp.VenueCounts) != len(orig.VenueCounts) || len(cp.Venues) != len(orig.Venues) || len(cp.Locks) != len(orig.Locks) {
			t.Errorf("copy lists differ from the original's")
		}
		if cp.Depot != orig.Depot || cp.Dispatch.BoxesPerDay != orig.Dispatch.BoxesPerDay {
			t.Errorf("copy settings differ: %+v %+v", cp.Depot, cp.Dispatch)
		}
		if v, err := db.LatestPlanVersion(ctx, id); err != nil || v != 0 {
			t.Errorf("copy has plan version %d (%v), want none", v, err)
		}
		if list, err := db.ListShipments(ctx, id, ShipmentFilter{}); err != nil || len(list) != 0 {
			t.Errorf("copy has %d shipments (%v), want none", len(list), err)
		}
		if trail := auditTrail(t, db, AuditFilter{CampaignID: id}); len(trail) != 1 || trail[0] != "copy campaign "+itoa(id) {
			t.Errorf("copy audit trail %v, want one copy record", trail)
		}
		_, err = db.CopyCampaign(ctx, src, CampaignCopy{Name: "", Start: start, Deadline: start.AddDays(-1)})
		wantCode(t, err, planner.EInvalid)
		_, err = db.CopyCampaign(ctx, 9999, CampaignCopy{Name: "x", Start: start, Deadline: deadline})
		wantCode(t, err, planner.ENotFound)
	})
}

// Applying a scenario changes exactly its values, audits them, and is
// refused when the campaign changed since the scenario was computed.
func TestApplyScenario(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		boxes, surplus := int64(250), planner.SurplusReserve
		ch := ScenarioChange{BoxesPerDay: &boxes, Surplus: &surplus,
			ReservePct: map[string]planner.Decimal{"P1-POSTER": planner.MustDecimal("5")},
			Priority:   map[string]planner.Decimal{"MEX": planner.MustDecimal("3")}}
		wantCode(t, db.ApplyScenario(ctx, id, 7, ch), planner.EConflict) // stale version
		assertNoError(t, db.ApplyScenario(ctx, id, 1, ch))
		c, err := db.GetCampaign(ctx, id)
		assertNoError(t, err)
		if c.Dispatch.BoxesPerDay != 250 || c.Surplus != planner.SurplusReserve ||
			c.Materials[1].ReservePct.String() != "5" || c.Cities[0].Priority.String() != "3" ||
			c.Materials[0].ReservePct.String() != "2.5" || c.Cities[1].Priority.String() != "2.0" {
			t.Errorf("after apply: %+v", c)
		}
		bad := ScenarioChange{ReservePct: map[string]planner.Decimal{"NOPE": planner.MustDecimal("1")}}
		wantCode(t, db.ApplyScenario(ctx, id, 0, bad), planner.EInvalid)
		huge := ScenarioChange{ReservePct: map[string]planner.Decimal{"P1-POSTER": planner.MustDecimal("90")}}
		wantCode(t, db.ApplyScenario(ctx, id, 0, huge), planner.EInvalid)
		if trail := auditTrail(t, db, AuditFilter{CampaignID: id}); trail[len(trail)-1] != "apply_scenario campaign "+itoa(id) {
			t.Errorf("audit trail %v lacks the scenario", trail)
		}
	})
}

func assertSameCounts(t *testing.T, before, after map[string]int64) {
	t.Helper()
	for k, n := range before {
		if k != "audit_log" && after[k] != n {
			t.Errorf("%s: %d rows before, %d after", k, n, after[k])
		}
	}
}

// containsAll reports whether every prefix in want starts some entry of list.
func containsAll(list []string, want ...string) bool {
	for _, w := range want {
		if !slices.ContainsFunc(list, func(s string) bool { return strings.HasPrefix(s, w) }) {
			return false
		}
	}
	return true
}
