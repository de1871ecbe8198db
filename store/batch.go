package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
)

// maxBatchParams bounds the bind parameters of one multi-row INSERT: below
// SQLite's limit (32766) and PostgreSQL's (65535), and large enough that a
// million venues take a few hundred statements.
const maxBatchParams = 16000

// insertBatch inserts n rows into table inside tx; args(i) returns row i's
// values in the order of cols. On SQLite these are multi-row INSERT
// statements: a million-row import is a few hundred statements in one
// transaction, not a million round trips (the statement for a full batch is
// prepared once and reused). On PostgreSQL it is one COPY, which streams
// the rows without parsing and planning statements: a million venues took
// 25-40 s as batched INSERTs.
func insertBatch(ctx context.Context, tx *Tx, table string, cols []string, n int, args func(i int) []any) error {
	return insertBatchAppend(ctx, tx, table, cols, n, args, func(buf []any, i int) []any { return append(buf, args(i)...) })
}

// insertBatchAppend is insertBatch for the largest tables (venues): on
// SQLite, appendArgs appends row i's values to the batch's arguments
// instead of returning a slice per row, a million of them for a national
// campaign. PostgreSQL's COPY still takes args.
func insertBatchAppend(ctx context.Context, tx *Tx, table string, cols []string, n int,
	args func(i int) []any, appendArgs func(buf []any, i int) []any) error {
	return insertBatchKeep(ctx, tx, nil, table, cols, n, args, appendArgs)
}

// insertBatchKeep is insertBatchAppend for a caller that inserts into
// table in several runs: on SQLite, the statement for a full batch is
// prepared once into *keep (when keep is not nil) and left there for the
// next run; the transaction closes it (Tx.PrepareContext).
func insertBatchKeep(ctx context.Context, tx *Tx, keep **sqlx.Stmt, table string, cols []string, n int,
	args func(i int) []any, appendArgs func(buf []any, i int) []any) error {
	if n == 0 {
		return nil
	}
	if tx.DriverName() == Postgres {
		return copyRows(ctx, tx, table, cols, n, args)
	}
	per := max(1, maxBatchParams/len(cols))
	var full *sqlx.Stmt
	if keep != nil {
		full = *keep
		defer func() { *keep = full }()
	} else {
		defer func() {
			if full != nil {
				full.Close()
			}
		}()
	}
	buf := make([]any, 0, min(per, n)*len(cols))
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		buf = buf[:0]
		for i := start; i < end; i++ {
			buf = appendArgs(buf, i)
		}
		var err error
		switch {
		case end-start < per:
			_, err = tx.ExecContext(ctx, tx.Rebind(insertSQL(table, cols, end-start)), buf...)
		case full == nil:
			if full, err = tx.PreparexContext(ctx, tx.Rebind(insertSQL(table, cols, per))); err != nil {
				return fmt.Errorf("prepare insert %s: %w", table, err)
			}
			fallthrough
		default:
			_, err = full.ExecContext(ctx, buf...)
		}
		if err != nil {
			return fmt.Errorf("insert %s rows %d-%d: %w", table, start, end-1, err)
		}
	}
	return nil
}

// insertSQL is "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)" for rows rows.
func insertSQL(table string, cols []string, rows int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, strings.Join(cols, ", "))
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

// copyChunk bounds the rows of one COPY statement: each must end within
// the statement_timeout (10 s by default, see pgdsn.go). A million venues
// in one COPY did not on a busy machine, and neither did 50,000 once (a
// national import at load average 12): 10,000 rows leave a wide margin and
// cost nothing measurable, since lib/pq buffers the rows either way. The
// server's work does not depend on the chunk either: before migration
// 00016 its backend spent 17-18 s of CPU on a national import with chunks
// of 10,000, 50,000 or 1,000,000 rows (see insertVenues for where that
// time goes).
var copyChunk = 10_000 // a variable for tests

// copyRows is insertBatch on PostgreSQL: COPY FROM STDIN inside tx (lib/pq
// buffers the rows and sends them in large messages), one statement per
// copyChunk rows. Errors of the rows, such as a repeated key, are reported
// when a COPY ends.
func copyRows(ctx context.Context, tx *Tx, table string, cols []string, n int, args func(i int) []any) error {
	query := "COPY " + table + " (" + strings.Join(cols, ", ") + ") FROM STDIN"
	for start := 0; start < n; start += copyChunk {
		end := min(start+copyChunk, n)
		if err := copyChunkRows(ctx, tx, query, start, end, args); err != nil {
			return fmt.Errorf("copy into %s rows %d-%d: %w", table, start, end-1, err)
		}
	}
	return nil
}

func copyChunkRows(ctx context.Context, tx *Tx, query string, start, end int, args func(i int) []any) error {
	stmt, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := start; i < end; i++ {
		if _, err := stmt.ExecContext(ctx, args(i)...); err != nil {
			return fmt.Errorf("row %d: %w", i, err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil { // ends the COPY
		return err
	}
	return stmt.Close()
}
