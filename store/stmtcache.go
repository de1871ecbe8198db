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
}

// readGet is db.read.GetContext(ctx, dest, db.read.Rebind(query), args...)
// through a statement prepared once. query must be a constant: the cache
// is keyed by its text and never emptied.
func (db *DB) readGet(ctx context.Context, dest any, query string, args ...any) error {
	st, err := db.readStmt(ctx, query)
	if err != nil {
		return err
	}
	return st.GetContext(ctx, dest, args...)
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
