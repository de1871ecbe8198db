package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// demoShipment finds a shipment of the seeded demo by city code.
func demoShipment(t *testing.T, ts *testServer, city string) planner.ShipmentRecord {
	t.Helper()
	list, err := ts.db.ListShipments(context.Background(), ts.CampaignID, store.ShipmentFilter{City: city})
	if err != nil || len(list) != 1 {
		t.Fatalf("shipment of %s: %d found, %v", city, len(list), err)
	}
	return list[0]
}

// formKey reads the idempotency key of a form on the shipment page.
func formKey(t *testing.T, body, formID string) string {
	t.Helper()
	i := strings.Index(body, `id="`+formID+`"`)
	if i < 0 {
		t.Fatalf("no form #%s on the page", formID)
	}
	m := regexp.MustCompile(`name="idem" value="([^"]+)"`).FindStringSubmatch(body[i:])
	if m == nil {
		t.Fatalf("form #%s has no idempotency key", formID)
	}
	return m[1]
}

func eventCount(t *testing.T, ts *testServer, id int64) int {
	t.Helper()
	s, err := ts.db.GetShipment(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return len(s.Events)
}

func checkShipmentListFilters(t *testing.T, ts *testServer) {
	cl := ts.client(t, web.RoleViewer)
	base := fmt.Sprintf("/campaigns/%d/shipments", ts.CampaignID)
	row := regexp.MustCompile(`class="shipment-row" data-id="\d+" data-city="([A-Z]+)" data-status="([a-z_]+)"`)
	tests := []struct {
		query  string
		cities []string // nil: only count
		count  int
	}{
		{"?status=at_risk", []string{"MXL", "SLP"}, 2},
		{"?status=at_risk&sort=-city", []string{"SLP", "MXL"}, 2}, // Mexicali < San Luis Potosí by name
		{"?city=GDL", []string{"GDL"}, 1},
		{"?stage=in_transit", []string{"SLP"}, 1},
		{"?page=1", nil, 70}, // one shipment per city, on one page (100 rows a page)
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			code, body := ts.get(t, cl, base+tt.query)
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			got := row.FindAllStringSubmatch(body, -1)
			if len(got) != tt.count {
				t.Fatalf("%d rows, want %d", len(got), tt.count)
			}
			for i, c := range tt.cities {
				if got[i][1] != c {
					t.Errorf("row %d is %s, want %s", i, got[i][1], c)
				}
			}
		})
	}
	if code, _ := ts.get(t, cl, base+"?status=nonsense"); code != http.StatusUnprocessableEntity {
		t.Errorf("unknown status: %d, want 422", code)
	}
}

func checkRecordDispatch(t *testing.T, ts *testServer) {
	sh := demoShipment(t, ts, "XALA") // rebooked: on track, not dispatched
	if st, _ := sh.Assess(planner.NewDate(2009, 3, 20)); st != planner.StatusOnTrack || len(sh.Events) != 0 {
		t.Fatalf("XALA is %s with %d events; the test needs an on-track undispatched shipment", st, len(sh.Events))
	}
	page := fmt.Sprintf("/campaigns/%d/shipments/%d", ts.CampaignID, sh.ID)
	cl := ts.client(t, web.RolePlanner)
	code, body := ts.get(t, cl, page)
	if code != http.StatusOK {
		t.Fatalf("shipment page: %d", code)
	}
	form := url.Values{"kind": {"dispatched"}, "idem": {formKey(t, body, "form-dispatched")}, "date": {"2009-03-20"},
		"carrier": {"Castores"}, "waybill": {"FEV-77"}, "vehicle": {"Camión 3"}, "boxes": {strconv.FormatInt(sh.Boxes, 10)}}
	// The second post is a double submit: same key, one event.
	for try, flash := range []string{"Evento registrado: Despacho.", "Este formulario ya se había enviado"} {
		code, _, loc := ts.post(t, cl, page+"/events", form)
		if code != http.StatusSeeOther || loc != page {
			t.Fatalf("post %d: status %d to %q, want 303 to %s", try, code, loc, page)
		}
		if _, body := ts.get(t, cl, page); !strings.Contains(body, flash) {
			t.Errorf("post %d: no flash %q", try, flash)
		}
	}
	got, err := ts.db.GetShipment(context.Background(), sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Events) != 1 {
		t.Fatalf("%d events, want 1", len(got.Events))
	}
	e := got.Events[0]
	if e.Kind != planner.EventDispatched || e.Carrier != "Castores" || e.Boxes != sh.Boxes || e.Date != planner.NewDate(2009, 3, 20) ||
		e.Author != "planner@test.local" {
		t.Errorf("stored %+v", e)
	}
	_, body = ts.get(t, cl, page)
	if !strings.Contains(body, `data-stage="dispatched"`) {
		t.Error("the page does not show the dispatched stage")
	}
	if !strings.Contains(body, `id="form-delivered"`) {
		t.Error("a dispatched shipment offers no delivery form")
	}
}

func checkDeliveryWithoutReason(t *testing.T, ts *testServer) {
	sh := demoShipment(t, ts, "SLP") // in transit
	before := eventCount(t, ts, sh.ID)
	page := fmt.Sprintf("/campaigns/%d/shipments/%d", ts.CampaignID, sh.ID)
	cl := ts.client(t, web.RolePlanner)
	_, body := ts.get(t, cl, page)
	form := url.Values{"kind": {"delivered"}, "idem": {formKey(t, body, "form-delivered")}, "date": {"2009-03-20"},
		"delivered_by": {"Operador Castores"}, "received_by": {"Delegación SLP"}}
	for i, l := range sh.Lines {
		form.Set(fmt.Sprintf("lines[%d].accepted", i), strconv.FormatInt(l.Pieces, 10))
		form.Set(fmt.Sprintf("lines[%d].rejected", i), "0")
	}
	form.Set("lines[0].accepted", strconv.FormatInt(sh.Lines[0].Pieces-40, 10))
	form.Set("lines[0].rejected", "40") // and no reason

	code, body, _ := ts.post(t, cl, page+"/events", form)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", code)
	}
	reason := section(t, body, "delivered-lines-0-reason", "</td>")
	if !strings.Contains(reason, `class="field-error"`) || !strings.Contains(reason, "indique el motivo del rechazo") {
		t.Errorf("no error next to the reason of line 0: %s", reason)
	}
	if strings.Contains(section(t, body, "delivered-lines-1-reason", "</td>"), "field-error") {
		t.Error("line 1 has an error it does not deserve")
	}
	if !strings.Contains(body, `value="Operador Castores"`) || !strings.Contains(body, `value="40"`) {
		t.Error("the user's input is not kept")
	}
	if got := eventCount(t, ts, sh.ID); got != before {
		t.Errorf("%d events after a rejected form, want %d", got, before)
	}
}

func checkViewerCannotRecord(t *testing.T, ts *testServer) {
	sh := demoShipment(t, ts, "XALA")
	page := fmt.Sprintf("/campaigns/%d/shipments/%d", ts.CampaignID, sh.ID)
	cl := ts.client(t, web.RoleViewer)
	code, body := ts.get(t, cl, page)
	if code != http.StatusOK || strings.Contains(body, `id="form-dispatched"`) {
		t.Fatalf("viewer page: status %d, forms shown: %v", code, strings.Contains(body, "<form method=\"post\" action=\""+page))
	}
	form := url.Values{"kind": {"dispatched"}, "date": {"2009-03-20"}, "carrier": {"X"}, "boxes": {strconv.FormatInt(sh.Boxes, 10)}}
	if code, _, _ := ts.post(t, cl, page+"/events", form); code != http.StatusForbidden {
		t.Errorf("viewer post: status %d, want 403", code)
	}
	if n := eventCount(t, ts, sh.ID); n != 0 {
		t.Errorf("%d events stored by a viewer", n)
	}
}

func checkShipmentOfAnotherCampaign(t *testing.T, ts *testServer) {
	sh := demoShipment(t, ts, "GDL")
	code, _ := ts.get(t, ts.client(t, web.RoleViewer), fmt.Sprintf("/campaigns/%d/shipments/%d", ts.CampaignID+1, sh.ID))
	if code != http.StatusNotFound {
		t.Errorf("status %d, want 404", code)
	}
}

// A recount finds GDL's 150 "damaged" pieces fine: the correction
// replaces the delivery's quantities, the log keeps both and shows what
// changed, and the alert goes away.
// checkCorrectDelivery: a recount at Acapulco finds 40 pieces of its first
// material missing. The correction replaces the delivery's quantities, the
// log keeps both and shows what changed, and a new alert is raised.
func checkCorrectDelivery(t *testing.T, ts *testServer) {
	sh := demoShipment(t, ts, "ACA")
	var delivered planner.Event
	for _, e := range sh.Events {
		if e.Kind == planner.EventDelivered {
			delivered = e
		}
	}
	page := fmt.Sprintf("/campaigns/%d/shipments/%d", ts.CampaignID, sh.ID)
	cl := ts.client(t, web.RolePlanner)
	_, body := ts.get(t, cl, page)
	formID := fmt.Sprintf("form-correction-%d", delivered.ID)
	form := url.Values{"kind": {"correction"}, "corrects": {strconv.FormatInt(delivered.ID, 10)}, "idem": {formKey(t, body, formID)},
		"date": {"2009-03-20"}, "reason": {"recuento en la delegación"}, "replacement.date": {delivered.Date.String()}}
	for i, l := range sh.Lines {
		form.Set(fmt.Sprintf("replacement.lines[%d].accepted", i), strconv.FormatInt(l.Pieces, 10))
		form.Set(fmt.Sprintf("replacement.lines[%d].rejected", i), "0")
	}
	first := sh.Lines[0]
	form.Set("replacement.lines[0].accepted", strconv.FormatInt(first.Pieces-40, 10))
	form.Set("replacement.lines[0].rejected", "40")
	form.Set("replacement.lines[0].reason", "lost")
	if code, body, _ := ts.post(t, cl, page+"/events", form); code != http.StatusSeeOther {
		t.Fatalf("status %d, want 303: %s", code, body)
	}
	got, err := ts.db.GetShipment(context.Background(), sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.Events); n != len(sh.Events)+1 || got.Events[n-1].Kind != planner.EventCorrection {
		t.Fatalf("%d events, want the log plus one correction", n)
	}
	corr := got.Events[len(got.Events)-1]
	_, body = ts.get(t, cl, page)
	original := section(t, body, fmt.Sprintf("event-%d", delivered.ID), "</tr>")
	if !strings.Contains(original, "corregido por") || !strings.Contains(original, fmt.Sprintf("#%d", corr.ID)) {
		t.Errorf("the corrected delivery does not name its correction: %s", original)
	}
	change := section(t, body, fmt.Sprintf("event-%d", corr.ID), "</table>")
	for _, want := range []string{"Aceptadas " + first.Material, "<del>" + esNumber(first.Pieces) + "</del>",
		"<ins>" + esNumber(first.Pieces-40) + "</ins>", "Rechazadas " + first.Material, "<ins>40 (extraviado)</ins>",
		"recuento en la delegación"} {
		if !strings.Contains(change, want) {
			t.Errorf("the correction row lacks %q: %s", want, change)
		}
	}
	alerts, err := ts.db.ListAlerts(context.Background(), ts.CampaignID)
	found := false
	for _, a := range alerts {
		found = found || (a.City == "ACA" && a.Material == first.Material && a.Rejected == 40 && a.Reason == planner.RejectLost)
	}
	if err != nil || !found {
		t.Errorf("no alert for the 40 lost pieces of ACA: %+v, %v", alerts, err)
	}
}

// With 250 rows and 100 a page there are 3 pages: 100, 100 and 50 rows.
