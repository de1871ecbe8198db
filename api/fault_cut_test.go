package api

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/store"
	"github.com/reparto/reparto/store/storetest"
)

// faultServer is the application over PostgreSQL reached through a
// storetest.Proxy, with a planner signed in two ways: a browser session
// and an API token, and a dispatched shipment to record events on.
type faultServer struct {
	db         *store.DB
	proxy      *storetest.Proxy
	URL        string
	token      string
	browser    *http.Client
	campaignID int64
	shipmentID int64
}

// newFaultServer skips the test when no PostgreSQL is configured. params
// are added to the database URL (e.g. statement_timeout).
func newFaultServer(t *testing.T, cfg Config, params url.Values) *faultServer {
	t.Helper()
	dsn := storetest.ScratchPostgres(t, "f")
	q := dsn.Query()
	for k, v := range params {
		q[k] = v
	}
	dsn.RawQuery = q.Encode()
	dsn, proxy := storetest.Proxied(t, dsn)
	ctx := context.Background()
	db, err := store.Open(ctx, dsn.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f := &faultServer{db: db, proxy: proxy}
	f.campaignID = loadDemoCampaign(t, db)
	f.shipmentID = dispatchedDemoShipment(t, db, f.campaignID)
	hash, _ := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	u, err := db.CreateUser(ctx, store.NewUser{Email: "planner@test.local", Role: web.RolePlanner, PasswordHash: string(hash)})
	if err != nil {
		t.Fatal(err)
	}
	if _, f.token, err = db.CreateToken(ctx, u.ID, "fault test"); err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return time.Date(2009, 3, 20, 9, 30, 0, 0, time.UTC) }
	s, err := New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)), clock)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	jar, _ := cookiejar.New(nil)
	f.browser = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := f.browser.PostForm(srv.URL+"/login", url.Values{"email": {u.Email}, "password": {testPassword}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %v %v", resp, err)
	}
	resp.Body.Close()
	return f
}

// faultRequest is one request of a mixed workload.
type faultRequest struct {
	name                    string
	method, url, token, key string
	body                    string
	client                  *http.Client
}

// mix returns request i of a workload of API reads, page reads and API
// writes (in-transit events, each with its own idempotency key).
func (f *faultServer) mix(i int) faultRequest {
	campaign := strconv.FormatInt(f.campaignID, 10)
	shipment := strconv.FormatInt(f.shipmentID, 10)
	switch i % 4 {
	case 0:
		return faultRequest{name: "api list", method: "GET", url: f.URL + "/api/v1/campaigns/" + campaign + "/shipments",
			token: f.token, client: http.DefaultClient}
	case 1:
		return faultRequest{name: "api shipment", method: "GET", url: f.URL + "/api/v1/shipments/" + shipment,
			token: f.token, client: http.DefaultClient}
	case 2:
		return faultRequest{name: "dashboard", method: "GET", url: f.URL + "/campaigns/" + campaign + "/dashboard",
			client: f.browser}
	default:
		return faultRequest{name: "api event", method: "POST", url: f.URL + "/api/v1/shipments/" + shipment + "/events",
			token: f.token, key: fmt.Sprintf("cut-%d", i), client: http.DefaultClient,
			body: fmt.Sprintf(`{"kind":"in_transit","date":"2009-03-20","checkpoint":"km %d"}`, i)}
	}
}

// TestConnectionCutsAre503NeverInternal: 200 requests (reads, pages and
// writes, four at a time) while the proxy cuts every database connection
// every few milliseconds. A request whose connection is cut may fail, but
// only with 503 (clients retry on 503; a 500 tells them not to): never
// 500, whichever form the cut took (EOF, reset, broken pipe, bad conn).
func TestConnectionCutsAre503NeverInternal(t *testing.T) {
	f := newFaultServer(t, DefaultConfig(), nil)
	stop := make(chan struct{})
	cutterDone := make(chan int)
	go func() {
		cuts := 0
		for {
			select {
			case <-stop:
				cutterDone <- cuts
				return
			case <-time.After(time.Duration(20+rand.IntN(80)) * time.Millisecond):
				f.proxy.Cut()
				cuts++
			}
		}
	}()

	const total, workers = 200, 4
	var mu sync.Mutex
	byStatus := map[int]int{}
	var failures []string
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				r := f.mix(i)
				c := doFault(t, r.client, r.method, r.url, r.token, r.key, r.body)
				mu.Lock()
				byStatus[c.status]++
				if c.status >= 500 && c.status != http.StatusServiceUnavailable {
					failures = append(failures, fmt.Sprintf("%s: %d %.200s", r.name, c.status, c.body))
				}
				mu.Unlock()
			}
		})
	}
	for i := range total {
		next <- i
	}
	close(next)
	wg.Wait()
	close(stop)
	cuts := <-cutterDone

	t.Logf("%d cuts; statuses %v", cuts, byStatus)
	if byStatus[http.StatusInternalServerError] != 0 || len(failures) > 0 {
		t.Errorf("%d of %d requests failed with a 5xx other than 503 under connection cuts, e.g.:\n%v",
			len(failures), total, failures[:min(5, len(failures))])
	}
	for status, n := range byStatus {
		if status >= 300 && status != http.StatusServiceUnavailable && status != http.StatusSeeOther {
			t.Errorf("%d requests answered %d", n, status)
		}
	}
	// The database is back for good: everything works again.
	for i := range 4 {
		r := f.mix(total + i)
		if c := doFault(t, r.client, r.method, r.url, r.token, r.key, r.body); c.status >= 300 {
			t.Errorf("%s after the cuts: %d %.200s", r.name, c.status, c.body)
		}
	}
}
