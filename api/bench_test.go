package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// The tracking reads a crowd of field users refreshes (issue 13: at least
// 2,000 req/s each on one core, i.e. at most ~0.4 ms of CPU per request),
// on the demo's tracking story, signed in as cmd/reparto-load/wrk.sh is:
// a session for the page, a bearer token for the API. Requests go straight
// to the handler, so the figures are the server's own work without the
// network; wrk.sh measures it on the wire.
func BenchmarkTrackingReads(b *testing.B) {
	ts := newTestServer(b)
	seedDemoTracking(b, ts)
	cl := ts.client(b, "planner")
	req, _ := http.NewRequest(http.MethodGet, ts.URL, nil)
	cookies := cl.Jar.Cookies(req.URL)
	u, err := ts.db.GetUserByEmail(context.Background(), "planner@test.local")
	if err != nil {
		b.Fatal(err)
	}
	_, token, err := ts.db.CreateToken(context.Background(), u.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	id := strconv.FormatInt(ts.CampaignID, 10)
	for _, tc := range []struct {
		name, path string
		session    bool
		gzip       bool // as browsers ask (wrk.sh does not)
	}{
		{"dashboard", "/campaigns/" + id + "/dashboard", true, false},
		{"dashboard-gzip", "/campaigns/" + id + "/dashboard", true, true},
		{"progress", "/api/v1/campaigns/" + id + "/progress", false, false},
		{"shipments", "/api/v1/campaigns/" + id + "/shipments", false, false},
	} {
		b.Run(tc.name, func(b *testing.B) {
			h := ts.s.Handler()
			serve := func() *httptest.ResponseRecorder {
				r := httptest.NewRequest(http.MethodGet, tc.path, nil)
				if tc.session {
					for _, c := range cookies {
						r.AddCookie(c)
					}
				} else {
					r.Header.Set("Authorization", "Bearer "+token)
				}
				if tc.gzip {
					r.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				return w
			}
			if w := serve(); w.Code != http.StatusOK {
				b.Fatalf("GET %s: %d %s", tc.path, w.Code, w.Body.String())
			}
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				serve()
			}
			// CPU time, not wall time: the figure that holds on a busy machine.
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		})
	}
}

// Tracking event writes (issue 13: at least 300 req/s on SQLite): an
// in_transit checkpoint with a fresh Idempotency-Key each, on a shipment on
// the road, as cmd/reparto-load/wrk.sh sends them.
func BenchmarkTrackingEventWrite(b *testing.B) {
	ts := newTestServer(b)
	seedDemoTracking(b, ts)
	ctx := context.Background()
	u, err := ts.db.CreateUser(ctx, store.NewUser{Email: "writer@test.local", Role: "planner", PasswordHash: "x"})
	if err != nil {
		b.Fatal(err)
	}
	_, token, err := ts.db.CreateToken(ctx, u.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	list, err := ts.db.ListShipments(ctx, ts.CampaignID, store.ShipmentFilter{})
	if err != nil {
		b.Fatal(err)
	}
	var ship int64
	for _, s := range list {
		if st := s.State().Stage; st == planner.StageDispatched || st == planner.StageInTransit {
			ship = s.ID
			break
		}
	}
	if ship == 0 {
		b.Fatal("no shipment on the road in the demo")
	}
	today := planner.DateOf(ts.clock())
	h := ts.s.Handler()
	n := 0
	post := func() *httptest.ResponseRecorder {
		n++
		body := fmt.Sprintf(`{"kind":"in_transit","date":"%s","checkpoint":"Caseta %d"}`, today, n)
		r := httptest.NewRequest(http.MethodPost, "/api/v1/shipments/"+strconv.FormatInt(ship, 10)+"/events", strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Idempotency-Key", "bench-"+strconv.Itoa(n))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	if w := post(); w.Code != http.StatusCreated {
		b.Fatalf("POST event: %d %s", w.Code, w.Body.String())
	}
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		post()
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the CPU time (user and system) the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
