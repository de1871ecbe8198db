package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store/storetest"
)

// TestConnectionCutsAreUnavailable: reads, writes and transactions while
// the proxy cuts every connection and PostgreSQL terminates the backends
// (57P01 admin_shutdown), each at random moments. A call may fail, but
// only as EUnavailable (503): the failures are counted by code and none
// may be internal (500).
func TestConnectionCutsAreUnavailable(t *testing.T) {
	u := storetest.ScratchPostgres(t, "t")
	app := fmt.Sprintf("reparto_cut_%x", rand.Uint64()) // only this test's backends are terminated
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	pu, proxy := storetest.Proxied(t, u)
	db := openMigrated(t, pu.String())
	admin, err := sqlx.Open("postgres", os.Getenv(storetest.PostgresEnv))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx, id, _ := committedFixture(t, db)
	s := shipmentTo(t, db, id, "TAP")
	mustAppend(t, ctx, db, s.ID, dispatchOf(s, day(time.March, 10)))

	stop, cutterDone := make(chan struct{}), make(chan [2]int)
	go func() {
		var cuts, kills int
		for {
			select {
			case <-stop:
				cutterDone <- [2]int{cuts, kills}
				return
			case <-time.After(time.Duration(10+rand.IntN(40)) * time.Millisecond):
			}
			if rand.IntN(2) == 0 {
				proxy.Cut()
				cuts++
				continue
			}
			if _, err := admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, app); err == nil {
				kills++
			}
		}
	}()

	ops := []func(i int) error{
		func(int) error { _, err := db.GetCampaign(ctx, id); return err },
		func(int) error { _, err := db.ListShipments(ctx, id, ShipmentFilter{}); return err },
		func(i int) error {
			e := planner.Event{Kind: planner.EventInTransit, Date: day(time.March, 11), Checkpoint: fmt.Sprintf("km %d", i)}
			_, _, err := db.AppendEvent(ctx, s.ID, e, trackNow, fmt.Sprintf("cut-%d", i))
			return err
		},
		func(i int) error {
			v := fixtureCampaign().Venues[1]
			v.Name = fmt.Sprintf("Club Norte %d", i)
			return db.UpdateVenue(ctx, id, v.ID, v)
		},
	}
	const total, workers = 200, 4
	var mu sync.Mutex
	byCode := map[planner.Code]int{}
	var internal []string
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				err := ops[i%len(ops)](i)
				mu.Lock()
				code := planner.ErrorCode(err)
				byCode[code]++
				if code == planner.EInternal && len(internal) < 5 {
					internal = append(internal, err.Error())
				}
				mu.Unlock()
			}
		})
	}
	for i := range total {
		next <- i
	}
	close(next)
	wg.Wait()
	close(stop)
	n := <-cutterDone

	t.Logf("%d proxy cuts, %d backend terminations; results by code %v (\"\" is success)", n[0], n[1], byCode)
	if byCode[planner.EInternal] > 0 {
		t.Errorf("%d of %d calls failed as internal errors (500) under connection cuts, e.g. %q",
			byCode[planner.EInternal], total, internal)
	}
	for code, k := range byCode {
		if code != "" && code != planner.EUnavailable && code != planner.EInternal {
			t.Errorf("%d calls failed with %q", k, code)
		}
	}
	if _, err := db.GetCampaign(context.Background(), id); err != nil {
		t.Errorf("read after the cuts: %v", err)
	}
}
