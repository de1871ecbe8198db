package store

import (
	"context"
	"database/sql"
	"sync"

	"github.com/jmoiron/sqlx"
)

// writeStmts keeps the statements of the hot writes (an event append:
// lock the shipment, check the campaign is open, the idempotency key,
// the next seq, the insert, the version bump, the audit record) prepared
// on SQLite's one write connection. Preparing is parsing and planning the
// SQL, in the server's own process: a fifth of an event write's CPU went
// to preparing its nine statements again (issue 13).
//
// A statement can only be prepared on the write pool while no transaction
// holds its one connection, so a write transaction that meets a query not
// prepared yet runs it as before and asks for it; the next WithTx prepares
// what was asked for while it holds the write gate (writegate.go), before
// it begins. PostgreSQL keeps preparing per statement as before.
type writeStmts struct {
	mu     sync.Mutex
	m      map[string]*sql.Stmt
	wanted map[string]bool
}

// txExec, txQueryRow and txGet are tx.ExecContext, tx.QueryRowxContext
// and tx.GetContext of tx.Rebind(query), through query's statement
// prepared once when there is one. query must be a constant: the cache is
// keyed by its text and never emptied.
func (db *DB) txExec(ctx context.Context, tx *sqlx.Tx, query string, args ...any) (sql.Result, error) {
	if st := db.writeStmt(query); st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, tx.Rebind(query), args...)
}

func (db *DB) txQueryRow(ctx context.Context, tx *sqlx.Tx, query string, args ...any) *sqlx.Row {
	if st := db.writeStmt(query); st != nil {
		s := &sqlx.Stmt{Stmt: tx.StmtContext(ctx, st), Mapper: tx.Mapper}
		return s.QueryRowxContext(ctx, args...)
	}
	return tx.QueryRowxContext(ctx, tx.Rebind(query), args...)
}

func (db *DB) txGet(ctx context.Context, tx *sqlx.Tx, dest any, query string, args ...any) error {
	if st := db.writeStmt(query); st != nil {
		s := &sqlx.Stmt{Stmt: tx.StmtContext(ctx, st), Mapper: tx.Mapper}
		return s.GetContext(ctx, dest, args...)
	}
	return tx.GetContext(ctx, dest, tx.Rebind(query), args...)
}

// writeStmt returns query's prepared statement, or nil (asking for it)
// when it is not prepared yet. A nil db or a database other than SQLite
// has none.
func (db *DB) writeStmt(query string) *sql.Stmt {
	if db == nil || db.gate == nil {
		return nil
	}
	db.wstmts.mu.Lock()
	defer db.wstmts.mu.Unlock()
	if st, ok := db.wstmts.m[query]; ok {
		return st
	}
	if db.wstmts.wanted == nil {
		db.wstmts.wanted = map[string]bool{}
	}
	db.wstmts.wanted[query] = true
	return nil
}

// prepareWanted prepares on the write pool the statements asked for since
// the last call; the caller holds the write gate and no transaction. A
// statement that fails to prepare (its table not migrated yet) is asked
// for again by its next use.
func (db *DB) prepareWanted(ctx context.Context) {
	db.wstmts.mu.Lock()
	wanted := db.wstmts.wanted
	db.wstmts.wanted = nil
	db.wstmts.mu.Unlock()
	for q := range wanted {
		st, err := db.w.PrepareContext(ctx, db.w.Rebind(q))
		if err != nil {
			continue
		}
		db.wstmts.mu.Lock()
		if db.wstmts.m == nil {
			db.wstmts.m = map[string]*sql.Stmt{}
		}
		db.wstmts.m[q] = st
		db.wstmts.mu.Unlock()
	}
}
