package resolve

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// PlanFingerprint names every input a plan preview was computed from: the
// campaign data (its version, bumped by every edit), the committed version
// it is compared against, the re-plan options, the shipments that have
// left and, once one has, the day the schedule starts from. A commit sent
// with another fingerprint than the one the server computes now was
// reviewed on other inputs and is refused (409) instead of committing a
// plan nobody saw.
func PlanFingerprint(camp *planner.Campaign, base int, shipments []planner.ShipmentRecord, opts planner.ReplanOptions, today planner.Date) string {
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

// StaleCommit is a commit reviewed on other inputs than the server's now:
// the new fingerprint and, when the reviewed plan is still remembered,
// what changed between it and the plan the server would commit.
type StaleCommit struct {
	Fingerprint string
	Changes     *planner.PlanDiff // nil when the reviewed plan is not remembered
}

// Unwrap makes a stale commit an EConflict for web.StatusOf and ErrorMessage.
// Its message id says the same in the reader's language.
func (e *StaleCommit) Unwrap() error {
	if e.Changes == nil {
		return planner.Errorm(planner.EConflict, planner.MsgStaleCommit, "%s", e.Error())
	}
	t := e.Changes.Totals
	return &planner.Error{Code: planner.EConflict, ID: planner.MsgStaleChanges, Message: e.Error(),
		Args: map[string]any{"A": t.CitiesChanged, "B": t.CitiesAdded, "C": t.CitiesRemoved}}
}

func (e *StaleCommit) Error() string {
	msg := "the campaign data changed since your preview; review the new plan and commit again"
	if e.Changes != nil {
		t := e.Changes.Totals
		msg = fmt.Sprintf("the campaign data changed since your preview (%d cities changed, %d added, %d removed); review the new plan and commit again",
			t.CitiesChanged, t.CitiesAdded, t.CitiesRemoved)
	}
	return msg
}

// CheckFingerprint compares the fingerprint a commit was reviewed with
// (empty: not checked) with the Candidate's.
func (r *Resolver) CheckFingerprint(seen string, k Candidate) error {
	if seen == "" || seen == k.Fingerprint {
		return nil
	}
	st := &StaleCommit{Fingerprint: k.Fingerprint}
	if old, ok := r.previews.get(seen); ok {
		d := planner.DiffPlans(old, k.Plan)
		st.Changes = &d
	}
	return st
}

// PreviewPlan is the plan a commit would store now, as the plan page shows
// it: the campaign's plain plan until a shipment has left, then the
// re-plan (planner.Replan, computed once per fingerprint).
func (r *Resolver) PreviewPlan(c *gin.Context, id int64, pl *Planned) (*planner.Plan, error) {
	shipments, err := r.DB.ListShipments(c.Request.Context(), id, store.ShipmentFilter{})
	if err != nil || !planner.AnyDispatched(shipments) {
		return pl.Plan, err
	}
	k, err := r.Candidate(c.Request.Context(), id, planner.ReplanOptions{})
	return k.Plan, err
}

// Candidate is a plan computed from the stored campaign, ready to compare
// with (or commit over) the latest committed version.
type Candidate struct {
	Latest      *planner.PlanVersion // nil before the first commit
	Plan        *planner.Plan
	Replan      bool // a shipment has left: the commit is a re-plan
	Today       planner.Date
	Fingerprint string // PlanFingerprint of the inputs
	// CampaignVersion is the campaign data version the plan was computed from.
	CampaignVersion int64
}

func (k Candidate) BaseVersion() int {
	if k.Latest == nil {
		return 0
	}
	return k.Latest.Version
}

func (k Candidate) BasePlan() *planner.Plan {
	if k.Latest == nil {
		return nil
	}
	return k.Latest.Plan
}

// Candidate runs the planner over the stored campaign through
// planner.Replan: the cities whose shipment has left are locked at their
// committed pieces and the others are scheduled from the campaign's today,
// so neither a preview nor a commit can change a dispatched quantity or
// plan a date in the past. The plan is remembered by its fingerprint (see
// checkFingerprint). Nothing is saved.
func (r *Resolver) Candidate(ctx context.Context, id int64, opts planner.ReplanOptions) (Candidate, error) {
	var k Candidate
	camp, err := r.DB.GetCampaign(ctx, id)
	if err != nil {
		return k, err
	}
	k.Latest, err = r.LatestPlan(ctx, id)
	if planner.ErrorCode(err) == planner.ENotFound {
		k.Latest, err = nil, nil
	}
	if err != nil {
		return k, err
	}
	shipments, err := r.DB.ListShipments(ctx, id, store.ShipmentFilter{})
	if err != nil {
		return k, err
	}
	k.Today, k.CampaignVersion = camp.Today(r.Now()), camp.Version
	k.Replan = planner.AnyDispatched(shipments)
	k.Fingerprint = PlanFingerprint(camp, k.BaseVersion(), shipments, opts, k.Today)
	if p, ok := r.previews.get(k.Fingerprint); ok { // same inputs, same plan (plans are never modified)
		k.Plan = p
		return k, nil
	}
	if k.Plan, err = planner.ReplanContext(ctx, camp, k.BasePlan(), shipments, opts, k.Today); err != nil {
		return k, err
	}
	r.previews.put(k.Fingerprint, k.Plan)
	return k, nil
}

// Remember keeps plan as the one shown under fingerprint fp, so that a
// commit reviewed on it can later say what changed (CheckFingerprint).
func (r *Resolver) Remember(fp string, plan *planner.Plan) { r.previews.put(fp, plan) }
