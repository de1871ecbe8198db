package api

import (
	"context"
	"encoding/json"
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

// Nothing may be recorded after the campaign's today (its simulated
// 2009-03-20 here): a dispatch dated 2009-05-30 was accepted.
func TestEventAfterTodayIsRefused(t *testing.T) {
	f := newTrackingFixture(t, true)
	tap := f.shipment("TAP")
	for _, tc := range []struct {
		date string
		want int
	}{{"2009-05-30", http.StatusUnprocessableEntity}, {"2009-03-21", http.StatusUnprocessableEntity},
		{"2009-03-20", http.StatusCreated}} {
		w := f.planner.call("POST", shipmentPath(tap.ID, "/events"), dispatchBody(tap, tc.date))
		if w.Code != tc.want {
			t.Fatalf("dispatch dated %s: %d %s, want %d", tc.date, w.Code, w.Body, tc.want)
		}
		if w.Code == http.StatusUnprocessableEntity {
			if d := jsonError(t, w); d.Fields["date"] == "" {
				t.Errorf("dispatch dated %s: error %+v does not name date", tc.date, d)
			}
		}
	}
}

// ?today= must be a date between the campaign's start (minus a margin) and
// its today; anything else is 400 naming the parameter, on the API and on
// pages.
func TestTodayParameterIsChecked(t *testing.T) {
	f := newTrackingFixture(t, true)
	page := "/campaigns/" + itoa(f.campaign)
	cases := []struct {
		path string
		want int
	}{
		{f.campaignPath("/progress?today=0001-01-01"), http.StatusBadRequest},
		{f.campaignPath("/progress?today=9999-12-31"), http.StatusBadRequest},
		{f.campaignPath("/progress?today=2009-03-21"), http.StatusBadRequest}, // after the simulated today
		{f.campaignPath("/progress?today=2008-01-01"), http.StatusBadRequest}, // a year before the start
		{f.campaignPath("/progress?today=yesterday"), http.StatusBadRequest},
		{f.campaignPath("/shipments?today=0001-01-01"), http.StatusBadRequest},
		{f.campaignPath("/progress?today=2009-01-01"), http.StatusOK}, // preparation weeks before the start
		{f.campaignPath("/progress?today=2009-03-20"), http.StatusOK},
		{page + "/dashboard?today=0001-01-01", http.StatusBadRequest},
		{page + "/shipments?today=0001-01-01", http.StatusBadRequest},
		{page + "/plan?today=0001-01-01", http.StatusBadRequest},
		{page + "/dashboard?today=2009-02-01", http.StatusOK},
	}
	for _, tc := range cases {
		w := f.viewer.call("GET", tc.path, nil)
		if w.Code != tc.want {
			t.Errorf("GET %s: %d, want %d", tc.path, w.Code, tc.want)
			continue
		}
		if tc.want == http.StatusBadRequest && strings.HasPrefix(tc.path, "/api/") {
			if d := jsonError(t, w); d.Fields["today"] == "" {
				t.Errorf("GET %s: error %+v does not name today", tc.path, d)
			}
		}
	}
}

// Views with ?today= show the campaign as it was that day: events dated
// after it count nowhere (progress at 2009-02-01 counted every dispatch).
func TestTodayParameterTravelsInTime(t *testing.T) {
	f := newTrackingFixture(t, true)
	mex, tap := f.shipment("MEX"), f.shipment("TAP")
	wantStatus(t, f.planner.call("POST", shipmentPath(mex.ID, "/events"), dispatchBody(mex, "2009-02-02")), http.StatusCreated)
	wantStatus(t, f.planner.call("POST", shipmentPath(tap.ID, "/events"), dispatchBody(tap, "2009-03-02")), http.StatusCreated)

	cases := []struct {
		today      string
		dispatched int64 // boxes
		tapStage   string
	}{
		{"2009-01-20", 0, "planned"},
		{"2009-02-15", mex.Boxes, "planned"},
		{"2009-03-02", mex.Boxes + tap.Boxes, "dispatched"},
		{"", mex.Boxes + tap.Boxes, "dispatched"},
	}
	for _, tc := range cases {
		q := ""
		if tc.today != "" {
			q = "?today=" + tc.today
		}
		w := f.viewer.call("GET", f.campaignPath("/progress"+q), nil)
		wantStatus(t, w, http.StatusOK)
		var p struct {
			Dispatched struct{ Boxes int64 }
		}
		decode(t, w, &p)
		if p.Dispatched.Boxes != tc.dispatched {
			t.Errorf("today=%q: %d boxes dispatched, want %d", tc.today, p.Dispatched.Boxes, tc.dispatched)
		}
		sep := "?"
		if q != "" {
			sep = "&"
		}
		w = f.viewer.call("GET", f.campaignPath("/shipments"+q+sep+"city=TAP"), nil)
		wantStatus(t, w, http.StatusOK)
		var list struct {
			Shipments []struct{ State struct{ Stage string } }
		}
		decode(t, w, &list)
		if len(list.Shipments) != 1 || list.Shipments[0].State.Stage != tc.tapStage {
			t.Errorf("today=%q: TAP shipments %+v, want one %s", tc.today, list.Shipments, tc.tapStage)
		}
	}
	w := f.viewer.call("GET", "/campaigns/"+itoa(f.campaign)+"/dashboard?today=2009-02-15", nil)
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `id="campaign-today"`) {
		t.Error("dashboard in the past does not say which day it shows")
	}
}

// Every page of a campaign says which day it is there, and whether the
// date is simulated.
func TestHeaderShowsTheCampaignsToday(t *testing.T) {
	f := newTrackingFixture(t, false)
	w := f.viewer.call("GET", "/campaigns/"+itoa(f.campaign)+"/plan", nil, "Accept-Language", "es-MX")
	wantStatus(t, w, http.StatusOK)
	if body := w.Body.String(); !strings.Contains(body, "Hoy: ") || !strings.Contains(body, "(fecha simulada)") {
		t.Errorf("plan page header lacks the simulated today")
	}
	w = f.viewer.call("GET", "/campaigns/"+itoa(f.campaign)+"/dashboard", nil)
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `name="today"`) {
		t.Error("the dashboard offers no way to look back")
	}
}

// The map looks back too: a city whose shipment left after ?today= is
// shown as planned, and a bad ?today= is 400 on the page and the GeoJSON.
func TestMapTravelsInTime(t *testing.T) {
	f := newTrackingFixture(t, true)
	tap := f.shipment("TAP")
	wantStatus(t, f.planner.call("POST", shipmentPath(tap.ID, "/events"), dispatchBody(tap, "2009-03-02")), http.StatusCreated)
	stage := func(q string) string {
		t.Helper()
		w := f.viewer.call("GET", f.campaignPath("/map/cities.geojson"+q), nil)
		wantStatus(t, w, http.StatusOK)
		var fc struct {
			Features []struct {
				ID         string
				Properties struct{ Stage string }
			}
		}
		decode(t, w, &fc)
		for _, ft := range fc.Features {
			if ft.ID == "TAP" {
				return ft.Properties.Stage
			}
		}
		t.Fatal("no TAP on the map")
		return ""
	}
	if got := stage(""); got != "dispatched" {
		t.Errorf("TAP today: %q, want dispatched", got)
	}
	if got := stage("?today=2009-02-20"); got != "planned" {
		t.Errorf("TAP on 2009-02-20: %q, want planned", got)
	}
	wantStatus(t, f.viewer.call("GET", f.campaignPath("/map/cities.geojson?today=0001-01-01"), nil), http.StatusBadRequest)
	w := f.viewer.call("GET", "/campaigns/"+itoa(f.campaign)+"/map?today=0001-01-01", nil)
	wantStatus(t, w, http.StatusBadRequest)
	w = f.viewer.call("GET", "/campaigns/"+itoa(f.campaign)+"/map?today=2009-02-20", nil)
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "today=2009-02-20") {
		t.Error("the map page does not ask its GeoJSON for the same day")
	}
}

// The shipment page's forms refuse a future date too, naming the field,
// and record nothing.
func TestEventFormAfterTodayIsRefused(t *testing.T) {
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	sh := demoShipment(t, ts, "XALA")
	page := fmt.Sprintf("/campaigns/%d/shipments/%d", ts.CampaignID, sh.ID)
	cl := ts.client(t, web.RolePlanner)
	_, body := ts.get(t, cl, page)
	form := url.Values{"kind": {"dispatched"}, "idem": {formKey(t, body, "form-dispatched")}, "date": {"2009-05-30"},
		"carrier": {"Castores"}, "boxes": {strconv.FormatInt(sh.Boxes, 10)}}
	code, body, _ := ts.post(t, cl, page+"/events", form)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("dispatch dated 2009-05-30 on 2009-03-20: status %d, want 422", code)
	}
	if !strings.Contains(body, `class="field-error"`) {
		t.Error("no error next to the date")
	}
	if n := eventCount(t, ts, sh.ID); n != 0 {
		t.Errorf("%d events recorded, want 0", n)
	}
}

// The demo seen on 2009-02-01 counts only what had left by then (it
// counted the 7.5 M pieces dispatched by 2009-03-20).
func TestDemoProgressLooksBack(t *testing.T) {
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	cl := ts.client(t, web.RoleViewer)
	dispatched := func(q string) int64 {
		t.Helper()
		code, body := ts.get(t, cl, fmt.Sprintf("/api/v1/campaigns/%d/progress%s", ts.CampaignID, q))
		if code != http.StatusOK {
			t.Fatalf("progress%s: %d", q, code)
		}
		var p struct{ Dispatched struct{ Pieces int64 } }
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatal(err)
		}
		return p.Dispatched.Pieces
	}
	list, err := ts.db.ListShipments(context.Background(), ts.CampaignID, store.ShipmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	day := planner.NewDate(2009, 2, 1)
	var want int64
	for i := range list {
		r := list[i].AsOfDay(day)
		if st := r.State(); st.Stage.Dispatched() && st.Stage != planner.StageCancelled {
			for _, n := range st.Dispatched {
				want += n
			}
		}
	}
	now, then := dispatched(""), dispatched("?today=2009-02-01")
	if then >= now || then != want {
		t.Errorf("dispatched on 2009-02-01: %d pieces (today %d), want %d", then, now, want)
	}
}
