package store

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reparto/reparto/planner"
)

func TestCampaignRoundTrip(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		got, err := db.GetCampaign(ctx, id)
		assertNoError(t, err)
		want := fixtureCampaign()
		want.ID, want.Version = id, 1
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round trip differs:\n got %+v\nwant %+v", got, want)
		}
		// The zero reserve_pct of P1-POSTER comes back as the zero Decimal.
		if !got.Materials[1].ReservePct.IsZero() {
			t.Errorf("reserve_pct = %v, want the zero Decimal", got.Materials[1].ReservePct)
		}
	})
}

func TestCampaignListOrderIndependent(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		c := fixtureCampaign()
		// Reverse every list: the store returns them sorted by key anyway.
		c.Materials[0], c.Materials[1] = c.Materials[1], c.Materials[0]
		c.Cities[0], c.Cities[1] = c.Cities[1], c.Cities[0]
		c.Venues[0], c.Venues[1] = c.Venues[1], c.Venues[0]
		id, err := db.CreateCampaign(ctx, c)
		assertNoError(t, err)
		got, err := db.GetCampaign(ctx, id)
		assertNoError(t, err)
		if got.Materials[0].Code != "L3-DEMAND" || got.Cities[0].Code != "MEX" || got.Venues[0].ID != "v-000001" {
			t.Errorf("lists not sorted by key: %v %v %v", got.Materials[0].Code, got.Cities[0].Code, got.Venues[0].ID)
		}
	})
}

func TestCreateInvalidCampaignChangesNothing(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		createFixture(t, db)
		before := rowCounts(t, db)
		c := fixtureCampaign()
		c.Locks[0].Pieces = 10050 // not whole packs of 100
		_, err := db.CreateCampaign(ctx, c)
		wantCode(t, err, planner.EInvalid)
		if !reflect.DeepEqual(rowCounts(t, db), before) {
			t.Errorf("rows changed: %v -> %v", before, rowCounts(t, db))
		}
	})
}

func TestWithTxRollsBack(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		before := rowCounts(t, db)
		boom := errors.New("boom")
		err := db.WithTx(ctx, func(tx *Tx) error {
			if err := deleteLists(ctx, tx, id); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		if !reflect.DeepEqual(rowCounts(t, db), before) {
			t.Errorf("rows changed: %v -> %v", before, rowCounts(t, db))
		}
	})
}

func TestCampaignNotFound(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		_, err := db.GetCampaign(ctx, 999)
		wantCode(t, err, planner.ENotFound)
		wantCode(t, db.DeleteCampaign(ctx, 999), planner.ENotFound)
		wantCode(t, db.ReplaceCampaign(ctx, 999, fixtureCampaign()), planner.ENotFound)
		wantCode(t, db.UpdateCampaign(ctx, 999, fixtureCampaign()), planner.ENotFound)
		_, err = db.ListMaterials(ctx, 999, MaterialFilter{})
		wantCode(t, err, planner.ENotFound)
		wantCode(t, db.CreateMaterial(ctx, 999, fixtureCampaign().Materials[0]), planner.ENotFound)
	})
}

func TestDeleteCampaignCascades(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		assertNoError(t, db.DeleteCampaign(ctx, id))
		for table, n := range rowCounts(t, db) {
			if n != 0 {
				t.Errorf("%s has %d rows after delete", table, n)
			}
		}
		_, err := db.GetCampaign(ctx, id)
		wantCode(t, err, planner.ENotFound)
	})
}

func TestListCampaigns(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		a := createFixture(t, db)
		b := createFixture(t, db)
		got, err := db.ListCampaigns(ctx)
		assertNoError(t, err)
		now := time.Date(2009, 3, 20, 9, 30, 0, 0, time.UTC)
		one := CampaignSummary{Name: "Campaña nacional contra la trata 2009",
			Start: planner.NewDate(2009, time.January, 12), Deadline: planner.NewDate(2009, time.March, 31),
			Version: 1, CreatedAt: now, UpdatedAt: now, Materials: 2, Cities: 2, Venues: 2}
		wa, wb := one, one
		wa.ID, wb.ID = a, b
		if want := []CampaignSummary{wa, wb}; !reflect.DeepEqual(got, want) {
			t.Errorf("ListCampaigns = %+v, want %+v", got, want)
		}
	})
}

func TestReplaceCampaign(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		c := fixtureCampaign()
		c.Name = "Segunda fase"
		c.AsOf = nil
		c.Venues = c.Venues[:1]
		c.Locks = nil
		c.Version = 1
		assertNoError(t, db.ReplaceCampaign(ctx, id, c))
		got, err := db.GetCampaign(ctx, id)
		assertNoError(t, err)
		c.ID, c.Version = id, 2
		if !reflect.DeepEqual(got, c) {
			t.Fatalf("after replace:\n got %+v\nwant %+v", got, c)
		}
		// A form loaded at version 1 is now stale.
		stale := fixtureCampaign()
		stale.Version = 1
		err = db.ReplaceCampaign(ctx, id, stale)
		wantCode(t, err, planner.EConflict)
		if !strings.Contains(err.Error(), "changed by someone else") {
			t.Errorf("message %q does not say why", err)
		}
	})
}

func TestReplaceInvalidChangesNothing(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		before := rowCounts(t, db)
		c := fixtureCampaign()
		c.Deadline = planner.NewDate(2009, time.January, 1) // before start
		wantCode(t, db.ReplaceCampaign(ctx, id, c), planner.EInvalid)
		if !reflect.DeepEqual(rowCounts(t, db), before) {
			t.Errorf("rows changed")
		}
	})
}

func TestUpdateCampaignHeader(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		h := fixtureCampaign()
		h.Materials, h.Venues = nil, nil // ignored: only the header changes
		h.Dispatch.BoxesPerDay = 250
		h.Surplus = planner.SurplusReserve
		assertNoError(t, db.UpdateCampaign(ctx, id, h))
		got, err := db.GetCampaign(ctx, id)
		assertNoError(t, err)
		want := fixtureCampaign()
		want.ID, want.Version = id, 2
		want.Dispatch.BoxesPerDay, want.Surplus = 250, planner.SurplusReserve
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("after update:\n got %+v\nwant %+v", got, want)
		}
		h.Dispatch.BoxesPerDay = 0
		wantCode(t, db.UpdateCampaign(ctx, id, h), planner.EInvalid)
	})
}

// Ten goroutines write at once; SQLite must queue them on its one writer
// connection instead of failing with "database is locked".
func TestConcurrentCreates(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		const n = 10
		var wg sync.WaitGroup
		errs := make(chan error, 2*n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := fixtureCampaign()
				c.Venues = append(c.Venues, manyVenues(500)...)
				id, err := db.CreateCampaign(ctx, c)
				errs <- err
				if err == nil && i%2 == 0 {
					_, err = db.GetCampaign(ctx, id) // readers beside the writers
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			assertNoError(t, err)
		}
		list, err := db.ListCampaigns(ctx)
		assertNoError(t, err)
		if len(list) != n {
			t.Errorf("%d campaigns, want %d", len(list), n)
		}
	})
}

func TestMigrateTwice(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		assertNoError(t, db.Migrate(context.Background()))
		assertNoError(t, db.Ping(context.Background()))
	})
}

// A deadline that passes inside a transaction commits nothing, also on
// SQLite where the transaction's statements run without ctx's
// cancellation (stmtCtx): WithTx checks ctx before committing.
func TestWithTxDeadlinePassedCommitsNothing(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		id := createFixture(t, db)
		before := rowCounts(t, db)
		ctx, cancel := context.WithCancel(context.Background())
		err := db.WithTx(ctx, func(tx *Tx) error {
			err := deleteLists(db.stmtCtx(ctx), tx, id)
			cancel()
			return err
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if !reflect.DeepEqual(rowCounts(t, db), before) {
			t.Errorf("rows changed: %v -> %v", before, rowCounts(t, db))
		}
	})
}
