package store

import (
	"context"
	"fmt"
	"sync"

	"github.com/jmoiron/sqlx"
)

// readStmts keeps the prepared statements of the reads that every request
// makes (session or token, user, campaign header, tracking stamp, latest
// plan version). Preparing is parsing and planning the SQL again: with
// SQLite that ran in the server's own process and cost as much CPU as
// the queries themselves. database/sql prepares a statement once per pool
// connection and keeps it.
type readStmts struct {
	mu sync.Mutex
	m  map[string]*sqlx.Stmt
	// hot, on SQLite, admits readGet's queries in arrival order (see
	// readGet); nil on PostgreSQL.
	hot chan struct{}
}

// hotReads is how many readGet queries run at once on SQLite: fewer than
// the read pool's connections, so that one is free for each of them
// even while a few longer reads (a page's snapshot) hold others.
const hotReads = 4

// readGet is db.read.GetContext(ctx, dest, db.read.Rebind(query), args...)
// through a statement prepared once. query must be a constant: the cache
// is keyed by its text and never emptied.
//
// On SQLite the query itself runs without ctx's cancellation. With a
// context that can end, database/sql and the driver each start a goroutine
// per query to watch it, and these are a dozen new goroutines per request
// (session or token, user, campaign, tracking stamp): on one core under a
// crowd they overflowed the scheduler's local run queue into the global
// one, where goroutines wait up to seconds, among them net/http's
// background reader that every finished request waits for (issue 13: p99
// of a second and timeouts although each request took 0.3 ms of CPU,
// seen in an execution trace). These queries read a few rows by key from
// a local file and end by themselves (a lock wait ends by busy_timeout),
// so there is nothing to interrupt. The deadline still applies to the
// wait: the queries are admitted through a FIFO gate of hotReads slots
// taken with ctx, so a crowd waits in arrival order (database/sql hands a
// freed connection to a random waiter) and a request that cannot get in
// by its deadline fails with EUnavailable. PostgreSQL keeps ctx on the
// query: there the network can stall it (see pgconn.go).
func (db *DB) readGet(ctx context.Context, dest any, query string, args ...any) error {
	st, err := db.readStmt(ctx, query)
	if err != nil {
		return err
	}
	if db.stmts.hot == nil {
		return st.GetContext(ctx, dest, args...)
	}
	select {
	case db.stmts.hot <- struct{}{}:
	case <-ctx.Done():
		return unavailable(ctx.Err())
	}
	defer func() { <-db.stmts.hot }()
	return st.GetContext(context.WithoutCancel(ctx), dest, args...)
}

// readStmt returns query's prepared statement, preparing it on first use.
// The lock is never held while the database is asked: a stuck database
// must fail each request by its own deadline, not queue every request of
// the server behind one preparation that never returns. Two requests may
// both prepare the same query; the second keeps the first's statement.
func (db *DB) readStmt(ctx context.Context, query string) (*sqlx.Stmt, error) {
	db.stmts.mu.Lock()
	st, ok := db.stmts.m[query]
	db.stmts.mu.Unlock()
	if ok {
		return st, nil
	}
	// database/sql uses ctx for the preparation only; the statement
	// itself outlives the request.
	st, err := db.read.PreparexContext(ctx, db.read.Rebind(query))
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	if prev, ok := db.stmts.m[query]; ok {
		st.Close()
		return prev, nil
	}
	if db.stmts.m == nil {
		db.stmts.m = map[string]*sqlx.Stmt{}
	}
	db.stmts.m[query] = st
	return st, nil
}
