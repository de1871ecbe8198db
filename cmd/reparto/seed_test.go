package main

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/planio"
	"github.com/reparto/reparto/store"
)

// seededDemo is a fresh SQLite database with the 2009 campaign and its
// tracking demo (what seedDemo loads at first start).
func seededDemo(t *testing.T) (*store.DB, int64) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f, err := assets.FS.Open("data/campaign-2009.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	camp, err := planio.ParseCampaign(f)
	if err != nil {
		t.Fatal(err)
	}
	id, err := db.CreateCampaign(ctx, camp)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.SeedDemoTracking(ctx, id, camp); err != nil {
		t.Fatalf("seed: %v", err)
	}
	return db, id
}

// On 2009-03-20 the demo shows a campaign in progress: things dispatched,
// delivered and distributed, MXL (never left, latest dispatch 03-19) and
// SLP (left 03-13, expected 03-15, not delivered) at risk, GDL's damaged
// pieces as the one alert, and a projected completion date.
func TestDemoTrackingOn20090320(t *testing.T) {
	db, id := seededDemo(t)
	ctx := context.Background()
	camp, err := db.GetCampaignHeader(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	today := planner.NewDate(2009, 3, 20)
	shipments, err := db.ListShipments(ctx, id, store.ShipmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(shipments) != 70 {
		t.Fatalf("%d shipments, want one per city (70)", len(shipments))
	}
	p := planner.Progress(camp, shipments, today)
	if p.Dispatched.Boxes == 0 || p.Delivered.Pieces == 0 || p.Distributed.Pieces == 0 {
		t.Errorf("dispatched %+v delivered %+v distributed %+v: want all > 0", p.Dispatched, p.Delivered, p.Distributed)
	}
	var risky []string
	for _, a := range p.AtRisk {
		risky = append(risky, a.City+":"+string(a.Status)+":"+a.Reason.Code)
	}
	slices.Sort(risky)
	want := []string{"MXL:at_risk:not_dispatched", "SLP:at_risk:arrival_overdue"}
	if !slices.Equal(risky, want) {
		t.Errorf("at risk %v, want %v", risky, want)
	}
	if p.ProjectedCompletion == nil {
		t.Error("no projected completion date")
	}
	alerts, err := db.ListAlerts(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 || alerts[0].City != "GDL" || alerts[0].Rejected != 150 || alerts[0].Reason != planner.RejectDamaged {
		t.Errorf("alerts %+v, want one: GDL, 150 damaged pieces", alerts)
	}
	if len(p.Losses) != 1 || p.Losses[0].Pieces != 150 {
		t.Errorf("losses %+v, want 150 damaged pieces", p.Losses)
	}
}

// Re-planning after the partial dispatch, even releasing every reserve,
// never changes what a dispatched city receives.
func TestDemoReplanKeepsDispatchedQuantities(t *testing.T) {
	db, id := seededDemo(t)
	ctx := context.Background()
	camp, err := db.GetCampaign(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	latest, err := db.LatestPlan(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	shipments, err := db.ListShipments(ctx, id, store.ShipmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	input, err := planner.ReplanInput(camp, latest.Plan, shipments, planner.ReplanOptions{ReleaseReserve: true})
	if err != nil {
		t.Fatal(err)
	}
	next, err := planner.Compute(input)
	if err != nil {
		t.Fatal(err)
	}
	after := map[string]map[string]int64{}
	for _, sh := range next.Shipments {
		after[sh.City] = map[string]int64{}
		for _, l := range sh.Lines {
			after[sh.City][l.Material] = l.Pieces
		}
	}
	dispatched := 0
	for _, s := range shipments {
		if !s.State().Stage.Dispatched() {
			continue
		}
		dispatched++
		for _, l := range s.Lines {
			if got := after[s.City][l.Material]; got != l.Pieces {
				t.Errorf("%s %s: %d pieces dispatched, re-plan gives %d", s.City, l.Material, l.Pieces, got)
			}
		}
	}
	if dispatched != 68 {
		t.Errorf("%d dispatched shipments, want 68 (all but MXL and XALA)", dispatched)
	}
}
