package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
)

// TestPageViewsDoNotRewriteTheSession: reading pages with a session that
// does not change leaves its row alone (the expiry moves only once it
// lags a minute, store.SessionRow.Current). The session's values used to
// be encoded in Go's map order, which varies: now and then an unchanged
// session came out with other bytes and was written again, so a crowd
// reading the dashboard wrote to the database (issue 13).
func TestPageViewsDoNotRewriteTheSession(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, "planner")
	dashboard := fmt.Sprintf("/campaigns/%d/dashboard", ts.CampaignID)
	// The first page after signing in may take a flash message out of the
	// session: a change, written.
	if code, body := ts.get(t, cl, dashboard); code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", dashboard, code, body)
	}
	ctx, key := context.Background(), sessionKey(t, ts, cl)
	before, found, err := ts.db.FindSessionRow(ctx, key)
	if err != nil || !found {
		t.Fatalf("session: found %v, %v", found, err)
	}
	for _, path := range []string{dashboard, "/campaigns", dashboard} {
		for range 20 {
			if code, body := ts.get(t, cl, path); code != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, code, body)
			}
		}
	}
	after, found, err := ts.db.FindSessionRow(ctx, key)
	if err != nil || !found {
		t.Fatalf("session after the page views: found %v, %v", found, err)
	}
	if !after.Expiry.Equal(before.Expiry) || !bytes.Equal(after.Data, before.Data) {
		t.Errorf("the session was written: expiry %v, then %v; data %x, then %x", before.Expiry, after.Expiry, before.Data, after.Data)
	}
}
