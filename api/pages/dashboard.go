package pages

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// routesTracking registers the tracking screens: the campaign dashboard,
// the shipment list and the shipment page with its event forms. Reads need
// the viewer role, writes (events, alert acknowledgements) the planner role.
// The JSON side of tracking lives in api/jsonapi.
func (s *handlers) routesTracking(pages, field *gin.RouterGroup) {
	camp, plan := s.Res.Campaign(), s.Web.RequireRole(web.RolePlanner)
	pages.GET("/campaigns/:id/dashboard", camp, s.dashboard)
	pages.POST("/campaigns/:id/alerts/:event/ack", plan, camp, s.ackAlertPage)
	// A field account reads its places' shipments and records their
	// receipt and distribution (campaignShipment: another place's is 404).
	view, record := s.Web.RequireAny(web.RoleField, web.RoleViewer), s.Web.RequireAny(web.RoleField, web.RolePlanner)
	field.GET("/campaigns/:id/shipments", view, camp, s.shipmentsPage)
	field.GET("/campaigns/:id/shipments/:sid", view, camp, s.shipmentPage)
	field.POST("/campaigns/:id/shipments/:sid/events", record, camp, s.postEventForm)
	field.GET("/campaigns/:id/shipments/:sid/receive", record, camp, s.receivePage)
	field.POST("/campaigns/:id/shipments/:sid/receive", record, camp, s.postReceive)
	field.GET("/campaigns/:id/shipments/:sid/distribute", record, camp, s.distributePage)
	field.POST("/campaigns/:id/shipments/:sid/distribute", record, camp, s.postDistribute)
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
func (s *handlers) dashboard(c *gin.Context) {
	id, _ := resolve.CampaignID(c) // Res.Campaign() checked it
	pl, err := s.Res.Planned(c, id)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	camp := pl.Campaign
	today, err := s.Res.Today(c, camp)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	d := dashboardData{CampaignID: id, Today: today, Deadline: camp.Deadline, DaysLeft: camp.Deadline.DaysSince(today)}
	latest, err := s.Res.LatestPlan(c.Request.Context(), id)
	switch {
	case planner.ErrorCode(err) == planner.ENotFound:
		d.NoPlan = true
		s.Web.Render(c, http.StatusOK, "dashboard", d)
		return
	case err != nil:
		s.Web.PageError(c, err)
		return
	}
	d.PlanVersion = latest.Version
	progress, alerts, stamp, err := s.DB.CampaignTracking(c.Request.Context(), id, today)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	key, keep := dashboardKeyOf(c, camp, today, latest.Version, stamp)
	if keep {
		if body, ok := s.dash.get(key); ok {
			c.Data(http.StatusOK, "text/html; charset=utf-8", body)
			return
		}
	}
	p := s.Web.NewPage(c, "", nil)
	d.Progress = progress
	if pr := d.Progress; pr.PaceFrom != nil {
		d.PaceFrom = *pr.PaceFrom
	}
	if pr := d.Progress; pr.ProjectedCompletion != nil && pr.ProjectedSlipDays != nil {
		d.Projected = *pr.ProjectedCompletion
		d.LateDays, d.EarlyDays = max(*pr.ProjectedSlipDays, 0), max(-*pr.ProjectedSlipDays, 0)
		d.LateWords, d.EarlyWords = web.DaysWords(p, d.LateDays), web.DaysWords(p, d.EarlyDays)
	}
	d.Totals = totalRows(p, d.Progress)
	for _, a := range d.Progress.AtRisk {
		d.AtRisk = append(d.AtRisk, riskView{ShipmentAssessment: a, CityName: web.CityName(camp, a.City), Words: web.ReasonWords(p, a.Reason)})
	}
	d.Alerts = groupAlerts(camp, alerts)
	d.BurnDown = burnDownData(p, d.Progress.BurnDown)
	for _, st := range knownPageStatuses {
		if n := d.Progress.ByStatus[st]; n > 0 {
			d.Statuses = append(d.Statuses, statusCount{Status: st, Count: n})
		}
	}
	body := s.Web.RenderHTML(c, "dashboard", d)
	if body == nil {
		return // answered "internal error"
	}
	if keep {
		s.dash.put(key, body)
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", body)
}

// knownPageStatuses lists the statuses in the order a logistics officer reads them.
var knownPageStatuses = planner.Statuses

func totalRows(p *web.Page, pr planner.CampaignProgress) []totalRow {
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
				CityName: web.CityName(camp, a.City), Date: a.Date})
			i = len(out) - 1
			at[a.EventID] = i
		}
		out[i].Lines = append(out[i].Lines, a)
	}
	return out
}

func burnDownData(p *web.Page, days []planner.BurnDownDay) burnDownJSON {
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
func (s *handlers) ackAlertPage(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	event, err := web.PathID(c, "event")
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	if _, err := s.DB.AckAlert(web.ActorContext(c), id, event); err != nil {
		s.Web.PageError(c, err)
		return
	}
	s.Flash(c, s.Web.Tr(c, "tracking.alert.acknowledged"))
	c.Redirect(http.StatusSeeOther, "/campaigns/"+strconv.FormatInt(id, 10)+"/dashboard")
}
