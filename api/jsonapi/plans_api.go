package jsonapi

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/planio"
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
func (s *handlers) apiListCampaigns(c *gin.Context) {
	list, err := s.DB.ListCampaigns(c.Request.Context())
	if err != nil {
		s.Web.APIError(c, err)
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

// planSummaryJSON sums up a plan for previews and versions: the shape of
// summary.json, one writer for both (planio.NewSummary).
type planSummaryJSON = planio.Summary

func summarizePlan(p *planner.Plan) planSummaryJSON { return planio.NewSummary(p) }

// PlanPreviewJSON is a computed, unsaved plan against the latest version.
type PlanPreviewJSON struct {
	CampaignID  int64            `json:"campaign_id"`
	BaseVersion int              `json:"base_version"` // commit with expected_version = base_version
	Fingerprint string           `json:"fingerprint"`  // commit with this fingerprint (or If-Match) to commit this very plan
	Replan      bool             `json:"replan"`       // a shipment has left: dispatched cities keep what they loaded, the rest is scheduled from today
	Today       planner.Date     `json:"today"`
	Summary     planSummaryJSON  `json:"summary"`
	Diff        planner.PlanDiff `json:"diff"`
}

func (s *handlers) writePreview(c *gin.Context, id int64, opts planner.ReplanOptions) {
	k, err := s.Res.Candidate(c.Request.Context(), id, opts)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	c.Header("ETag", `"`+k.Fingerprint+`"`)
	c.JSON(http.StatusOK, PlanPreviewJSON{CampaignID: id, BaseVersion: k.BaseVersion(), Fingerprint: k.Fingerprint,
		Replan: k.Replan, Today: k.Today, Summary: summarizePlan(k.Plan), Diff: planner.DiffPlans(k.BasePlan(), k.Plan)})
}

// apiPlanPreview: POST /api/v1/campaigns/{id}/plan/preview (no body).
func (s *handlers) apiPlanPreview(c *gin.Context) {
	id, err := web.PathID(c, "id")
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	s.writePreview(c, id, planner.ReplanOptions{})
}

// apiReplanPreview: POST /api/v1/campaigns/{id}/plan/replan-preview with
// replanOptions (an empty body means no option).
func (s *handlers) apiReplanPreview(c *gin.Context) {
	id, err := web.PathID(c, "id")
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	var body replanOptions
	if err := web.DecodeJSON(c, &body, true); err != nil {
		s.Web.APIError(c, err)
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
func (s *handlers) apiPlanCommit(c *gin.Context) {
	id, err := web.PathID(c, "id")
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	var body commitRequest
	if err := web.DecodeJSON(c, &body, false); err != nil {
		s.Web.APIError(c, err)
		return
	}
	if err := checkExpectedVersion(body.ExpectedVersion, 0, planner.MsgBaseVersion, "the base_version of the preview you reviewed (0 for the first plan)"); err != nil {
		s.Web.APIError(c, err)
		return
	}
	if h := strings.TrimSpace(c.GetHeader("If-Match")); body.Fingerprint == "" && h != "*" {
		body.Fingerprint = strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	}
	ctx := web.ActorContext(c)
	k, err := s.Res.Candidate(ctx, id, body.options())
	if err == nil {
		err = s.Res.CheckFingerprint(body.Fingerprint, k)
	}
	var stale *resolve.StaleCommit
	if errors.As(err, &stale) {
		_, d := s.Web.PublicError(c, err)
		c.AbortWithStatusJSON(http.StatusConflict, gin.H{"error": d, "fingerprint": stale.Fingerprint, "changes": stale.Changes})
		return
	}
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	v, err := s.DB.CommitPlan(ctx, id, *body.ExpectedVersion, store.ActorFrom(ctx).Email, body.Note, k.Plan)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	pv, err := s.DB.GetPlanVersion(c.Request.Context(), id, v)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	c.Header("Location", "/api/v1/campaigns/"+strconv.FormatInt(id, 10)+"/plan/versions/"+strconv.Itoa(v))
	c.JSON(http.StatusCreated, toPlanVersionJSON(pv, k.BasePlan()))
}

// PlanVersionJSON is a committed version; Summary and Diff (against the
// version before it) are present when the plan is loaded.
type PlanVersionJSON struct {
	CampaignID int64             `json:"campaign_id"`
	Version    int               `json:"version"`
	Author     string            `json:"author"`
	Note       string            `json:"note"`
	CreatedAt  time.Time         `json:"created_at"`
	Summary    *planSummaryJSON  `json:"summary,omitempty"`
	Diff       *planner.PlanDiff `json:"diff,omitempty"`
}

func toPlanVersionJSON(v *planner.PlanVersion, previous *planner.Plan) PlanVersionJSON {
	out := PlanVersionJSON{CampaignID: v.CampaignID, Version: v.Version, Author: v.Author, Note: v.Note, CreatedAt: v.CreatedAt}
	if v.Plan != nil {
		sum, diff := summarizePlan(v.Plan), planner.DiffPlans(previous, v.Plan)
		out.Summary, out.Diff = &sum, &diff
	}
	return out
}

// apiListPlanVersions: GET /api/v1/campaigns/{id}/plan/versions
func (s *handlers) apiListPlanVersions(c *gin.Context) {
	id, err := web.PathID(c, "id")
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	list, err := s.DB.ListPlanVersions(c.Request.Context(), id)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	out := make([]PlanVersionJSON, len(list))
	for i := range list {
		out[i] = toPlanVersionJSON(&list[i], nil)
	}
	c.JSON(http.StatusOK, gin.H{"campaign_id": id, "versions": out})
}

// apiGetPlanVersion: GET /api/v1/campaigns/{id}/plan/versions/{version},
// with its summary and its diff against the version before it.
func (s *handlers) apiGetPlanVersion(c *gin.Context) {
	id, err := web.PathID(c, "id")
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	n, err := web.PathID(c, "version")
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	v, err := s.DB.GetPlanVersion(c.Request.Context(), id, int(n))
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	var previous *planner.Plan
	if v.Version > 1 {
		pv, err := s.DB.GetPlanVersion(c.Request.Context(), id, v.Version-1)
		if err != nil {
			s.Web.APIError(c, err)
			return
		}
		previous = pv.Plan
	}
	out := toPlanVersionJSON(v, previous)
	if out.Summary != nil && len(out.Summary.UnassignedVenues) > 0 {
		// Viewers read versions too; a confidential venue's id may be its name.
		hidden, err := s.Res.HiddenVenueIDs(c.Request.Context(), web.CurrentUser(c), id)
		if err != nil {
			s.Web.APIError(c, err)
			return
		}
		out.Summary.UnassignedVenues = slices.DeleteFunc(out.Summary.UnassignedVenues, func(v string) bool { return hidden[v] })
	}
	c.JSON(http.StatusOK, out)
}

// restoreRequest is the body of POST .../plan/versions/{version}/restore.
type restoreRequest struct {
	ExpectedVersion *int `json:"expected_version"`
}

// apiRestoreVersion: POST /api/v1/campaigns/{id}/plan/versions/{version}/restore
// commits version's quantities again as expected_version + 1 (201 with the
// new version), under the rules of every commit; 409 when another commit
// came first, 422 when the campaign data no longer admits the version.
func (s *handlers) apiRestoreVersion(c *gin.Context) {
	id, err := web.PathID(c, "id")
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	n, err := web.PathID(c, "version")
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	var body restoreRequest
	if err := web.DecodeJSON(c, &body, false); err != nil {
		s.Web.APIError(c, err)
		return
	}
	if err := checkExpectedVersion(body.ExpectedVersion, 1, planner.MsgLatestVersion, "the latest version you reviewed"); err != nil {
		s.Web.APIError(c, err)
		return
	}
	v, err := s.Res.Restore(c, id, int(n), *body.ExpectedVersion)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	pv, err := s.DB.GetPlanVersion(c.Request.Context(), id, v)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	prev, err := s.DB.GetPlanVersion(c.Request.Context(), id, v-1)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	c.Header("Location", "/api/v1/campaigns/"+strconv.FormatInt(id, 10)+"/plan/versions/"+strconv.Itoa(v))
	c.JSON(http.StatusCreated, toPlanVersionJSON(pv, prev.Plan))
}

// checkExpectedVersion refuses a missing expected_version, or one below
// least, naming the field: commits and restores both guard on the version
// the user reviewed, and say which one they mean by id and what.
func checkExpectedVersion(v *int, least int, id planner.MsgID, what string) error {
	if v == nil || *v < least {
		return planner.Invalid(planner.Fieldf("expected_version", id, "is required: %s", what))
	}
	return nil
}
