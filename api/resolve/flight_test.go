package resolve

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// TestPlanFlightsShareOneComputation: twenty requests for the same plan
// at once compute it once and all get that result; another version is
// another computation.
func TestPlanFlightsShareOneComputation(t *testing.T) {
	var f planFlights
	var runs atomic.Int32
	release := make(chan struct{})
	want := &Planned{version: 7}
	compute := func(ctx context.Context) (*Planned, error) {
		runs.Add(1)
		<-release
		return want, nil
	}
	var wg sync.WaitGroup
	results := make([]*Planned, 20)
	for i := range results {
		wg.Go(func() {
			p, err := f.do(context.Background(), planKey{1, 7}, compute)
			if err != nil {
				t.Error(err)
			}
			results[i] = p
		})
	}
	for waiting := 0; waiting < len(results); { // every request has joined the flight
		f.mu.Lock()
		if fl := f.m[planKey{1, 7}]; fl != nil {
			waiting = fl.waiters
		}
		f.mu.Unlock()
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if n := runs.Load(); n != 1 {
		t.Errorf("%d computations, want 1", n)
	}
	for i, p := range results {
		if p != want {
			t.Fatalf("request %d got %v", i, p)
		}
	}
	if _, err := f.do(context.Background(), planKey{1, 8}, compute); err != nil || runs.Load() != 2 {
		t.Errorf("a new version: err %v, %d computations, want 2", err, runs.Load())
	}
}

// TestPlanFlightsStopWhenEveryoneLeft: the computation's context ends
// when the last waiting request's does, not before (issue 12: a plan went
// on computing after its client left, and every viewer started another).
func TestPlanFlightsStopWhenEveryoneLeft(t *testing.T) {
	var f planFlights
	started, stopped := make(chan struct{}), make(chan struct{})
	var computeCtx context.Context
	compute := func(ctx context.Context) (*Planned, error) {
		computeCtx = ctx
		close(started)
		<-ctx.Done()
		close(stopped)
		return nil, ctx.Err()
	}
	key := planKey{1, 1}
	first, cancelFirst := context.WithCancel(context.Background())
	second, cancelSecond := context.WithCancel(context.Background())
	errs := make(chan error, 2)
	go func() { _, err := f.do(first, key, compute); errs <- err }()
	<-started
	go func() { _, err := f.do(second, key, compute); errs <- err }()
	for joined := false; !joined; {
		f.mu.Lock()
		joined = f.m[key] != nil && f.m[key].waiters == 2
		f.mu.Unlock()
		runtime.Gosched()
	}

	cancelFirst()
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Fatalf("first request: %v, want context.Canceled", err)
	}
	if computeCtx.Err() != nil {
		t.Fatal("the computation stopped while a request still waited for it")
	}
	cancelSecond()
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Fatalf("second request: %v, want context.Canceled", err)
	}
	<-stopped // the computation saw its context end
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.m) != 0 {
		t.Errorf("%d flights left behind", len(f.m))
	}
}

// TestPlanFlightsTurnAPanicIntoAnError: the computation runs off the
// request's goroutine, where a panic would take the whole server down.
func TestPlanFlightsTurnAPanicIntoAnError(t *testing.T) {
	var f planFlights
	_, err := f.do(context.Background(), planKey{1, 1}, func(context.Context) (*Planned, error) { panic("boom") })
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v, want the panic as an error", err)
	}
	p, err := f.do(context.Background(), planKey{1, 1}, func(context.Context) (*Planned, error) { return &Planned{}, nil })
	if err != nil || p == nil {
		t.Fatalf("after the panic: %v, %v; want a fresh computation", p, err)
	}
}
