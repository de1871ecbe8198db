package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestWriteGateDeadline: a SQLite writer waiting for the write connection
// past its context's end gives up with that context's error, as it did
// waiting in database/sql's pool, and the writers after it still get in.
func TestWriteGateDeadline(t *testing.T) {
	db := openTestSQLite(t)
	hold, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() { // holds the writer
		done <- db.WithTx(context.Background(), func(*Tx) error {
			close(hold)
			<-release
			return nil
		})
	}()
	<-hold

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := db.WithTx(ctx, func(*Tx) error { t.Error("ran while another writer held the gate"); return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting past the deadline: %v, want context.DeadlineExceeded", err)
	}

	close(release)
	assertNoError(t, <-done)
	ran := false
	assertNoError(t, db.WithTx(context.Background(), func(*Tx) error { ran = true; return nil }))
	if !ran {
		t.Fatal("the next writer did not run")
	}
}
