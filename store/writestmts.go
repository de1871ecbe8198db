package store

import (
	"context"
	"database/sql"

	"github.com/jmoiron/sqlx"
)

// The statements of the hot writes (an event append: lock the shipment,
// check the campaign is open, the idempotency key, the next seq, the
// insert, the audit record) are prepared once on SQLite's pinned write
// connection (writeConn) and kept with it. Preparing is parsing and
// planning the SQL, in the server's own process: a fifth of an event
// write's CPU went to preparing its statements again (issue 13). The
// connection runs one transaction at a time, so a statement is prepared
// when a transaction first needs it. PostgreSQL keeps preparing per
// statement as before.

// txExec, txQueryRow and txGet are tx.ExecContext, tx.QueryRowxContext
// and tx.GetContext of tx.Rebind(query), through query's statement
// prepared once when there is one. query must be a constant: the cache is
// keyed by its text and only emptied with its connection.
func txExec(ctx context.Context, tx *Tx, query string, args ...any) (sql.Result, error) {
	if st := tx.hot(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, tx.Rebind(query), args...)
}

func txQueryRow(ctx context.Context, tx *Tx, query string, args ...any) *sqlx.Row {
	if st := tx.hot(ctx, query); st != nil {
		s := &sqlx.Stmt{Stmt: st, Mapper: tx.mapper}
		return s.QueryRowxContext(ctx, args...)
	}
	return tx.QueryRowxContext(ctx, tx.Rebind(query), args...)
}

func txGet(ctx context.Context, tx *Tx, dest any, query string, args ...any) error {
	if st := tx.hot(ctx, query); st != nil {
		s := &sqlx.Stmt{Stmt: st, Mapper: tx.mapper}
		return s.GetContext(ctx, dest, args...)
	}
	return tx.GetContext(ctx, dest, tx.Rebind(query), args...)
}

// hot returns query's statement prepared on SQLite's write connection,
// preparing it the first time; nil on PostgreSQL, or when it does not
// prepare (the caller then runs query as it is and gets its error).
func (tx *Tx) hot(ctx context.Context, query string) *sql.Stmt {
	if tx.wc == nil {
		return nil
	}
	if st, ok := tx.wc.stmts[query]; ok {
		return st
	}
	st, err := tx.wc.conn.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil
	}
	tx.wc.stmts[query] = st
	return st
}
