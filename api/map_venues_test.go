package api

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/mapdata"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// mapVenueCampaign is mapSmallCampaign with its plan committed and TAP's
// shipment dispatched, delivered and distributed: 100 pieces to venue v1
// (category A) and 200 to category A's unregistered venues. Targeted: v1
// and v2 (TAP gets pieces for A and S) and v3 (MER, A); v4 is far from
// every city, so unassigned and not targeted. Reached: v1 only.
func mapVenueCampaign(t *testing.T, ts *testServer, campaign string) int64 {
	t.Helper()
	id := storeCampaignFile(t, ts, campaign)
	recordTAP(t, ts, id, func(tap planner.ShipmentRecord) []planner.Event {
		return []planner.Event{
			{Kind: planner.EventDispatched, Date: mapDay("2009-03-10"), Carrier: "Estafeta", Waybill: "W1", Boxes: tap.Boxes},
			{Kind: planner.EventDelivered, Date: mapDay("2009-03-14"), DeliveredBy: "chofer", ReceivedBy: "DIF",
				Lines: []planner.DeliveryLine{{Material: "M", Accepted: 700}}},
			{Kind: planner.EventDistributed, Date: mapDay("2009-03-18"), Distribution: []planner.DistributionLine{
				{Material: "M", Category: "A", VenueID: "v1", Pieces: 100},
				{Material: "M", Category: "A", Pieces: 200}}},
		}
	})
	return id
}

// mapVenueFC is a venues layer with the members beyond the features.
type mapVenueFC struct {
	mapFC
	Hidden *int           `json:"hidden"`
	Reach  map[string]int `json:"reach"`
}

func getMapVenues(t *testing.T, ts *testServer, cl *http.Client, path string) mapVenueFC {
	t.Helper()
	code, body := ts.get(t, cl, path)
	var fc mapVenueFC
	if err := json.Unmarshal([]byte(body), &fc); code != http.StatusOK || err != nil {
		t.Fatalf("GET %s: %d %v: %s", path, code, err, body)
	}
	return fc
}

func TestMapVenueReachLayer(t *testing.T) {
	ts := newTestServer(t)
	id := mapVenueCampaign(t, ts, mapSmallCampaign)
	base := fmt.Sprintf("/api/v1/campaigns/%d/map/", id)
	planner_, viewer := ts.client(t, web.RolePlanner), ts.client(t, web.RoleViewer)

	all := getMapVenues(t, ts, planner_, base+"venues.geojson")
	want := map[string]string{"v1": "reached", "v2": "not_reached", "v3": "not_reached", "v4": "not_targeted"}
	if len(all.Features) != len(want) {
		t.Fatalf("planner: %d venues, want %d", len(all.Features), len(want))
	}
	for id, reach := range want {
		if p := all.props(t, id); p["reach"] != reach {
			t.Errorf("planner: %s reach %v, want %s", id, p["reach"], reach)
		}
	}
	if p := all.props(t, "v1"); p["reached_pieces"] != 100.0 {
		t.Errorf("v1 reached_pieces %v, want 100", p["reached_pieces"])
	}
	if p := all.props(t, "v3"); p["name"] != "Casa Reservada" || p["confidential"] != true {
		t.Errorf("planner: v3 %v, want its name and confidential", p)
	}

	// A viewer: the confidential v3 and the sensitive v2 are not points at
	// all (no id, no name, no coordinates); they count in the totals only.
	tests := []struct {
		name   string
		query  string
		ids    []string
		hidden int
		reach  map[string]int
	}{
		{"all", "", []string{"v1", "v4"}, 2, map[string]int{"reached": 1, "not_reached": 2, "not_targeted": 1}},
		{"category A", "?category=A", []string{"v1", "v4"}, 1, map[string]int{"reached": 1, "not_reached": 1, "not_targeted": 1}},
		{"category S", "?category=S", nil, 1, map[string]int{"reached": 0, "not_reached": 1, "not_targeted": 0}},
		{"material M", "?material=M", []string{"v1", "v4"}, 2, map[string]int{"reached": 1, "not_reached": 2, "not_targeted": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := getMapVenues(t, ts, viewer, base+"venues.geojson"+tt.query)
			var ids []string
			for _, f := range fc.Features {
				ids = append(ids, f.ID)
			}
			if strings.Join(ids, ",") != strings.Join(tt.ids, ",") {
				t.Errorf("viewer sees %v, want %v", ids, tt.ids)
			}
			if fc.Hidden == nil || *fc.Hidden != tt.hidden {
				t.Errorf("hidden %v, want %d", fc.Hidden, tt.hidden)
			}
			for k, n := range tt.reach {
				if fc.Reach[k] != n {
					t.Errorf("reach %s = %d, want %d", k, fc.Reach[k], n)
				}
			}
		})
	}
	_, raw := ts.get(t, viewer, base+"venues.geojson")
	for _, secret := range []string{"Casa Reservada", "Albergue Escondido", "20.96", "-89.59", "14.91", "-92.25", `"v2"`, `"v3"`} {
		if strings.Contains(raw, secret) {
			t.Errorf("viewer's venue layer holds %q", secret)
		}
	}
	// Per bbox a viewer gets no counts of hidden venues: moving a small box
	// and watching them change would find the shelter.
	if fc := getMapVenues(t, ts, viewer, base+"venues.geojson?bbox=-89.6,20.95,-89.58,20.97"); fc.Hidden != nil || fc.Reach != nil || len(fc.Features) != 0 {
		t.Errorf("viewer bbox around v3: hidden %v reach %v features %d", fc.Hidden, fc.Reach, len(fc.Features))
	}
}

func TestMapVenuesReachedMetric(t *testing.T) {
	ts := newTestServer(t)
	id := mapVenueCampaign(t, ts, mapSmallCampaign)
	viewer := ts.client(t, web.RoleViewer)
	base := fmt.Sprintf("/api/v1/campaigns/%d/map/", id)
	// Chiapas: v1 and v2 targeted, v1 reached; Yucatán: v3 targeted, not
	// reached; Chihuahua: v4 is unassigned, so nothing is targeted.
	tests := []struct {
		query, state string
		want         any
		band         string
		targeted     float64
	}{
		{"?metric=reached", "MX-CHP", 0.5, "red", 2},
		{"?metric=reached", "MX-YUC", 0.0, "red", 1},
		{"?metric=reached", "MX-CHH", nil, "none", 0},
		{"?metric=reached&category=A", "MX-CHP", 1.0, "green", 1},
		{"?metric=reached&category=S", "MX-CHP", 0.0, "red", 1},
		{"?metric=reached&material=M", "MX-CHP", 0.5, "red", 2},
	}
	for _, tt := range tests {
		p := getMapFC(t, ts, viewer, base+"states.geojson"+tt.query).props(t, tt.state)
		if p["reached"] != tt.want || p["band"] != tt.band || p["venues_targeted"] != tt.targeted {
			t.Errorf("%s %s: reached %v band %v targeted %v, want %v %v %v", tt.query, tt.state,
				p["reached"], p["band"], p["venues_targeted"], tt.want, tt.band, tt.targeted)
		}
	}
	// The page offers the metric, defines it and shows its legend.
	_, page := ts.get(t, viewer, fmt.Sprintf("/campaigns/%d/map?metric=reached", id))
	for _, s := range []string{`<option value="reached" selected>`, "Sitios alcanzados ÷ sitios objetivo", `id="map-reach-legend"`} {
		if !strings.Contains(page, s) {
			t.Errorf("map page lacks %q", s)
		}
	}
	// A state in the red band of the metric is a gap.
	var gaps mapdata.Gaps
	if _, b := ts.get(t, viewer, base+"gaps.json?metric=reached"); json.Unmarshal([]byte(b), &gaps) != nil {
		t.Fatal(b)
	}
	found := false
	for _, it := range gaps.Items {
		found = found || (it.Kind == "low_metric" && it.Code == "MX-YUC")
	}
	if !found {
		t.Error("Yucatán (no venue reached) is not a gap under metric=reached")
	}
}

// mapHiddenGapCampaign adds to mapSmallCampaign a confidential venue far
// from every city, so that the gap list has a hidden unassigned venue.
var mapHiddenGapCampaign = strings.Replace(mapSmallCampaign,
	`{"id": "v4", "name": "Bar Lejano", "category": "A", "lat": 28.63, "lon": -106.08}`,
	`{"id": "v4", "name": "Bar Lejano", "category": "A", "lat": 28.63, "lon": -106.08},
            {"id": "v5", "name": "Refugio Secreto", "category": "A", "lat": 25.67, "lon": -100.31, "confidential": true}`, 1)

// mapDownload GETs path and returns the status, the headers and the body.
func mapDownload(t *testing.T, ts *testServer, cl *http.Client, path string) (int, http.Header, string) {
	t.Helper()
	resp, err := cl.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestMapGapNamesAndDownloads(t *testing.T) {
	ts := newTestServer(t)
	id := mapVenueCampaign(t, ts, mapHiddenGapCampaign)
	base := fmt.Sprintf("/api/v1/campaigns/%d/map/", id)
	page := fmt.Sprintf("/campaigns/%d/map", id)
	planner_, viewer := ts.client(t, web.RolePlanner), ts.client(t, web.RoleViewer)
	ref := planner.ConfidentialRef(id, "v5")

	// The page names venues; a viewer reads "Sede confidencial" and its
	// reference instead of the hidden one's name or id.
	_, pp := ts.get(t, planner_, page)
	_, vp := ts.get(t, viewer, page)
	for _, s := range []string{"Bar Lejano (Abiertos) sin ciudad asignada", "Refugio Secreto (Abiertos) sin ciudad asignada"} {
		if !strings.Contains(pp, s) {
			t.Errorf("planner's page lacks %q", s)
		}
	}
	if !strings.Contains(vp, "Sede confidencial "+ref+" (Abiertos) sin ciudad asignada") || !strings.Contains(vp, "Bar Lejano (Abiertos)") {
		t.Error("viewer's page does not name the ordinary venue and word the hidden one as «Sede confidencial»")
	}
	if strings.Contains(vp, "Refugio Secreto") || strings.Contains(vp, `data-code="v5"`) {
		t.Error("viewer's page names the confidential venue")
	}
	for _, s := range []string{"gaps.csv?", "gaps.geojson?", `id="map-png"`, "Descargar PNG",
		`download="reparto-mapa-chico-map-states-2009-03-20.geojson"`, `download="reparto-mapa-chico-map-venues-2009-03-20.geojson"`} {
		if !strings.Contains(vp, s) {
			t.Errorf("viewer's page lacks %q", s)
		}
	}
	if strings.Contains(vp, "gaps.json)") {
		t.Error("the page still sends readers to gaps.json")
	}

	var gaps mapdata.Gaps
	if _, b := ts.get(t, planner_, base+"gaps.json"); json.Unmarshal([]byte(b), &gaps) != nil {
		t.Fatal(b)
	}
	names := map[string]string{}
	for _, it := range gaps.Items {
		if it.Kind == "unassigned_venue" {
			names[it.Code] = it.Name
		}
	}
	if names["v4"] != "Bar Lejano" || names["v5"] != "Refugio Secreto" {
		t.Errorf("planner's gaps.json venue names %v", names)
	}

	// Downloads: every gap, named files, the hidden venue worded for a viewer.
	tests := []struct {
		name, path, ctype, file string
		cl                      *http.Client
		has, hasNot             []string
	}{
		{"csv viewer", base + "gaps.csv", "text/csv", `reparto-mapa-chico-gaps-2009-03-20.csv`, viewer,
			[]string{"sede confidencial " + ref, "Bar Lejano", "descripción"}, []string{"Refugio Secreto", "v5"}},
		{"csv planner", base + "gaps.csv", "text/csv", `reparto-mapa-chico-gaps-2009-03-20.csv`, planner_,
			[]string{"Refugio Secreto", "v5", "Bar Lejano"}, nil},
		{"geojson viewer", base + "gaps.geojson", "application/geo+json", `reparto-mapa-chico-gaps-2009-03-20.geojson`, viewer,
			[]string{`"name":"sede confidencial ` + ref + `"`, "Bar Lejano", "FeatureCollection"}, []string{"Refugio Secreto", `"v5"`}},
		{"states layer", base + "states.geojson?download=1", "application/geo+json", `reparto-mapa-chico-map-states-2009-03-20.geojson`, viewer,
			[]string{"FeatureCollection"}, nil},
		{"cities layer", base + "cities.geojson?download=1", "application/geo+json", `reparto-mapa-chico-map-cities-2009-03-20.geojson`, viewer,
			[]string{"TAP"}, nil},
		{"venues layer", base + "venues.geojson?download=1", "application/geo+json", `reparto-mapa-chico-map-venues-2009-03-20.geojson`, viewer,
			[]string{"Bar Lejano"}, []string{"Refugio Secreto"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, h, body := mapDownload(t, ts, tt.cl, tt.path)
			if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), tt.ctype) {
				t.Fatalf("status %d type %q: %s", code, h.Get("Content-Type"), body)
			}
			if cd := h.Get("Content-Disposition"); cd != `attachment; filename=`+tt.file {
				t.Errorf("Content-Disposition %q, want attachment named %s", cd, tt.file)
			}
			for _, s := range tt.has {
				if !strings.Contains(body, s) {
					t.Errorf("lacks %q", s)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(body, s) {
					t.Errorf("holds %q", s)
				}
			}
		})
	}
	// The CSV holds every gap: as many rows as gaps.json's totals, not
	// the page's per-kind limits (30 states without a city > 10).
	_, _, body := mapDownload(t, ts, viewer, base+"gaps.csv")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range gaps.Totals {
		total += n
	}
	if len(rows)-1 != total {
		t.Errorf("CSV: %d gaps, want every one of %d", len(rows)-1, total)
	}
	// Without ?download=1 a layer is no attachment.
	if _, h, _ := mapDownload(t, ts, viewer, base+"states.geojson"); h.Get("Content-Disposition") != "" {
		t.Errorf("states.geojson without download: %q", h.Get("Content-Disposition"))
	}
	if ok, _ := regexp.MatchString(`reparto-[a-z0-9-]+-map-cities-\d{4}-\d{2}-\d{2}\.geojson`, vp); !ok {
		t.Error("the page names no cities file")
	}
}
