package api

import (
	"context"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// rolePublic marks routes that need no sign-in at all.
const rolePublic = "public"

// accessRank orders the principals' roles; anonymous is 0.
var accessRank = map[string]int{"": 0, rolePublic: 0, web.RoleViewer: 1, web.RolePlanner: 2, web.RoleAdmin: 3}

// accessMatrix is the least role of every registered route, written from
// the product's rules (README "what each user can do"), not read from the
// code: viewers read campaigns; planners edit data, plans and tracking;
// admins manage users and read the audit log. A route missing here fails
// TestAccessMatrix, so a new route cannot ship without a decision.
var accessMatrix = map[string]string{
	"GET /healthz":             rolePublic,
	"GET /readyz":              rolePublic,
	"GET /static/*path":        rolePublic,
	"GET /sw.js":               rolePublic,
	"GET /login":               rolePublic,
	"POST /login":              rolePublic,
	"POST /logout":             rolePublic,
	"POST /lang":               rolePublic,
	"GET /api/v1/openapi.json": rolePublic,

	"GET /":                                            web.RoleViewer,
	"GET /campaigns":                                   web.RoleViewer,
	"GET /campaigns/:id":                               web.RoleViewer,
	"GET /campaigns/:id/dashboard":                     web.RoleViewer,
	"GET /campaigns/:id/shipments":                     web.RoleViewer,
	"GET /campaigns/:id/shipments/:sid":                web.RoleViewer,
	"GET /campaigns/:id/shipments/:sid/receive":        web.RolePlanner,
	"POST /campaigns/:id/shipments/:sid/receive":       web.RolePlanner,
	"GET /campaigns/:id/map":                           web.RoleViewer,
	"GET /campaigns/:id/plan":                          web.RoleViewer,
	"GET /campaigns/:id/plan/cell":                     web.RoleViewer,
	"GET /campaigns/:id/plan/scenario":                 web.RoleViewer,
	"GET /campaigns/:id/plan/versions":                 web.RoleViewer,
	"GET /campaigns/:id/exports":                       web.RoleViewer,
	"GET /campaigns/:id/exports/print-order.csv":       web.RoleViewer,
	"GET /campaigns/:id/exports/manifest.csv":          web.RoleViewer,
	"GET /campaigns/:id/exports/allocation.csv":        web.RoleViewer,
	"GET /campaigns/:id/exports/shipments.csv":         web.RoleViewer,
	"GET /campaigns/:id/distribution-lists":            web.RoleViewer,
	"GET /campaigns/:id/cities/:code/distribution.pdf": web.RoleViewer,
	"GET /campaigns/:id/cities/:code/distribution.csv": web.RoleViewer,
	"GET /campaigns/:id/data":                          web.RoleViewer,
	"GET /campaigns/:id/data/targeting":                web.RoleViewer,
	"GET /account":                                     web.RoleViewer,
	"POST /account/password":                           web.RoleViewer,
	"POST /account/tokens":                             web.RoleViewer,
	"POST /account/tokens/:token/revoke":               web.RoleViewer,
	// Printed documents and labels: no venue name is ever printed, and a
	// closed campaign's paperwork stays downloadable.
	"GET /campaigns/:id/shipments/:sid/documents.pdf": web.RoleViewer,
	"GET /campaigns/:id/shipments/:sid/labels.pdf":    web.RoleViewer,
	"GET /campaigns/:id/dispatch/:date/documents.pdf": web.RoleViewer,
	"GET /campaigns/:id/dispatch/:date/labels.pdf":    web.RoleViewer,
	"GET /campaigns/:id/data/venues/registry/rules":   web.RoleViewer,

	"GET /campaigns/new":                        web.RolePlanner,
	"POST /campaigns":                           web.RolePlanner,
	"POST /campaigns/copy":                      web.RolePlanner,
	"POST /campaigns/import":                    web.RolePlanner,
	"GET /campaigns/:id/settings":               web.RolePlanner,
	"POST /campaigns/:id/settings":              web.RolePlanner,
	"GET /campaigns/:id/plan/scenario/apply":    web.RolePlanner,
	"POST /campaigns/:id/plan/scenario/apply":   web.RolePlanner,
	"POST /campaigns/:id/alerts/:event/ack":     web.RolePlanner,
	"POST /campaigns/:id/shipments/:sid/events": web.RolePlanner,
	// and field accounts for their places (fieldAccess)
	"GET /campaigns/:id/shipments/:sid/distribute":            web.RolePlanner,
	"POST /campaigns/:id/shipments/:sid/distribute":           web.RolePlanner,
	"POST /campaigns/:id/plan/commit":                         web.RolePlanner,
	"POST /campaigns/:id/data/targeting":                      web.RolePlanner,
	"GET /campaigns/:id/data/venues/import":                   web.RolePlanner,
	"POST /campaigns/:id/data/venues/import":                  web.RolePlanner,
	"POST /campaigns/:id/data/venues/import/confirm":          web.RolePlanner,
	"GET /campaigns/:id/data/venues/imports":                  web.RolePlanner,
	"GET /campaigns/:id/data/venues/imports/undo":             web.RolePlanner,
	"POST /campaigns/:id/data/venues/imports/undo":            web.RolePlanner,
	"GET /campaigns/:id/data/venues/registry":                 web.RolePlanner,
	"POST /campaigns/:id/data/venues/registry":                web.RolePlanner,
	"POST /campaigns/:id/data/venues/registry/confirm":        web.RolePlanner,
	"POST /campaigns/:id/data/venues/registry/rules":          web.RolePlanner,
	"POST /campaigns/:id/data/venues/registry/rules/defaults": web.RolePlanner,
	"POST /campaigns/:id/plan/versions/:version/restore":      web.RolePlanner,

	"GET /admin":                              web.RoleAdmin,
	"GET /admin/users":                        web.RoleAdmin,
	"GET /admin/audit":                        web.RoleAdmin,
	"POST /admin/users":                       web.RoleAdmin,
	"POST /admin/users/:user/role":            web.RoleAdmin,
	"POST /admin/users/:user/places":          web.RoleAdmin,
	"POST /admin/users/:user/disable":         web.RoleAdmin,
	"POST /admin/users/:user/enable":          web.RoleAdmin,
	"POST /admin/users/:user/revoke-sessions": web.RoleAdmin,
	"POST /campaigns/:id/close":               web.RoleAdmin,
	"POST /campaigns/:id/reopen":              web.RoleAdmin,

	"GET /api/v1/me":                                            web.RoleViewer,
	"GET /api/v1/campaigns":                                     web.RoleViewer,
	"GET /api/v1/campaigns/:id/shipments":                       web.RoleViewer,
	"GET /api/v1/campaigns/:id/progress":                        web.RoleViewer,
	"GET /api/v1/campaigns/:id/alerts":                          web.RoleViewer,
	"GET /api/v1/campaigns/:id/plan/versions":                   web.RoleViewer,
	"GET /api/v1/campaigns/:id/plan/versions/:version":          web.RoleViewer,
	"GET /api/v1/campaigns/:id/map/states.geojson":              web.RoleViewer,
	"GET /api/v1/campaigns/:id/map/cities.geojson":              web.RoleViewer,
	"GET /api/v1/campaigns/:id/map/venues.geojson":              web.RoleViewer,
	"GET /api/v1/campaigns/:id/map/gaps.json":                   web.RoleViewer,
	"GET /api/v1/campaigns/:id/map/gaps.csv":                    web.RoleViewer,
	"GET /api/v1/campaigns/:id/map/gaps.geojson":                web.RoleViewer,
	"GET /api/v1/campaigns/:id/exports/print-order.csv":         web.RoleViewer,
	"GET /api/v1/campaigns/:id/exports/manifest.csv":            web.RoleViewer,
	"GET /api/v1/campaigns/:id/exports/allocation.csv":          web.RoleViewer,
	"GET /api/v1/campaigns/:id/exports/shipments.csv":           web.RoleViewer,
	"GET /api/v1/shipments/:id":                                 web.RoleViewer,
	"POST /api/v1/campaigns/:id/plan/preview":                   web.RolePlanner,
	"POST /api/v1/campaigns/:id/plan/replan-preview":            web.RolePlanner,
	"POST /api/v1/campaigns/:id/plan/commit":                    web.RolePlanner,
	"POST /api/v1/campaigns/:id/plan/versions/:version/restore": web.RolePlanner,
	"PATCH /api/v1/shipments/:id":                               web.RolePlanner,
	"POST /api/v1/shipments/:id/events":                         web.RolePlanner,
	"POST /api/v1/alerts/:campaign/:event/ack":                  web.RolePlanner,
	"GET /api/v1/admin/users":                                   web.RoleAdmin,
	"GET /api/v1/admin/audit":                                   web.RoleAdmin,
}

// fieldAccess lists the routes a field account may use besides the public
// ones; on every other route it gets 403 (TestAccessMatrix calls each as
// a field user of one state). Its home (the campaign list sends it to its
// shipment list), its own account, its places' shipments and the
// recording of their receipt and distribution.
var fieldAccess = map[string]bool{
	"GET /":                                         true,
	"GET /campaigns":                                true,
	"GET /campaigns/:id/shipments":                  true,
	"GET /campaigns/:id/shipments/:sid":             true,
	"POST /campaigns/:id/shipments/:sid/events":     true,
	"GET /campaigns/:id/shipments/:sid/receive":     true,
	"POST /campaigns/:id/shipments/:sid/receive":    true,
	"GET /campaigns/:id/shipments/:sid/distribute":  true,
	"POST /campaigns/:id/shipments/:sid/distribute": true,
	"GET /account":                                  true,
	"POST /account/password":                        true,
	"POST /account/tokens":                          true,
	"POST /account/tokens/:token/revoke":            true,
	"GET /api/v1/me":                                true,
	"GET /api/v1/campaigns":                         true,
	"GET /api/v1/campaigns/:id/shipments":           true,
	"GET /api/v1/shipments/:id":                     true,
	"POST /api/v1/shipments/:id/events":             true,
}

// dataKinds are the lists of the data area: reading them is for viewers,
// every form and write for planners.
var dataKinds = []string{"materials", "categories", "cities", "counts", "venues", "locks"}

func init() {
	for _, k := range dataKinds {
		base := "/campaigns/:id/data/" + k
		accessMatrix["GET "+base] = web.RoleViewer
		for _, r := range []string{"GET " + base + "/new", "POST " + base, "GET " + base + "/edit",
			"POST " + base + "/edit", "GET " + base + "/delete", "POST " + base + "/delete"} {
			accessMatrix[r] = web.RolePlanner
		}
	}
}

// ownAnswers are answers of public routes that look like a denial but are
// the route doing its job: the login form refuses bad credentials with
// 401, and signing out sends everyone to the login page.
var ownAnswers = map[string]func(code int, loc string) bool{
	"POST /login":  func(code int, _ string) bool { return code == http.StatusUnauthorized },
	"POST /logout": func(code int, loc string) bool { return code == http.StatusSeeOther && loc == "/login" },
}

// sessionOnly lists routes that refuse API tokens by design, with 403:
// a password is changed only in a signed-in browser session.
var sessionOnly = map[string]bool{"POST /account/password": true}

// endsSession lists routes that end the caller's session: each principal
// calls them with a fresh one so the rest of the matrix keeps its own.
var endsSession = map[string]bool{"POST /logout": true}

// principal is one way of calling: anonymous, a session of a role, or a
// bearer token of a role.
type principal struct {
	name, role string
	token      string
	cl         *http.Client
}

func (p principal) send(t *testing.T, ts *testServer, method, path string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	if method != http.MethodGet {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if strings.HasPrefix(path, "/api/") {
			req.Header.Set("Content-Type", "application/json")
		}
	}
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	cl := p.cl
	if cl == nil {
		cl = ts.client(t, "")
	}
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// accessPrincipals signs in one user of each role and gives each a token.
// Tokens belong to the same users as the sessions.
func accessPrincipals(t *testing.T, ts *testServer) []principal {
	t.Helper()
	ps := []principal{{name: "anonymous", cl: ts.client(t, "")}}
	var tokens []principal
	for _, role := range []string{web.RoleField, web.RoleViewer, web.RolePlanner, web.RoleAdmin} {
		ps = append(ps, principal{name: role + " session", role: role, cl: ts.client(t, role)})
		u, err := ts.db.GetUserByEmail(context.Background(), role+"@test.local")
		if err != nil {
			t.Fatal(err)
		}
		_, secret, err := ts.db.CreateToken(context.Background(), u.ID, "matrix")
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, principal{name: role + " token", role: role, token: secret, cl: ts.client(t, "")})
	}
	return append(ps, tokens...)
}

// TestAccessMatrix calls every registered route as every principal and
// checks who is let through. Below the route's role: anonymous API calls
// get 401, anonymous page calls a 303 to /login, signed-in callers 403.
// At or above it: anything but 401/403/redirect-to-login (bodies are
// empty, so 400/404/422 are fine). Pages accept bearer tokens too: the
// authentication middleware resolves a token's owner on every route, and
// the same role rules apply (there is no session, so no cookie and
// nothing a cross-site page could ride on).
func TestAccessMatrix(t *testing.T) {
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	params := accessParams(t, ts)
	ps := accessPrincipals(t, ts)

	routes := ts.s.Engine().Routes()
	sort.Slice(routes, func(i, j int) bool { return routes[i].Method+routes[i].Path < routes[j].Method+routes[j].Path })
	seen := map[string]bool{}
	for _, r := range routes {
		key := r.Method + " " + r.Path
		seen[key] = true
		min, ok := accessMatrix[key]
		if !ok {
			t.Errorf("route %s has no entry in the access matrix", key)
			continue
		}
		path := params.fill(r.Method, r.Path)
		t.Run(key, func(t *testing.T) {
			var got []string
			for _, p := range ps {
				if endsSession[key] && p.token == "" && p.role != "" {
					p.cl = ts.client(t, p.role)
				}
				code, loc, body := p.send(t, ts, r.Method, path)
				checkAccess(t, key, path, min, p, code, loc, body)
				got = append(got, strconv.Itoa(code))
			}
			t.Logf("%s needs %s: %s", path, min, strings.Join(got, " "))
		})
	}
	for key := range accessMatrix {
		if !seen[key] {
			t.Errorf("access matrix entry %s matches no registered route (stale entry?)", key)
		}
	}
	for key := range fieldAccess {
		if !seen[key] {
			t.Errorf("field access entry %s matches no registered route (stale entry?)", key)
		}
	}
	t.Logf("access matrix: %d routes × %d principals", len(routes), len(ps))
}

// checkAccess asserts one response against the matrix.
func checkAccess(t *testing.T, key, path, min string, p principal, code int, loc, body string) {
	t.Helper()
	isAPI := strings.HasPrefix(path, "/api/")
	allowed := accessRank[p.role] >= accessRank[min]
	if p.role == web.RoleField { // beside the ranks: only its own routes
		allowed = min == rolePublic || fieldAccess[key]
	}
	if allowed {
		if own := ownAnswers[key]; own != nil && own(code, loc) {
			return
		}
		if sessionOnly[key] && p.token != "" {
			// Pages answer in Spanish unless asked otherwise; the API in English.
			if code != http.StatusForbidden || !(strings.Contains(body, "API token") || strings.Contains(body, "token de API")) {
				t.Errorf("%s as %s: got %d %.200s, want 403: API tokens may not use it", path, p.name, code, body)
			}
			return
		}
		if code == http.StatusUnauthorized || code == http.StatusForbidden || (code == http.StatusSeeOther && strings.HasPrefix(loc, "/login")) {
			t.Errorf("%s as %s (route needs %s): denied with %d %s: %.200s", path, p.name, min, code, loc, body)
		}
		return
	}
	switch {
	case p.role == "" && isAPI:
		if code != http.StatusUnauthorized || !strings.Contains(body, `"code":"unauthorized"`) {
			t.Errorf("%s as anonymous: got %d %.200s, want 401 with the JSON error", path, code, body)
		}
	case p.role == "":
		if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
			t.Errorf("%s as anonymous: got %d Location %q, want 303 to /login", path, code, loc)
		}
	default:
		if code != http.StatusForbidden {
			t.Errorf("%s as %s (route needs %s): got %d, want 403", path, p.name, min, code)
		}
	}
}

// accessParamSet holds real ids of the demo for path parameters and the
// query strings that make each page meaningful.
type accessParamSet struct {
	campaign, shipment, event, user int64
	day                             planner.Date // the shipment's planned dispatch day
	queries                         map[string]string
}

func (a accessParamSet) fill(method, pattern string) string {
	id := strconv.FormatInt(a.campaign, 10)
	if strings.HasPrefix(pattern, "/api/v1/shipments/:id") {
		id = strconv.FormatInt(a.shipment, 10)
	}
	r := strings.NewReplacer(":id", id, ":sid", strconv.FormatInt(a.shipment, 10),
		":campaign", strconv.FormatInt(a.campaign, 10), ":event", strconv.FormatInt(a.event, 10),
		":version", "1", ":date", a.day.String(), ":user", strconv.FormatInt(a.user, 10), ":token", "999999",
		":code", "MEX", "*path", "css/app.css")
	path := r.Replace(pattern)
	if q := a.queries[method+" "+pattern]; q != "" {
		path += "?" + q
	}
	return path
}

// accessParams reads the ids from the demo: the GDL shipment (it has the
// demo's one alert), the first material, city, category, venue, count and
// lock, and a user who is none of the principals for the admin actions.
func accessParams(t *testing.T, ts *testServer) accessParamSet {
	t.Helper()
	ctx := context.Background()
	a := accessParamSet{campaign: ts.CampaignID, queries: map[string]string{}}
	alerts, err := ts.db.ListAlerts(ctx, ts.CampaignID)
	if err != nil || len(alerts) == 0 {
		t.Fatalf("demo alerts: %v (%d)", err, len(alerts))
	}
	a.event, a.shipment = alerts[0].EventID, alerts[0].ShipmentID
	sh, err := ts.db.GetShipment(ctx, a.shipment)
	if err != nil {
		t.Fatal(err)
	}
	a.day = sh.Dispatch
	victim, err := ts.db.CreateUser(ctx, store.NewUser{Email: "other@test.local", Role: web.RoleViewer, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	a.user = victim.ID
	camp, err := ts.db.GetCampaign(ctx, ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{
		"materials": camp.Materials[0].Code, "categories": camp.Categories[0].Code, "cities": camp.Cities[0].Code,
		"venues": camp.Venues[0].ID, "counts": camp.VenueCounts[0].City + "/" + camp.VenueCounts[0].Category,
		"locks": camp.Locks[0].Material + "/" + camp.Locks[0].City + "/" + camp.Locks[0].Category,
	}
	for kind, key := range keys {
		a.queries["GET /campaigns/:id/data/"+kind+"/edit"] = "key=" + key
	}
	l := camp.Locks[0]
	a.queries["GET /campaigns/:id/plan/cell"] = "material=" + l.Material + "&city=" + l.City + "&category=" + l.Category
	return a
}
