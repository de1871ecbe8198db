package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
)

// TestDashboardKeptPageIsTheRenderedOne: the dashboard a user gets again
// from the kept pages (api/pages/dashboard_cache.go) is byte for byte the
// page a server with nothing kept renders for the same user from the same
// database; a user of another role gets their own page, never another
// user's; and a write (an alert acknowledged) changes the page at once.
func TestDashboardKeptPageIsTheRenderedOne(t *testing.T) {
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	path := fmt.Sprintf("/campaigns/%d/dashboard", ts.CampaignID)
	planner, viewer := ts.client(t, web.RolePlanner), ts.client(t, web.RoleViewer)
	// rendered returns what a fresh server over the same database, with no
	// page kept, renders for cl (sessions live in the database).
	rendered := func(cl *http.Client) string {
		t.Helper()
		fresh := serveTestDB(t, ts.db, ts.CampaignID)
		code, body := fresh.get(t, cl, path)
		if code != http.StatusOK {
			t.Fatalf("fresh server: %d", code)
		}
		return body
	}
	get := func(cl *http.Client) string {
		t.Helper()
		code, body := ts.get(t, cl, path)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, code)
		}
		return body
	}

	first := get(planner)
	if again := get(planner); again != first {
		t.Fatal("the planner's second dashboard differs from the first")
	}
	if want := rendered(planner); get(planner) != want {
		t.Fatal("the planner's kept dashboard differs from a fresh render")
	}
	seen := get(viewer)
	if seen == first || !strings.Contains(seen, "viewer@test.local") || strings.Contains(seen, "planner@test.local") {
		t.Fatal("the viewer got the planner's dashboard")
	}
	if want := rendered(viewer); get(viewer) != want {
		t.Fatal("the viewer's kept dashboard differs from a fresh render")
	}

	alerts, err := ts.db.ListAlerts(context.Background(), ts.CampaignID)
	if err != nil || len(alerts) == 0 {
		t.Fatalf("the demo has no alert to acknowledge: %v", err)
	}
	ack := fmt.Sprintf("/campaigns/%d/alerts/%d/ack", ts.CampaignID, alerts[0].EventID)
	if code, _, _ := ts.post(t, planner, ack, nil); code != http.StatusSeeOther {
		t.Fatalf("acknowledge: %d", code)
	}
	get(planner) // shows the flash "acknowledged" once
	after := get(planner)
	if after == first {
		t.Fatal("the dashboard did not change after the alert was acknowledged")
	}
	if want := rendered(planner); after != want {
		t.Fatal("the planner's dashboard after the write differs from a fresh render")
	}
	if want := rendered(viewer); get(viewer) != want {
		t.Fatal("the viewer's dashboard after the write differs from a fresh render")
	}
}
