package api

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCampaignPages drives the new-campaign and settings pages in
// Chromium: a blank campaign is created through the form, its depot is
// placed by clicking the map (the coordinates follow), and the settings
// are saved. With REPARTO_SCREENSHOTS=1 it rewrites docs/campaign-new.png
// and docs/campaign-settings.png.
func TestBrowserCampaignPages(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	chromiumPath(t)
	ts := newTestServer(t)
	e := &e2e{ts: ts, b: newChromeTab(t, ts.URL), cid: ts.CampaignID, email: "campaign-planner@test.local"}
	e.login(t)
	b := e.b

	if st := b.open(t, "/campaigns/new"); st != 200 {
		t.Fatalf("new campaign page: status %d", st)
	}
	if screenshotsWanted() {
		b.saveScreenshot(t, "campaign-new.png")
	}
	b.do(t, "fill the blank form",
		chromedp.SetValue(chromedp.ID("f-name"), "Campaña de prueba 2010"),
		chromedp.SetValue(chromedp.ID("f-start"), "2010-01-11"),
		chromedp.SetValue(chromedp.ID("f-deadline"), "2010-03-31"),
	)
	st, u := b.submit(t, "#blank-form button[type=submit]")
	if st != 200 || !strings.HasSuffix(u, "/data") {
		t.Fatalf("create: status %d at %s, want the new campaign's data page", st, u)
	}
	list, err := ts.db.ListCampaigns(context.Background())
	if err != nil || len(list) != 2 {
		t.Fatalf("campaigns after the create: %d (%v)", len(list), err)
	}
	id := list[1].ID

	e.cid = id
	if st := b.open(t, e.path("settings")); st != 200 {
		t.Fatalf("settings: status %d", st)
	}
	b.do(t, "the map draws the states", chromedp.WaitVisible(`#depot-map[data-ready]`))
	before := b.value(t, "#f-depot_lat")
	b.do(t, "click the map", chromedp.Click(chromedp.ID("depot-map"), chromedp.NodeVisible))
	after := b.value(t, "#f-depot_lat")
	if after == before || after == "" {
		t.Errorf("clicking the map left the depot latitude at %q", after)
	}
	b.do(t, "change the capacity", chromedp.SetValue(chromedp.ID("f-boxes_per_day"), "250"))
	st, _ = b.submit(t, "#settings-form button[type=submit]")
	if st != 200 {
		t.Fatalf("save settings: status %d", st)
	}
	c, err := ts.db.GetCampaignHeader(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Dispatch.BoxesPerDay != 250 || strconv.FormatFloat(c.Depot.Lat, 'f', 5, 64) != after {
		t.Errorf("stored capacity %d, depot lat %v (clicked %s)", c.Dispatch.BoxesPerDay, c.Depot.Lat, after)
	}
	if screenshotsWanted() {
		e.cid = ts.CampaignID // the demo's settings show a full calendar
		b.open(t, e.path("settings"))
		b.do(t, "the map draws the states", chromedp.WaitVisible(`#depot-map[data-ready]`))
		b.saveScreenshot(t, "campaign-settings.png")
	}
}
