package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// seedDemoTracking gives the test server's demo campaign the tracking
// story of the demo (store/demo.go, as reparto serve loads it) unless a plan is already
// committed: plan v1; every shipment leaves on its planned day except MXL
// (held back, at risk) and XALA (rebooked); each is delivered on its
// planned arrival except SLP (seen on the road, then overdue); GDL rejects
// 150 pieces of its first material as damaged, the one alert.
func seedDemoTracking(t testing.TB, ts *testServer) {
	t.Helper()
	ctx := context.Background()
	if _, err := ts.db.LatestPlan(ctx, ts.CampaignID); err == nil {
		return
	}
	camp, err := ts.db.GetCampaign(ctx, ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ts.db.SeedDemoTracking(ctx, ts.CampaignID, camp); err != nil {
		t.Fatal(err)
	}
}

// esNumber and esDate format like a Mexican reader expects, written here
// independently of the page helpers.
func esNumber(n int64) string {
	return message.NewPrinter(language.MustParse("es-MX")).Sprintf("%d", n)
}

func esDate(d planner.Date) string {
	months := []string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"}
	t := d.Time()
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
}

// section returns the HTML from the element with the given id to the
// first end marker after it ("</tr>", "</section>", "</p>"...).
func section(t *testing.T, body, id, end string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no element #%s in the page", id)
	}
	rest := body[i:]
	if j := strings.Index(rest, end); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// demoTotals sums the stored log by hand: what left (boxes of dispatched
// events), what was accepted, and the plan of the non-cancelled shipments.
type demoTotals struct {
	plannedPieces, plannedBoxes, dispatchedBoxes, acceptedPieces int64
	undispatchedBoxes                                            int64
	dispatches                                                   []dispatch
}

type dispatch struct {
	on    planner.Date
	boxes int64
}

func sumDemo(t *testing.T, ts *testServer) demoTotals {
	t.Helper()
	list, err := ts.db.ListShipments(context.Background(), ts.CampaignID, store.ShipmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var d demoTotals
	for _, s := range list {
		d.plannedPieces += s.Pieces
		d.plannedBoxes += s.Boxes
		left := false
		for _, e := range s.Events {
			switch e.Kind {
			case planner.EventDispatched:
				d.dispatchedBoxes += e.Boxes
				d.dispatches = append(d.dispatches, dispatch{on: e.Date, boxes: e.Boxes})
				left = true
			case planner.EventDelivered:
				for _, l := range e.Lines {
					d.acceptedPieces += l.Accepted
				}
			}
		}
		if !left {
			d.undispatchedBoxes += s.Boxes
		}
	}
	return d
}

// projectedEnd works out the spec's projection by hand: the pace is the
// boxes dispatched on the last 7 working days up to today (Mon–Fri, the
// campaign's holidays excluded); the remaining boxes take
// ceil(7*remaining/pace) more working days.
func projectedEnd(d demoTotals, today planner.Date, holidays []planner.Date) planner.Date {
	work := func(x planner.Date) bool {
		if x.Weekday() == time.Saturday || x.Weekday() == time.Sunday {
			return false
		}
		for _, h := range holidays {
			if h.Equal(x) {
				return false
			}
		}
		return true
	}
	from, n := today, 0
	for ; ; from = from.AddDays(-1) {
		if work(from) {
			if n++; n == 7 {
				break
			}
		}
	}
	var pace int64
	for _, x := range d.dispatches {
		if !x.on.Before(from) && !x.on.After(today) {
			pace += x.boxes
		}
	}
	need := (7*d.undispatchedBoxes + pace - 1) / pace
	end := today
	for need > 0 {
		end = end.AddDays(1)
		if work(end) {
			need--
		}
	}
	return end
}

// The tracking screens share one seeded server, as seeding the demo's 70
// shipments is the slow part. The checks run in order: the dashboard and
// the list see the demo as seeded; each later check touches its own
// shipment (XALA, SLP, ACA) or, last, the GDL alert.
func TestTrackingScreensOnTheDemo(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	for _, tc := range []struct {
		name string
		run  func(*testing.T, *testServer)
	}{
		{"dashboard: totals, risks, alert, projection", checkDashboard},
		{"list filters", checkShipmentListFilters},
		{"viewer cannot record", checkViewerCannotRecord},
		{"shipment of another campaign", checkShipmentOfAnotherCampaign},
		{"delivery rejected without reason is 422", checkDeliveryWithoutReason},
		{"record a dispatch", checkRecordDispatch},
		{"correct a delivery", checkCorrectDelivery},
		{"acknowledge the alert", checkAcknowledgeAlert},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, ts) })
	}
}

func checkDashboard(t *testing.T, ts *testServer) {
	want := sumDemo(t, ts)
	code, body := ts.get(t, ts.client(t, web.RoleViewer), fmt.Sprintf("/campaigns/%d/dashboard", ts.CampaignID))
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	for id, n := range map[string][]int64{
		"total-planned":    {want.plannedPieces, want.plannedBoxes},
		"total-dispatched": {want.dispatchedBoxes},
		"total-delivered":  {want.acceptedPieces},
	} {
		row := section(t, body, id, "</tr>")
		for _, v := range n {
			if !strings.Contains(row, ">"+esNumber(v)+"<") {
				t.Errorf("#%s does not show %s", id, esNumber(v))
			}
		}
	}
	if !strings.Contains(body, "<progress ") || strings.Contains(body, "style=") {
		t.Error("progress bars must be <progress> elements, with no inline style")
	}
	// The deadline is 2009-03-31: 11 days after 2009-03-20.
	if kpi := section(t, body, "kpi-deadline", "</section>"); !strings.Contains(kpi, `<div class="value">11</div>`) {
		t.Errorf("days to deadline: %s", kpi)
	}

	risk := section(t, body, "dashboard-at-risk", "</section>")
	rows := regexp.MustCompile(`class="at-risk-row" data-city="([A-Z]+)"`).FindAllStringSubmatch(risk, -1)
	if len(rows) != 2 || rows[0][1] == rows[1][1] {
		t.Fatalf("at-risk rows %v, want MXL and SLP", rows)
	}
	// MXL's latest dispatch day was 03-19; SLP left 03-13 with 2 transit days.
	for _, reason := range []string{
		"Sin despachar; el último día de despacho fue el 19 mar 2009 (hace 1 día)",
		"Despachado el 13 mar 2009; se esperaba el 15 mar 2009 y no hay acuse de entrega (5 días de retraso)",
	} {
		if !strings.Contains(risk, reason) {
			t.Errorf("at-risk list lacks the reason %q", reason)
		}
	}

	alerts := section(t, body, "dashboard-alerts", "</section>")
	if n := strings.Count(alerts, `class="alert"`); n != 1 || !strings.Contains(alerts, "Guadalajara") || !strings.Contains(alerts, ">150<") {
		t.Errorf("%d alerts, want GDL with 150 rejected pieces: %s", n, alerts)
	}
	if strings.Contains(alerts, "ack-button") {
		t.Error("a viewer sees the Acknowledge button")
	}
	if losses := section(t, body, "dashboard-losses", "</section>"); !strings.Contains(losses, "dañado") || !strings.Contains(losses, ">150<") {
		t.Errorf("losses by reason: %s", losses)
	}

	camp, err := ts.db.GetCampaignHeader(context.Background(), ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	end := projectedEnd(want, planner.NewDate(2009, time.March, 20), camp.Dispatch.Holidays)
	if proj := section(t, body, "projection", "</p>"); !strings.Contains(proj, "terminaría el "+esDate(end)) {
		t.Errorf("projection does not say %s: %s", esDate(end), proj)
	}
	if !strings.Contains(body, `id="burndown-data"`) || !strings.Contains(body, "chart.umd.js") {
		t.Error("no burn-down data or chart script")
	}
}

func TestDashboardWithoutPlanLinksToThePlan(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	if _, err := ts.db.LatestPlan(context.Background(), ts.CampaignID); err == nil {
		t.Skip("the shared test server commits a plan")
	}
	code, body := ts.get(t, ts.client(t, web.RoleViewer), fmt.Sprintf("/campaigns/%d/dashboard", ts.CampaignID))
	if code != http.StatusOK || !strings.Contains(body, `id="dashboard-no-plan"`) ||
		!strings.Contains(body, fmt.Sprintf(`href="/campaigns/%d/plan"`, ts.CampaignID)) {
		t.Fatalf("status %d; want the no-plan notice with a link to the plan", code)
	}
}

// checkAcknowledgeAlert acknowledges GDL's damaged pieces: its alert
// leaves the dashboard, any other stays.
func checkAcknowledgeAlert(t *testing.T, ts *testServer) {
	alerts, err := ts.db.ListAlerts(context.Background(), ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	var gdl int64
	for _, a := range alerts {
		if a.City == "GDL" {
			gdl = a.EventID
		}
	}
	if gdl == 0 {
		t.Fatalf("no GDL alert in %+v", alerts)
	}
	dash := fmt.Sprintf("/campaigns/%d/dashboard", ts.CampaignID)
	ack := fmt.Sprintf("/campaigns/%d/alerts/%d/ack", ts.CampaignID, gdl)

	if code, _, _ := ts.post(t, ts.client(t, web.RoleViewer), ack, url.Values{}); code != http.StatusForbidden {
		t.Errorf("viewer acknowledging: status %d, want 403", code)
	}
	pl := ts.client(t, web.RolePlanner)
	_, before := ts.get(t, pl, dash)
	if !strings.Contains(before, fmt.Sprintf(`id="ack-%d"`, gdl)) {
		t.Fatal("the planner has no Acknowledge button")
	}
	code, _, loc := ts.post(t, pl, ack, url.Values{})
	if code != http.StatusSeeOther || loc != dash {
		t.Fatalf("acknowledge: status %d to %q, want 303 to the dashboard", code, loc)
	}
	_, after := ts.get(t, pl, dash)
	if strings.Contains(after, fmt.Sprintf(`id="alert-%d"`, gdl)) {
		t.Error("the acknowledged alert is still on the dashboard")
	}
	if n, m := strings.Count(before, `class="alert"`), strings.Count(after, `class="alert"`); m != n-1 {
		t.Errorf("%d alerts before and %d after acknowledging one", n, m)
	}
	if !strings.Contains(after, "Alerta atendida.") {
		t.Error("no flash after acknowledging")
	}
}
