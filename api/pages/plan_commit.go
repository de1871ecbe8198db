package pages

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// MaxNoteRunes bounds a commit note: a sentence or two, not a document.
const MaxNoteRunes = 1000

// commitInput is the commit form. The browser sends no plan: the server
// recomputes it from the stored campaign, so what is committed is what the
// stored data gives, never what a page claims.
type commitInput struct {
	Expected        int    // expected_version: the committed version the page compared against
	Fingerprint     string // fingerprint: the inputs of the preview reviewed; "" = unchecked
	CampaignVersion int64  // campaign_version: the campaign data the page was computed from; 0 = unchecked
	Note            string // note
	Replan          bool   // mode=replan: dispatched cities locked at their committed pieces
	ReleaseReserve  bool   // release_reserve=1 (re-plan only)
}

func parseCommitInput(c *gin.Context) (commitInput, error) {
	var in commitInput
	var err error
	if in.Expected, err = strconv.Atoi(c.PostForm("expected_version")); err != nil || in.Expected < 0 {
		return in, web.BadRequestm(planner.MsgBrokenForm, "expected_version must be the committed version you reviewed (0 when none)")
	}
	if v := c.PostForm("campaign_version"); v != "" {
		if in.CampaignVersion, err = strconv.ParseInt(v, 10, 64); err != nil || in.CampaignVersion < 0 {
			return in, web.BadRequestm(planner.MsgBrokenForm, "campaign_version must be a whole number")
		}
	}
	switch c.PostForm("mode") {
	case "", "plan":
	case "replan":
		in.Replan = true
	default:
		return in, web.BadRequestm(planner.MsgBrokenForm, `mode must be "plan" or "replan"`)
	}
	in.ReleaseReserve = in.Replan && c.PostForm("release_reserve") == "1"
	in.Note = strings.TrimSpace(c.PostForm("note"))
	in.Fingerprint = c.PostForm("fingerprint")
	return in, nil
}

// planCommit: POST /campaigns/:id/plan/commit (planner+). Success redirects
// to the plan page with a flash; a commit that lost a race, or that was
// reviewed on other campaign data, re-renders the page with the new
// comparison and nothing saved.
func (s *handlers) planCommit(c *gin.Context) {
	id, err := resolve.CampaignID(c)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	in, err := parseCommitInput(c)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	if utf8.RuneCountInString(in.Note) > MaxNoteRunes {
		s.rerenderCommit(c, id, in, http.StatusUnprocessableEntity, commitForm{
			Fields: map[string]string{"note": s.Web.Tr(c, "plan.note_too_long", "Max", MaxNoteRunes)}})
		return
	}
	ctx := web.ActorContext(c)
	p, err := s.commitCandidate(c, id, in)
	if err == nil {
		var v int
		if v, err = s.DB.CommitPlan(ctx, id, in.Expected, store.ActorFrom(ctx).Email, in.Note, p); err == nil {
			s.Flash(c, s.Web.Tr(c, "plan.committed", "Version", v))
			c.Redirect(http.StatusSeeOther, "/campaigns/"+strconv.FormatInt(id, 10)+"/plan")
			return
		}
	}
	switch planner.ErrorCode(err) {
	case planner.EConflict:
		f := commitForm{Conflict: s.conflictMessage(c, id, err)}
		var st *resolve.StaleCommit
		if errors.As(err, &st) && st.Changes != nil {
			dv := NewDiffView(*st.Changes)
			f.Stale = &dv
		}
		s.rerenderCommit(c, id, in, http.StatusConflict, f)
	case planner.EInvalid:
		s.rerenderCommit(c, id, in, http.StatusUnprocessableEntity, commitForm{Conflict: s.Web.NewPage(c, "", nil).ErrorMessage(err)})
	default:
		s.Web.PageError(c, err)
	}
}

// errCampaignChanged is a commit reviewed on campaign data that has
// changed since: the plan the server would commit is not the one shown.
var errCampaignChanged = planner.Errorf(planner.EConflict, "campaign data changed")

// commitCandidate recomputes the plan to commit from the stored campaign:
// always through planner.Replan, so a plain "Commit this plan" after a
// shipment has left is a re-plan too.
func (s *handlers) commitCandidate(c *gin.Context, id int64, in commitInput) (*planner.Plan, error) {
	k, err := s.Res.Candidate(c.Request.Context(), id, planner.ReplanOptions{ReleaseReserve: in.ReleaseReserve})
	if err != nil {
		return nil, err
	}
	if err := s.Res.CheckFingerprint(in.Fingerprint, k); err != nil {
		return nil, err
	}
	if in.CampaignVersion != 0 && in.CampaignVersion != k.CampaignVersion {
		return nil, errCampaignChanged
	}
	return k.Plan, nil
}

// conflictMessage says what the user must review: the version someone else
// committed, or the campaign data that changed.
func (s *handlers) conflictMessage(c *gin.Context, id int64, err error) string {
	if err == errCampaignChanged {
		return s.Web.Tr(c, "plan.campaign_changed")
	}
	var st *resolve.StaleCommit
	if errors.As(err, &st) {
		if st.Changes == nil {
			return s.Web.Tr(c, "plan.campaign_changed")
		}
		t := st.Changes.Totals
		return s.Web.Tr(c, "plan.stale_preview", "Changed", t.CitiesChanged, "Added", t.CitiesAdded, "Removed", t.CitiesRemoved)
	}
	latest, lerr := s.committedOrNil(c, id)
	if lerr != nil || latest == nil {
		return s.Web.NewPage(c, "", nil).ErrorMessage(err)
	}
	return s.Web.Tr(c, "plan.commit_conflict", "Version", latest.Version)
}

// rerenderCommit shows the plan page again, freshly computed, with the
// commit form's note and message.
func (s *handlers) rerenderCommit(c *gin.Context, id int64, in commitInput, status int, f commitForm) {
	d, err := s.planView(c, id, planQuery{View: "cells", Page: 1, Agg: "material", Replan: in.Replan, ReleaseReserve: in.ReleaseReserve})
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	f.Note = in.Note
	d.Commit = f
	s.Web.Render(c, status, "plan", d)
}
