package api

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
)

// TestNoStoreOnAuthenticatedResponses: what a signed-in user reads —
// pages, JSON, GeoJSON, CSV, errors — may not be kept in a browser's or a
// proxy's cache (a shared computer, the back button after signing out).
// Static files with a content hash stay cacheable for a year (issue 12,
// item 9).
func TestNoStoreOnAuthenticatedResponses(t *testing.T) {
	ts := newTestServer(t)
	viewer := ts.client(t, web.RoleViewer)
	token := principal{name: "viewer token", role: web.RoleViewer, token: roleToken(t, ts, web.RoleViewer), cl: ts.client(t, "")}
	c := "/campaigns/" + itoa(ts.CampaignID)
	api := "/api/v1" + c
	for _, path := range []string{
		"/campaigns", c + "/dashboard", c + "/map", c + "/plan", c + "/data/venues", "/account",
		"/api/v1/me", "/api/v1/campaigns", api + "/shipments", api + "/progress",
		api + "/map/states.geojson", api + "/map/venues.geojson", api + "/map/venues.geojson?bbox=-118,14,-86,33",
		api + "/map/gaps.json", c + "/exports/manifest.csv", "/campaigns/999999/plan", "/api/v1/shipments/0",
	} {
		resp, _ := fetch(t, ts, viewer, path)
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("viewer GET %s (%d): Cache-Control %q, want no-store", path, resp.StatusCode, cc)
		}
		if !strings.HasPrefix(path, "/api/") {
			continue
		}
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token.token)
		resp, err := token.cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("token GET %s (%d): Cache-Control %q, want no-store", path, resp.StatusCode, cc)
		}
	}
	_, page := fetch(t, ts, viewer, "/campaigns")
	css := "/static/css/app.css?v="
	i := strings.Index(page, css)
	if i < 0 {
		t.Fatal("no hashed stylesheet link on the page")
	}
	href := page[i : i+strings.IndexByte(page[i:], '"')]
	resp, _ := fetch(t, ts, viewer, href)
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("hashed static file %s: Cache-Control %q, want it cacheable", href, cc)
	}
}

// TestWrongMethodIs405: a route that exists for other methods answers 405
// with an Allow header, as JSON under /api and as a page elsewhere; a
// path that does not exist stays 404 (issue 12, item 9).
func TestWrongMethodIs405(t *testing.T) {
	ts := newTestServer(t)
	planner := ts.client(t, web.RolePlanner)
	c := "/campaigns/" + itoa(ts.CampaignID)
	cases := []struct {
		method, path, allow string
		json                bool
	}{
		{http.MethodGet, "/logout", "POST", false},
		{http.MethodGet, c + "/plan/commit", "POST", false},
		{http.MethodDelete, "/account", "GET", false},
		{http.MethodGet, "/api/v1/shipments/1/events", "POST", true},
		{http.MethodPut, "/api/v1/me", "GET", true},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(tc.method, ts.URL+tc.path, nil)
		resp, err := planner.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d Allow %q, want 405 Allow %q", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Allow"), tc.allow)
		}
		if ct := resp.Header.Get("Content-Type"); strings.Contains(ct, "json") != tc.json {
			t.Errorf("%s %s: Content-Type %q, JSON wanted: %v", tc.method, tc.path, ct, tc.json)
		}
	}
	if code, _ := ts.get(t, planner, "/no-such-page"); code != http.StatusNotFound {
		t.Errorf("unknown path: %d, want 404", code)
	}
}

// An address no route has is the error page in the reader's language, with
// the menu of a signed-in user, or JSON under /api: not gin's bare English
// "404 page not found", which a mistyped or stale link used to show.
func TestUnknownPathIsAnErrorPage(t *testing.T) {
	ts := newTestServer(t)
	cases := []struct {
		name, role, path, want, contentType string
	}{
		{"signed in", web.RolePlanner, "/no-such-page", "no hay ninguna página en esta dirección", "text/html"},
		{"signed in, the menu", web.RolePlanner, "/campaigns/1/no-such-page", `href="/campaigns"`, "text/html"},
		{"anonymous", "", "/no-such-page", "no hay ninguna página en esta dirección", "text/html"},
		{"API", web.RolePlanner, "/api/v1/no-such-resource", `"code":"not_found"`, "application/json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := ts.client(t, tc.role).Get(ts.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", tc.path, resp.StatusCode)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.contentType) {
				t.Errorf("%s: Content-Type %q, want %s", tc.path, ct, tc.contentType)
			}
			if !strings.Contains(string(body), tc.want) {
				t.Errorf("%s: body lacks %q:\n%.600s", tc.path, tc.want, body)
			}
		})
	}
}
