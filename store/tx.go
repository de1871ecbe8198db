package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/jmoiron/sqlx/reflectx"
)

// Tx is one read-write transaction, as WithTx hands it to its fn. On
// PostgreSQL it is a database/sql transaction. On SQLite it is the one
// write connection, pinned (writeConn), between BEGIN IMMEDIATE and
// COMMIT or ROLLBACK.
//
// SQLite's transactions are not database/sql's because database/sql
// starts a goroutine for every transaction (Tx.awaitDone, whatever its
// context) and one for every query run inside a transaction
// (Rows.awaitDone: the transaction's own context can always be
// cancelled), even when the caller's context cannot end. An event write
// made seven of them. With fifty writers on one core they filled the
// scheduler's local run queue, which then spilled half of itself into the
// global queue, served once every 61 scheduling rounds while the local
// one stays busy: in an execution trace of wrk.sh the goroutines spilled
// there, among them the connections' background readers that a finished
// request waits for, waited up to 0.9 s, the tail of event writes (issue
// 13). On a pinned *sql.Conn, a query whose context cannot end starts no
// goroutine at all.
type Tx struct {
	ext     txExt
	dialect string
	mapper  *reflectx.Mapper
	wc      *writeConn  // SQLite: the pinned write connection; nil on PostgreSQL
	stmts   []*sql.Stmt // SQLite: prepared by fn, closed when the transaction ends
}

// txExt is what *sqlx.Tx and *sqlx.Conn both provide.
type txExt interface {
	queryer
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

var _ queryer = (*Tx)(nil)
var _ txExt = (*sqlx.Tx)(nil)
var _ txExt = (*sqlx.Conn)(nil)

// DriverName is the dialect, Postgres or SQLite.
func (tx *Tx) DriverName() string { return tx.dialect }

// Rebind turns ? placeholders into the dialect's.
func (tx *Tx) Rebind(query string) string { return tx.ext.Rebind(query) }

func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.ext.ExecContext(ctx, query, args...)
}

func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.ext.QueryContext(ctx, query, args...)
}

func (tx *Tx) QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	return tx.ext.QueryxContext(ctx, query, args...)
}

func (tx *Tx) QueryRowxContext(ctx context.Context, query string, args ...any) *sqlx.Row {
	return tx.ext.QueryRowxContext(ctx, query, args...)
}

func (tx *Tx) GetContext(ctx context.Context, dest any, query string, args ...any) error {
	return tx.ext.GetContext(ctx, dest, query, args...)
}

func (tx *Tx) SelectContext(ctx context.Context, dest any, query string, args ...any) error {
	return tx.ext.SelectContext(ctx, dest, query, args...)
}

// PrepareContext prepares query for this transaction only: its statement
// is closed when the transaction ends, as database/sql does with a
// transaction's statements, also on SQLite's pinned connection, which
// outlives the transaction.
func (tx *Tx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := tx.ext.PrepareContext(ctx, query)
	if err == nil && tx.wc != nil {
		tx.stmts = append(tx.stmts, st)
	}
	return st, err
}

// PreparexContext is PrepareContext for sqlx's scanning.
func (tx *Tx) PreparexContext(ctx context.Context, query string) (*sqlx.Stmt, error) {
	st, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &sqlx.Stmt{Stmt: st, Mapper: tx.mapper}, nil
}

// closeStmts closes the statements fn prepared (SQLite).
func (tx *Tx) closeStmts() {
	for _, st := range tx.stmts {
		st.Close()
	}
	tx.stmts = nil
}

// writeConn is SQLite's one write connection, taken out of the write pool
// by the first write transaction and kept, with the hot writes' prepared
// statements (writestmts.go). Only the holder of the write gate uses it
// (and DB.Close).
type writeConn struct {
	conn  *sqlx.Conn
	stmts map[string]*sql.Stmt
}

// writeConn returns the pinned write connection, taking it from the pool
// if none is pinned. The caller holds the write gate.
func (db *DB) writeConn(ctx context.Context) (*writeConn, error) {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	if db.wc != nil {
		return db.wc, nil
	}
	c, err := db.w.Connx(ctx)
	if err != nil {
		return nil, err
	}
	db.wc = &writeConn{conn: c, stmts: map[string]*sql.Stmt{}}
	return db.wc, nil
}

// unpinWrite gives the pinned write connection back to the write pool
// (discard false), for a caller that needs the pool itself (Migrate), or
// closes it for good (discard true) when it may be left inside a
// transaction. The caller holds the write gate, or is DB.Close.
func (db *DB) unpinWrite(wc *writeConn, discard bool) {
	db.wmu.Lock()
	if db.wc == wc {
		db.wc = nil
	}
	db.wmu.Unlock()
	if wc == nil {
		return
	}
	for _, st := range wc.stmts {
		st.Close()
	}
	if discard {
		// database/sql closes a connection whose use returns ErrBadConn
		// instead of putting it back in the pool.
		_ = wc.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	wc.conn.Close()
}

// withSQLiteTx is WithTx on SQLite: fn runs on the pinned write
// connection between BEGIN IMMEDIATE and COMMIT, in the order writers
// arrived (writeGate). BEGIN, COMMIT and ROLLBACK run without ctx's
// cancellation, as the statements of the hot writes do (stmtCtx): the
// deadline applies at the gate and before committing.
func (db *DB) withSQLiteTx(ctx context.Context, fn func(tx *Tx) error) error {
	if err := db.gate.enter(ctx); err != nil {
		return translate(fmt.Errorf("begin: %w", err))
	}
	defer db.gate.leave()
	wc, err := db.writeConn(ctx)
	if err != nil {
		return translate(fmt.Errorf("begin: %w", err))
	}
	bg := context.WithoutCancel(ctx)
	if _, err := wc.conn.ExecContext(bg, "BEGIN IMMEDIATE"); err != nil {
		// Another process held the lock past busy_timeout, or the
		// connection is not what it should be (still inside a
		// transaction): the next writer takes a fresh one either way.
		db.unpinWrite(wc, true)
		return translate(fmt.Errorf("begin: %w", err))
	}
	tx := &Tx{ext: wc.conn, dialect: SQLite, mapper: wc.conn.Mapper, wc: wc}
	committed := false
	defer func() { // also when fn panics
		tx.closeStmts()
		if committed {
			return
		}
		if _, err := wc.conn.ExecContext(bg, "ROLLBACK"); err != nil {
			// SQLite may have rolled back by itself (an interrupted
			// statement), or the connection failed: either way its state
			// is not known, and the next writer takes a fresh one.
			db.unpinWrite(wc, true)
		}
	}()
	if err := fn(tx); err != nil {
		return translate(givenUp(ctx, err))
	}
	if isDryRun(ctx) {
		return nil // validated only: the deferred rollback undoes the writes
	}
	if err := ctx.Err(); err != nil {
		return translate(fmt.Errorf("commit: %w", err))
	}
	tx.closeStmts()
	if _, err := wc.conn.ExecContext(bg, "COMMIT"); err != nil {
		return translate(givenUp(ctx, fmt.Errorf("commit: %w", err)))
	}
	committed = true
	return nil
}
