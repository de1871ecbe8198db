package api

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/reparto/reparto/api/jsonapi"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

func TestShipmentRoutesNeedAuthAndRoles(t *testing.T) {
	f := newTrackingFixture(t, true)
	tap := f.shipment("TAP")
	anon := &apiClient{f: f.authFixture}
	cases := []struct {
		c      *apiClient
		method string
		path   string
		body   any
		want   int
	}{
		{anon, "GET", "/api/v1/campaigns", nil, http.StatusUnauthorized},
		{anon, "GET", shipmentPath(tap.ID, ""), nil, http.StatusUnauthorized},
		{f.viewer, "POST", shipmentPath(tap.ID, "/events"), dispatchBody(tap, "2009-03-02"), http.StatusForbidden},
		{f.viewer, "PATCH", shipmentPath(tap.ID, ""), map[string]any{"dispatch": "2009-03-23"}, http.StatusForbidden},
		{f.viewer, "POST", f.campaignPath("/plan/commit"), map[string]any{"expected_version": 1}, http.StatusForbidden},
		{f.viewer, "POST", "/api/v1/alerts/1/1/ack", nil, http.StatusForbidden},
		{f.viewer, "GET", "/api/v1/campaigns", nil, http.StatusOK},
		{f.viewer, "GET", f.campaignPath("/shipments"), nil, http.StatusOK},
		{f.viewer, "GET", f.campaignPath("/shipments?status=late"), nil, http.StatusOK},
		{f.viewer, "GET", f.campaignPath("/shipments?status=lost"), nil, http.StatusUnprocessableEntity},
		{f.viewer, "GET", "/api/v1/campaigns/999/shipments", nil, http.StatusNotFound},
		{f.viewer, "GET", "/api/v1/campaigns/abc/shipments", nil, http.StatusBadRequest},
		{f.viewer, "GET", shipmentPath(999, ""), nil, http.StatusNotFound},
		{f.viewer, "GET", f.campaignPath("/progress"), nil, http.StatusOK},
		{f.viewer, "GET", f.campaignPath("/progress?today=2009-13-01"), nil, http.StatusBadRequest},
		{f.viewer, "GET", "/api/v1/campaigns/999/progress", nil, http.StatusNotFound},
		{f.viewer, "GET", f.campaignPath("/alerts"), nil, http.StatusOK},
		{f.viewer, "GET", "/api/v1/campaigns/999/alerts", nil, http.StatusNotFound},
		{anon, "GET", "/api/v1/openapi.json", nil, http.StatusOK},
	}
	for _, c := range cases {
		w := c.c.call(c.method, c.path, c.body)
		if w.Code != c.want {
			t.Errorf("%s %s: %d %s, want %d", c.method, c.path, w.Code, w.Body, c.want)
		}
		if w.Code >= 400 {
			if d := jsonError(t, w); d.Code == "" || d.Message == "" {
				t.Errorf("%s %s: error body %s lacks code or message", c.method, c.path, w.Body)
			}
		}
	}
}

func TestGetShipmentHasStateStatusEventsAndETag(t *testing.T) {
	f := newTrackingFixture(t, true)
	tap := f.shipment("TAP")
	w := f.planner.call("POST", shipmentPath(tap.ID, "/events"), dispatchBody(tap, "2009-03-02"))
	wantStatus(t, w, http.StatusCreated)
	w = f.viewer.call("GET", shipmentPath(tap.ID, ""), nil)
	wantStatus(t, w, http.StatusOK)
	if got := w.Header().Get("ETag"); got != `W/"2"` {
		t.Errorf("ETag %q, want W/\"2\" (created, then one event)", got)
	}
	var s jsonapi.ShipmentDetailJSON
	decode(t, w, &s)
	// TAP: dispatched 2009-03-02 with its planned transit; on 2009-03-20 it
	// is past its expected arrival without a delivery: at risk.
	wantArrival := planner.NewDate(2009, 3, 2).AddDays(tap.TransitDays)
	if s.State.Stage != planner.StageDispatched || len(s.Events) != 1 || s.Events[0].Author != "planner@example.org" ||
		s.ExpectedArrival != wantArrival || s.Status != planner.StatusAtRisk || s.Reason.Code != planner.ReasonArrivalOverdue {
		t.Errorf("shipment = %+v", s)
	}
}

func TestPostEventStatusCodes(t *testing.T) {
	f := newTrackingFixture(t, true)
	tap := f.shipment("TAP")
	path := shipmentPath(tap.ID, "/events")
	body := dispatchBody(tap, "2009-03-02")

	w := f.planner.call("POST", path, `{"kind": "dispatched",`)
	wantStatus(t, w, http.StatusBadRequest)
	w = f.planner.call("POST", path, `{"kind": "dispatched", "colour": "red"}`)
	wantStatus(t, w, http.StatusBadRequest)
	w = f.planner.call("POST", path, body, "Idempotency-Key", "has space")
	wantStatus(t, w, http.StatusBadRequest)
	w = f.planner.call("POST", path, body, "If-Match", "nonsense")
	wantStatus(t, w, http.StatusBadRequest)
	w = f.planner.call("POST", shipmentPath(999, "/events"), body)
	wantStatus(t, w, http.StatusNotFound)

	// Delivered before dispatch: 422 naming the field.
	w = f.planner.call("POST", path, map[string]any{"kind": "delivered", "date": "2009-03-05", "delivered_by": "a", "received_by": "b",
		"lines": []map[string]any{{"material": "L3", "accepted": 1}}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	if d := jsonError(t, w); d.Fields["kind"] == "" {
		t.Errorf("fields %v, want kind", d.Fields)
	}
	// Stale If-Match: 409.
	w = f.planner.call("POST", path, body, "If-Match", `W/"7"`)
	wantStatus(t, w, http.StatusConflict)

	// Created, replayed, key reused with another body.
	w = f.planner.call("POST", path, body, "Idempotency-Key", "k-1", "If-Match", `W/"1"`)
	wantStatus(t, w, http.StatusCreated)
	var first planner.Event
	decode(t, w, &first)
	w = f.planner.call("POST", path, body, "Idempotency-Key", "k-1", "If-Match", `W/"1"`)
	wantStatus(t, w, http.StatusOK)
	var replay planner.Event
	decode(t, w, &replay)
	if replay.ID != first.ID || w.Header().Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay %+v, want the original %+v", replay, first)
	}
	other := dispatchBody(tap, "2009-03-03")
	w = f.planner.call("POST", path, other, "Idempotency-Key", "k-1")
	wantStatus(t, w, http.StatusConflict)
	// Dispatched twice: 422.
	w = f.planner.call("POST", path, other)
	wantStatus(t, w, http.StatusUnprocessableEntity)

	w = f.viewer.call("GET", shipmentPath(tap.ID, ""), nil)
	var s jsonapi.ShipmentDetailJSON
	decode(t, w, &s)
	if len(s.Events) != 1 {
		t.Errorf("%d events stored, want 1", len(s.Events))
	}
}

func TestPatchShipmentOptimisticConcurrency(t *testing.T) {
	f := newTrackingFixture(t, true)
	mex := f.shipment("MEX")
	path := shipmentPath(mex.ID, "")
	w := f.planner.call("PATCH", path, map[string]any{"dispatch": "2009-03-23"})
	wantStatus(t, w, http.StatusBadRequest) // no If-Match nor version
	w = f.planner.call("PATCH", path, map[string]any{"dispatch": "2009-03-23"}, "If-Match", `W/"9"`)
	wantStatus(t, w, http.StatusConflict)
	w = f.planner.call("PATCH", path, map[string]any{"dispatch": "2010-01-01"}, "If-Match", web.ETag(mex.Version))
	wantStatus(t, w, http.StatusUnprocessableEntity)
	w = f.planner.call("PATCH", path, map[string]any{}, "If-Match", web.ETag(mex.Version))
	wantStatus(t, w, http.StatusUnprocessableEntity)
	w = f.planner.call("PATCH", path, map[string]any{"dispatch": "2009-03-23"}, "If-Match", web.ETag(mex.Version))
	wantStatus(t, w, http.StatusOK)
	var s jsonapi.ShipmentDetailJSON
	decode(t, w, &s)
	if s.Dispatch != planner.NewDate(2009, 3, 23) || s.Version != mex.Version+1 || w.Header().Get("ETag") != web.ETag(mex.Version+1) {
		t.Errorf("after PATCH: dispatch %s version %d ETag %s", s.Dispatch, s.Version, w.Header().Get("ETag"))
	}
	// The same write again with the old ETag is stale.
	w = f.planner.call("PATCH", path, map[string]any{"dispatch": "2009-03-24"}, "If-Match", web.ETag(mex.Version))
	wantStatus(t, w, http.StatusConflict)
	w = f.planner.call("PATCH", shipmentPath(999, ""), map[string]any{"dispatch": "2009-03-24", "version": 1})
	wantStatus(t, w, http.StatusNotFound)
}

func TestAlertsAndAck(t *testing.T) {
	f := newTrackingFixture(t, true)
	tap := f.shipment("TAP")
	w := f.planner.call("POST", shipmentPath(tap.ID, "/events"), dispatchBody(tap, "2009-03-02"))
	wantStatus(t, w, http.StatusCreated)
	var lines []map[string]any
	for i, l := range tap.Lines {
		line := map[string]any{"material": l.Material, "accepted": l.Pieces}
		if i == 0 {
			line = map[string]any{"material": l.Material, "accepted": l.Pieces - 10, "rejected": 10, "reason": "damaged"}
		}
		lines = append(lines, line)
	}
	w = f.planner.call("POST", shipmentPath(tap.ID, "/events"), map[string]any{"kind": "delivered", "date": "2009-03-06",
		"delivered_by": "Juan", "received_by": "Delegación", "lines": lines})
	wantStatus(t, w, http.StatusCreated)
	var del planner.Event
	decode(t, w, &del)

	var body struct{ Alerts []planner.Alert }
	decode(t, f.viewer.call("GET", f.campaignPath("/alerts"), nil), &body)
	if len(body.Alerts) != 1 || body.Alerts[0].EventID != del.ID || body.Alerts[0].Rejected != 10 {
		t.Fatalf("alerts %+v, want one for 10 damaged pieces", body.Alerts)
	}
	ack := "/api/v1/alerts/" + strconv.FormatInt(f.campaign, 10) + "/" + strconv.FormatInt(del.ID, 10) + "/ack"
	wantStatus(t, f.planner.call("POST", ack, nil), http.StatusOK)
	wantStatus(t, f.planner.call("POST", ack, nil), http.StatusOK)
	wantStatus(t, f.planner.call("POST", "/api/v1/alerts/"+strconv.FormatInt(f.campaign, 10)+"/99999/ack", nil), http.StatusNotFound)
	wantStatus(t, f.planner.call("POST", "/api/v1/alerts/x/1/ack", nil), http.StatusBadRequest)
	decode(t, f.viewer.call("GET", f.campaignPath("/alerts"), nil), &body)
	if len(body.Alerts) != 0 {
		t.Errorf("alerts after ack: %+v", body.Alerts)
	}
}

func TestProgressJSON(t *testing.T) {
	f := newTrackingFixture(t, true)
	tap := f.shipment("TAP")
	wantStatus(t, f.planner.call("POST", shipmentPath(tap.ID, "/events"), dispatchBody(tap, "2009-03-18")), http.StatusCreated)
	var p planner.CampaignProgress
	decode(t, f.viewer.call("GET", f.campaignPath("/progress"), nil), &p)
	if p.Today != planner.NewDate(2009, 3, 20) || p.Dispatched.Boxes != tap.Boxes || p.Planned.Boxes != tap.Boxes+f.shipment("MEX").Boxes {
		t.Errorf("progress today %s dispatched %+v planned %+v", p.Today, p.Dispatched, p.Planned)
	}
}
