package api

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/planio"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// campaignJSON is one line of GET /api/v1/campaigns.
type campaignJSON struct {
	ID        int64        `json:"id"`
	Name      string       `json:"name"`
	Start     planner.Date `json:"start"`
	Deadline  planner.Date `json:"deadline"`
	Version   int64        `json:"version"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
	Materials int64        `json:"materials"`
	Cities    int64        `json:"cities"`
	Venues    int64        `json:"venues"`
}

// apiListCampaigns: GET /api/v1/campaigns
func (s *Server) apiListCampaigns(c *gin.Context) {
	list, err := s.db.ListCampaigns(c.Request.Context())
	if err != nil {
		s.apiError(c, err)
		return
	}
	out := make([]campaignJSON, len(list))
	for i, k := range list {
		out[i] = campaignJSON{ID: k.ID, Name: k.Name, Start: k.Start, Deadline: k.Deadline, Version: k.Version,
			CreatedAt: k.CreatedAt, UpdatedAt: k.UpdatedAt, Materials: k.Materials, Cities: k.Cities, Venues: k.Venues}
	}
	c.JSON(http.StatusOK, gin.H{"campaigns": out})
}

// replanOptions is the body of replan-preview and the optional options of
// commit: see planner.ReplanOptions.
type replanOptions struct {
	ReleaseReserve bool                       `json:"release_reserve"`
	ReservePct     map[string]planner.Decimal `json:"reserve_pct"`
}

func (o replanOptions) options() planner.ReplanOptions {
	return planner.ReplanOptions{ReleaseReserve: o.ReleaseReserve, ReservePct: o.ReservePct}
}

// candidate is a plan computed from the stored campaign, ready to compare
// with (or commit over) the latest committed version.
type candidate struct {
	latest      *planner.PlanVersion // nil before the first commit
	plan        *planner.Plan
	replan      bool // a shipment has left: the commit is a re-plan
	today       planner.Date
	fingerprint string // planFingerprint of the inputs
	// campaignVersion is the campaign data version the plan was computed from.
	campaignVersion int64
}

func (k candidate) baseVersion() int {
	if k.latest == nil {
		return 0
	}
	return k.latest.Version
}

func (k candidate) basePlan() *planner.Plan {
	if k.latest == nil {
		return nil
	}
	return k.latest.Plan
}

// computeCandidate runs the planner over the stored campaign through
// planner.Replan: the cities whose shipment has left are locked at their
// committed pieces and the others are scheduled from the campaign's today,
// so neither a preview nor a commit can change a dispatched quantity or
// plan a date in the past. The plan is remembered by its fingerprint (see
// checkFingerprint). Nothing is saved.
func (s *Server) computeCandidate(ctx context.Context, id int64, opts planner.ReplanOptions) (candidate, error) {
	var k candidate
	camp, err := s.db.GetCampaign(ctx, id)
	if err != nil {
		return k, err
	}
	k.latest, err = s.latestPlan(ctx, id)
	if planner.ErrorCode(err) == planner.ENotFound {
		k.latest, err = nil, nil
	}
	if err != nil {
		return k, err
	}
	shipments, err := s.db.ListShipments(ctx, id, store.ShipmentFilter{})
	if err != nil {
		return k, err
	}
	k.today, k.campaignVersion = camp.Today(s.now()), camp.Version
	k.replan = planner.AnyDispatched(shipments)
	k.fingerprint = planFingerprint(camp, k.baseVersion(), shipments, opts, k.today)
	if p, ok := s.previews.get(k.fingerprint); ok { // same inputs, same plan (plans are never modified)
		k.plan = p
		return k, nil
	}
	if k.plan, err = planner.ReplanContext(ctx, camp, k.basePlan(), shipments, opts, k.today); err != nil {
		return k, err
	}
	s.previews.put(k.fingerprint, k.plan)
	return k, nil
}

// planSummaryJSON sums up a plan for previews and versions: the shape of
// summary.json, one writer for both (planio.NewSummary).
type planSummaryJSON = planio.Summary

func summarizePlan(p *planner.Plan) planSummaryJSON { return planio.NewSummary(p) }

// planPreviewJSON is a computed, unsaved plan against the latest version.
type planPreviewJSON struct {
	CampaignID  int64            `json:"campaign_id"`
	BaseVersion int              `json:"base_version"` // commit with expected_version = base_version
	Fingerprint string           `json:"fingerprint"`  // commit with this fingerprint (or If-Match) to commit this very plan
	Replan      bool             `json:"replan"`       // a shipment has left: dispatched cities keep what they loaded, the rest is scheduled from today
	Today       planner.Date     `json:"today"`
	Summary     planSummaryJSON  `json:"summary"`
	Diff        planner.PlanDiff `json:"diff"`
}

func (s *Server) writePreview(c *gin.Context, id int64, opts planner.ReplanOptions) {
	k, err := s.computeCandidate(c.Request.Context(), id, opts)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.Header("ETag", `"`+k.fingerprint+`"`)
	c.JSON(http.StatusOK, planPreviewJSON{CampaignID: id, BaseVersion: k.baseVersion(), Fingerprint: k.fingerprint,
		Replan: k.replan, Today: k.today, Summary: summarizePlan(k.plan), Diff: planner.DiffPlans(k.basePlan(), k.plan)})
}

// apiPlanPreview: POST /api/v1/campaigns/{id}/plan/preview (no body).
func (s *Server) apiPlanPreview(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	s.writePreview(c, id, planner.ReplanOptions{})
}

// apiReplanPreview: POST /api/v1/campaigns/{id}/plan/replan-preview with
// replanOptions (an empty body means no option).
func (s *Server) apiReplanPreview(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	var body replanOptions
	if err := decodeJSON(c, &body, true); err != nil {
		s.apiError(c, err)
		return
	}
	s.writePreview(c, id, body.options())
}

// commitRequest is the body of POST .../plan/commit.
type commitRequest struct {
	ExpectedVersion *int   `json:"expected_version"`
	Fingerprint     string `json:"fingerprint"` // of the preview reviewed; If-Match works too
	Note            string `json:"note"`
	replanOptions
}

// apiPlanCommit: POST /api/v1/campaigns/{id}/plan/commit. The plan is
// recomputed from the stored campaign (as the preview was) and stored as
// expected_version + 1; 409 when another commit came first, or when the
// fingerprint (body or If-Match) is not the one of the inputs now: then
// the body also carries the new fingerprint and, when the server still
// remembers the reviewed plan, "changes" from it to the plan it would
// commit now. Once a shipment has left, the commit is a re-plan.
func (s *Server) apiPlanCommit(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	var body commitRequest
	if err := decodeJSON(c, &body, false); err != nil {
		s.apiError(c, err)
		return
	}
	if body.ExpectedVersion == nil || *body.ExpectedVersion < 0 {
		s.apiError(c, planner.Invalid(planner.FieldError{Path: "expected_version",
			Message: "is required: the base_version of the preview you reviewed (0 for the first plan)"}))
		return
	}
	if h := strings.TrimSpace(c.GetHeader("If-Match")); body.Fingerprint == "" && h != "*" {
		body.Fingerprint = strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	}
	ctx := s.actorContext(c)
	k, err := s.computeCandidate(ctx, id, body.options())
	if err == nil {
		err = s.checkFingerprint(body.Fingerprint, k)
	}
	var stale *staleCommit
	if errors.As(err, &stale) {
		_, d := s.publicError(c, err)
		c.AbortWithStatusJSON(http.StatusConflict, gin.H{"error": d, "fingerprint": stale.Fingerprint, "changes": stale.Changes})
		return
	}
	if err != nil {
		s.apiError(c, err)
		return
	}
	v, err := s.db.CommitPlan(ctx, id, *body.ExpectedVersion, store.ActorFrom(ctx).Email, body.Note, k.plan)
	if err != nil {
		s.apiError(c, err)
		return
	}
	pv, err := s.db.GetPlanVersion(c.Request.Context(), id, v)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.Header("Location", "/api/v1/campaigns/"+strconv.FormatInt(id, 10)+"/plan/versions/"+strconv.Itoa(v))
	c.JSON(http.StatusCreated, toPlanVersionJSON(pv, k.basePlan()))
}

// planVersionJSON is a committed version; Summary and Diff (against the
// version before it) are present when the plan is loaded.
type planVersionJSON struct {
	CampaignID int64             `json:"campaign_id"`
	Version    int               `json:"version"`
	Author     string            `json:"author"`
	Note       string            `json:"note"`
	CreatedAt  time.Time         `json:"created_at"`
	Summary    *planSummaryJSON  `json:"summary,omitempty"`
	Diff       *planner.PlanDiff `json:"diff,omitempty"`
}

func toPlanVersionJSON(v *planner.PlanVersion, previous *planner.Plan) planVersionJSON {
	out := planVersionJSON{CampaignID: v.CampaignID, Version: v.Version, Author: v.Author, Note: v.Note, CreatedAt: v.CreatedAt}
	if v.Plan != nil {
		sum, diff := summarizePlan(v.Plan), planner.DiffPlans(previous, v.Plan)
		out.Summary, out.Diff = &sum, &diff
	}
	return out
}

// apiListPlanVersions: GET /api/v1/campaigns/{id}/plan/versions
func (s *Server) apiListPlanVersions(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	list, err := s.db.ListPlanVersions(c.Request.Context(), id)
	if err != nil {
		s.apiError(c, err)
		return
	}
	out := make([]planVersionJSON, len(list))
	for i := range list {
		out[i] = toPlanVersionJSON(&list[i], nil)
	}
	c.JSON(http.StatusOK, gin.H{"campaign_id": id, "versions": out})
}

// apiGetPlanVersion: GET /api/v1/campaigns/{id}/plan/versions/{version},
// with its summary and its diff against the version before it.
func (s *Server) apiGetPlanVersion(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	n, err := pathID(c, "version")
	if err != nil {
		s.apiError(c, err)
		return
	}
	v, err := s.db.GetPlanVersion(c.Request.Context(), id, int(n))
	if err != nil {
		s.apiError(c, err)
		return
	}
	var previous *planner.Plan
	if v.Version > 1 {
		pv, err := s.db.GetPlanVersion(c.Request.Context(), id, v.Version-1)
		if err != nil {
			s.apiError(c, err)
			return
		}
		previous = pv.Plan
	}
	out := toPlanVersionJSON(v, previous)
	if out.Summary != nil && len(out.Summary.UnassignedVenues) > 0 {
		// Viewers read versions too; a confidential venue's id may be its name.
		hidden, err := s.hiddenVenueIDs(c.Request.Context(), currentUser(c), id)
		if err != nil {
			s.apiError(c, err)
			return
		}
		out.Summary.UnassignedVenues = slices.DeleteFunc(out.Summary.UnassignedVenues, func(v string) bool { return hidden[v] })
	}
	c.JSON(http.StatusOK, out)
}
