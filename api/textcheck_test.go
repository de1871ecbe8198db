package api

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/store"
	"github.com/reparto/reparto/store/storetest"
)

// eachTestServer runs fn against the test server on SQLite and, when
// REPARTO_TEST_DATABASE_URL is set, on a PostgreSQL scratch schema
// holding the same demo campaign.
func eachTestServer(t *testing.T, fn func(t *testing.T, ts *testServer)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, newTestServer(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, newPostgresTestServer(t)) })
}

// newPostgresTestServer skips the test when no PostgreSQL is configured.
func newPostgresTestServer(t *testing.T) *testServer {
	t.Helper()
	u := storetest.ScratchPostgres(t, "a")
	ctx := context.Background()
	db, err := store.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return serveTestDB(t, db, loadDemoCampaign(t, db))
}

// textProbe is one request carrying bad text in one field.
type textProbe struct {
	name, role    string
	method, path  string
	contentType   string
	body          string
	field         string // named in the answer
	wantStatus    int
	authorization bool // send a bearer token of role instead of the session
}

// multipartFile is a multipart body with one file field.
func multipartFile(t *testing.T, field, name, content string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, err := w.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(fw, content)
	w.Close()
	return w.FormDataContentType(), b.String()
}

// TestBadTextIsRefusedBeforeSQL: a NUL character or bytes that are not
// UTF-8 in any input (14 of 22 such probes answered 500 on PostgreSQL) is
// bad input on both databases, named by its field, and nothing is stored.
func TestBadTextIsRefusedBeforeSQL(t *testing.T) {
	eachTestServer(t, func(t *testing.T, ts *testServer) {
		id := strconv.FormatInt(ts.CampaignID, 10)
		sid := strconv.FormatInt(dispatchedDemoShipment(t, ts.db, ts.CampaignID), 10)
		form := "application/x-www-form-urlencoded"
		csvHeader := "name,category,lat,lon\n"
		importType, importBody := multipartFile(t, "file", "venues.csv", csvHeader+"Bar\x00,BAR,20.6,-103.3\n")
		event := func(checkpoint string) string {
			return `{"kind":"in_transit","date":"2009-03-20","checkpoint":"` + checkpoint + `"}`
		}
		probes := []textProbe{
			{name: "login email NUL", method: "POST", path: "/login", contentType: form,
				body: "email=a%00%40b.mx&password=x", field: "email", wantStatus: 400},
			{name: "login email not UTF-8", method: "POST", path: "/login", contentType: form,
				body: "email=caf%E9%40b.mx&password=x", field: "email", wantStatus: 400},
			{name: "venue search", role: web.RoleViewer, method: "GET", path: "/campaigns/" + id + "/data/venues?q=%00", field: "q", wantStatus: 400},
			{name: "venue search not UTF-8", role: web.RoleViewer, method: "GET", path: "/campaigns/" + id + "/data/venues?q=%FF", field: "q", wantStatus: 400},
			{name: "material search", role: web.RoleViewer, method: "GET", path: "/campaigns/" + id + "/data/materials?q=%00", field: "q", wantStatus: 400},
			{name: "venue filter", role: web.RoleViewer, method: "GET", path: "/campaigns/" + id + "/data/venues?city=%00", field: "city", wantStatus: 400},
			{name: "edit key", role: web.RolePlanner, method: "GET", path: "/campaigns/" + id + "/data/venues/edit?key=v%00", field: "key", wantStatus: 400},
			{name: "map filter", role: web.RoleViewer, method: "GET", path: "/campaigns/" + id + "/map?material=%00", field: "material", wantStatus: 400},
			{name: "API shipment filter", role: web.RoleViewer, authorization: true, method: "GET",
				path: "/api/v1/campaigns/" + id + "/shipments?status=%00", field: "status", wantStatus: 400},
			{name: "bad parameter name", role: web.RoleViewer, authorization: true, method: "GET",
				path: "/api/v1/campaigns/" + id + "/shipments?st%00=1", field: `st\\x00`, wantStatus: 400},
			{name: "token name", role: web.RoleViewer, method: "POST", path: "/account/tokens", contentType: form,
				body: "name=ci%00", field: "name", wantStatus: 400},
			{name: "material name in a form", role: web.RolePlanner, method: "POST", path: "/campaigns/" + id + "/data/materials",
				contentType: form, body: "code=T1&name=Cartel%00&format=poster&audience=general&printed=10&pack_size=1&packs_per_box=1",
				field: "name", wantStatus: 400},
			{name: "venue name in a form, not UTF-8", role: web.RolePlanner, method: "POST", path: "/campaigns/" + id + "/data/venues",
				contentType: form, body: "name=Caf%E9&category=BAR&lat=20.6&lon=-103.3", field: "name", wantStatus: 400},
			{name: "import confirm", role: web.RolePlanner, method: "POST", path: "/campaigns/" + id + "/data/venues/import/confirm",
				contentType: form, body: url.Values{"csv": {csvHeader + "Bar\x00,BAR,20.6,-103.3\n"}}.Encode(), field: "csv", wantStatus: 400},
			{name: "import upload", role: web.RolePlanner, method: "POST", path: "/campaigns/" + id + "/data/venues/import",
				contentType: importType, body: importBody, field: "NUL", wantStatus: 422},
			{name: "new user email", role: web.RoleAdmin, method: "POST", path: "/admin/users", contentType: form,
				body: "email=x%00%40b.mx&role=viewer&password=long+enough+password", field: "email", wantStatus: 400},
			{name: "audit actor", role: web.RoleAdmin, method: "GET", path: "/admin/audit?actor=%00", field: "actor", wantStatus: 400},
			{name: "audit entity API", role: web.RoleAdmin, authorization: true, method: "GET", path: "/api/v1/admin/audit?entity=%FF", field: "entity", wantStatus: 400},
			{name: "event body NUL", role: web.RolePlanner, authorization: true, method: "POST", path: "/api/v1/shipments/" + sid + "/events",
				contentType: "application/json", body: event(`km\u0000`), field: "checkpoint", wantStatus: 422},
			{name: "event body not UTF-8", role: web.RolePlanner, authorization: true, method: "POST", path: "/api/v1/shipments/" + sid + "/events",
				contentType: "application/json", body: event("km \xff"), field: "checkpoint", wantStatus: 422},
			{name: "plan commit note", role: web.RolePlanner, authorization: true, method: "POST", path: "/api/v1/campaigns/" + id + "/plan/commit",
				contentType: "application/json", body: `{"note":"v2\u0000"}`, field: "note", wantStatus: 422},
		}
		// Every principal signs in before the audit rows are counted.
		clients, tokens := map[string]*http.Client{"": ts.client(t, "")}, map[string]string{}
		for _, role := range []string{web.RoleViewer, web.RolePlanner, web.RoleAdmin} {
			clients[role], tokens[role] = ts.client(t, role), roleToken(t, ts, role)
		}
		before := auditCount(t, ts)
		for _, p := range probes {
			t.Run(p.name, func(t *testing.T) {
				req, err := http.NewRequest(p.method, ts.URL+p.path, strings.NewReader(p.body))
				if err != nil {
					t.Fatal(err)
				}
				if p.contentType != "" {
					req.Header.Set("Content-Type", p.contentType)
				}
				cl := clients[p.role]
				if p.authorization {
					cl = clients[""]
					req.Header.Set("Authorization", "Bearer "+tokens[p.role])
				}
				resp, err := cl.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != p.wantStatus || !strings.Contains(string(b), p.field) {
					t.Errorf("status %d, want %d naming %q; body %.300s", resp.StatusCode, p.wantStatus, p.field, b)
				}
			})
		}
		if after := auditCount(t, ts); after != before {
			t.Errorf("%d audit rows written by refused requests", after-before)
		}
	})
}

// auditCount counts the audit log rows, i.e. the writes made so far.
func auditCount(t *testing.T, ts *testServer) int64 {
	t.Helper()
	page, err := ts.db.ListAudit(context.Background(), store.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}
