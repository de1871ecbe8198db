package store

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/reparto/reparto/planner"
)

func TestIdempotentAppend(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, id, _ := committedFixture(t, db)
		tap := shipmentTo(t, db, id, "TAP")
		e := dispatchOf(tap, day(3, 2))

		first, created, err := db.AppendEvent(ctx, tap.ID, e, trackNow, "key-1")
		assertNoError(t, err)
		if !created {
			t.Fatal("first request not created")
		}
		// The retry (a later clock, as a real retry has) returns the original.
		again, created, err := db.AppendEvent(ctx, tap.ID, e, trackNow.Add(3600e9), "key-1")
		assertNoError(t, err)
		if created || again.ID != first.ID || !again.RecordedAt.Equal(first.RecordedAt) || again.Author != first.Author {
			t.Errorf("replay = %+v created=%v, want the original %+v", again, created, first)
		}
		// The key with another body, or for another shipment, is a conflict.
		other := e
		other.Waybill = "W-2"
		_, _, err = db.AppendEvent(ctx, tap.ID, other, trackNow, "key-1")
		wantCode(t, err, planner.EConflict)
		mex := shipmentTo(t, db, id, "MEX")
		_, _, err = db.AppendEvent(ctx, mex.ID, dispatchOf(mex, day(3, 2)), trackNow, "key-1")
		wantCode(t, err, planner.EConflict)
		// Keys belong to one user: another user may use the same key.
		luis := WithActor(context.Background(), Actor{Email: "luis@example.org"})
		_, created, err = db.AppendEvent(luis, mex.ID, dispatchOf(mex, day(3, 2)), trackNow, "key-1")
		assertNoError(t, err)
		if !created {
			t.Error("another user's key-1 was not created")
		}
		_, _, err = db.AppendEvent(ctx, tap.ID, e, trackNow, "has space")
		wantCode(t, err, planner.EInvalid)
		// A refused event stores no key: the corrected request may reuse it.
		bad := planner.Event{Kind: planner.EventInTransit, Date: day(2, 1)}
		_, _, err = db.AppendEvent(ctx, tap.ID, bad, trackNow, "key-2")
		wantCode(t, err, planner.EInvalid)
		_, created, err = db.AppendEvent(ctx, tap.ID, planner.Event{Kind: planner.EventInTransit, Date: day(3, 3)}, trackNow, "key-2")
		assertNoError(t, err)
		if !created {
			t.Error("key-2 after a refused request was not created")
		}
		if n := countRows(t, db, "shipment_events", "shipment_id = ?", tap.ID); n != 2 {
			t.Errorf("%d events on TAP, want 2", n)
		}
		if n := countRows(t, db, "idempotency_keys", "1 = 1"); n != 3 {
			t.Errorf("%d idempotency keys, want 3", n)
		}
	})
}

// 50 goroutines post distinct checkpoints to one shipment while 50 others
// retry one request under one key: every checkpoint is stored once, the
// retried request once, seq has no gap or duplicate, and nobody fails.
func TestConcurrentAppends(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx, id, _ := committedFixture(t, db)
		tap := shipmentTo(t, db, id, "TAP")
		mustAppend(t, ctx, db, tap.ID, dispatchOf(tap, day(3, 2)))
		const n = 50
		retried := planner.Event{Kind: planner.EventInTransit, Date: day(3, 3), Checkpoint: "retried"}
		var wg sync.WaitGroup
		var mu sync.Mutex
		ids := map[int64]int{}
		createdRetries := 0
		for i := range 2 * n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e, key := retried, "same-key"
				if i%2 == 0 {
					e, key = planner.Event{Kind: planner.EventInTransit, Date: day(3, 3), Checkpoint: fmt.Sprintf("km %d", i)}, ""
				}
				out, created, err := db.AppendEvent(ctx, tap.ID, e, trackNow, key)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("goroutine %d: %v", i, err)
					return
				}
				ids[out.ID]++
				if key != "" && created {
					createdRetries++
				}
			}()
		}
		wg.Wait()
		s, err := db.GetShipment(ctx, tap.ID)
		assertNoError(t, err)
		if len(s.Events) != 1+n+1 {
			t.Fatalf("%d events, want %d (dispatch, %d checkpoints, one retried request)", len(s.Events), n+2, n)
		}
		checkpoints := map[string]int{}
		for _, e := range s.Events {
			checkpoints[e.Checkpoint]++
		}
		for i := 0; i < 2*n; i += 2 {
			if c := checkpoints[fmt.Sprintf("km %d", i)]; c != 1 {
				t.Errorf("checkpoint km %d stored %d times", i, c)
			}
		}
		if checkpoints["retried"] != 1 || createdRetries != 1 || len(ids) != n+1 {
			t.Errorf("retried request stored %d times, created %d times, %d distinct ids; want 1, 1, %d",
				checkpoints["retried"], createdRetries, len(ids), n+1)
		}
		var seqs []int64
		assertNoError(t, db.read.SelectContext(ctx, &seqs, db.read.Rebind(`SELECT seq FROM shipment_events WHERE shipment_id = ? ORDER BY seq`), tap.ID))
		for i, q := range seqs {
			if q != int64(i+1) {
				t.Fatalf("seqs %v are not 1..%d", seqs, len(seqs))
			}
		}
		if s.Version != 1+len(s.Events) {
			t.Errorf("version %d, want %d (one bump per event)", s.Version, 1+len(s.Events))
		}
	})
}
