package resolve

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
)

// planKey names one computation: a campaign at one version. A plan is a
// pure function of the campaign, so requests for the same key may share.
type planKey struct{ id, version int64 }

// flights shares one computation of a V among the requests that ask for
// the same campaign version at the same time (a dashboard opened by a
// room of viewers computes its plan, or decodes its committed plan, once),
// and cancels it when every one of them has gone away, so that nobody's
// abandoned page keeps a CPU busy. golang.org/x/sync/singleflight shares
// calls too but cannot know that the last caller left; this is the same
// idea with a count of waiters.
type flights[V any] struct {
	mu sync.Mutex
	m  map[planKey]*flight[V]
}

// planFlights are computations of plans.
type planFlights = flights[*Planned]

type flight[V any] struct {
	done    chan struct{} // closed when p and err are set
	p       V
	err     error
	waiters int
	cancel  context.CancelFunc
}

// do returns the result of compute for key, starting it unless a call for
// key is in flight. compute runs with a context that ends when every
// caller's ctx has ended (not when the first caller's does). A caller
// whose ctx ends gets ctx.Err() at once.
func (f *flights[V]) do(ctx context.Context, key planKey, compute func(context.Context) (V, error)) (V, error) {
	var zero V
	f.mu.Lock()
	fl, ok := f.m[key]
	if !ok {
		if f.m == nil {
			f.m = map[planKey]*flight[V]{}
		}
		cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		fl = &flight[V]{done: make(chan struct{}), cancel: cancel}
		f.m[key] = fl
		go func() {
			defer func() {
				// Off the request's goroutine, gin's recovery cannot catch a
				// panic: it becomes the callers' error instead of a crash.
				if r := recover(); r != nil {
					fl.p, fl.err = zero, fmt.Errorf("computing the plan panicked: %v\n%s", r, debug.Stack())
				}
				cancel()
				f.forget(key, fl)
				close(fl.done)
			}()
			fl.p, fl.err = compute(cctx)
		}()
	}
	fl.waiters++
	f.mu.Unlock()

	select {
	case <-fl.done:
		return fl.p, fl.err
	case <-ctx.Done():
		f.mu.Lock()
		fl.waiters--
		if fl.waiters == 0 {
			fl.cancel()
			if f.m[key] == fl {
				delete(f.m, key) // a request that comes later starts afresh
			}
		}
		f.mu.Unlock()
		return zero, ctx.Err()
	}
}

// forget removes fl from the flights unless a newer one took its key.
func (f *flights[V]) forget(key planKey, fl *flight[V]) {
	f.mu.Lock()
	if f.m[key] == fl {
		delete(f.m, key)
	}
	f.mu.Unlock()
}
