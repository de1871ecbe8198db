package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeServer answers the routes the generator uses the way Reparto does,
// and checks what it is sent: the session cookie on every request, and a
// fresh Idempotency-Key with a valid in-transit event on every write.
type fakeServer struct {
	t      *testing.T
	mu     sync.Mutex
	keys   map[string]bool
	counts map[string]int
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.counts[r.Method+" "+r.URL.Path]++
	f.mu.Unlock()
	if r.URL.Path == "/login" {
		if r.FormValue("email") != "load@example.org" || r.FormValue("password") != "secret password" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "reparto_session", Value: "s1"})
		w.Header().Set("Location", "/")
		w.WriteHeader(http.StatusSeeOther)
		return
	}
	if c, err := r.Cookie("reparto_session"); err != nil || c.Value != "s1" {
		f.t.Errorf("%s %s without the session cookie", r.Method, r.URL.Path)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	switch r.Method + " " + r.URL.Path {
	case "GET /api/v1/campaigns/7/shipments":
		io.WriteString(w, `{"today":"2009-03-20","shipments":[
			{"id":1,"state":{"stage":"delivered"}},
			{"id":2,"state":{"stage":"dispatched","last_event_on":"2009-03-18"}},
			{"id":3,"state":{"stage":"in_transit","last_event_on":"2009-03-21"}},
			{"id":4,"boxes":12,"state":{"stage":"planned"}},
			{"id":5,"boxes":3,"state":{"stage":"planned"}}]}`)
	case "GET /campaigns/7/dashboard", "GET /api/v1/campaigns/7/map/states.geojson", "GET /api/v1/campaigns/7/map/cities.geojson":
		io.WriteString(w, "{}")
	case "POST /api/v1/shipments/2/events", "POST /api/v1/shipments/3/events", "POST /api/v1/shipments/4/events":
		f.event(w, r)
	default:
		f.t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
		w.WriteHeader(http.StatusNotFound)
	}
}

func (f *fakeServer) event(w http.ResponseWriter, r *http.Request) {
	var e struct {
		Kind, Date, Checkpoint string
		Boxes                  int64
	}
	if err := json.NewDecoder(r.Body).Decode(&e); err != nil {
		f.t.Errorf("event body: %v", err)
	}
	f.mu.Lock()
	first := f.counts["POST "+r.URL.Path] == 1
	f.mu.Unlock()
	switch {
	case r.URL.Path == "/api/v1/shipments/4/events" && first: // --dispatch 1: the first planned one
		if e.Kind != "dispatched" || e.Boxes != 12 {
			f.t.Errorf("dispatch of shipment 4: %+v, want dispatched with its 12 boxes", e)
		}
	case e.Kind != "in_transit" || e.Checkpoint == "":
		f.t.Errorf("%s: event %+v, want an in-transit checkpoint", r.URL.Path, e)
	}
	// Shipments 2 and 4 move on the campaign's today; 3 on its own later event.
	if want := map[string]string{"/api/v1/shipments/2/events": "2009-03-20", "/api/v1/shipments/3/events": "2009-03-21",
		"/api/v1/shipments/4/events": "2009-03-20"}[r.URL.Path]; e.Date != want {
		f.t.Errorf("%s: date %s, want %s", r.URL.Path, e.Date, want)
	}
	key := r.Header.Get("Idempotency-Key")
	f.mu.Lock()
	defer f.mu.Unlock()
	if key == "" || f.keys[key] {
		f.t.Errorf("Idempotency-Key %q missing or reused", key)
	}
	f.keys[key] = true
	w.WriteHeader(http.StatusCreated)
}

func TestLoadRunsTheMixWithinItsCap(t *testing.T) {
	f := &fakeServer{t: t, keys: map[string]bool{}, counts: map[string]int{}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	var out, errb bytes.Buffer
	args := []string{"--url", srv.URL, "--email", "load@example.org", "--password", "secret password", "--campaign", "7",
		"--users", "4", "--duration", "30m", "--max-requests", "60", "--think", "0", "--writes", "0.5", "--dispatch", "1"}
	// The duration is the longest allowed, so only the request cap can end
	// the run while the test waits; the count below checks it stopped there.
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	sent := 0
	for k, n := range f.counts {
		if k != "POST /login" && k != "GET /api/v1/campaigns/7/shipments" && k != "POST /api/v1/shipments/4/events" {
			sent += n
		}
	}
	// The setup (list, dispatch) is not part of the load.
	sent += f.counts["GET /api/v1/campaigns/7/shipments"] - 1 + f.counts["POST /api/v1/shipments/4/events"] - 1
	if sent != 60 {
		t.Errorf("%d requests sent, want the cap of 60 (%v)", sent, f.counts)
	}
	if len(f.keys) == 0 || f.counts["POST /api/v1/shipments/1/events"] != 0 || f.counts["POST /api/v1/shipments/5/events"] != 0 {
		t.Errorf("writes %v: want events on shipments 2, 3 and 4 only", f.counts)
	}
	for _, want := range []string{"60 requests", "reads", "writes", "errors: none"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestLoadRefusesNonLoopbackTargets(t *testing.T) {
	for _, u := range []string{"http://example.org", "http://10.0.0.1:8080", "http://192.168.1.2", "http://[2001:db8::1]:80", "ftp://127.0.0.1"} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"--url", u, "--token", "x"}, &out, &errb); code != 2 {
			t.Errorf("%s: exit %d, want 2", u, code)
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://127.1.2.3"} {
		if err := checkLoopback(u); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
}

func TestPercentileIsNearestRank(t *testing.T) {
	ds := make([]time.Duration, 100) // 1..100 ms
	for i := range ds {
		ds[i] = time.Duration(i+1) * time.Millisecond
	}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {95, 95 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}} {
		if got := percentile(ds, tc.p); got != tc.want {
			t.Errorf("p%v = %v, want %v", tc.p, got, tc.want)
		}
	}
	if got := percentile(nil, 99); got != 0 {
		t.Errorf("p99 of nothing = %v", got)
	}
}

func TestParseStatusReadsRSSAndHWM(t *testing.T) {
	status := "Name:\treparto\nVmPeak:\t  900000 kB\nVmHWM:\t   81920 kB\nVmRSS:\t   40960 kB\nThreads:\t9\n"
	rss, hwm, err := parseStatus(strings.NewReader(status))
	if err != nil || rss != 40960 || hwm != 81920 {
		t.Errorf("rss %d, hwm %d, err %v; want 40960, 81920", rss, hwm, err)
	}
}

func TestParseStatSumsUserAndSystemTime(t *testing.T) {
	// pid (comm with spaces) state ppid ... utime=250 stime=50 (fields 14, 15)
	stat := "4242 (reparto serve) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 9 0 100 0 0"
	got, err := parseStat(stat)
	if want := 3 * time.Second; err != nil || got != want {
		t.Errorf("cpu %v, err %v; want %v (300 ticks of 1/100 s)", got, err, want)
	}
}
