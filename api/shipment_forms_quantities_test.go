package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// shipmentAt returns a seeded demo shipment at the given stage.
func shipmentAt(t *testing.T, ts *testServer, stage planner.Stage) planner.ShipmentRecord {
	t.Helper()
	list, err := ts.db.ListShipments(context.Background(), ts.CampaignID, store.ShipmentFilter{Stage: stage})
	if err != nil || len(list) == 0 {
		t.Fatalf("no demo shipment at stage %s: %v", stage, err)
	}
	return list[0]
}

// The tracking forms on the demo: quantities beyond what a shipment holds
// (issue 12.3) and categories the material does not target (issue 9.5)
// come back as 422 with the message next to the input, nothing stored;
// the correction form corrects every field of an event (issue 9.5); an
// undispatched shipment says so beside its expected arrival (issue 9.9).
func TestTrackingFormsBoundsAndCorrections(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	for _, tc := range []struct {
		name string
		run  func(*testing.T, *testServer)
	}{
		{"distribution beyond int range", checkFormDistributionBound},
		{"distribution to an untargeted category", checkFormUntargetedCategory},
		{"correction beyond what was dispatched", checkFormCorrectionBound},
		{"correction of every dispatch field", checkFormCorrectDispatch},
		{"not dispatched yet", checkFormNotDispatchedYet},
		{"correction of a distribution", checkFormCorrectDistribution},
		{"missing pieces on the dashboard", checkFormMissingOnDashboard},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, ts) })
	}
}

// postShipmentForm posts form (its key taken from the page) and returns
// the status and body.
func postShipmentForm(t *testing.T, ts *testServer, sh planner.ShipmentRecord, formID string, form url.Values) (int, string) {
	t.Helper()
	page := fmt.Sprintf("/campaigns/%d/shipments/%d", ts.CampaignID, sh.ID)
	cl := ts.client(t, web.RolePlanner)
	_, body := ts.get(t, cl, page)
	form.Set("idem", formKey(t, body, formID))
	code, body, _ := ts.post(t, cl, page+"/events", form)
	return code, body
}

func wantFieldError(t *testing.T, code int, body, inputID, text string) {
	t.Helper()
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", code)
	}
	if cell := section(t, body, inputID, "</td>"); !strings.Contains(cell, `class="field-error"`) || !strings.Contains(cell, text) {
		t.Errorf("no error %q next to #%s: %s", text, inputID, cell)
	}
}

func checkFormDistributionBound(t *testing.T, ts *testServer) {
	sh := shipmentAt(t, ts, planner.StageDelivered)
	before := eventCount(t, ts, sh.ID)
	m := sh.Lines[0].Material
	camp, _ := ts.db.GetCampaign(context.Background(), ts.CampaignID)
	cat := targetedCategory(camp, m, true)
	form := url.Values{"kind": {"distributed"}, "date": {"2009-03-20"},
		"distribution[0].material": {m}, "distribution[0].category": {cat}, "distribution[0].pieces": {"100"},
		"distribution[2].material": {m}, "distribution[2].category": {cat}, "distribution[2].pieces": {"9223372036854775807"}}
	code, body := postShipmentForm(t, ts, sh, "form-distributed", form)
	wantFieldError(t, code, body, "distributed-distribution-2-pieces", "exceden lo que queda por repartir")
	if got := eventCount(t, ts, sh.ID); got != before {
		t.Errorf("%d events after a refused form, want %d", got, before)
	}
}

// targetedCategory is a category that material targets (or, with
// targeted false, one it does not target); "" when there is none.
func targetedCategory(camp *planner.Campaign, material string, targeted bool) string {
	for _, c := range camp.Categories {
		if camp.Targets(material, c.Code) == targeted {
			return c.Code
		}
	}
	return ""
}

func checkFormUntargetedCategory(t *testing.T, ts *testServer) {
	sh := shipmentAt(t, ts, planner.StageDelivered)
	camp, _ := ts.db.GetCampaign(context.Background(), ts.CampaignID)
	for _, l := range sh.Lines {
		cat := targetedCategory(camp, l.Material, false)
		if cat == "" {
			continue
		}
		form := url.Values{"kind": {"distributed"}, "date": {"2009-03-20"},
			"distribution[0].material": {l.Material}, "distribution[0].category": {cat}, "distribution[0].pieces": {"1"}}
		code, body := postShipmentForm(t, ts, sh, "form-distributed", form)
		wantFieldError(t, code, body, "distributed-distribution-0-category", "no está dirigido a la categoría "+cat)
		return
	}
	t.Skip("every material of the shipment targets every category")
}

func checkFormCorrectionBound(t *testing.T, ts *testServer) {
	sh := shipmentAt(t, ts, planner.StageDelivered)
	var delivered planner.Event
	for _, e := range sh.Events {
		if e.Kind == planner.EventDelivered {
			delivered = e
		}
	}
	form := url.Values{"kind": {"correction"}, "corrects": {strconv.FormatInt(delivered.ID, 10)}, "date": {"2009-03-20"},
		"reason": {"recuento"}, "replacement.discrepancy": {"1"}}
	for i, l := range sh.Lines {
		form.Set(fmt.Sprintf("replacement.lines[%d].accepted", i), strconv.FormatInt(l.Pieces, 10))
		form.Set(fmt.Sprintf("replacement.lines[%d].rejected", i), "0")
	}
	form.Set("replacement.lines[0].accepted", "9223372036854775807")
	code, body := postShipmentForm(t, ts, sh, fmt.Sprintf("form-correction-%d", delivered.ID), form)
	wantFieldError(t, code, body, fmt.Sprintf("correction-%d-replacement-lines-0-accepted", delivered.ID),
		"no puede exceder las "+esNumber(sh.Lines[0].Pieces)+" piezas despachadas")
}

func checkFormCorrectDispatch(t *testing.T, ts *testServer) {
	sh := shipmentAt(t, ts, planner.StageInTransit)
	dispatch := sh.Events[0]
	formID := fmt.Sprintf("form-correction-%d", dispatch.ID)
	page := fmt.Sprintf("/campaigns/%d/shipments/%d", ts.CampaignID, sh.ID)
	cl := ts.client(t, web.RolePlanner)
	_, body := ts.get(t, cl, page)
	form := section(t, body, formID, "</form>")
	for _, want := range []string{`name="replacement.carrier"`, `value="` + dispatch.Carrier + `"`, `name="replacement.waybill"`,
		`name="replacement.vehicle"`, `name="replacement.boxes"`, `name="replacement.loaded[0].pieces"`, `name="replacement.note"`} {
		if !strings.Contains(form, want) {
			t.Errorf("the correction form of the dispatch lacks %s", want)
		}
	}
	code, body := postShipmentForm(t, ts, sh, formID, url.Values{"kind": {"correction"}, "corrects": {strconv.FormatInt(dispatch.ID, 10)},
		"date": {"2009-03-20"}, "reason": {"guía equivocada"}, "replacement.date": {dispatch.Date.String()},
		"replacement.carrier": {"Transportes Monroy"}, "replacement.waybill": {"TG-0042"}, "replacement.vehicle": {""},
		"replacement.boxes": {strconv.FormatInt(dispatch.Boxes, 10)}})
	if code != http.StatusSeeOther {
		t.Fatalf("status %d, want 303: %.2000s", code, body)
	}
	got, err := ts.db.GetShipment(context.Background(), sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	st := got.State()
	if st.Carrier != "Transportes Monroy" || st.Waybill != "TG-0042" || st.Vehicle != "" || st.DispatchedBoxes != dispatch.Boxes {
		t.Errorf("state after the correction: carrier %q waybill %q vehicle %q boxes %d", st.Carrier, st.Waybill, st.Vehicle, st.DispatchedBoxes)
	}
	corr := got.Events[len(got.Events)-1]
	_, body = ts.get(t, cl, page)
	change := section(t, body, fmt.Sprintf("event-%d", corr.ID), "</table>")
	for _, want := range []string{"<del>" + dispatch.Carrier + "</del>", "<ins>Transportes Monroy</ins>", "<ins>TG-0042</ins>"} {
		if !strings.Contains(change, want) {
			t.Errorf("the correction row lacks %q: %s", want, change)
		}
	}
}

func checkFormNotDispatchedYet(t *testing.T, ts *testServer) {
	sh := shipmentAt(t, ts, planner.StagePlanned)
	cl := ts.client(t, web.RoleViewer)
	_, body := ts.get(t, cl, fmt.Sprintf("/campaigns/%d/shipments/%d", ts.CampaignID, sh.ID))
	today := planner.NewDate(2009, 3, 20)
	want, note := sh.Arrival, "aún no despachado: si sale el día planeado"
	if today.After(sh.Dispatch) {
		want, note = today.AddDays(sh.TransitDays), "aún no despachado: si sale hoy"
	}
	if got := section(t, body, "shipment-expected", "</dd>"); !strings.Contains(got, esDate(want)) || !strings.Contains(got, note) {
		t.Errorf("expected arrival %q, want %s (%s)", got, esDate(want), note)
	}
	_, body = ts.get(t, cl, fmt.Sprintf("/campaigns/%d/shipments?city=%s", ts.CampaignID, sh.City))
	row, _, _ := strings.Cut(body[max(0, strings.Index(body, fmt.Sprintf(`data-id="%d"`, sh.ID))):], "</tr>")
	if !strings.Contains(row, esDate(want)) || !strings.Contains(row, "Aún no despachado") {
		t.Errorf("the list does not say the shipment is not dispatched yet: %s", row)
	}
}

// checkFormCorrectDistribution: a fully distributed shipment's report is
// corrected to one piece fewer on its first line through the form, which
// shows every line pre-filled; the shipment then reads "partially
// distributed", in the page and in the list filter.
func checkFormCorrectDistribution(t *testing.T, ts *testServer) {
	sh := shipmentAt(t, ts, planner.StageDistributed)
	var dist planner.Event
	for _, e := range sh.Events {
		if e.Kind == planner.EventDistributed {
			dist = e
		}
	}
	formID := fmt.Sprintf("form-correction-%d", dist.ID)
	page := fmt.Sprintf("/campaigns/%d/shipments/%d", ts.CampaignID, sh.ID)
	cl := ts.client(t, web.RolePlanner)
	_, body := ts.get(t, cl, page)
	if !strings.Contains(body, `data-status="distributed"`) {
		t.Fatalf("%s is not distributed before the correction", sh.City)
	}
	form := section(t, body, formID, "</form>")
	for i, l := range dist.Distribution {
		want := fmt.Sprintf(`name="replacement.distribution[%d].pieces" id="correction-%d-replacement-distribution-%d-pieces" value="%d"`,
			i, dist.ID, i, l.Pieces)
		if !strings.Contains(form, want) {
			t.Fatalf("the correction form lacks %s", want)
		}
	}
	values := url.Values{"kind": {"correction"}, "corrects": {strconv.FormatInt(dist.ID, 10)}, "date": {"2009-03-20"},
		"reason": {"recuento"}, "replacement.date": {dist.Date.String()}}
	for i, l := range dist.Distribution {
		n := l.Pieces
		if i == 0 {
			n--
		}
		values.Set(fmt.Sprintf("replacement.distribution[%d].material", i), l.Material)
		values.Set(fmt.Sprintf("replacement.distribution[%d].category", i), l.Category)
		values.Set(fmt.Sprintf("replacement.distribution[%d].pieces", i), strconv.FormatInt(n, 10))
	}
	if code, body := postShipmentForm(t, ts, sh, formID, values); code != http.StatusSeeOther {
		t.Fatalf("status %d, want 303: %.1500s", code, body)
	}
	_, body = ts.get(t, cl, page)
	if !strings.Contains(body, `data-status="partially_distributed"`) || !strings.Contains(body, "Distribuido en parte") {
		t.Errorf("the page does not read partially distributed: %s", section(t, body, "shipment-title", "</h1>"))
	}
	_, body = ts.get(t, cl, fmt.Sprintf("/campaigns/%d/shipments?status=partially_distributed", ts.CampaignID))
	if !strings.Contains(body, fmt.Sprintf(`data-id="%d"`, sh.ID)) {
		t.Error("the list filtered by partially distributed does not show the shipment")
	}
}

// checkFormMissingOnDashboard: a delivery recorded through the form as a
// discrepancy, 25 pieces of its first material short, shows those pieces
// as losses "faltante" on the dashboard.
func checkFormMissingOnDashboard(t *testing.T, ts *testServer) {
	sh := shipmentAt(t, ts, planner.StageInTransit)
	st := sh.State()
	form := url.Values{"kind": {"delivered"}, "date": {"2009-03-20"}, "delivered_by": {"Operador"}, "received_by": {"Delegación"},
		"discrepancy": {"1"}}
	for i, l := range sh.Lines {
		form.Set(fmt.Sprintf("lines[%d].accepted", i), strconv.FormatInt(st.Dispatched[l.Material], 10))
		form.Set(fmt.Sprintf("lines[%d].rejected", i), "0")
	}
	form.Set("lines[0].accepted", strconv.FormatInt(st.Dispatched[sh.Lines[0].Material]-25, 10))
	if code, body := postShipmentForm(t, ts, sh, "form-delivered", form); code != http.StatusSeeOther {
		t.Fatalf("status %d, want 303: %.1500s", code, body)
	}
	_, body := ts.get(t, ts.client(t, web.RoleViewer), fmt.Sprintf("/campaigns/%d/dashboard", ts.CampaignID))
	row, _, _ := strings.Cut(body[max(0, strings.Index(body, `data-reason="missing"`)):], "</tr>")
	if !strings.Contains(row, "faltante") || !strings.Contains(row, ">25<") {
		t.Errorf("the dashboard's losses lack 25 missing pieces: %s", section(t, body, "dashboard-losses", "</section>"))
	}
}
