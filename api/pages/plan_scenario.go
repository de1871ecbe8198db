package pages

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// planScenarioData is what plan_scenario.html renders: the form, the
// stored values it starts from, and base vs scenario side by side.
type planScenarioData struct {
	ID        int64
	Form      scenarioForm
	Campaign  *planner.Campaign // stored; read only
	BaseError string            // the stored campaign gives no plan
	Compare   *scenarioCompare  // nil until a valid scenario ran
	ApplyURL  string            // confirmation page that applies the scenario (campaign_scenario.go); "" for viewers
}

// scenarioCompare sets the base plan and the scenario side by side.
type scenarioCompare struct {
	Materials      []scenarioMaterial
	Base, Scenario scheduleSummary // Base is empty when BaseError is set
	Cities         diffView        // per city pieces and dates, base -> scenario
	CityName       map[string]string
	MaterialName   map[string]string
}

type scenarioMaterial struct {
	Code, Name     string
	Base, Scenario *planner.MaterialResult // Base nil without a base plan
}

// scheduleSummary is what the schedule of a plan promises.
type scheduleSummary struct {
	Present      bool
	BoxesPerDay  int64
	TotalBoxes   int64
	Late         []planner.Shipment // the first warnLimit late shipments
	LateCount    int                // every late shipment
	LastDispatch planner.Date
	Required     int64 // smallest capacity with every city on time, when HasRequired
	HasRequired  bool  // false: transit alone makes some city late
}

// LateMore counts the late shipments Late leaves out.
func (s scheduleSummary) LateMore() int { return s.LateCount - len(s.Late) }

func summarizeSchedule(c *planner.Campaign, p *planner.Plan) scheduleSummary {
	s := scheduleSummary{Present: p != nil, BoxesPerDay: c.Dispatch.BoxesPerDay}
	if p == nil {
		return s
	}
	s.TotalBoxes = p.TotalBoxes
	if p.RequiredBoxesPerDay != nil {
		s.Required, s.HasRequired = *p.RequiredBoxesPerDay, true
	}
	for _, sh := range p.Shipments {
		if sh.LateDays > 0 {
			if s.LateCount++; s.LateCount <= warnLimit {
				s.Late = append(s.Late, sh)
			}
		}
		if sh.Dispatch.After(s.LastDispatch) {
			s.LastDispatch = sh.Dispatch
		}
	}
	return s
}

// planScenarioPage: GET /campaigns/:id/plan/scenario — a what-if run on a
// copy of the stored campaign. Nothing is saved: neither the campaign nor
// any plan version. Invalid inputs answer 422 with the error by the field.
func (s *handlers) planScenarioPage(c *gin.Context) {
	id, err := resolve.CampaignID(c)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	pl, err := s.Res.Planned(c, id)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	d := &planScenarioData{ID: id, Form: parseScenarioForm(c.Request.URL.Query()), Campaign: pl.Campaign}
	if pl.Err != nil {
		d.BaseError = planner.ErrorMessage(pl.Err)
	}
	if d.Form.Submitted {
		if err := s.runScenario(c, pl, d); err != nil {
			s.Web.PageError(c, err)
			return
		}
	}
	if u := web.CurrentUser(c); u.CanEdit() && d.Compare != nil {
		d.ApplyURL = "/campaigns/" + c.Param("id") + "/plan/scenario/apply?" + scenarioFormValues(c.Request.URL.Query()).Encode()
	}
	status := http.StatusOK
	if d.Form.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	s.Web.Render(c, status, "plan_scenario", d)
}

// runScenario applies the form to a copy of the campaign, validates and
// computes it, and fills d.Compare, or records the errors in d.Form. Only
// an unexpected failure comes back as an error.
func (s *handlers) runScenario(c *gin.Context, pl *resolve.Planned, d *planScenarioData) error {
	f := &d.Form
	scen := f.apply(pl.Campaign, func(id string) string { return s.Web.Tr(c, id) })
	if scen == nil {
		return nil
	}
	if err := scen.Validate(); err != nil {
		s.placeScenarioErrors(c, f, scen, err)
		return nil
	}
	p := pl.Plan
	if f.Changed() || p == nil {
		var err error
		if p, err = planner.ComputeContext(c.Request.Context(), scen); err != nil {
			if planner.ErrorCode(err) != planner.EInvalid {
				return err
			}
			s.placeScenarioErrors(c, f, scen, err)
			return nil
		}
	}
	d.Compare = compareScenario(pl, scen, p)
	return nil
}

// placeScenarioErrors puts the planner's errors next to the form's fields,
// in the reader's language as the data forms show them.
func (s *handlers) placeScenarioErrors(c *gin.Context, f *scenarioForm, scen *planner.Campaign, err error) {
	f.place(scen, err, s.Web.NewPage(c, "", nil))
}

func compareScenario(pl *resolve.Planned, scen *planner.Campaign, p *planner.Plan) *scenarioCompare {
	cmp := &scenarioCompare{Base: summarizeSchedule(pl.Campaign, pl.Plan), Scenario: summarizeSchedule(scen, p),
		Cities: NewDiffView(planner.DiffPlans(pl.Plan, p)), CityName: map[string]string{},
		MaterialName: map[string]string{}}
	for _, m := range scen.Materials {
		cmp.MaterialName[m.Code] = m.Name
	}
	for _, k := range scen.Cities {
		cmp.CityName[k.Code] = k.Name
	}
	base := map[string]*planner.MaterialResult{}
	if pl.Plan != nil {
		for i := range pl.Plan.Materials {
			base[pl.Plan.Materials[i].Code] = &pl.Plan.Materials[i]
		}
	}
	for i := range p.Materials {
		m := &p.Materials[i]
		sm := scenarioMaterial{Code: m.Code, Base: base[m.Code], Scenario: m}
		if mat, ok := scen.Material(m.Code); ok {
			sm.Name = mat.Name
		}
		cmp.Materials = append(cmp.Materials, sm)
	}
	return cmp
}
