package api

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/mapdata"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/geo"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// farHiddenVenue is a confidential venue in the Baja California desert,
// beyond every campaign city's radius, so that the gap list reports it;
// off the map's 0.05° grid, so that snapping moves it.
var farHiddenVenue = planner.Venue{ID: "v-9101", Name: "Casa Lejana Reservada", Category: "DIF-MUN",
	Lat: 27.5234, Lon: -113.4789, Confidential: true}

// hiddenIDsFixture adds farHiddenVenue to the demo, records a
// distribution to the demo shelter v-0019 on the MEX shipment and returns
// the ids of every hidden venue and that shipment's id.
func hiddenIDsFixture(t *testing.T, ts *testServer) (ids []string, mex int64) {
	t.Helper()
	seedDemoTracking(t, ts)
	ctx := store.WithActor(context.Background(), store.Actor{Email: "test"})
	if err := ts.db.CreateVenue(ctx, ts.CampaignID, farHiddenVenue); err != nil {
		t.Fatal(err)
	}
	camp, err := ts.db.GetCampaign(ctx, ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range hiddenOf(camp) {
		ids = append(ids, v.ID)
	}
	return ids, distributeOnMEX(t, ts, camp, "ONG-ALBERGUE", "v-0019")
}

// TestViewersNeverSeeHiddenVenueIDs: venue ids are free text (a planner
// may well type the shelter's name or street into one), so viewers never
// see the id of a confidential venue or of a venue in a sensitive
// category: not in the venue list, the map layers, the gap list, nor the
// shipment events, by session or by token. Planners do (issue 12, item 9).
func TestViewersNeverSeeHiddenVenueIDs(t *testing.T) {
	ts := newTestServer(t)
	ids, mex := hiddenIDsFixture(t, ts)
	c := "/campaigns/" + itoa(ts.CampaignID)
	extra := []string{c + "/shipments/" + itoa(mex), "/api/v1/shipments/" + itoa(mex),
		"/api/v1" + c + "/shipments?city=MEX", c + "/shipments?city=MEX", c + "/data/venues?q=00",
		c + "/data/venues?q=9101", c + "/map?category=DIF-MUN", "/api/v1" + c + "/map/gaps.json?category=DIF-MUN"}
	viewer := ts.client(t, web.RoleViewer)
	token := principal{name: "viewer token", role: web.RoleViewer, token: roleToken(t, ts, web.RoleViewer), cl: ts.client(t, "")}
	for _, u := range append(viewerURLs(t, ts), extra...) {
		_, body := ts.get(t, viewer, u)
		_, _, tbody := token.send(t, ts, http.MethodGet, u)
		for _, id := range ids {
			if strings.Contains(body, id) || strings.Contains(tbody, id) {
				t.Errorf("viewer GET %s shows the id of hidden venue %s", u, id)
			}
		}
	}
	planner := ts.client(t, web.RolePlanner)
	for u, id := range map[string]string{c + "/data/venues?category=ONG-ALBERGUE": "v-0019",
		c + "/shipments/" + itoa(mex): "v-0019", "/api/v1/shipments/" + itoa(mex): "v-0019",
		"/api/v1" + c + "/map/gaps.json": farHiddenVenue.ID, "/api/v1" + c + "/map/venues.geojson": farHiddenVenue.ID} {
		if _, body := ts.get(t, planner, u); !strings.Contains(body, id) {
			t.Errorf("planner GET %s: id %s missing", u, id)
		}
	}
}

// TestGapDistanceOfHiddenVenueFromSnappedPoint: the gap list tells
// viewers how far a hidden venue is from the nearest city measured from
// the snapped point the map shows, never from its exact coordinates (to
// 0.1 km, that and a city locate the shelter); planners get the exact
// distance (issue 12, item 9).
func TestGapDistanceOfHiddenVenueFromSnappedPoint(t *testing.T) {
	ts := newTestServer(t)
	hiddenIDsFixture(t, ts)
	camp, err := ts.db.GetCampaign(context.Background(), ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	nearest := func(lat, lon float64) (string, float64) {
		best, km := "", math.Inf(1)
		for _, k := range camp.Cities {
			if d := geo.DistanceKm(lat, lon, k.Lat, k.Lon); d < km {
				best, km = k.Code, d
			}
		}
		return best, math.Round(km*10) / 10
	}
	v := farHiddenVenue
	exactCity, exactKm := nearest(v.Lat, v.Lon)
	snapCity, snapKm := nearest(math.Round(v.Lat*20)/20, math.Round(v.Lon*20)/20)
	if exactKm == snapKm {
		t.Fatalf("test venue: snapping does not change the distance (%v km)", exactKm)
	}
	path := "/api/v1/campaigns/" + itoa(ts.CampaignID) + "/map/gaps.json?category=DIF-MUN"
	for _, tc := range []struct {
		role, city string
		km         float64
	}{{web.RoleViewer, snapCity, snapKm}, {web.RolePlanner, exactCity, exactKm}} {
		code, body := ts.get(t, ts.client(t, tc.role), path)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", tc.role, code)
		}
		var g mapdata.Gaps
		if err := json.Unmarshal([]byte(body), &g); err != nil {
			t.Fatal(err)
		}
		var found []mapdata.Gap
		for _, it := range g.Items {
			if it.Kind == "unassigned_venue" && it.State == "MX-BCS" {
				found = append(found, it)
			}
		}
		if len(found) != 1 {
			t.Fatalf("%s: %d unassigned venues in BCS, want the test venue: %+v", tc.role, len(found), g.Items)
		}
		if it := found[0]; it.NearestCity != tc.city || it.NearestKm != tc.km {
			t.Errorf("%s: nearest %s at %v km, want %s at %v km", tc.role, it.NearestCity, it.NearestKm, tc.city, tc.km)
		}
	}
}
