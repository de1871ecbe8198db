package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// hiddenVenues adds to the demo one venue that is confidential in an
// ordinary category and one that is in the sensitive category without the
// flag (the demo's own hidden venues are both at once), then reads back
// from the database every venue a viewer must not see named: confidential
// or in a sensitive category. It returns their names and addresses, and
// their ids.
func hiddenVenues(t *testing.T, ts *testServer) (secrets, ids []string) {
	t.Helper()
	ctx := store.WithActor(context.Background(), store.Actor{Email: "test"})
	extra := []planner.Venue{
		{ID: "v-9001", Name: "Casa Reservada Zeta", Category: "DIF-MUN", Lat: 19.43, Lon: -99.13, City: "MEX",
			Address: "Calle Oculta 17, Col. Nadie", Confidential: true},
		{ID: "v-9002", Name: "Refugio Sensible Omega", Category: "ONG-ALBERGUE", Lat: 20.67, Lon: -103.35, City: "GDL",
			Address: "Avenida Discreta 42"},
	}
	for _, v := range extra {
		if err := ts.db.CreateVenue(ctx, ts.CampaignID, v); err != nil {
			t.Fatal(err)
		}
	}
	camp, err := ts.db.GetCampaign(ctx, ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range hiddenOf(camp) {
		ids = append(ids, v.ID)
		secrets = append(secrets, v.Name)
		if v.Address != "" {
			secrets = append(secrets, v.Address)
		}
	}
	// The demo has six shelters; with the two added here, eight.
	if len(ids) != 8 {
		t.Fatalf("hidden venues: got %d (%v), want the demo's 6 and the 2 added", len(ids), ids)
	}
	return secrets, ids
}

// hiddenOf lists the venues of camp a viewer must not see named:
// confidential, or in a sensitive category.
func hiddenOf(camp *planner.Campaign) []planner.Venue {
	sensitive := map[string]bool{}
	for _, k := range camp.Categories {
		sensitive[k.Code] = k.Sensitive
	}
	var out []planner.Venue
	for _, v := range camp.Venues {
		if v.Confidential || sensitive[v.Category] {
			out = append(out, v)
		}
	}
	return out
}

// distributeOnMEX records one piece handed to venue (of category) on a
// delivered MEX shipment of the seeded demo that carries a material the
// category receives, and returns that shipment's id.
func distributeOnMEX(t *testing.T, ts *testServer, camp *planner.Campaign, category, venue string) int64 {
	t.Helper()
	ctx := store.WithActor(context.Background(), store.Actor{Email: "test"})
	list, err := ts.db.ListShipments(ctx, ts.CampaignID, store.ShipmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		st := s.State()
		if s.City != "MEX" || st.DeliveredOn == nil {
			continue
		}
		for _, l := range s.Lines {
			if !camp.Targets(l.Material, category) {
				continue
			}
			e := planner.Event{Kind: planner.EventDistributed, Date: *st.DeliveredOn,
				Distribution: []planner.DistributionLine{{Material: l.Material, Category: category, VenueID: venue, Pieces: 1}}}
			if _, _, err := ts.db.AppendEvent(ctx, s.ID, e, time.Date(2009, 3, 20, 9, 0, 0, 0, time.UTC), ""); err != nil {
				t.Fatal(err)
			}
			return s.ID
		}
	}
	t.Fatalf("no delivered MEX shipment carrying a material for %s in the demo", category)
	return 0
}

// leaked returns the secrets found in body, checking the JSON-escaped
// and HTML-escaped spellings too.
func leaked(body string, secrets []string) []string {
	var out []string
	for _, s := range secrets {
		for _, form := range []string{s, strings.ReplaceAll(s, " ", `\u0020`), url.QueryEscape(s)} {
			if strings.Contains(body, form) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// viewerURLs is every GET route a viewer may read, with real demo ids,
// plus the variants that aim at the hidden venues: searches for their
// names, the sensitive category's filters, and its plan cell.
func viewerURLs(t *testing.T, ts *testServer) []string {
	t.Helper()
	params := accessParams(t, ts)
	var urls []string
	for _, r := range ts.s.Engine().Routes() {
		key := r.Method + " " + r.Path
		if r.Method != http.MethodGet || r.Path == "/static/*path" || accessRank[accessMatrix[key]] > accessRank[web.RoleViewer] {
			continue
		}
		urls = append(urls, params.fill(r.Method, r.Path))
	}
	c := "/campaigns/" + itoa(ts.CampaignID)
	api := "/api/v1" + c
	for _, q := range []string{"Albergue", "Casa Reservada", "Refugio", "Oculta", "Discreta", "confidencial"} {
		urls = append(urls, c+"/data/venues?q="+url.QueryEscape(q))
	}
	urls = append(urls,
		c+"/data/venues?category=ONG-ALBERGUE", c+"/data/venues?city=MEX", c+"/data/venues?sort=name",
		c+"/data/venues?sort=address&desc=1", c+"/map?category=ONG-ALBERGUE", c+"/map?category=DIF-MUN",
		c+"/plan/cell?material=VOL-VICTIMAS&city=MEX&category=ONG-ALBERGUE",
		c+"/plan/cell?material=VOL-VICTIMAS&city=GDL&category=ONG-ALBERGUE",
		api+"/map/venues.geojson?category=ONG-ALBERGUE", api+"/map/venues.geojson?category=DIF-MUN",
		api+"/map/venues.geojson?bbox=-118,14,-86,33", api+"/map/gaps.json?category=ONG-ALBERGUE")
	return urls
}

// TestViewersNeverSeeHiddenVenueNames reads every page and API response a
// viewer can reach, by session and by token, and looks for the names and
// addresses of confidential venues and venues of sensitive categories.
func TestViewersNeverSeeHiddenVenueNames(t *testing.T) {
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	secrets, ids := hiddenVenues(t, ts)
	viewer := ts.client(t, web.RoleViewer)
	token := principal{name: "viewer token", role: web.RoleViewer, token: roleToken(t, ts, web.RoleViewer), cl: ts.client(t, "")}
	for _, u := range viewerURLs(t, ts) {
		code, body := ts.get(t, viewer, u)
		if code != http.StatusOK && code != http.StatusSeeOther {
			t.Errorf("viewer GET %s: %d, want a page to check", u, code)
		}
		if l := leaked(body, secrets); len(l) > 0 {
			t.Errorf("viewer GET %s shows hidden venues: %q", u, l)
		}
		if _, _, body := token.send(t, ts, http.MethodGet, u); len(leaked(body, secrets)) > 0 {
			t.Errorf("viewer token GET %s shows hidden venues: %q", u, leaked(body, secrets))
		}
	}
	// Searching for a hidden venue's name must not find it (only its id does).
	for _, q := range []string{"Albergue", "Casa Reservada", "Refugio Sensible", "Oculta"} {
		_, body := ts.get(t, viewer, "/campaigns/"+itoa(ts.CampaignID)+"/data/venues?q="+url.QueryEscape(q))
		for _, id := range ids {
			if strings.Contains(body, ">"+id+"<") {
				t.Errorf("viewer search %q finds hidden venue %s by its name or address", q, id)
			}
		}
	}
}

// TestPlannersSeeHiddenVenueNames: planners (and admins) work with the
// real names in the venue list and on the map's venue layer.
func TestPlannersSeeHiddenVenueNames(t *testing.T) {
	ts := newTestServer(t)
	secrets, _ := hiddenVenues(t, ts)
	c := "/campaigns/" + itoa(ts.CampaignID)
	for _, role := range []string{web.RolePlanner, web.RoleAdmin} {
		cl := ts.client(t, role)
		for _, u := range []string{c + "/data/venues", "/api/v1" + c + "/map/venues.geojson"} {
			code, body := ts.get(t, cl, u)
			if code != http.StatusOK {
				t.Fatalf("%s GET %s: %d", role, u, code)
			}
			if got := leaked(body, secrets); len(got) != len(secrets) && strings.Contains(u, "/data/") {
				t.Errorf("%s GET %s: shows %d of the %d hidden names and addresses", role, u, len(got), len(secrets))
			}
			for _, name := range []string{"Casa Reservada Zeta", "Refugio Sensible Omega", "Albergue confidencial 1"} {
				if !strings.Contains(body, name) {
					t.Errorf("%s GET %s: %q missing", role, u, name)
				}
			}
		}
	}
}

// TestExportsNeverNameHiddenVenues: CSV files leave the application, so
// no export names a hidden venue, whoever downloads it, by page or API.
func TestExportsNeverNameHiddenVenues(t *testing.T) {
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	secrets, _ := hiddenVenues(t, ts)
	c := "/campaigns/" + itoa(ts.CampaignID)
	var n int
	for _, r := range ts.s.Engine().Routes() {
		if !strings.HasSuffix(r.Path, ".csv") {
			continue
		}
		path := strings.Replace(strings.Replace(r.Path, "/campaigns/:id", c, 1), ":code", "MEX", 1)
		for _, role := range []string{web.RoleViewer, web.RolePlanner, web.RoleAdmin} {
			code, body := ts.get(t, ts.client(t, role), path)
			if code != http.StatusOK || !strings.Contains(body, ",") {
				t.Fatalf("%s GET %s: %d %.200s", role, path, code, body)
			}
			if l := leaked(body, secrets); len(l) > 0 {
				t.Errorf("%s GET %s names hidden venues: %q", role, path, l)
			}
			n++
		}
	}
	if n < 8*3 {
		t.Fatalf("checked %d exports, want the 4 CSV files as page and API for 3 roles", n)
	}
}

// roleToken creates an API token for the test user of role (signing the
// user in once so that it exists).
func roleToken(t *testing.T, ts *testServer, role string) string {
	t.Helper()
	ts.client(t, role)
	u, err := ts.db.GetUserByEmail(context.Background(), role+"@test.local")
	if err != nil {
		t.Fatal(err)
	}
	_, secret, err := ts.db.CreateToken(context.Background(), u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
