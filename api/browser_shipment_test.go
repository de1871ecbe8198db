package api

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// TestBrowserShipmentDistributionSelects: on a phone, the shipment page's
// distribution rows name the page's one venue list; js/venues.js turns a
// row's venue input into a select (when the form comes near the screen)
// that holds only "no venue" and its value until the user reaches it, then
// every venue of the list, and a venue chosen there is stored with the row
// as before.
func TestBrowserShipmentDistributionSelects(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	chromiumPath(t)
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	a := &a11y{e: &e2e{ts: ts, b: newChromeTab(t, ts.URL), cid: ts.CampaignID, email: "ship-dist@test.local"}}
	b := a.e.b
	b.setLangCookie(t, "es")
	a.viewport(t, a11yViewports[1])
	a.loginAdmin(t)

	// a delivered shipment with pieces left to hand out, in a city with
	// registered venues
	ctx := context.Background()
	delivered, err := ts.db.ListShipments(ctx, ts.CampaignID, store.ShipmentFilter{Stage: planner.StageDelivered})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, s := range delivered {
		prog, err := ts.db.CityVenueProgress(ctx, ts.CampaignID, s.City, planner.NewDate(2009, 3, 20))
		if err != nil {
			t.Fatal(err)
		}
		if st := s.State(); len(prog.Venues) > 0 && len(s.Lines) > 0 && st.Accepted[s.Lines[0].Material] > st.Distributed[s.Lines[0].Material] {
			id = s.ID
			break
		}
	}
	if id == 0 {
		t.Skip("no delivered demo shipment in a city with registered venues")
	}
	path := a.e.path(fmt.Sprintf("shipments/%d", id))
	b.open(t, path)
	const venue, material, pieces = "distributed-distribution-0-venue_id", "distributed-distribution-0-material", "distributed-distribution-0-pieces"
	b.do(t, "scroll to the distribution form", chromedp.ScrollIntoView(chromedp.ID("form-distributed")))
	waitFor(t, b, "the rows' selects", `document.querySelectorAll('#form-distributed input[data-select]').length === 0 && !!document.querySelector('select#`+venue+`')`)
	got := eval[map[string]int](t, b, `(() => {
	  const s = document.getElementById('`+venue+`');
	  return {before: s.options.length, list: document.getElementById('venue-list').options.length};
	})()`)
	if got["before"] != 1 {
		t.Errorf("an unused venue select holds %d options, want only \"no venue\"", got["before"])
	}
	if got["list"] == 0 {
		t.Fatal("the venue list is empty")
	}
	b.do(t, "reach the venue select", chromedp.Focus(chromedp.ID(venue)))
	if n := eval[int](t, b, `document.getElementById('`+venue+`').options.length`); n != got["list"]+1 {
		t.Errorf("the venue select holds %d options once reached, want %d", n, got["list"]+1)
	}
	want := eval[string](t, b, `document.getElementById('venue-list').options[0].value`)
	mat := eval[string](t, b, `document.getElementById('`+material+`').value`)
	before := len(eventsOfKind(t, ts, id, planner.EventDistributed))
	b.do(t, "fill and send a row",
		chromedp.SetValue(chromedp.ID(venue), want),
		chromedp.SetValue(chromedp.ID(pieces), "1"),
		chromedp.Click(chromedp.ID("distributed-submit"), chromedp.NodeVisible),
	)
	deadline := time.Now().Add(30 * time.Second)
	for len(eventsOfKind(t, ts, id, planner.EventDistributed)) == before && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	dist := eventsOfKind(t, ts, id, planner.EventDistributed)
	if len(dist) != before+1 {
		t.Fatalf("%d distribution events stored, want 1", len(dist)-before)
	}
	if l := dist[len(dist)-1].Distribution; len(l) != 1 || l[0].VenueID != want || l[0].Material != mat || l[0].Pieces != 1 {
		t.Errorf("distribution stored as %+v, want 1 piece of %s to %s", l, mat, want)
	}
	pageExceptions(t, b)
}
