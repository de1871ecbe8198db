package store

import (
	"context"
	"errors"
	"fmt"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/reparto/reparto/planner"
)

// goroutinesCreated is how many goroutines the process has started.
func goroutinesCreated(t *testing.T) uint64 {
	t.Helper()
	s := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		t.Skip("this Go runtime does not count the goroutines it creates")
	}
	return s[0].Value.Uint64()
}

// TestEventWriteStartsNoGoroutine: on SQLite an idempotent event write,
// made with a request's deadline, starts no goroutine. database/sql
// started seven per write (its transaction's watcher and one per query
// inside the transaction, whatever the query's context): with fifty
// writers on one core they overflowed the scheduler's local run queue and
// the goroutines spilled out of it waited up to a second, the p99 of
// event writes in wrk.sh (issue 13, Tx). Not parallel: nothing else runs
// in the process meanwhile but the runtime, hence the small allowance.
func TestEventWriteStartsNoGoroutine(t *testing.T) {
	db := openTestSQLite(t)
	ctx, id, _ := committedFixture(t, db)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	tap := shipmentTo(t, db, id, "TAP")
	mustAppend(t, ctx, db, tap.ID, dispatchOf(tap, day(3, 2)))
	checkpoint := func(i int) {
		e := planner.Event{Kind: planner.EventInTransit, Date: day(3, 3), Checkpoint: fmt.Sprintf("km %d", i)}
		_, created, err := db.AppendEvent(ctx, tap.ID, e, trackNow, fmt.Sprintf("key-%d", i))
		if err != nil || !created {
			t.Fatalf("checkpoint %d: created %v, %v", i, created, err)
		}
	}
	checkpoint(0) // the first one prepares the statements and keeps the log state
	const n = 50
	before := goroutinesCreated(t)
	for i := 1; i <= n; i++ {
		checkpoint(i)
	}
	if got := goroutinesCreated(t) - before; got > n/10 {
		t.Errorf("%d event writes started %d goroutines, want none", n, got)
	}
}

// TestWriteConnRecovers: the pinned write connection survives what
// database/sql used to handle for a transaction: fn panicking, fn ending
// the transaction itself (as SQLite does when it rolls back an
// interrupted statement, so that the ROLLBACK fails), a dry run, a commit
// refused by the deadline, Migrate needing the pool's one connection,
// and Ping meanwhile. After each, writes still commit.
func TestWriteConnRecovers(t *testing.T) {
	db := openTestSQLite(t)
	ctx := context.Background()
	insert := func(tx *Tx, token string) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry) VALUES (?, x'00', ?)`, token, trackNow)
		return err
	}
	stored := func(token string) bool {
		return countRows(t, db, "sessions", "token = ?", token) == 1
	}
	mustCommit := func(token string) {
		t.Helper()
		assertNoError(t, db.WithTx(ctx, func(tx *Tx) error { return insert(tx, token) }))
		if !stored(token) {
			t.Fatalf("%s: committed but not stored", token)
		}
	}
	mustCommit("first")

	func() {
		defer func() { _ = recover() }()
		_ = db.WithTx(ctx, func(tx *Tx) error {
			if err := insert(tx, "panicked"); err != nil {
				return err
			}
			panic("fn panics")
		})
	}()
	mustCommit("after panic")

	errFn := errors.New("fn failed")
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := insert(tx, "ended by fn"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "ROLLBACK"); err != nil {
			return err
		}
		return errFn
	})
	if !errors.Is(err, errFn) {
		t.Fatalf("fn's error: %v", err)
	}
	mustCommit("after rollback failed")

	// A connection left inside a transaction (it never is: here forced)
	// fails BEGIN once; the writer after that one gets a fresh connection.
	wc, err := db.writeConn(ctx)
	assertNoError(t, err)
	_, err = wc.conn.ExecContext(ctx, "BEGIN")
	assertNoError(t, err)
	if err := db.WithTx(ctx, func(tx *Tx) error { return insert(tx, "inside another") }); err == nil {
		t.Fatal("BEGIN inside a transaction succeeded")
	}
	mustCommit("after begin failed")

	assertNoError(t, db.WithTx(DryRun(ctx), func(tx *Tx) error { return insert(tx, "dry") }))
	deadline, cancel := context.WithCancel(ctx)
	err = db.WithTx(deadline, func(tx *Tx) error { cancel(); return insert(tx, "late") })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("commit after the context ended: %v", err)
	}
	mustCommit("after dry run and cancel")

	var kept *Tx // statements fn prepares end with its transaction
	assertNoError(t, db.WithTx(ctx, func(tx *Tx) error {
		kept = tx
		s, err := tx.PreparexContext(ctx, `SELECT COUNT(*) FROM sessions`)
		if err != nil {
			return err
		}
		var n int
		return s.GetContext(ctx, &n)
	}))
	if len(kept.stmts) != 0 {
		t.Errorf("%d statements left open", len(kept.stmts))
	}

	pingCtx, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	assertNoError(t, db.Ping(pingCtx))
	assertNoError(t, db.Migrate(pingCtx))
	mustCommit("after migrate")
	assertNoError(t, db.Ping(pingCtx))

	for _, token := range []string{"panicked", "ended by fn", "inside another", "dry", "late"} {
		if stored(token) {
			t.Errorf("%s: stored", token)
		}
	}
}
