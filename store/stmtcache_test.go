package store

import (
	"context"
	"testing"
	"time"

	"github.com/reparto/reparto/planner"
)

// TestHotReadWaitKeepsTheDeadline: on SQLite readGet's query runs without
// the request's cancellation (no watcher goroutines), but waiting for a
// slot still ends with the request's deadline: a crowd that cannot get in
// answers EUnavailable instead of waiting for ever.
func TestHotReadWaitKeepsTheDeadline(t *testing.T) {
	db := openTestSQLite(t)
	id := createFixture(t, db)
	ctx := context.Background()
	if _, err := db.GetCampaignHeader(ctx, id); err != nil {
		t.Fatalf("free gate: %v", err)
	}
	for range hotReads {
		db.stmts.hot <- struct{}{}
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err := db.GetCampaignHeader(short, id)
	wantCode(t, err, planner.EUnavailable)
	for range hotReads {
		<-db.stmts.hot
	}
	if _, err := db.GetCampaignHeader(ctx, id); err != nil {
		t.Fatalf("gate freed again: %v", err)
	}
}
