package store

import "context"

// writeGate hands SQLite's one write connection to the transactions
// waiting for it in the order they asked. database/sql gives a freed
// connection to a random waiter (connRequestSet.TakeRandom): with fifty
// event writes queued on the one SQLite writer, an unlucky request waited
// for dozens that came after it, and p99 was six times p50 (issue 13).
// Goroutines blocked sending on a channel are served first come, first
// served (the runtime keeps them in a FIFO queue). PostgreSQL's pool has a
// connection for each writer: no gate.
type writeGate chan struct{}

// enter waits for the gate, or for ctx to end. A nil gate is always open.
func (g writeGate) enter(ctx context.Context) error {
	if g == nil {
		return nil
	}
	select {
	case g <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// leave lets the next writer in.
func (g writeGate) leave() {
	if g != nil {
		<-g
	}
}
