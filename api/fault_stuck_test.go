package api

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"
)

// answersWhileStuck sends the requests at once while the database is
// stuck and returns their answers, or fails the test if one has none
// after a generous bound: each must end by itself while the black hole
// persists, whatever the machine's speed (no timing is asserted).
func answersWhileStuck(t *testing.T, rs ...faultRequest) []faultCall {
	t.Helper()
	type answer struct {
		i int
		c faultCall
	}
	done := make(chan answer, len(rs))
	for i, r := range rs {
		go func() { done <- answer{i, doFault(t, r.client, r.method, r.url, r.token, r.key, r.body)} }()
	}
	out := make([]faultCall, len(rs))
	bound := time.After(60 * time.Second)
	for range rs {
		select {
		case a := <-done:
			out[a.i] = a.c
		case <-bound:
			t.Fatalf("requests still hang on the stuck database")
		}
	}
	return out
}

// TestStuckDatabaseIs503NotAHang: the database stops answering on the
// connections the server holds and accepts new ones it never answers (a
// stopped server process, a network that drops packets). /readyz answers
// 503 by its own deadline, and requests fail with 503 once their deadline
// passes (request timeout) or the server has been silent past the
// statement timeout, instead of hanging as long as the database does.
func TestStuckDatabaseIs503NotAHang(t *testing.T) {
	short := DefaultConfig()
	short.RequestTimeout = 2 * time.Second
	tests := []struct {
		name   string
		cfg    Config
		params url.Values
	}{
		{"request deadline, no statement timeout", short, url.Values{"statement_timeout": {"0"}}},
		{"statement timeout, long request deadline", DefaultConfig(), url.Values{"statement_timeout": {"1s"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The pool holds connections from setting up the campaign and
			// signing in; the black hole swallows them too.
			f := newFaultServer(t, tt.cfg, tt.params)
			f.proxy.BlackHole()
			stuck := []faultRequest{{name: "readyz", method: "GET", url: f.URL + "/readyz", client: http.DefaultClient}}
			for i := range 4 {
				stuck = append(stuck, f.mix(100+i))
			}
			for i, c := range answersWhileStuck(t, stuck...) {
				if c.status != http.StatusServiceUnavailable {
					t.Errorf("%s on a stuck database: %d %.200s, want 503", stuck[i].name, c.status, c.body)
				}
			}

			f.proxy.Down()
			f.proxy.Up(t, false)
			r := faultRequest{name: "api shipment", method: "GET", token: f.token, client: http.DefaultClient,
				url: f.URL + "/api/v1/shipments/" + strconv.FormatInt(f.shipmentID, 10)}
			// Service resumes (a slow machine may need more than one short
			// deadline to open the new connections).
			var c faultCall
			for range 5 {
				if c = answersWhileStuck(t, r)[0]; c.status == http.StatusOK {
					break
				}
			}
			if c.status != http.StatusOK {
				t.Errorf("%s once the database answers again: %d %.200s", r.name, c.status, c.body)
			}
		})
	}
}
