package api

import (
	"context"
	"net/http"
	"strconv"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// routesCampaigns registers the campaign list and the campaign context
// that every /campaigns/:id page shares.
func (s *Server) routesCampaigns(pages *gin.RouterGroup) {
	pages.GET("/", func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/campaigns") })
	pages.GET("/campaigns", s.campaignList)
	pages.GET("/campaigns/:id", s.withCampaign(), func(c *gin.Context) {
		c.Redirect(http.StatusSeeOther, "/campaigns/"+c.Param("id")+"/dashboard")
	})
	s.routesCampaignLifecycle(pages) // campaign_new.go
}

func (s *Server) campaignList(c *gin.Context) {
	list, err := s.db.ListCampaigns(c.Request.Context())
	if err != nil {
		s.pageError(c, err)
		return
	}
	rows, err := s.campaignRows(c.Request.Context(), list)
	if err != nil {
		s.pageError(c, err)
		return
	}
	s.render(c, http.StatusOK, "campaigns", gin.H{"Campaigns": rows})
}

// campaignID parses the :id path parameter.
func campaignID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errBadRequest("campaign id must be a positive number")
	}
	return id, nil
}

// withCampaign resolves :id to a campaign (404 when missing) and its day
// (400 for a bad ?today=) and puts its reference in the context for the
// navigation bar and the header's "today". A closed campaign refuses every
// write at once (409; the store refuses them too), except its reopening.
func (s *Server) withCampaign() gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := campaignID(c)
		if err == nil {
			var camp *planner.Campaign
			var sum store.CampaignSummary
			camp, sum, err = s.db.GetCampaignHeaderSummary(c.Request.Context(), id)
			if err == nil {
				var ref *CampaignRef
				if ref, err = s.campaignRef(c, camp); err == nil {
					ref.Closed = sum.ClosedAt != nil
					c.Set(ctxCampaign, ref)
					// Viewers go on to the role check (403): they may not write anyway.
					if !ref.Closed || isSafeMethod(c.Request.Method) || !currentUser(c).CanEdit() ||
						c.FullPath() == "/campaigns/:id/reopen" {
						c.Next()
						return
					}
					err = store.ErrCampaignClosed
				}
			}
		}
		if wantsJSON(c) {
			s.apiError(c, err)
		} else {
			s.pageError(c, err)
		}
	}
}

// planned is a campaign with its computed plan and coverage gaps, the input
// of most pages. It is cached per campaign version: a plan is a pure
// function of the campaign, so a cached one is exactly as fresh.
type planned struct {
	version  int64
	Campaign *planner.Campaign
	Plan     *planner.Plan
	Gaps     *planner.Gaps
	Err      error // an invalid stored campaign (e.g. locks above stock) still renders pages
}

type planCache struct {
	mu      sync.Mutex
	m       map[int64]*planned
	flights planFlights // computations in progress, shared (api/plan_flight.go)
}

// planned returns the current campaign and its plan, computing them only
// when the campaign changed since the last call. Requests that miss the
// cache together share one computation, which stops when they all leave.
func (s *Server) planned(c *gin.Context, id int64) (*planned, error) {
	ctx := c.Request.Context() // never the gin.Context: gin reuses it after the request
	sum, err := s.db.GetCampaignSummary(ctx, id)
	if err != nil {
		return nil, err
	}
	s.cache.mu.Lock()
	if p, ok := s.cache.m[id]; ok && p.version == sum.Version {
		s.cache.mu.Unlock()
		return p, nil
	}
	s.cache.mu.Unlock()
	return s.cache.flights.do(ctx, planKey{id, sum.Version}, func(ctx context.Context) (*planned, error) {
		return s.computePlanned(ctx, id)
	})
}

// computePlanned loads campaign id, plans it and caches the result.
func (s *Server) computePlanned(ctx context.Context, id int64) (*planned, error) {
	camp, err := s.db.GetCampaign(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &planned{version: camp.Version, Campaign: camp}
	if p.Plan, p.Err = planner.ComputeContext(ctx, camp); p.Err == nil {
		p.Gaps = planner.ComputeGaps(camp, p.Plan, s.geo.states, s.geo.places, s.cfg.GapKm)
	} else if planner.ErrorCode(p.Err) != planner.EInvalid {
		return nil, p.Err
	}
	s.cache.mu.Lock()
	if s.cache.m == nil {
		s.cache.m = map[int64]*planned{}
	}
	s.cache.m[id] = p
	s.cache.mu.Unlock()
	return p, nil
}

// committedCache keeps the latest committed plan of each campaign, decoded:
// a plan version is immutable, so one decoded copy serves every request
// until a newer version is committed.
type committedCache struct {
	mu sync.Mutex
	m  map[int64]*planner.PlanVersion
}

// latestPlan is store.LatestPlan through committedCache (ENotFound when no
// plan is committed). Callers must not modify the returned plan.
func (s *Server) latestPlan(ctx context.Context, id int64) (*planner.PlanVersion, error) {
	v, err := s.db.LatestPlanVersion(ctx, id)
	if err != nil {
		return nil, err
	}
	if v == 0 {
		return nil, planner.Errorf(planner.ENotFound, "no plan of campaign %d is committed yet", id)
	}
	s.committed.mu.Lock()
	pv, ok := s.committed.m[id]
	s.committed.mu.Unlock()
	if ok && pv.Version == v {
		return pv, nil
	}
	if pv, err = s.db.GetPlanVersion(ctx, id, v); err != nil {
		return nil, err
	}
	s.committed.mu.Lock()
	if s.committed.m == nil {
		s.committed.m = map[int64]*planner.PlanVersion{}
	}
	s.committed.m[id] = pv
	s.committed.mu.Unlock()
	return pv, nil
}
