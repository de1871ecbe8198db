package api

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// planFingerprint names every input a plan preview was computed from: the
// campaign data (its version, bumped by every edit), the committed version
// it is compared against, the re-plan options, the shipments that have
// left and, once one has, the day the schedule starts from. A commit sent
// with another fingerprint than the one the server computes now was
// reviewed on other inputs and is refused (409) instead of committing a
// plan nobody saw.
func planFingerprint(camp *planner.Campaign, base int, shipments []planner.ShipmentRecord, opts planner.ReplanOptions, today planner.Date) string {
	h := sha256.New()
	fmt.Fprintf(h, "campaign %d v%d|base %d|release %t", camp.ID, camp.Version, base, opts.ReleaseReserve)
	for _, code := range slices.Sorted(maps.Keys(opts.ReservePct)) {
		fmt.Fprintf(h, "|reserve %s=%s", code, opts.ReservePct[code].Rat().RatString())
	}
	left := false
	for i := range shipments {
		if sh := &shipments[i]; sh.State().Stage.Dispatched() {
			left = true
			fmt.Fprintf(h, "|left %d %s v%d", sh.ID, sh.City, sh.PlanVersion)
		}
	}
	if left {
		fmt.Fprintf(h, "|from %s", today)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// previewCache remembers the last plans shown by fingerprint, so that a
// stale commit can show the difference between the plan the user reviewed
// and the plan the server would commit now. A miss (another replica, a
// restart) only loses that comparison.
type previewCache struct {
	mu    sync.Mutex
	plans map[string]*planner.Plan
	order []string
}

const previewCacheSize = 32

func (pc *previewCache) put(fp string, p *planner.Plan) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.plans == nil {
		pc.plans = map[string]*planner.Plan{}
	}
	if _, ok := pc.plans[fp]; ok {
		return
	}
	pc.plans[fp] = p
	pc.order = append(pc.order, fp)
	if len(pc.order) > previewCacheSize {
		delete(pc.plans, pc.order[0])
		pc.order = pc.order[1:]
	}
}

func (pc *previewCache) get(fp string) (*planner.Plan, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	p, ok := pc.plans[fp]
	return p, ok
}

// staleCommit is a commit reviewed on other inputs than the server's now:
// the new fingerprint and, when the reviewed plan is still remembered,
// what changed between it and the plan the server would commit.
type staleCommit struct {
	Fingerprint string
	Changes     *planner.PlanDiff // nil when the reviewed plan is not remembered
}

// Unwrap makes a stale commit an EConflict for statusOf and ErrorMessage.
func (e *staleCommit) Unwrap() error { return planner.Errorf(planner.EConflict, "%s", e.Error()) }

func (e *staleCommit) Error() string {
	msg := "the campaign data changed since your preview; review the new plan and commit again"
	if e.Changes != nil {
		t := e.Changes.Totals
		msg = fmt.Sprintf("the campaign data changed since your preview (%d cities changed, %d added, %d removed); review the new plan and commit again",
			t.CitiesChanged, t.CitiesAdded, t.CitiesRemoved)
	}
	return msg
}

// checkFingerprint compares the fingerprint a commit was reviewed with
// (empty: not checked) with the candidate's.
func (s *Server) checkFingerprint(seen string, k candidate) error {
	if seen == "" || seen == k.fingerprint {
		return nil
	}
	st := &staleCommit{Fingerprint: k.fingerprint}
	if old, ok := s.previews.get(seen); ok {
		d := planner.DiffPlans(old, k.plan)
		st.Changes = &d
	}
	return st
}

// previewPlan is the plan a commit would store now, as the plan page shows
// it: the campaign's plain plan until a shipment has left, then the
// re-plan (planner.Replan, computed once per fingerprint).
func (s *Server) previewPlan(c *gin.Context, id int64, pl *resolve.Planned) (*planner.Plan, error) {
	shipments, err := s.db.ListShipments(c.Request.Context(), id, store.ShipmentFilter{})
	if err != nil || !planner.AnyDispatched(shipments) {
		return pl.Plan, err
	}
	k, err := s.computeCandidate(c.Request.Context(), id, planner.ReplanOptions{})
	return k.plan, err
}
