package api

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// TestStuckDatabaseSessionLoadIs503: a page request's session is loaded
// before the router, and so before the request deadline began; with no
// statement timeout to cut a silent database, that load waited as long as
// the database stayed stuck (seen in CI: the dashboard never answered).
// The session store now bounds its own reads and writes by the request
// timeout.
func TestStuckDatabaseSessionLoadIs503(t *testing.T) {
	short := DefaultConfig()
	short.RequestTimeout = 2 * time.Second
	f := newFaultServer(t, short, url.Values{"statement_timeout": {"0"}})
	f.proxy.BlackHole()
	page := faultRequest{name: "dashboard", method: "GET", client: f.browser,
		url: f.URL + "/campaigns/1/dashboard"}
	if c := answersWhileStuck(t, page)[0]; c.status != http.StatusServiceUnavailable {
		t.Errorf("dashboard on a stuck database: %d %.200s, want 503", c.status, c.body)
	}
}
