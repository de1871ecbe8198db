package pages

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// routesPlan registers the plan screen: the preview of the plan computed
// from the stored campaign, a cell's explanation, what-if scenarios and the
// commit of a new plan version. The JSON twins live in plans_api.go.
func (s *handlers) routesPlan(pages *gin.RouterGroup) {
	withCampaign := s.Res.Campaign()
	pages.GET("/campaigns/:id/plan", withCampaign, s.planPage)
	pages.GET("/campaigns/:id/plan/cell", withCampaign, s.planCellPage)
	pages.GET("/campaigns/:id/plan/scenario", withCampaign, s.planScenarioPage)
	pages.POST("/campaigns/:id/plan/commit", s.Web.RequireRole(web.RolePlanner), withCampaign, s.planCommit)
	pages.GET("/campaigns/:id/plan/versions", withCampaign, s.planVersionsPage)
	pages.GET("/campaigns/:id/distribution-lists", withCampaign, s.distributionListsPage)
	pages.POST("/campaigns/:id/plan/versions/:version/restore", s.Web.RequireRole(web.RolePlanner), withCampaign, s.planRestore)
}

// planQuery is what the plan page's URL selects: the matrix layout, its
// filters and page, the aggregate's columns, and whether to show a
// mid-campaign re-plan preview.
type planQuery struct {
	View           string // "cells" (cities × categories of one material) or "cities" (cities × materials)
	Material       string
	State          string // ISO 3166-2 code of the cities kept; "" = all
	Category       string // the one venue category kept; "" = all
	City           string // part of a city's name or code; "" = all
	Page           int    // 1-based page of the matrix's cities
	Agg            string // columns of the by-state table: "material" or "category"
	Replan         bool
	ReleaseReserve bool
}

// parsePlanQuery reads the plan page's URL. A page that is not a whole
// number from 1 up is a malformed request naming the parameter; a page past
// the last shows the last (buildMatrix).
func parsePlanQuery(c *gin.Context) (planQuery, error) {
	q := planQuery{View: c.Query("view"), Material: c.Query("material"), State: c.Query("state"),
		Category: c.Query("category"), City: strings.TrimSpace(c.Query("city")), Page: 1, Agg: c.Query("agg"),
		Replan: c.Query("replan") == "1", ReleaseReserve: c.Query("release_reserve") == "1"}
	if q.View != "cities" {
		q.View = "cells"
	}
	if q.Agg != "category" {
		q.Agg = "material"
	}
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return q, web.BadField("page", planner.MsgPageNumber, "%q is not a page number (1, 2, ...)", v)
		}
		q.Page = n
	}
	if len(q.City) > 100 {
		return q, web.BadField("city", planner.MsgMaxLen, "the search is longer than %d characters", 100)
	}
	return q, nil
}

// values encodes q's matrix selection as URL parameters, for page links
// (the re-plan preview is left out: it is a section of its own).
func (q planQuery) values() url.Values {
	v := url.Values{}
	if q.View != "cells" {
		v.Set("view", q.View)
	}
	for k, s := range map[string]string{"material": q.Material, "state": q.State, "category": q.Category, "city": q.City} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if q.Agg != "material" {
		v.Set("agg", q.Agg)
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	return v
}

// newPlanPager links the matrix's pages as the data lists link theirs
// (q.Page is within pages: buildMatrix clamps it).
func newPlanPager(q planQuery, pages int, id int64) dataPager {
	base := "/campaigns/" + strconv.FormatInt(id, 10) + "/plan"
	return linkPages(q.Page, pages, func(n int) string {
		pq := q
		pq.Page = n
		if e := pq.values().Encode(); e != "" {
			return base + "?" + e + "#plan-matrix"
		}
		return base + "#plan-matrix"
	})
}

// planPage: GET /campaigns/:id/plan — the preview of the plan the stored
// campaign gives now, against the latest committed version.
func (s *handlers) planPage(c *gin.Context) {
	id, err := resolve.CampaignID(c)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	q, err := parsePlanQuery(c)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	d, err := s.planView(c, id, q)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	s.Web.Render(c, http.StatusOK, "plan", d)
}

// committedOrNil returns the latest committed version, or nil before the
// first commit.
func (s *handlers) committedOrNil(c *gin.Context, id int64) (*planner.PlanVersion, error) {
	v, err := s.Res.LatestPlan(c.Request.Context(), id)
	if planner.ErrorCode(err) == planner.ENotFound {
		return nil, nil
	}
	return v, err
}

// planView builds everything the plan page shows. A campaign the planner
// rejects (locks above stock, say) is not an error here: the page shows
// why there is no plan. Once a shipment has left, the preview is the
// re-plan a commit would store (planner.Replan), and the page says so.
func (s *handlers) planView(c *gin.Context, id int64, q planQuery) (*planPageData, error) {
	pl, err := s.Res.Planned(c, id)
	if err != nil {
		return nil, err
	}
	latest, err := s.committedOrNil(c, id)
	if err != nil {
		return nil, err
	}
	d := newPlanPageData(id, pl, latest)
	if pl.Err != nil {
		d.PlanError = s.Web.NewPage(c, "", nil).ErrorMessage(pl.Err)
		d.PlanErrorFields = planner.ErrorFields(pl.Err)
		return d, nil
	}
	ctx := c.Request.Context()
	shipments, err := s.DB.ListShipments(ctx, id, store.ShipmentFilter{})
	if err != nil {
		return nil, err
	}
	plan := pl.Plan
	d.Today = pl.Campaign.Today(s.Now())
	if d.Replanning = planner.AnyDispatched(shipments); d.Replanning {
		k, err := s.Res.Candidate(ctx, id, planner.ReplanOptions{})
		switch planner.ErrorCode(err) {
		case "":
			plan, d.Fingerprint = k.Plan, k.Fingerprint
		case planner.EInvalid, planner.EConflict:
			d.PlanError = s.Web.NewPage(c, "", nil).ErrorMessage(err)
			d.PlanErrorFields = planner.ErrorFields(err)
			return d, nil
		default:
			return nil, err
		}
	} else {
		base := 0
		if latest != nil {
			base = latest.Version
		}
		d.Fingerprint = resolve.PlanFingerprint(pl.Campaign, base, shipments, planner.ReplanOptions{}, d.Today)
		s.Res.Remember(d.Fingerprint, plan)
	}
	if err := d.fill(pl.Campaign, plan, q, id); err != nil {
		return nil, err
	}
	if latest != nil {
		diff := NewDiffView(planner.DiffPlans(latest.Plan, plan))
		d.Diff = &diff
	}
	if q.Replan {
		if d.Replan, err = s.replanView(c, id, q); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// replanView previews a mid-campaign re-plan: dispatched cities locked at
// their committed pieces, optionally with the reserve released. A re-plan
// the planner refuses (no committed plan, a shipment that left from another
// version) is shown as a message, not an error page.
func (s *handlers) replanView(c *gin.Context, id int64, q planQuery) (*replanView, error) {
	r := &replanView{ReleaseReserve: q.ReleaseReserve}
	k, err := s.Res.Candidate(c.Request.Context(), id, planner.ReplanOptions{ReleaseReserve: q.ReleaseReserve})
	switch planner.ErrorCode(err) {
	case "":
	case planner.EInvalid, planner.EConflict:
		r.Error = s.Web.NewPage(c, "", nil).ErrorMessage(err)
		return r, nil
	default:
		return nil, err
	}
	r.BaseVersion, r.Fingerprint = k.BaseVersion(), k.Fingerprint
	diff := NewDiffView(planner.DiffPlans(k.BasePlan(), k.Plan))
	r.Diff = &diff
	return r, nil
}
