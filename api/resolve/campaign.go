package resolve

import (
	"context"
	"net/http"
	"strconv"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// CampaignID parses the :id path parameter.
func CampaignID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, web.BadRequestm(planner.MsgPathID, "campaign %s in the URL must be a positive integer", "id")
	}
	return id, nil
}

// Campaign resolves :id to a campaign (404 when missing) and its day
// (400 for a bad ?today=) and puts its reference in the context for the
// navigation bar and the header's "today". A closed campaign refuses every
// write at once (409; the store refuses them too), except its reopening.
func (r *Resolver) Campaign() gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := CampaignID(c)
		if err == nil {
			var camp *planner.Campaign
			var sum store.CampaignSummary
			camp, sum, err = r.DB.GetCampaignHeaderSummary(c.Request.Context(), id)
			if err == nil {
				var ref *web.CampaignRef
				if ref, err = r.Ref(c, camp); err == nil {
					ref.Closed = sum.ClosedAt != nil
					c.Set(web.CtxCampaign, ref)
					c.Set(ctxCampaignVersion, campaignVersion{id, sum.Version})
					// Viewers go on to the role check (403): they may not write anyway.
					// Field accounts write receipts: a closed campaign refuses them here.
					if !ref.Closed || IsSafeMethod(c.Request.Method) || !(web.CurrentUser(c).CanEdit() || web.CurrentUser(c).IsField()) ||
						c.FullPath() == "/campaigns/:id/reopen" {
						c.Next()
						return
					}
					err = store.ErrCampaignClosed
				}
			}
		}
		if web.WantsJSON(c) {
			r.Web.APIError(c, err)
		} else {
			r.Web.PageError(c, err)
		}
	}
}

// ctxCampaignVersion holds the campaignVersion the Campaign middleware read.
const ctxCampaignVersion = "resolve.campaignVersion"

// campaignVersion is the version of campaign id as read in this request.
type campaignVersion struct{ id, version int64 }

// Planned is a campaign with its computed plan and coverage gaps, the input
// of most pages. It is cached per campaign version: a plan is a pure
// function of the campaign, so a cached one is exactly as fresh.
type Planned struct {
	version  int64
	Campaign *planner.Campaign
	Plan     *planner.Plan
	Gaps     *planner.Gaps
	Err      error // an invalid stored campaign (e.g. locks above stock) still renders pages
}

type planCache struct {
	mu      sync.Mutex
	m       map[int64]*Planned
	flights planFlights // computations in progress, shared (api/resolve/flight.go)
}

// Planned returns the current campaign and its plan, computing them only
// when the campaign changed since the last call. Requests that miss the
// cache together share one computation, which stops when they all leave.
//
// A read (GET, HEAD) takes the campaign's version from the Campaign
// middleware, which read it moments before in the same request: reading
// it again was one more query on every page view (issue 13). A write
// reads it afresh, since the handler may have changed the campaign.
func (r *Resolver) Planned(c *gin.Context, id int64) (*Planned, error) {
	ctx := c.Request.Context() // never the gin.Context: gin reuses it after the request
	got, _ := c.Get(ctxCampaignVersion)
	v, known := got.(campaignVersion)
	if !known || v.id != id || !IsSafeMethod(c.Request.Method) {
		sum, err := r.DB.GetCampaignSummary(ctx, id)
		if err != nil {
			return nil, err
		}
		v = campaignVersion{id, sum.Version}
	}
	r.cache.mu.Lock()
	if p, ok := r.cache.m[id]; ok && p.version == v.version {
		r.cache.mu.Unlock()
		return p, nil
	}
	r.cache.mu.Unlock()
	return r.cache.flights.do(ctx, planKey{id, v.version}, func(ctx context.Context) (*Planned, error) {
		return r.computePlanned(ctx, id)
	})
}

// computePlanned loads campaign id, plans it and caches the result.
func (r *Resolver) computePlanned(ctx context.Context, id int64) (*Planned, error) {
	camp, err := r.DB.GetCampaign(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &Planned{version: camp.Version, Campaign: camp}
	if p.Plan, p.Err = planner.ComputeContext(ctx, camp); p.Err == nil {
		p.Gaps = planner.ComputeGaps(camp, p.Plan, r.Geo.States, r.Geo.Places, r.GapKm)
	} else if planner.ErrorCode(p.Err) != planner.EInvalid {
		return nil, p.Err
	}
	r.cache.mu.Lock()
	if r.cache.m == nil {
		r.cache.m = map[int64]*Planned{}
	}
	r.cache.m[id] = p
	r.cache.mu.Unlock()
	return p, nil
}

// committedCache keeps the latest committed plan of each campaign, decoded:
// a plan version is immutable, so one decoded copy serves every request
// until a newer version is committed.
type committedCache struct {
	mu sync.Mutex
	m  map[int64]*planner.PlanVersion
	// loads share the decoding of a version among the requests that miss
	// it at once: after a start or a commit, two hundred dashboards used
	// to decode the same national plan each and time out together.
	loads flights[*planner.PlanVersion]
}

// LatestPlan is store.LatestPlan through committedCache (ENotFound when no
// plan is committed). Callers must not modify the returned plan.
func (r *Resolver) LatestPlan(ctx context.Context, id int64) (*planner.PlanVersion, error) {
	v, err := r.DB.LatestPlanVersion(ctx, id)
	if err != nil {
		return nil, err
	}
	if v == 0 {
		return nil, planner.Errorm(planner.ENotFound, planner.MsgNoCommittedPlan, "no plan of campaign %d is committed yet", id)
	}
	r.committed.mu.Lock()
	pv, ok := r.committed.m[id]
	r.committed.mu.Unlock()
	if ok && pv.Version == v {
		return pv, nil
	}
	return r.committed.loads.do(ctx, planKey{id, int64(v)}, func(ctx context.Context) (*planner.PlanVersion, error) {
		// A flight that ended between this request's look above and its
		// joining has left the plan here: no second decoding.
		r.committed.mu.Lock()
		pv, ok := r.committed.m[id]
		r.committed.mu.Unlock()
		if ok && pv.Version == v {
			return pv, nil
		}
		pv, err := r.DB.GetPlanVersion(ctx, id, v)
		if err != nil {
			return nil, err
		}
		r.committed.mu.Lock()
		if r.committed.m == nil {
			r.committed.m = map[int64]*planner.PlanVersion{}
		}
		if old, ok := r.committed.m[id]; !ok || old.Version < pv.Version {
			r.committed.m[id] = pv // a slower load of an older version never replaces a newer one
		}
		r.committed.mu.Unlock()
		return pv, nil
	})
}

// Version is the campaign version the plan was computed from, for cache
// keys and the plan page's stale-commit check.
func (p *Planned) Version() int64 { return p.version }

// IsSafeMethod reports whether an HTTP method only reads.
func IsSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}
