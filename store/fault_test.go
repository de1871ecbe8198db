package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store/storetest"
)

// Fault tests: what the store does when PostgreSQL goes away and comes
// back, when a caller gives up in the middle of a large write, and when
// many writers arrive at once. The database is taken away through a TCP
// forwarder the test owns (storetest.Proxy), never by stopping the machine's server.

// proxiedPostgres opens a migrated scratch schema of the test database
// through a storetest.Proxy. It skips the test when no PostgreSQL is
// configured.
func proxiedPostgres(t *testing.T) (*DB, *storetest.Proxy) {
	t.Helper()
	u, p := storetest.Proxied(t, storetest.ScratchPostgres(t, "t"))
	return openMigrated(t, u.String()), p
}

// hangGuard is the deadline of a call that must end by itself (a refused
// connection, the driver's connect timeout). It only turns a hang into a
// failure: a test checks that the call ended before it, never how fast.
const hangGuard = 2 * time.Minute

// endsByItself runs fn with a context carrying hangGuard and reports
// whether fn returned before that context ended, with fn's error.
func endsByItself(fn func(context.Context) error) (err error, byItself bool) {
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	err = fn(ctx)
	return err, ctx.Err() == nil
}

// TestPostgresOutageFailsFastAndRecovers: while the database is down every
// call fails at once with EUnavailable (HTTP 503), and when it is back the
// same *DB serves again by itself, with every write acknowledged before the
// outage still there.
func TestPostgresOutageFailsFastAndRecovers(t *testing.T) {
	db, proxy := proxiedPostgres(t)
	ctx := WithActor(context.Background(), Actor{Email: "planner@example.org"})
	id := createFixture(t, db) // acknowledged before the outage
	before := rowCounts(t, db)

	proxy.Down()
	actor := func(ctx context.Context) context.Context { return WithActor(ctx, Actor{Email: "planner@example.org"}) }
	ops := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"ping", func(ctx context.Context) error { return db.Ping(ctx) }},
		{"read", func(ctx context.Context) error { _, err := db.GetCampaign(ctx, id); return err }},
		{"write", func(ctx context.Context) error {
			_, err := db.CreateCampaign(actor(ctx), fixtureCampaign())
			return err
		}},
		{"session read", func(ctx context.Context) error { _, _, err := db.FindSession(ctx, "x"); return err }},
	}
	for _, op := range ops {
		// Failing at once means failing on the refused connection, not by
		// retrying until the caller gives up.
		err, byItself := endsByItself(op.fn)
		if code := planner.ErrorCode(err); code != planner.EUnavailable {
			t.Errorf("%s while down: code %q (err %v), want %q", op.name, code, err, planner.EUnavailable)
		}
		if !byItself {
			t.Errorf("%s while down ended only when the caller's context did, want a failure of its own", op.name)
		}
	}

	proxy.Up(t, false)
	// No retry loop: the first call after the database is back must work
	// (dead pooled connections are discarded and redialled by database/sql).
	for _, op := range ops[:2] {
		if err := op.fn(ctx); err != nil {
			t.Fatalf("%s after recovery: %v", op.name, err)
		}
	}
	if after := rowCounts(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("rows after the outage %v, want %v", after, before)
	}
	if _, err := db.CreateCampaign(ctx, fixtureCampaign()); err != nil {
		t.Errorf("write after recovery: %v", err)
	}
}

// TestPostgresStuckServerTimesOut: a server that accepts connections and
// never answers makes a call without deadline fail within the connect
// timeout Open adds to the DSN (connect_timeout=5), not hang.
func TestPostgresStuckServerTimesOut(t *testing.T) {
	db, proxy := proxiedPostgres(t)
	proxy.Down() // cuts the pooled connections
	proxy.Up(t, true)
	// The first ping may fail at once on the connection the proxy cut; the
	// second must dial the stuck server and give up after connect_timeout.
	for i := range 2 {
		err, byItself := endsByItself(db.Ping)
		if code := planner.ErrorCode(err); code != planner.EUnavailable {
			t.Errorf("ping %d of a stuck server: code %q (err %v), want %q", i, code, err, planner.EUnavailable)
		}
		if !byItself {
			t.Errorf("ping %d of a stuck server ended only when the caller's context did, want the connect timeout to end it", i)
		}
	}
	proxy.Down()
	proxy.Up(t, false)
	if err := db.Ping(context.Background()); err != nil {
		t.Errorf("ping after the server is unstuck: %v", err)
	}
}

// cancelAfterStart is a context that cancels itself d after the store
// first looks at it, i.e. once the database work has begun (validation
// before it does not use the context), so the cancel lands mid-write
// however slow the machine is.
type cancelAfterStart struct {
	context.Context
	cancel context.CancelFunc
	d      time.Duration
	once   sync.Once
}

func newCancelAfterStart(parent context.Context, d time.Duration) *cancelAfterStart {
	ctx, cancel := context.WithCancel(parent)
	return &cancelAfterStart{Context: ctx, cancel: cancel, d: d}
}

func (c *cancelAfterStart) Done() <-chan struct{} {
	c.once.Do(func() { time.AfterFunc(c.d, c.cancel) })
	return c.Context.Done()
}

// wantCancelled fails unless err is the failure of a cancelled call.
func wantCancelled(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("the cancelled write succeeded; make it larger")
	}
	if !errors.Is(err, context.Canceled) && planner.ErrorCode(err) != planner.EUnavailable {
		t.Errorf("cancelled write: %v, want context.Canceled or EUnavailable", err)
	}
}

// allCounts counts every table a campaign write touches.
func allCounts(t *testing.T, db *DB) map[string]int64 {
	t.Helper()
	out := rowCounts(t, db)
	for _, tb := range []string{"audit_log", "plan_versions", "shipments", "shipment_events", "idempotency_keys"} {
		out[tb] = countRows(t, db, tb, "1 = 1")
	}
	return out
}

// TestCreateCampaignCancelledStoresNothing: a 200,000-venue import whose
// caller gives up 50 ms into the transaction leaves no row at all, and
// the database takes the next write.
func TestCreateCampaignCancelledStoresNothing(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		before := allCounts(t, db)
		c := fixtureCampaign()
		c.Venues = append(c.Venues, manyVenues(200000)...)
		ctx := newCancelAfterStart(context.Background(), 50*time.Millisecond)
		_, err := db.CreateCampaign(ctx, c)
		wantCancelled(t, err)
		if after := allCounts(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("rows after the cancelled import %v, want %v", after, before)
		}
		createFixture(t, db)
	})
}

// manyCitiesCampaign is the fixture with n more cities of 10 night clubs
// each, so that committing its plan writes n more shipments.
func manyCitiesCampaign(n int) *planner.Campaign {
	c := fixtureCampaign()
	c.Materials[0].Printed = 50_000_000
	for i := range n {
		code := fmt.Sprintf("C%04d", i)
		c.Cities = append(c.Cities, planner.City{Code: code, Name: "Ciudad " + code,
			Lat: 17 + float64(i%100)/20, Lon: -103 + float64(i/100)/2, Priority: planner.DecimalInt(1), RadiusKm: 15})
		c.VenueCounts = append(c.VenueCounts, planner.VenueCount{City: code, Category: "NIGHTCLUB", Count: 10})
	}
	return c
}

// TestCommitPlanCancelledIsAllOrNothing cancels plan commits of a
// 600-city plan at several points of the transaction: each one either
// committed the whole version with all its shipments or left no row.
func TestCommitPlanCancelledIsAllOrNothing(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(context.Background(), Actor{Email: "planner@example.org"})
		camp := manyCitiesCampaign(600)
		p, err := planner.Compute(camp)
		assertNoError(t, err)
		cancelled := 0
		for _, d := range []time.Duration{0, time.Millisecond, 5 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond} {
			id, err := db.CreateCampaign(ctx, camp)
			assertNoError(t, err)
			before := allCounts(t, db)
			_, err = db.CommitPlan(newCancelAfterStart(ctx, d), id, 0, "", "cancel me", p)
			versions := countRows(t, db, "plan_versions", "campaign_id = ?", id)
			shipments := countRows(t, db, "shipments", "campaign_id = ?", id)
			if err != nil {
				cancelled++
				wantCancelled(t, err)
				if after := allCounts(t, db); fmt.Sprint(after) != fmt.Sprint(before) {
					t.Errorf("cancel after %v: rows %v, want %v", d, after, before)
				}
				continue
			}
			if versions != 1 || shipments != int64(len(p.Shipments)) {
				t.Errorf("commit not cancelled after %v: %d versions, %d shipments; want 1 and %d",
					d, versions, shipments, len(p.Shipments))
			}
		}
		if cancelled == 0 {
			t.Fatal("no commit was cancelled mid-way; make the plan larger")
		}
		t.Logf("%d of 5 commits cancelled mid-way, none left a partial version", cancelled)
		committedFixture(t, db) // the pool still takes writes
	})
}

// TestConcurrentWritersNeverSeeLocked: 50 writers at once, half recording
// in-transit events on one shipment, half editing venues, all succeed
// (no "database is locked" on SQLite: the one-connection write pool queues
// them; no deadlock on PostgreSQL), and every event is stored once.
func TestConcurrentWritersNeverSeeLocked(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, id, _ := committedFixture(t, db)
		s := shipmentTo(t, db, id, "TAP")
		mustAppend(t, ctx, db, s.ID, dispatchOf(s, day(time.March, 10)))
		const writers, each = 50, 3
		errs := make(chan error, writers*each)
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					if w%2 == 0 {
						e := planner.Event{Kind: planner.EventInTransit, Date: day(time.March, 11), Checkpoint: fmt.Sprintf("km %d", w*each+i)}
						_, _, err := db.AppendEvent(ctx, s.ID, e, trackNow, fmt.Sprintf("key-%d-%d", w, i))
						errs <- err
						continue
					}
					v := fixtureCampaign().Venues[1]
					v.Name = fmt.Sprintf("Club Norte %d-%d", w, i)
					errs <- db.UpdateVenue(ctx, id, v.ID, v)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent write: %v", err)
			}
		}
		if n := countRows(t, db, "shipment_events", "shipment_id = ? AND kind = ?", s.ID, "in_transit"); n != writers/2*each {
			t.Errorf("%d in-transit events stored, want %d", n, writers/2*each)
		}
	})
}
