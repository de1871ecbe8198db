package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/reparto/reparto/api/mapdata"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// mapFC is the part of a GeoJSON FeatureCollection the tests read.
type mapFC struct {
	Type     string `json:"type"`
	Features []struct {
		ID         string         `json:"id"`
		Geometry   map[string]any `json:"geometry"`
		Properties map[string]any `json:"properties"`
	} `json:"features"`
}

func getMapFC(t *testing.T, ts *testServer, cl *http.Client, path string) mapFC {
	t.Helper()
	code, body := ts.get(t, cl, path)
	if code != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", path, code, body)
	}
	var fc mapFC
	if err := json.Unmarshal([]byte(body), &fc); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return fc
}

// props returns the properties of the feature with the given id.
func (fc mapFC) props(t *testing.T, id string) map[string]any {
	t.Helper()
	for _, f := range fc.Features {
		if f.ID == id {
			return f.Properties
		}
	}
	t.Fatalf("no feature %s", id)
	return nil
}

// mapSmallCampaign is hand-worked (docs/planning.md#allocation-modes). One material M, 1000
// printed, packs of 100; 100 per venue for categories A and S (S is
// sensitive). TAP (Tapachula, Chiapas, priority 3) has 5 A and 2 S venues,
// MER (Mérida, Yucatán, priority 1) has 5 A: demand 500 + 200 + 500 = 1200
// > 1000, so scarcity. With λ = 0.6 TAP's cells are full (3λ >= 1: 500 and
// 200) and MER gets 0.6 × 500 = 300 = 1000 − 700; all whole packs.
// Chiapas: 700 / 700 = 100 % (green); Yucatán: 300 / 500 = 60 % (red).
const mapSmallCampaign = `{
 "campaign": {"name": "Mapa chico", "start": "2009-03-02", "deadline": "2009-03-31",
   "depot": {"name": "CDMX", "lat": 19.4326, "lon": -99.1332}, "dispatch": {"boxes_per_day": 100}},
 "materials": [{"code": "M", "name": "Cartel", "printed": 1000, "pack_size": 100, "packs_per_box": 10}],
 "venue_categories": [{"code": "A", "name": "Abiertos"}, {"code": "S", "name": "Albergues", "sensitive": true}],
 "targeting": [{"material": "M", "category": "A", "per_venue": 100}, {"material": "M", "category": "S", "per_venue": 100}],
 "cities": [{"code": "TAP", "name": "Tapachula", "state": "MX-CHP", "lat": 14.9039, "lon": -92.2575, "priority": 3},
            {"code": "MER", "name": "Mérida", "state": "MX-YUC", "lat": 20.9674, "lon": -89.5926}],
 "venue_counts": [{"city": "TAP", "category": "A", "count": 5}, {"city": "TAP", "category": "S", "count": 2},
                  {"city": "MER", "category": "A", "count": 5}],
 "venues": [{"id": "v1", "name": "Hotel Abierto", "category": "A", "lat": 14.90, "lon": -92.26},
            {"id": "v2", "name": "Albergue Escondido", "category": "S", "lat": 14.91, "lon": -92.25},
            {"id": "v3", "name": "Casa Reservada", "category": "A", "lat": 20.96, "lon": -89.59, "confidential": true},
            {"id": "v4", "name": "Bar Lejano", "category": "A", "lat": 28.63, "lon": -106.08}]
}`

func addMapSmallCampaign(t *testing.T, ts *testServer) int64 {
	t.Helper()
	return storeCampaignFile(t, ts, mapSmallCampaign)
}

func TestMapDemoLayers(t *testing.T) {
	ts := newTestServer(t)
	viewer := ts.client(t, web.RoleViewer)
	base := fmt.Sprintf("/api/v1/campaigns/%d/map/", ts.CampaignID)

	states := getMapFC(t, ts, viewer, base+"states.geojson")
	if len(states.Features) != 32 {
		t.Fatalf("states: %d features, want 32", len(states.Features))
	}
	for _, f := range states.Features {
		for _, k := range []string{"code", "name", "allocated", "delivered", "distributed", "covered", "band", "band_covered"} {
			if _, ok := f.Properties[k]; !ok {
				t.Fatalf("state %s: no property %s", f.ID, k)
			}
		}
		if b := f.Properties["band"]; b != "red" && b != "amber" && b != "green" && b != "none" {
			t.Fatalf("state %s: band %v", f.ID, b)
		}
		if g := f.Geometry["type"]; g != "Polygon" && g != "MultiPolygon" {
			t.Fatalf("state %s: geometry %v", f.ID, g)
		}
	}
	cities := getMapFC(t, ts, viewer, base+"cities.geojson")
	if len(cities.Features) != 70 {
		t.Fatalf("cities: %d features, want 70", len(cities.Features))
	}

	// Names of confidential venues and of sensitive categories: hidden for viewers, shown to planners.
	camp, err := ts.db.GetCampaign(context.Background(), ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	var secret []string
	for _, v := range camp.Venues {
		if cat, _ := camp.Category(v.Category); v.Confidential || cat.Sensitive {
			secret = append(secret, v.Name)
		}
	}
	if len(secret) == 0 {
		t.Fatal("demo campaign has no confidential venue")
	}
	_, asViewer := ts.get(t, viewer, base+"venues.geojson")
	_, asPlanner := ts.get(t, ts.client(t, web.RolePlanner), base+"venues.geojson")
	for _, name := range secret {
		if b, _ := json.Marshal(name); strings.Contains(asViewer, string(b[1:len(b)-1])) {
			t.Errorf("viewer sees confidential venue %q", name)
		}
		if b, _ := json.Marshal(name); !strings.Contains(asPlanner, string(b[1:len(b)-1])) {
			t.Errorf("planner does not see venue %q", name)
		}
	}

	code, body := ts.get(t, viewer, base+"gaps.json")
	var gaps mapdata.Gaps
	if err := json.Unmarshal([]byte(body), &gaps); code != http.StatusOK || err != nil || len(gaps.Items) == 0 {
		t.Fatalf("gaps.json: %d %v, %d items", code, err, len(gaps.Items))
	}
}

func TestMapSmallCampaignMetricsAndFilters(t *testing.T) {
	ts := newTestServer(t)
	id := addMapSmallCampaign(t, ts)
	viewer := ts.client(t, web.RoleViewer)
	base := fmt.Sprintf("/api/v1/campaigns/%d/map/", id)

	tests := []struct {
		query             string
		state             string
		demand, allocated float64
		value             any // ratio or nil
		band              string
	}{
		{"", "MX-CHP", 700, 700, 1.0, "green"},
		{"", "MX-YUC", 500, 300, 0.6, "red"},
		{"?category=A", "MX-CHP", 500, 500, 1.0, "green"},
		{"?category=S", "MX-YUC", 0, 0, nil, "none"},
		{"?material=M&category=S", "MX-CHP", 200, 200, 1.0, "green"},
		{"", "MX-CHH", 0, 0, nil, "none"},
	}
	for _, tt := range tests {
		p := getMapFC(t, ts, viewer, base+"states.geojson"+tt.query).props(t, tt.state)
		if p["demand_pieces"] != tt.demand || p["allocated_pieces"] != tt.allocated || p["allocated"] != tt.value || p["band"] != tt.band {
			t.Errorf("%s %s: demand %v allocated %v ratio %v band %v; want %v %v %v %v", tt.query, tt.state,
				p["demand_pieces"], p["allocated_pieces"], p["allocated"], p["band"], tt.demand, tt.allocated, tt.value, tt.band)
		}
	}
	if p := getMapFC(t, ts, viewer, base+"states.geojson").props(t, "MX-CHH"); p["has_city"] != false {
		t.Errorf("Chihuahua has_city = %v", p["has_city"])
	}
	// No plan committed: tracking metrics have no data.
	if p := getMapFC(t, ts, viewer, base+"states.geojson?metric=delivered").props(t, "MX-CHP"); p["delivered"] != nil || p["band"] != "none" {
		t.Errorf("delivered without shipments: %v band %v", p["delivered"], p["band"])
	}

	cities := getMapFC(t, ts, viewer, base+"cities.geojson")
	if p := cities.props(t, "MER"); p["allocated_pieces"] != 300.0 || p["fill"] != 0.6 || p["band"] != "red" || p["state"] != "MX-YUC" {
		t.Errorf("MER: %v", p)
	}
	// Square-root scale: the largest city gets 4 + 18 px, MER 4 + 18·√(300/700) = 15.8 px.
	if r := cities.props(t, "TAP")["radius"]; r != 22.0 {
		t.Errorf("TAP radius %v, want 22", r)
	}
	if r := cities.props(t, "MER")["radius"]; r != 15.8 {
		t.Errorf("MER radius %v, want 15.8", r)
	}

	// Venues: v2 (sensitive category) and v3 (confidential) are nameless for a viewer.
	_, vb := ts.get(t, viewer, base+"venues.geojson")
	for _, name := range []string{"Albergue Escondido", "Casa Reservada"} {
		if strings.Contains(vb, name) {
			t.Errorf("viewer sees %q", name)
		}
	}
	if !strings.Contains(vb, "Hotel Abierto") {
		t.Error("viewer does not see an ordinary venue's name")
	}
	venues := getMapFC(t, ts, ts.client(t, web.RolePlanner), base+"venues.geojson")
	if p := venues.props(t, "v3"); p["name"] != "Casa Reservada" {
		t.Errorf("planner: v3 name %v", p["name"])
	}
	if p := venues.props(t, "v4"); p["unassigned"] != true {
		t.Errorf("v4 (far from every city) unassigned = %v", p["unassigned"])
	}
	// bbox around Tapachula only: v1 and v2 for a planner, v1 only for a
	// viewer (v2's category is sensitive: left out of the points).
	if fc := getMapFC(t, ts, ts.client(t, web.RolePlanner), base+"venues.geojson?bbox=-93,14,-92,15.5"); len(fc.Features) != 2 {
		t.Errorf("bbox: %d venues, want 2 (v1, v2)", len(fc.Features))
	}
	if fc := getMapFC(t, ts, viewer, base+"venues.geojson?bbox=-93,14,-92,15.5"); len(fc.Features) != 1 || fc.Features[0].ID != "v1" {
		t.Errorf("bbox as a viewer: %d venues, want v1 only", len(fc.Features))
	}

	var gaps mapdata.Gaps
	_, gb := ts.get(t, viewer, base+"gaps.json")
	if err := json.Unmarshal([]byte(gb), &gaps); err != nil {
		t.Fatal(err)
	}
	if len(gaps.Items) == 0 || gaps.Items[0].Kind != "unassigned_venue" || gaps.Items[0].Code != "v4" {
		t.Fatalf("first gap: %+v", gaps.Items)
	}
	found := false
	for _, it := range gaps.Items {
		if it.Kind == "low_fill" && it.Code == "MER" && it.Value != nil && *it.Value == 0.6 {
			found = true
		}
	}
	if !found || gaps.Totals["state_without_city"] != 30 {
		t.Errorf("gaps: MER low fill found %v, states without city %d (want 30)", found, gaps.Totals["state_without_city"])
	}
}

func TestMapTrackingMetrics(t *testing.T) {
	ts := newTestServer(t)
	id := addMapSmallCampaign(t, ts)
	recordTAP(t, ts, id, func(tap planner.ShipmentRecord) []planner.Event {
		return []planner.Event{
			{Kind: planner.EventDispatched, Date: mapDay("2009-03-10"), Carrier: "Estafeta", Waybill: "W1", Boxes: tap.Boxes},
			{Kind: planner.EventDelivered, Date: mapDay("2009-03-14"), DeliveredBy: "chofer", ReceivedBy: "DIF",
				Lines: []planner.DeliveryLine{{Material: "M", Accepted: 600, Rejected: 100, Reason: planner.RejectDamaged}}},
			{Kind: planner.EventDistributed, Date: mapDay("2009-03-18"),
				Distribution: []planner.DistributionLine{{Material: "M", Category: "A", Pieces: 300}}},
		}
	})
	viewer := ts.client(t, web.RoleViewer)
	base := fmt.Sprintf("/api/v1/campaigns/%d/map/", id)
	// Chiapas: 600 accepted and 300 distributed of 700 allocated; Yucatán's
	// shipment is planned only: 0 of 300. Under category A: 300 of 500.
	tests := []struct {
		query, state, metric string
		want                 any
		band                 string
	}{
		{"?metric=delivered", "MX-CHP", "delivered", 0.8571, "amber"},
		{"?metric=distributed", "MX-CHP", "distributed", 0.4286, "red"},
		{"?metric=delivered", "MX-YUC", "delivered", 0.0, "red"},
		{"?metric=distributed&category=A", "MX-CHP", "distributed", 0.6, "red"},
		{"?metric=delivered&category=A", "MX-CHP", "delivered", nil, "none"},
	}
	for _, tt := range tests {
		p := getMapFC(t, ts, viewer, base+"states.geojson"+tt.query).props(t, tt.state)
		if p[tt.metric] != tt.want || p["band"] != tt.band {
			t.Errorf("%s %s: %v band %v, want %v %v", tt.query, tt.state, p[tt.metric], p["band"], tt.want, tt.band)
		}
	}
	if p := getMapFC(t, ts, viewer, base+"cities.geojson").props(t, "TAP"); p["stage"] != "distributed" || p["status"] != "partially_distributed" { // 300 of 600 accepted
		t.Errorf("TAP stage %v status %v", p["stage"], p["status"])
	}
}

func TestMapErrorsAndCaching(t *testing.T) {
	ts := newTestServer(t)
	base := fmt.Sprintf("/api/v1/campaigns/%d/map/", ts.CampaignID)
	viewer := ts.client(t, web.RoleViewer)
	for _, tt := range []struct{ path, field string }{
		{"states.geojson?material=NOPE", "material"},
		{"cities.geojson?category=NOPE", "category"},
		{"gaps.json?metric=NOPE", "metric"},
		{"venues.geojson?bbox=1,2,3", "bbox"},
	} {
		code, body := ts.get(t, viewer, base+tt.path)
		var e web.ErrorBody
		if err := json.Unmarshal([]byte(body), &e); code != http.StatusUnprocessableEntity || err != nil || e.Error.Fields[tt.field] == "" {
			t.Errorf("%s: %d %s, want 422 naming %s", tt.path, code, body, tt.field)
		}
	}
	for _, p := range []string{"states.geojson", "cities.geojson", "venues.geojson", "gaps.json"} {
		if code, _ := ts.get(t, ts.client(t, ""), base+p); code != http.StatusUnauthorized {
			t.Errorf("anonymous %s: %d, want 401", p, code)
		}
	}
	if code, _ := ts.get(t, viewer, "/api/v1/campaigns/999/map/states.geojson"); code != http.StatusNotFound {
		t.Errorf("unknown campaign: %d, want 404", code)
	}

	resp, err := viewer.Get(ts.URL + base + "states.geojson?material=TRI-DELITO")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+base+"states.geojson?material=TRI-DELITO", nil)
	req.Header.Set("If-None-Match", etag)
	if resp, err = viewer.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", resp.StatusCode)
	}
	req, _ = http.NewRequest(http.MethodGet, ts.URL+base+"states.geojson", nil)
	req.Header.Set("If-None-Match", etag)
	if resp, err = viewer.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("other filter with old ETag: %d, want 200", resp.StatusCode)
	}
}

func TestMapPage(t *testing.T) {
	ts := newTestServer(t)
	viewer := ts.client(t, web.RoleViewer)
	page := fmt.Sprintf("/campaigns/%d/map", ts.CampaignID)
	code, body := ts.get(t, viewer, page)
	if code != http.StatusOK {
		t.Fatalf("page: %d", code)
	}
	for _, want := range []string{`id="map"`, `id="map-legend"`, `id="map-gap-list"`, `class="map-gap-item`,
		`class="map-definitions"`, "vendor/leaflet/leaflet.js", "js/map.js", `id="map-labels"`, "data-states-url="} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// The words, in English (the lang cookie of the language switch).
	u, _ := url.Parse(ts.URL)
	viewer.Jar.SetCookies(u, []*http.Cookie{{Name: web.LangCookie, Value: "en", Path: "/"}})
	_, body = ts.get(t, viewer, page)
	for _, want := range []string{"Allocated ÷ demand", "Red: below 75 %", "Covered population", "Place data © GeoNames",
		"Natural Earth", "Offline map", "Coverage gaps"} {
		if !strings.Contains(body, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
	if id := regexp.MustCompile(`\bmap\.[a-z_]+\.[a-z_]+`).FindString(body); id != "" {
		t.Errorf("page shows the untranslated message id %s", id)
	}
	code, body = ts.get(t, viewer, page+"?material=NOPE")
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `class="field-error"`) {
		t.Errorf("unknown material on the page: %d", code)
	}
	if code, _ := ts.get(t, ts.client(t, ""), page); code != http.StatusSeeOther {
		t.Errorf("anonymous page: %d, want 303", code)
	}
	if code, _ := ts.get(t, viewer, "/campaigns/999/map"); code != http.StatusNotFound {
		t.Errorf("unknown campaign page: %d, want 404", code)
	}
}

func TestMapPageSaysWhenTilesAreOnline(t *testing.T) {
	ts := newTestServer(t)
	cfg := DefaultConfig()
	cfg.TileURL = "https://tiles.example.org/{z}/{x}/{y}.png"
	cfg.TileAttribution = "© Example"
	s, err := New(cfg, ts.db, slog.New(slog.NewTextHandler(io.Discard, nil)), ts.clock)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	// Sessions live in the database, and cookies ignore ports: the viewer's
	// session is valid on the second server too.
	cl := ts.client(t, web.RoleViewer)
	resp, err := cl.Get(srv.URL + fmt.Sprintf("/campaigns/%d/map", ts.CampaignID))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	body := string(b)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if !strings.Contains(body, "tiles.example.org") || !strings.Contains(body, `data-tile-attribution="© Example"`) {
		t.Error("online tiles not announced on the page")
	}
}

// recordTAP commits the first plan of campaign id and records, on 2009-03-20,
// the events that events gives for its one shipment to TAP (they may need
// its boxes): the map's tracking metrics read those.
func recordTAP(t *testing.T, ts *testServer, id int64, events func(tap planner.ShipmentRecord) []planner.Event) {
	t.Helper()
	ctx := context.Background()
	camp, err := ts.db.GetCampaign(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := planner.Compute(camp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.db.CommitPlan(ctx, id, 0, "test", "", plan); err != nil {
		t.Fatal(err)
	}
	list, err := ts.db.ListShipments(ctx, id, store.ShipmentFilter{City: "TAP"})
	if err != nil || len(list) != 1 {
		t.Fatalf("TAP shipments: %v %d", err, len(list))
	}
	now := time.Date(2009, 3, 20, 9, 0, 0, 0, time.UTC)
	for _, e := range events(list[0]) {
		if _, _, err := ts.db.AppendEvent(ctx, list[0].ID, e, now, ""); err != nil {
			t.Fatalf("%s: %v", e.Kind, err)
		}
	}
}

// mapDay is a date the test writes itself.
func mapDay(s string) planner.Date { d, _ := planner.ParseDate(s); return d }
