package resolve

import (
	"context"
	"sync"
	"time"

	"github.com/reparto/reparto/planner"
)

// versionCacheSize bounds the older versions kept decoded: the history page
// compares two versions, usually the latest (committedCache) and the one
// before it. A national plan version takes seconds to decode.
const versionCacheSize = 4

type versionKey struct {
	campaign int64
	version  int
	created  time.Time // a campaign id reused after a delete gets new times
}

// versionCache keeps a few committed versions other than the latest,
// decoded; versions never change once written.
type versionCache struct {
	mu    sync.Mutex
	m     map[versionKey]*planner.PlanVersion
	order []versionKey // oldest first, for eviction
}

// PlanVersion returns the committed version listed (as store.ListPlanVersions
// gives it, without its plan) with its plan, decoded once for every request
// that asks again. Callers must not modify the returned plan. Errors:
// ENotFound.
func (r *Resolver) PlanVersion(ctx context.Context, id int64, listed planner.PlanVersion) (*planner.PlanVersion, error) {
	if latest, err := r.LatestPlan(ctx, id); err == nil && latest.Version == listed.Version {
		return latest, nil
	}
	key := versionKey{campaign: id, version: listed.Version, created: listed.CreatedAt}
	r.versions.mu.Lock()
	pv, ok := r.versions.m[key]
	r.versions.mu.Unlock()
	if ok {
		return pv, nil
	}
	pv, err := r.DB.GetPlanVersion(ctx, id, listed.Version)
	if err != nil {
		return nil, err
	}
	if !pv.CreatedAt.Equal(listed.CreatedAt) {
		return pv, nil // the history changed under the caller: do not keep it
	}
	r.versions.mu.Lock()
	defer r.versions.mu.Unlock()
	if r.versions.m == nil {
		r.versions.m = map[versionKey]*planner.PlanVersion{}
	}
	if _, ok := r.versions.m[key]; !ok {
		if len(r.versions.order) >= versionCacheSize {
			delete(r.versions.m, r.versions.order[0])
			r.versions.order = r.versions.order[1:]
		}
		r.versions.order = append(r.versions.order, key)
	}
	r.versions.m[key] = pv
	return pv, nil
}
