package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/lib/pq"

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
