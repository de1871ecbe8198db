package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/lib/pq"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/reparto/reparto/planner"
)

func TestTranslate(t *testing.T) {
	already := planner.Errorf(planner.EInvalid, "bad")
	other := errors.New("syntax error")
	tests := []struct {
		name string
		err  error
		want planner.Code
	}{
		{"nil", nil, ""},
		{"no rows", fmt.Errorf("get: %w", sql.ErrNoRows), planner.ENotFound},
		{"pq unique", &pq.Error{Code: "23505"}, planner.EConflict},
		{"pq foreign key", fmt.Errorf("x: %w", &pq.Error{Code: "23503"}), planner.EConflict},
		{"pq connection failure", &pq.Error{Code: "08006"}, planner.EUnavailable},
		{"pq too many connections", &pq.Error{Code: "53300"}, planner.EUnavailable},
		{"pq syntax", &pq.Error{Code: "42601"}, planner.EInternal},
		{"network", &net.OpError{Op: "dial", Err: errors.New("refused")}, planner.EUnavailable},
		{"bad conn", fmt.Errorf("x: %w", sql.ErrConnDone), planner.EUnavailable},
		// A connection dropped mid-conversation (issue 12, item 6): every
		// form it takes is "try again", never an internal error.
		{"EOF from a dropped connection", fmt.Errorf("begin: %w", io.EOF), planner.EUnavailable},
		{"unexpected EOF", fmt.Errorf("x: %w", io.ErrUnexpectedEOF), planner.EUnavailable},
		{"driver bad conn", fmt.Errorf("commit: %w", driver.ErrBadConn), planner.EUnavailable},
		{"connection reset", &net.OpError{Op: "read", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, planner.EUnavailable},
		{"broken pipe bare", fmt.Errorf("write: %w", syscall.EPIPE), planner.EUnavailable},
		{"connection aborted", fmt.Errorf("x: %w", syscall.ECONNABORTED), planner.EUnavailable},
		{"timed out", fmt.Errorf("x: %w", syscall.ETIMEDOUT), planner.EUnavailable},
		{"pq admin shutdown", &pq.Error{Code: "57P01", Message: "terminating connection due to administrator command"}, planner.EUnavailable},
		{"pq shutting down", &pq.Error{Code: "57P03", Message: "the database system is shutting down"}, planner.EUnavailable},
		{"pq statement timeout", &pq.Error{Code: "57014", Message: "canceling statement due to statement timeout"}, planner.EUnavailable},
		{"pq read only (standby)", &pq.Error{Code: "25006"}, planner.EUnavailable},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), planner.EUnavailable},
		// Bad text is the caller's fault (issue 12, item 5).
		{"pq NUL byte", &pq.Error{Code: "22021", Message: `invalid byte sequence for encoding "UTF8": 0x00`}, planner.EInvalid},
		{"pq untranslatable", &pq.Error{Code: "22P05"}, planner.EInvalid},
		{"plain EOF-looking text", errors.New("EOF in csv"), planner.EInternal},
		{"domain error unchanged", already, planner.EInvalid},
		{"other", other, planner.EInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := translate(tt.err)
			if code := planner.ErrorCode(got); code != tt.want {
				t.Errorf("code = %q, want %q", code, tt.want)
			}
			if tt.err != nil && !errors.Is(got, tt.err) {
				t.Errorf("translated error lost its cause %v", tt.err)
			}
		})
	}
}

// A database that cannot be reached is EUnavailable, not an internal error.
func TestOpenUnreachablePostgres(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skip(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = Open(ctx, "postgres://nobody@"+addr+"/none?sslmode=disable&connect_timeout=2")
	wantCode(t, err, planner.EUnavailable)
}

func TestOpenRejectsMemorySQLite(t *testing.T) {
	if _, err := Open(context.Background(), ":memory:"); err == nil {
		t.Error("Open(:memory:) succeeded; a pool of in-memory connections would be several databases")
	}
}

func TestSQLiteUnavailable(t *testing.T) {
	tests := []struct {
		name string
		code int
		want bool
	}{
		{"busy", sqlite3.SQLITE_BUSY, true},
		{"busy snapshot", sqlite3.SQLITE_BUSY_SNAPSHOT, true},
		{"io error", sqlite3.SQLITE_IOERR_WRITE, true},
		{"disk full", sqlite3.SQLITE_FULL, true},
		{"locked (one connection's own conflict)", sqlite3.SQLITE_LOCKED, false},
		{"constraint", sqlite3.SQLITE_CONSTRAINT_CHECK, false},
	}
	for _, tt := range tests {
		if got := sqliteUnavailable(tt.code); got != tt.want {
			t.Errorf("%s: sqliteUnavailable(%d) = %v, want %v", tt.name, tt.code, got, tt.want)
		}
	}
}
