package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/planner"
)

// routesTracking registers the tracking screens: the campaign dashboard,
// the shipment list and the shipment page with its event forms. Reads need
// the viewer role, writes (events, alert acknowledgements) the planner role.
// The JSON side of tracking lives in routesTrackingAPI.
func (s *Server) routesTracking(pages, _ *gin.RouterGroup) {
	camp, plan := s.withCampaign(), s.requireRole(RolePlanner)
	pages.GET("/campaigns/:id/dashboard", camp, s.dashboard)
	pages.POST("/campaigns/:id/alerts/:event/ack", plan, camp, s.ackAlertPage)
	pages.GET("/campaigns/:id/shipments", camp, s.shipmentsPage)
	pages.GET("/campaigns/:id/shipments/:sid", camp, s.shipmentPage)
	pages.POST("/campaigns/:id/shipments/:sid/events", plan, camp, s.postEventForm)
}

// dashboardData is what the dashboard shows: the campaign's progress on its
// tracking "today" and the alerts nobody has acknowledged yet.
type dashboardData struct {
	CampaignID  int64
	NoPlan      bool // nothing committed yet: there is nothing to track
	PlanVersion int
	Today       planner.Date
	Deadline    planner.Date
	DaysLeft    int // to the deadline; negative once it has passed
	Progress    planner.CampaignProgress
	AtRisk      []riskView
	Alerts      []alertGroup
	BurnDown    burnDownJSON
	Statuses    []statusCount
	Totals      []totalRow
	PaceFrom    planner.Date // zero: no pace (no working day)
	Projected   planner.Date // zero: no projection (nothing dispatched lately)
	LateDays    int          // projected completion after the deadline
	EarlyDays   int          // projected completion before (or on) the deadline
	LateWords   string       // LateDays as "3 días"
	EarlyWords  string
}

// totalRow is one stage of the totals table with its share of the plan.
type totalRow struct {
	ID, Label        string
	Q, Of            planner.Quantity
	PiecePct, BoxPct float64
}

// riskView is an at-risk or late shipment with its reason worded for the user.
type riskView struct {
	planner.ShipmentAssessment
	CityName string
	Words    string
}

// alertGroup is the alerts of one delivery: they are acknowledged together.
type alertGroup struct {
	EventID    int64
	ShipmentID int64
	City       string
	CityName   string
	Date       planner.Date
	Lines      []planner.Alert
}

type statusCount struct {
	Status planner.Status
	Count  int
}

// burnDownJSON feeds assets/static/js/dashboard.js: one value per calendar
// day, null after today for the actual series.
type burnDownJSON struct {
	Labels     []string `json:"labels"`
	Planned    []int64  `json:"planned"`
	Dispatched []*int64 `json:"dispatched"`
	Delivered  []*int64 `json:"delivered"`
	Names      []string `json:"names"` // series names, translated
	Axes       []string `json:"axes"`  // y axis titles: boxes, pieces
}

// dashboard: GET /campaigns/:id/dashboard
func (s *Server) dashboard(c *gin.Context) {
	id, _ := campaignID(c) // withCampaign checked it
	pl, err := s.planned(c, id)
	if err != nil {
		s.pageError(c, err)
		return
	}
	camp := pl.Campaign
	today, err := s.today(c, camp)
	if err != nil {
		s.pageError(c, err)
		return
	}
	d := dashboardData{CampaignID: id, Today: today, Deadline: camp.Deadline, DaysLeft: camp.Deadline.DaysSince(today)}
	latest, err := s.latestPlan(c.Request.Context(), id)
	switch {
	case planner.ErrorCode(err) == planner.ENotFound:
		d.NoPlan = true
		s.render(c, http.StatusOK, "dashboard", d)
		return
	case err != nil:
		s.pageError(c, err)
		return
	}
	d.PlanVersion = latest.Version
	progress, err := s.db.CampaignProgress(c.Request.Context(), id, today)
	if err != nil {
		s.pageError(c, err)
		return
	}
	alerts, err := s.db.ListAlerts(c.Request.Context(), id)
	if err != nil {
		s.pageError(c, err)
		return
	}
	p := s.newPage(c, "", nil)
	d.Progress = progress
	if pr := d.Progress; pr.PaceFrom != nil {
		d.PaceFrom = *pr.PaceFrom
	}
	if pr := d.Progress; pr.ProjectedCompletion != nil && pr.ProjectedSlipDays != nil {
		d.Projected = *pr.ProjectedCompletion
		d.LateDays, d.EarlyDays = max(*pr.ProjectedSlipDays, 0), max(-*pr.ProjectedSlipDays, 0)
		d.LateWords, d.EarlyWords = daysWords(p, d.LateDays), daysWords(p, d.EarlyDays)
	}
	d.Totals = totalRows(p, d.Progress)
	for _, a := range d.Progress.AtRisk {
		d.AtRisk = append(d.AtRisk, riskView{ShipmentAssessment: a, CityName: cityName(camp, a.City), Words: reasonWords(p, a.Reason)})
	}
	d.Alerts = groupAlerts(camp, alerts)
	d.BurnDown = burnDownData(p, d.Progress.BurnDown)
	for _, st := range knownPageStatuses {
		if n := d.Progress.ByStatus[st]; n > 0 {
			d.Statuses = append(d.Statuses, statusCount{Status: st, Count: n})
		}
	}
	s.render(c, http.StatusOK, "dashboard", d)
}

// knownPageStatuses lists the statuses in the order a logistics officer reads them.
var knownPageStatuses = planner.Statuses

func totalRows(p *Page, pr planner.CampaignProgress) []totalRow {
	ratio := func(a, b int64) float64 {
		if b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	var out []totalRow
	for _, t := range []struct {
		id string
		q  planner.Quantity
	}{{"planned", pr.Planned}, {"dispatched", pr.Dispatched}, {"delivered", pr.Delivered}, {"distributed", pr.Distributed}} {
		out = append(out, totalRow{ID: "total-" + t.id, Label: p.T("tracking." + t.id), Q: t.q, Of: pr.Planned,
			PiecePct: ratio(t.q.Pieces, pr.Planned.Pieces), BoxPct: ratio(t.q.Boxes, pr.Planned.Boxes)})
	}
	return out
}

func groupAlerts(camp *planner.Campaign, alerts []planner.Alert) []alertGroup {
	var out []alertGroup
	at := map[int64]int{}
	for _, a := range alerts {
		i, ok := at[a.EventID]
		if !ok {
			out = append(out, alertGroup{EventID: a.EventID, ShipmentID: a.ShipmentID, City: a.City,
				CityName: cityName(camp, a.City), Date: a.Date})
			i = len(out) - 1
			at[a.EventID] = i
		}
		out[i].Lines = append(out[i].Lines, a)
	}
	return out
}

func burnDownData(p *Page, days []planner.BurnDownDay) burnDownJSON {
	b := burnDownJSON{Labels: []string{}, Planned: []int64{}, Dispatched: []*int64{}, Delivered: []*int64{},
		Names: []string{p.T("tracking.chart.planned"), p.T("tracking.chart.dispatched"), p.T("tracking.chart.delivered")},
		Axes:  []string{p.T("tracking.chart.boxes"), p.T("tracking.chart.pieces")}}
	for _, d := range days {
		b.Labels = append(b.Labels, p.D(d.Date))
		b.Planned = append(b.Planned, d.PlannedBoxes)
		b.Dispatched = append(b.Dispatched, d.DispatchedBoxes)
		b.Delivered = append(b.Delivered, d.DeliveredPieces)
	}
	return b
}

// ackAlertPage: POST /campaigns/:id/alerts/:event/ack, then back to the dashboard.
func (s *Server) ackAlertPage(c *gin.Context) {
	id, _ := campaignID(c)
	event, err := pathID(c, "event")
	if err != nil {
		s.pageError(c, err)
		return
	}
	if _, err := s.db.AckAlert(s.actorContext(c), id, event); err != nil {
		s.pageError(c, err)
		return
	}
	s.setFlash(c, s.tr(c, "tracking.alert.acknowledged"))
	c.Redirect(http.StatusSeeOther, "/campaigns/"+strconv.FormatInt(id, 10)+"/dashboard")
}

// cityName is a city's name, or its code when the campaign no longer has it.
func cityName(camp *planner.Campaign, code string) string {
	if k, ok := camp.City(code); ok {
		return k.Name
	}
	return code
}

// reasonWords words a status reason in the user's language, formatting its
// dates and numbers for the locale.
func reasonWords(p *Page, r planner.Reason) string {
	args := make([]any, 0, 2*len(r.Params))
	for k, v := range r.Params {
		args = append(args, k, paramWords(p, k, v))
	}
	s := p.T("tracking.reason."+r.Code, args...)
	if s == "tracking.reason."+r.Code {
		return r.Text()
	}
	return s
}

// paramWords formats one reason parameter by what its name says it holds.
func paramWords(p *Page, key, v string) string {
	switch key {
	case "days", "days_left":
		n, err := strconv.Atoi(v)
		if err != nil {
			return v
		}
		return daysWords(p, n)
	case "pieces", "accepted", "left":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return p.N(n)
		}
	case "stage":
		return p.T("tracking.stage." + string(stageOfWords(v)))
	case "reason":
		return v
	default:
		if d, err := planner.ParseDate(v); err == nil {
			return p.D(d)
		}
	}
	return v
}

// daysWords is "1 día" / "3 días".
func daysWords(p *Page, n int) string {
	if n == 1 || n == -1 {
		return p.T("tracking.days_one", "N", p.N(n))
	}
	return p.T("tracking.days_other", "N", p.N(n))
}

// stageOfWords maps the English stage words of a past_due reason back to
// the stage, so that it can be translated.
func stageOfWords(w string) planner.Stage {
	switch w {
	case "not dispatched":
		return planner.StagePlanned
	case "in transit":
		return planner.StageInTransit
	}
	return planner.Stage(w)
}
