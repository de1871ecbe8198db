package pages

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// versionsPageData is what plan_versions.html renders: every committed
// version, the comparison of two of them and, when asked, the
// confirmation of a restore.
type versionsPageData struct {
	ID       int64
	Versions []planner.PlanVersion // oldest first
	Latest   int
	From, To int
	Diff     *diffView
	Confirm  int    // the version whose restore is being confirmed; 0 = none
	Error    string // a refused restore or a bad comparison

	CityName     map[string]string
	MaterialName map[string]string
}

// planVersionsPage: GET /campaigns/:id/plan/versions?from=&to=&confirm=
func (s *handlers) planVersionsPage(c *gin.Context) {
	id, _ := resolve.CampaignID(c) // Res.Campaign() checked it
	d, err := s.versionsView(c, id)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	status := http.StatusOK
	if d.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	s.Web.Render(c, status, "plan_versions", d)
}

func (s *handlers) versionsView(c *gin.Context, id int64) (*versionsPageData, error) {
	ctx := c.Request.Context()
	list, err := s.DB.ListPlanVersions(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &versionsPageData{ID: id, Versions: list, CityName: map[string]string{}, MaterialName: map[string]string{}}
	if pl, err := s.Res.Planned(c, id); err == nil {
		for _, k := range pl.Campaign.Cities {
			d.CityName[k.Code] = k.Name
		}
		for _, m := range pl.Campaign.Materials {
			d.MaterialName[m.Code] = m.Name
		}
	}
	if len(list) == 0 {
		return d, nil
	}
	d.Latest = list[len(list)-1].Version
	d.From, d.To = max(d.Latest-1, 1), d.Latest
	if v := c.Query("from"); v != "" {
		d.From, _ = strconv.Atoi(v)
	}
	if v := c.Query("to"); v != "" {
		d.To, _ = strconv.Atoi(v)
	}
	d.Confirm, _ = strconv.Atoi(c.Query("confirm"))
	if d.Confirm < 1 || d.Confirm > d.Latest {
		d.Confirm = 0
	}
	if d.From < 1 || d.From > d.Latest || d.To < 1 || d.To > d.Latest {
		d.Error = s.Web.Tr(c, "plan.versions.bad_pair")
		return d, nil
	}
	listed := func(n int) planner.PlanVersion {
		i := slices.IndexFunc(list, func(v planner.PlanVersion) bool { return v.Version == n })
		if i < 0 {
			return planner.PlanVersion{Version: n} // GetPlanVersion answers ENotFound
		}
		return list[i]
	}
	from, err := s.Res.PlanVersion(ctx, id, listed(d.From))
	if err != nil {
		return nil, err
	}
	to, err := s.Res.PlanVersion(ctx, id, listed(d.To))
	if err != nil {
		return nil, err
	}
	diff := NewDiffView(planner.DiffPlans(from.Plan, to.Plan))
	d.Diff = &diff
	return d, nil
}

// planRestore: POST /campaigns/:id/plan/versions/:version/restore
// (planner+) with expected_version. The restore is a new version made by
// planner.Restore under the rules of every commit; refused (409 another
// commit came first, 422 the data no longer admits the version) it
// re-renders the history with the message and nothing saved.
func (s *handlers) planRestore(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	n, err := web.PathID(c, "version")
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	expected, err := strconv.Atoi(c.PostForm("expected_version"))
	if err != nil || expected < 1 {
		s.Web.PageError(c, web.BadRequestm(planner.MsgBrokenForm, "expected_version must be the latest version you reviewed"))
		return
	}
	v, err := s.Res.Restore(c, id, int(n), expected)
	if err == nil {
		s.Flash(c, s.Web.Tr(c, "plan.versions.restored", "Version", v, "From", n))
		c.Redirect(http.StatusSeeOther, "/campaigns/"+strconv.FormatInt(id, 10)+"/plan/versions")
		return
	}
	status := http.StatusConflict
	switch planner.ErrorCode(err) {
	case planner.EConflict:
	case planner.EInvalid:
		status = http.StatusUnprocessableEntity
	default:
		s.Web.PageError(c, err)
		return
	}
	d, verr := s.versionsView(c, id)
	if verr != nil {
		s.Web.PageError(c, verr)
		return
	}
	d.Error = s.Web.NewPage(c, "", nil).ErrorMessage(err)
	s.Web.Render(c, status, "plan_versions", d)
}
