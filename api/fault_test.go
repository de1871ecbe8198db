package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
	"github.com/reparto/reparto/store/storetest"
)

// The database going away under a running server: requests fail fast with
// 503 and a message that says so, /readyz turns 503, and the same server
// serves again once the database is back, without a restart and without
// losing what it acknowledged. PostgreSQL is taken away through a TCP
// forwarder the test owns (storetest.Proxy), never by stopping the machine's.

// proxiedDB opens a migrated scratch schema of the test PostgreSQL through
// a storetest.Proxy; it skips the test when no PostgreSQL is configured.
func proxiedDB(t *testing.T) (*store.DB, *storetest.Proxy) {
	t.Helper()
	u, p := storetest.Proxied(t, storetest.ScratchPostgres(t, "f"))
	ctx := context.Background()
	db, err := store.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db, p
}

// faultCall is one request of the outage test.
type faultCall struct {
	status int
	body   string
}

// faultHangGuard ends a request the server never answers, so that a hang
// fails the test with a message instead of running into the test timeout.
// It is a guard, not a speed target: what the test checks is that the
// server answered (503 while the database is down) before it.
const faultHangGuard = 2 * time.Minute

func doFault(t *testing.T, cl *http.Client, method, url, token, key, body string) faultCall {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), faultHangGuard)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatalf("%s %s: no answer (%v)", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return faultCall{status: resp.StatusCode, body: string(b)}
}

// dispatchedDemoShipment commits the demo plan and dispatches its first
// shipment, so that in-transit events can be recorded on it.
func dispatchedDemoShipment(t *testing.T, db *store.DB, campaignID int64) int64 {
	t.Helper()
	ctx := store.WithActor(context.Background(), store.Actor{Email: "demo"})
	camp, err := db.GetCampaign(ctx, campaignID)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := planner.Compute(camp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CommitPlan(ctx, campaignID, 0, "demo", "v1", plan); err != nil {
		t.Fatal(err)
	}
	list, err := db.ListShipments(ctx, campaignID, store.ShipmentFilter{})
	if err != nil || len(list) == 0 {
		t.Fatalf("no shipment after the commit: %v", err)
	}
	s := list[0]
	for _, c := range list {
		if !c.Dispatch.After(planner.NewDate(2009, time.March, 19)) {
			s = c
			break
		}
	}
	e := planner.Event{Kind: planner.EventDispatched, Date: s.Dispatch, Carrier: "Estafeta", Boxes: s.Boxes}
	if _, _, err := db.AppendEvent(ctx, s.ID, e, s.Dispatch.Time().Add(12*time.Hour), ""); err != nil {
		t.Fatal(err)
	}
	return s.ID
}

func TestDatabaseOutageIs503AndRecoversWithoutRestart(t *testing.T) {
	db, proxy := proxiedDB(t)
	ctx := context.Background()
	campaignID := loadDemoCampaign(t, db)
	sid := dispatchedDemoShipment(t, db, campaignID)
	hash, _ := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	u, err := db.CreateUser(ctx, store.NewUser{Email: "planner@test.local", Role: web.RolePlanner, PasswordHash: string(hash)})
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := db.CreateToken(ctx, u.ID, "fault test")
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return time.Date(2009, 3, 20, 9, 30, 0, 0, time.UTC) }
	s, err := New(DefaultConfig(), db, slog.New(slog.NewTextHandler(io.Discard, nil)), clock)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.PostForm(srv.URL+"/login", url.Values{"email": {u.Email}, "password": {testPassword}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %v %v", resp, err)
	}
	resp.Body.Close()

	shipment := strconv.FormatInt(sid, 10)
	events := srv.URL + "/api/v1/shipments/" + shipment + "/events"
	event := func(checkpoint string) string {
		return `{"kind":"in_transit","date":"2009-03-20","checkpoint":"` + checkpoint + `"}`
	}
	api := http.DefaultClient
	if c := doFault(t, api, "POST", events, token, "before-outage", event("Matehuala")); c.status != http.StatusCreated {
		t.Fatalf("event before the outage: %d %s", c.status, c.body)
	}

	proxy.Down()
	down := []struct {
		name                    string
		method, url, token, key string
		body                    string
		client                  *http.Client
		wantInBody              string
	}{
		{"readyz", "GET", srv.URL + "/readyz", "", "", "", api, "not reachable"},
		{"api read", "GET", srv.URL + "/api/v1/campaigns/" + strconv.FormatInt(campaignID, 10) + "/shipments", token, "", "", api,
			"the database is not reachable; try again in a moment"},
		{"api write", "POST", events, token, "during-outage", event("Saltillo"), api, `"code":"unavailable"`},
		{"page", "GET", srv.URL + "/campaigns/" + strconv.FormatInt(campaignID, 10) + "/dashboard", "", "", "", browser,
			"la base de datos no responde"}, // the page's language
	}
	for _, d := range down {
		c := doFault(t, d.client, d.method, d.url, d.token, d.key, d.body)
		if c.status != http.StatusServiceUnavailable || !strings.Contains(c.body, d.wantInBody) {
			t.Errorf("%s while the database is down: %d %q, want 503 saying %q", d.name, c.status, c.body, d.wantInBody)
		}
	}

	proxy.Up(t, false)
	for _, d := range down {
		c := doFault(t, d.client, d.method, d.url, d.token, d.key, d.body)
		if c.status >= 300 {
			t.Errorf("%s after the database is back: %d %s", d.name, c.status, c.body)
		}
	}
	// The write acknowledged before the outage is there, a retry of it is a
	// replay, and the write refused during the outage was stored once, by
	// its retry above.
	if c := doFault(t, api, "POST", events, token, "before-outage", event("Matehuala")); c.status != http.StatusOK {
		t.Errorf("retry of the acknowledged event: %d %s, want 200 (replayed)", c.status, c.body)
	}
	c := doFault(t, api, "GET", srv.URL+"/api/v1/shipments/"+shipment, token, "", "")
	var got struct{ Events []planner.Event }
	if err := json.Unmarshal([]byte(c.body), &got); err != nil {
		t.Fatalf("shipment after recovery: %d %s", c.status, c.body)
	}
	seen := map[string]int{}
	for _, e := range got.Events {
		seen[e.Checkpoint]++
	}
	if seen["Matehuala"] != 1 || seen["Saltillo"] != 1 {
		t.Errorf("checkpoints stored %v, want Matehuala and Saltillo once each", seen)
	}
}
