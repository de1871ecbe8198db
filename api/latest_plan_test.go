package api

import (
	"context"
	"sync"
	"testing"

	"github.com/reparto/reparto/planner"
)

// TestLatestPlanDecodedOnceForACrowd: requests that all miss the decoded
// committed plan at once (right after a start or a commit) share one
// decoding and get the same copy. Each used to decode its own: two
// hundred dashboards opened together on a national plan timed out.
func TestLatestPlanDecodedOnceForACrowd(t *testing.T) {
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	const n = 40
	got := make([]*planner.PlanVersion, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			<-start
			pv, err := ts.s.res.LatestPlan(context.Background(), ts.CampaignID)
			if err != nil {
				t.Error(err)
			}
			got[i] = pv
		})
	}
	close(start)
	wg.Wait()
	for i, pv := range got {
		if pv == nil || pv != got[0] {
			t.Fatalf("request %d got its own decoded plan (%p, first %p): the crowd did not share one decoding", i, pv, got[0])
		}
	}
}
