// Package store holds all of Reparto's SQL. It keeps campaigns in SQLite
// (the default: one file, pure Go, nothing to install) or PostgreSQL (for a
// shared server), behind one API and one schema kept column-for-column
// identical in both dialects (assets/migrations/sqlite, .../postgres).
//
// Storage errors are translated here into *planner.Error codes: a missing
// row is planner.ENotFound, a unique or foreign-key violation is
// planner.EConflict, a lost connection is planner.EUnavailable.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // registers "postgres"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers "sqlite"

	"github.com/reparto/reparto/assets"
)

// Dialects understood by Open.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

func init() {
	// sqlx knows "sqlite3" (mattn) but not modernc's "sqlite"; both bind "?".
	sqlx.BindDriver("sqlite", sqlx.QUESTION)
}

// DB is Reparto's database. Its write pool is unexported: every write and
// every read-write transaction goes through WithTx, reads through the read
// pool.
//
// SQLite allows one writer at a time. Rather than let concurrent writers
// race for the file lock and fail with "database is locked" once
// busy_timeout runs out (a 1,000,000-venue import holds the lock for many
// seconds), the write pool has exactly one connection, which the first
// write transaction pins (Tx): writers queue at the write gate in their
// order of arrival, waiting as long as their context allows, and each
// transaction starts with BEGIN IMMEDIATE so it never has to upgrade a read
// lock. Reads use a separate pool of several connections (WAL lets them run
// beside the writer, each seeing the last committed state). On PostgreSQL
// both are the same pool. Because the write pool has one connection, code
// inside WithTx must use the transaction it was given, never db itself.
type DB struct {
	// w is unexported so that no caller can write past WithTx: on SQLite's
	// one-connection write pool a write beside an open transaction waits
	// for that transaction for ever.
	w       *sqlx.DB
	Dialect string

	// Now is the clock for created_at/updated_at; tests may replace it.
	Now func() time.Time

	read *sqlx.DB // read-only queries; == DB on PostgreSQL
	dsn  string   // PostgreSQL: the URL with our defaults, for Migrate

	tracking *trackingCache // derived tracking per campaign (tracking_view.go)
	states   eventStates    // log state per shipment for appends (event_state.go)
	gate     writeGate      // SQLite: WithTx in arrival order (writegate.go)
	stmts    readStmts      // prepared hot reads (stmtcache.go)

	// SQLite: the write connection pinned by WithTx (tx.go), nil until
	// the first write and while Migrate uses the pool. wmu guards the
	// pointer; the connection itself is used by the gate's holder only.
	wmu sync.Mutex
	wc  *writeConn

	// importChunk, when not 0, is how many venues ImportCampaignFile
	// inserts at a time (tests: many hand-overs in a small file).
	importChunk int
	// importEvent, when set, hears ImportCampaignFile's inserter begin
	// ("start") and an insert fail ("insert failed"), for tests.
	importEvent func(event string)
	// beforeLowerHalf and afterLowerHalf, when set, run as GetCampaign's
	// second connection starts on the lower half of the venues and when
	// that half is in (true: read there; false: read again by the first).
	beforeLowerHalf func()
	afterLowerHalf  func(kept bool)
}

// Open connects to dsn: a postgres:// or postgresql:// URL selects
// PostgreSQL (lib/pq), anything else is a SQLite file path, created if
// missing. Open pings the database; it does not migrate (see Migrate).
func Open(ctx context.Context, dsn string) (*DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	dsn, silence := postgresDSN(dsn)
	conn, err := newPGConnector(dsn, silence)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	x := sqlx.NewDb(sql.OpenDB(conn), "postgres")
	// Keep as many idle connections as may be open: under bursts a smaller
	// idle pool closes connections only to open new ones a moment later,
	// and each new PostgreSQL connection forks a backend (tens of ms at
	// the tail under load). Idle ones are still closed after five minutes.
	x.SetMaxOpenConns(20)
	x.SetMaxIdleConns(20)
	x.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{w: x, read: x, Dialect: Postgres, Now: time.Now, dsn: dsn,
		tracking: &trackingCache{m: map[int64]*trackingEntry{}}}
	if err := db.Ping(ctx); err != nil {
		x.Close()
		return nil, err
	}
	return db, nil
}

// sqlitePragmas are applied by modernc.org/sqlite on every new connection.
var sqlitePragmas = []string{
	"busy_timeout(5000)", // first: the others may need to wait for a lock
	"journal_mode(WAL)",  // readers do not block the writer nor it them
	"foreign_keys(1)",    // off by default in SQLite; the schema relies on them
	"synchronous(NORMAL)",
}

func sqliteDSN(path string, write bool) string {
	q := url.Values{}
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	if write {
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		// A pool of in-memory connections would be several databases, and a
		// caller-made file: URI would lose our pragmas.
		return nil, fmt.Errorf("open sqlite: want a file path, got %q", path)
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
	}
	w, err := sqlx.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	db := &DB{w: w, read: w, Dialect: SQLite, Now: time.Now,
		tracking: &trackingCache{m: map[int64]*trackingEntry{}}, gate: make(writeGate, 1)}
	// The writer connects first: it creates the file and switches it to WAL
	// before any reader (query_only) connection opens it.
	if err := db.w.PingContext(ctx); err != nil {
		w.Close()
		return nil, translate(fmt.Errorf("open sqlite %s: %w", path, err))
	}
	r, err := sqlx.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	db.read = r
	db.stmts.hot = make(chan struct{}, hotReads)
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Ping checks that the database answers; failures are EUnavailable. It
// returns when ctx ends even if the check is stuck on a connection (the
// check then goes on in the background until the connection gives up).
func (db *DB) Ping(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { done <- db.ping(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return unavailable(ctx.Err())
	}
}

func (db *DB) ping(ctx context.Context) error {
	if err := db.pingWriter(ctx); err != nil {
		return unavailable(err)
	}
	if db.read != db.w {
		if err := db.read.PingContext(ctx); err != nil {
			return unavailable(err)
		}
	}
	return nil
}

// pingWriter checks the write connection. On SQLite it waits for the
// write gate, as a writer would, and pings the pinned connection if there
// is one: the pool's only connection is not in the pool then.
func (db *DB) pingWriter(ctx context.Context) error {
	if db.gate == nil {
		return db.w.PingContext(ctx)
	}
	if err := db.gate.enter(ctx); err != nil {
		return err
	}
	defer db.gate.leave()
	db.wmu.Lock()
	wc := db.wc
	db.wmu.Unlock()
	if wc != nil {
		return wc.conn.PingContext(ctx)
	}
	return db.w.PingContext(ctx)
}

// Close closes both pools.
func (db *DB) Close() error {
	db.wmu.Lock()
	wc := db.wc
	db.wmu.Unlock()
	db.unpinWrite(wc, false)
	var err error
	if db.read != nil && db.read != db.w {
		err = db.read.Close()
	}
	return errors.Join(err, db.w.Close())
}

// Migrate applies the versioned SQL files of assets/migrations/<dialect>
// that are not applied yet. Schema changes are only ever made this way.
func (db *DB) Migrate(ctx context.Context) error {
	fsys, err := fs.Sub(assets.FS, "migrations/"+db.Dialect)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	dialect := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if db.Dialect == Postgres {
		dialect = goose.DialectPostgres
		// Several servers starting together must not migrate twice.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	conn := db.w.DB
	if db.gate != nil {
		// goose runs on the write pool, whose one connection WithTx may
		// have pinned: it goes back to the pool meanwhile, and no writer
		// runs beside the migration.
		if err := db.gate.enter(ctx); err != nil {
			return translate(fmt.Errorf("migrate: %w", err))
		}
		defer db.gate.leave()
		db.wmu.Lock()
		wc := db.wc
		db.wmu.Unlock()
		db.unpinWrite(wc, false)
	}
	if db.Dialect == Postgres {
		// A migration may rewrite a large table: no statement timeout.
		if conn, err = sql.Open("postgres", withoutStatementTimeout(db.dsn)); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		defer conn.Close()
	}
	p, err := goose.NewProvider(dialect, conn, fsys, opts...)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return translate(fmt.Errorf("migrate: %w", err))
	}
	return nil
}

// WithTx runs fn in one read-write transaction: begin, defer rollback,
// commit if fn returns nil (roll back in a DryRun). fn's error is returned translated (see
// translate); a failed commit is returned too, never ignored. On SQLite
// the transaction runs on the pinned write connection, writers in their
// order of arrival (withSQLiteTx, tx.go).
func (db *DB) WithTx(ctx context.Context, fn func(tx *Tx) error) error {
	if db.gate != nil {
		return db.withSQLiteTx(ctx, fn) // tx.go
	}
	tx, err := db.w.BeginTxx(db.txContext(ctx), nil)
	if err != nil {
		return translate(fmt.Errorf("begin: %w", err))
	}
	defer tx.Rollback()
	if err := fn(&Tx{ext: tx, dialect: db.Dialect, mapper: tx.Mapper}); err != nil {
		return translate(givenUp(ctx, err))
	}
	if isDryRun(ctx) {
		return nil // validated only: the deferred rollback undoes the writes
	}
	// The transaction may have been begun without ctx's cancellation
	// (txContext): a request whose deadline passed meanwhile still commits
	// nothing and fails as before.
	if err := ctx.Err(); err != nil {
		return translate(fmt.Errorf("commit: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return translate(givenUp(ctx, fmt.Errorf("commit: %w", err)))
	}
	return nil
}

// txContext is the context a PostgreSQL write transaction begins with:
// ctx without its cancellation (SQLite's, withSQLiteTx, begin without it
// too). When a transaction's own context
// ends, database/sql rolls it back from a goroutine of its own, and on
// PostgreSQL that rollback reads the connection while lib/pq's COPY
// response loop may be reading it too: a data race (caught by -race in a
// cancelled 200,000-venue import) on a connection's buffered reader. The
// caller's context still governs everything: each statement runs with it
// (the socket watch and lib/pq's cancel request end a statement in
// flight), BEGIN itself watches it on PostgreSQL (beginWatchKey), and
// WithTx checks it before committing; a statement that fails makes WithTx
// roll back from the caller's goroutine, never beside a COPY.
func (db *DB) txContext(ctx context.Context) context.Context {
	return context.WithValue(context.WithoutCancel(ctx), beginWatchKey{}, ctx)
}

// stmtCtx is the context for the statements of a SQLite write
// transaction: ctx without its cancellation. With a context that can end,
// database/sql and the driver each start a goroutine per statement to
// watch it, and an event write made about seventeen of them: on one core
// under fifty writers they overflowed the scheduler's local run queue
// into the global one, where net/http's background reader of a finished
// request waited up to seconds while the handler itself had taken 10 ms
// (issue 13: p99 1.8 s and timeouts; in an execution trace the connection
// goroutines spent most of their time in sync.Cond.Wait, the reader's
// abortPendingRead). Readers get the same treatment in readGet. The
// transaction itself is not database/sql's on SQLite, for the same reason
// (Tx, tx.go). A SQLite
// write transaction holds the one write connection (writeGate) and runs
// statements on a local file; a lock held by another process ends by
// busy_timeout. So the deadline applies to the wait at the gate, where
// requests queue, and WithTx checks it again before committing; only the
// statements of a transaction already under way run to their end.
// PostgreSQL keeps ctx: there the network can stall a statement.
func (db *DB) stmtCtx(ctx context.Context) context.Context {
	if db.gate == nil {
		return ctx
	}
	return context.WithoutCancel(ctx)
}

// exec runs one statement as its own transaction through WithTx, so that
// single-row writes (sessions, token use) queue on the same path as every
// other write instead of reaching the write pool beside it.
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		res, err = tx.ExecContext(db.stmtCtx(ctx), tx.Rebind(query), args...)
		return err
	})
	return res, err
}

// givenUp attributes a failure to the caller's context when that context
// has ended: database/sql then reports whatever it was doing when it
// noticed ("sql: statement is closed", "driver: bad connection"), while
// callers need errors.Is(err, context.Canceled) to tell "the client went
// away" from a fault.
func givenUp(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w: %w", cerr, err)
	}
	return err
}

// readTx runs fn in a transaction on the read pool, so that the several
// queries that load one campaign see one snapshot. It never commits
// anything: it rolls back when fn is done.
func (db *DB) readTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.read.BeginTxx(ctx, db.readTxOptions())
	if err != nil {
		return translate(fmt.Errorf("begin: %w", err))
	}
	defer tx.Rollback()
	return translate(fn(tx))
}

// readTxOptions: on PostgreSQL a read transaction is REPEATABLE READ, or
// each of its statements would see the data committed before it began (READ
// COMMITTED), not one snapshot; read-only, it can never fail to serialize.
// A SQLite transaction reads one snapshot from its first read on.
func (db *DB) readTxOptions() *sql.TxOptions {
	if db.Dialect != Postgres {
		return nil
	}
	return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
}

// now returns the current time to store, in UTC and to the microsecond
// (PostgreSQL's precision), so that what is read back equals what was written.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// queryer is what read helpers need: a *Tx or a *sqlx.DB.
type queryer interface {
	sqlx.QueryerContext
	sqlx.ExecerContext
	Rebind(string) string
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
	GetContext(ctx context.Context, dest any, query string, args ...any) error
}

var _ queryer = (*Tx)(nil)
var _ queryer = (*sqlx.DB)(nil)
