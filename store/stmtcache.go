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
	st, err := db.readStmt(query)
	if err != nil {
		return err
	}
	return st.GetContext(ctx, dest, args...)
}

func (db *DB) readStmt(query string) (*sqlx.Stmt, error) {
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	if st, ok := db.stmts.m[query]; ok {
		return st, nil
	}
	// Not the request's context: the statement outlives the request.
	st, err := db.read.Preparex(db.read.Rebind(query))
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if db.stmts.m == nil {
		db.stmts.m = map[string]*sqlx.Stmt{}
	}
	db.stmts.m[query] = st
	return st, nil
}
