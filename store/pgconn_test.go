package store

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store/storetest"
)

func TestPostgresDSNDefaults(t *testing.T) {
	tests := []struct {
		name, dsn                string
		connect, statement, opts string
		silence                  time.Duration
	}{
		{"nothing set", "postgres://u@h/db?sslmode=disable", "5", "10000", "", 13 * time.Second},
		{"connect timeout kept", "postgres://u@h/db?connect_timeout=2", "2", "10000", "", 13 * time.Second},
		{"statement timeout in seconds", "postgres://u@h/db?statement_timeout=30s", "5", "30s", "", 33 * time.Second},
		{"statement timeout in ms", "postgres://u@h/db?statement_timeout=1500", "5", "1500", "", 4500 * time.Millisecond},
		{"statement timeout in minutes", "postgres://u@h/db?statement_timeout=2min", "5", "2min", "", 2*time.Minute + 3*time.Second},
		{"statement timeout off", "postgres://u@h/db?statement_timeout=0", "5", "0", "", 0},
		{"statement timeout in options", "postgres://u@h/db?options=-c%20statement_timeout%3D5s", "5", "", "-c statement_timeout=5s", 8 * time.Second},
		{"unreadable statement timeout: no silence limit", "postgres://u@h/db?statement_timeout=soon", "5", "soon", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, silence := postgresDSN(tt.dsn)
			u, err := url.Parse(got)
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			if q.Get("connect_timeout") != tt.connect || q.Get("statement_timeout") != tt.statement || q.Get("options") != tt.opts {
				t.Errorf("postgresDSN(%q) = %q, want connect_timeout=%s statement_timeout=%q options=%q",
					tt.dsn, got, tt.connect, tt.statement, tt.opts)
			}
			if silence != tt.silence {
				t.Errorf("silence limit %v, want %v", silence, tt.silence)
			}
		})
	}
	if got := withoutStatementTimeout("postgres://u@h/db?statement_timeout=10000&search_path=x"); got != "postgres://u@h/db?search_path=x&statement_timeout=0" {
		t.Errorf("withoutStatementTimeout = %q", got)
	}
}

// TestPostgresStatementTimeout: statements are bounded by default, and one
// running past the bound is EUnavailable (503), not an internal error.
func TestPostgresStatementTimeout(t *testing.T) {
	db := openTestPostgres(t)
	ctx := context.Background()
	var v string
	if err := db.w.GetContext(ctx, &v, "SHOW statement_timeout"); err != nil || v != "10s" {
		t.Errorf("statement_timeout = %q (%v), want the 10s default", v, err)
	}
	u := storetest.ScratchPostgres(t, "t")
	q := u.Query()
	q.Set("statement_timeout", "200ms")
	u.RawQuery = q.Encode()
	short := openMigrated(t, u.String())
	_, err := short.w.ExecContext(ctx, "SELECT pg_sleep(5)")
	if code := planner.ErrorCode(translate(err)); code != planner.EUnavailable {
		t.Errorf("statement past the timeout: %v (code %q), want %q", err, code, planner.EUnavailable)
	}
}

// outcome is how a call that might hang ended.
type outcome struct{ err error }

// within runs fn in the background and returns its error, or fails the
// test when fn is still running after a generous bound: a call on a stuck
// connection must end by itself, whatever the machine's speed.
func within(t *testing.T, what string, fn func() error) error {
	t.Helper()
	done := make(chan outcome, 1)
	go func() { done <- outcome{fn()} }()
	select {
	case o := <-done:
		return o.err
	case <-time.After(60 * time.Second):
		t.Fatalf("%s still hangs on the stuck database", what)
		return nil
	}
}

// TestPostgresStuckConnectionGivesUp: when the server stops answering on
// the connections already open (a stopped server process, a network that
// drops packets), a call fails with EUnavailable when its context ends,
// and without any deadline once the server has been silent for longer
// than the statement timeout; Ping returns at its deadline. Before, each
// of them waited as long as the connection stayed stuck.
func TestPostgresStuckConnectionGivesUp(t *testing.T) {
	u := storetest.ScratchPostgres(t, "t")
	q := u.Query()
	q.Set("statement_timeout", "1s")
	u.RawQuery = q.Encode()
	pu, proxy := storetest.Proxied(t, u)
	db := openMigrated(t, pu.String())
	ctx := WithActor(context.Background(), Actor{Email: "planner@example.org"})
	id := createFixture(t, db)
	if _, err := db.GetCampaign(ctx, id); err != nil { // the pool holds live connections
		t.Fatal(err)
	}

	proxy.BlackHole()
	calls := []struct {
		name string
		fn   func() error
	}{
		{"read with a deadline", func() error {
			ctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
			defer cancel()
			_, err := db.GetCampaign(ctx, id)
			return err
		}},
		{"write with a deadline", func() error {
			ctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
			defer cancel()
			_, err := db.CreateCampaign(ctx, fixtureCampaign())
			return err
		}},
		{"read without a deadline", func() error { _, err := db.GetCampaign(ctx, id); return err }},
		{"ping with a deadline", func() error {
			ctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
			defer cancel()
			return db.Ping(ctx)
		}},
	}
	for _, c := range calls {
		err := within(t, c.name, c.fn)
		if code := planner.ErrorCode(err); code != planner.EUnavailable {
			t.Errorf("%s on a stuck connection: %v (code %q), want %q", c.name, err, code, planner.EUnavailable)
		}
	}

	proxy.Down()
	proxy.Up(t, false)
	if err := within(t, "ping after the server is back", func() error { return db.Ping(ctx) }); err != nil {
		t.Errorf("ping after the server is back: %v", err)
	}
}
