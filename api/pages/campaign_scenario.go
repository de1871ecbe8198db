package pages

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// A what-if scenario (plan_scenario.go) is applied to the campaign in two
// steps: GET .../plan/scenario/apply?<the scenario> lists every value it
// would change, old and new; the confirming POST carries the same
// scenario and the campaign version it was shown for, so that a campaign
// changed in between is a 409 rather than a silent mix.

// scenarioApplyPage is what campaign_scenario_apply.html shows.
type scenarioApplyPage struct {
	ID          int64
	Version     int64
	Changes     []scenarioChangeRow
	Hidden      url.Values // the scenario, posted again on confirmation
	ScenarioURL string
}

type scenarioChangeRow struct{ What, Old, New string }

// scenarioChange compares the scenario campaign scen with the stored one
// and returns what differs, as a store change and as rows to show.
func scenarioChange(p *web.Page, base, scen *planner.Campaign) (store.ScenarioChange, []scenarioChangeRow) {
	ch := store.ScenarioChange{ReservePct: map[string]planner.Decimal{}, Priority: map[string]planner.Decimal{}}
	var rows []scenarioChangeRow
	if scen.Dispatch.BoxesPerDay != base.Dispatch.BoxesPerDay {
		n := scen.Dispatch.BoxesPerDay
		ch.BoxesPerDay = &n
		rows = append(rows, scenarioChangeRow{p.T("campaigns.key.boxes_per_day"), p.N(base.Dispatch.BoxesPerDay), p.N(n)})
	}
	if scen.Surplus != base.Surplus {
		sp := scen.Surplus
		ch.Surplus = &sp
		rows = append(rows, scenarioChangeRow{p.T("campaigns.key.surplus"), p.T("plan.surplus." + string(base.Surplus)),
			p.T("plan.surplus." + string(sp))})
	}
	for i, m := range base.Materials {
		if n := scen.Materials[i].ReservePct; n.Cmp(m.ReservePct) != 0 {
			ch.ReservePct[m.Code] = n
			rows = append(rows, scenarioChangeRow{p.T("campaigns.scenario.reserve_of", "Code", m.Code),
				m.ReservePct.String() + " %", n.String() + " %"})
		}
	}
	for i, k := range base.Cities {
		if w := scen.Cities[i].Priority; w.Cmp(k.Priority) != 0 {
			ch.Priority[k.Code] = w
			rows = append(rows, scenarioChangeRow{p.T("campaigns.scenario.priority_of", "City", k.Name, "Code", k.Code),
				k.Priority.String(), w.String()})
		}
	}
	return ch, rows
}

// scenarioFormValues keeps only the scenario's own fields of a query or a
// posted form.
func scenarioFormValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		if k == "version" || k == "run" || len(vs) == 0 || vs[0] == "" {
			continue
		}
		out.Set(k, vs[0])
	}
	return out
}

// scenarioApplyConfirm: GET /campaigns/:id/plan/scenario/apply
func (s *handlers) scenarioApplyConfirm(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	pl, err := s.Res.Planned(c, id)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	q := scenarioFormValues(c.Request.URL.Query())
	back := "/campaigns/" + strconv.FormatInt(id, 10) + "/plan/scenario?run=1&" + q.Encode()
	form := parseScenarioForm(q)
	scen := form.apply(pl.Campaign, func(id string) string { return s.Web.Tr(c, id) })
	if scen == nil {
		c.Redirect(http.StatusSeeOther, back) // the scenario page shows the errors
		return
	}
	p := s.Web.NewPage(c, "", nil)
	_, rows := scenarioChange(p, pl.Campaign, scen)
	s.Web.Render(c, http.StatusOK, "campaign_scenario_apply", &scenarioApplyPage{ID: id, Version: pl.Campaign.Version,
		Changes: rows, Hidden: q, ScenarioURL: back})
}

// scenarioApply: POST /campaigns/:id/plan/scenario/apply — the confirmed
// scenario becomes the campaign's settings, in one transaction with its
// audit record.
func (s *handlers) scenarioApply(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	if err := c.Request.ParseForm(); err != nil {
		s.Web.PageError(c, web.BadRequestm(planner.MsgBrokenForm, "cannot read the form"))
		return
	}
	version, err := strconv.ParseInt(c.Request.PostForm.Get("version"), 10, 64)
	if err != nil || version <= 0 {
		s.Web.PageError(c, web.BadRequestm(planner.MsgBrokenForm, "version is required"))
		return
	}
	pl, err := s.Res.Planned(c, id)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	if pl.Campaign.Version != version {
		s.Web.PageError(c, planner.Errorf(planner.EConflict, "%s", s.Web.Tr(c, "campaigns.scenario.stale")))
		return
	}
	form := parseScenarioForm(scenarioFormValues(c.Request.PostForm))
	scen := form.apply(pl.Campaign, func(id string) string { return s.Web.Tr(c, id) })
	if scen == nil {
		s.Web.PageError(c, planner.Errorf(planner.EInvalid, "%s", s.Web.Tr(c, "campaigns.scenario.invalid")))
		return
	}
	ch, rows := scenarioChange(s.Web.NewPage(c, "", nil), pl.Campaign, scen)
	if len(rows) > 0 {
		if err := s.DB.ApplyScenario(c.Request.Context(), id, version, ch); err != nil {
			if planner.ErrorCode(err) == planner.EConflict && !store.IsCampaignClosed(err) {
				err = planner.Errorf(planner.EConflict, "%s", s.Web.Tr(c, "campaigns.scenario.stale"))
			}
			s.Web.PageError(c, err)
			return
		}
	}
	s.Flash(c, s.Web.Tr(c, "campaigns.scenario.applied", "Count", len(rows)))
	c.Redirect(http.StatusSeeOther, "/campaigns/"+strconv.FormatInt(id, 10)+"/plan")
}
