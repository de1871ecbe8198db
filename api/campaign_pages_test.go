package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/store"
)

// blankCampaignForm is a valid blank campaign as the new-campaign form posts it.
func blankCampaignForm() url.Values {
	return url.Values{"name": {"Campaña 2010"}, "start": {"2010-01-11"}, "deadline": {"2010-03-31"},
		"depot_name": {"CDMX"}, "depot_lat": {"19.43"}, "depot_lon": {"-99.13"}, "boxes_per_day": {"300"},
		"work_days": {"Mon", "Tue", "Wed", "Thu", "Fri"}, "holidays": {"2010-02-01", ""},
		"road_km_per_day": {"500"}, "circuity": {"1.3"}, "handling_days": {"1"}, "local_distribution_days": {"5"},
		"surplus": {"spread"}}
}

// campaignIDFrom reads the id of /campaigns/ID/... from a redirect.
func campaignIDFrom(t *testing.T, loc string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(loc, "/campaigns/%d", &id); err != nil {
		t.Fatalf("redirect %q names no campaign", loc)
	}
	return id
}

// auditActions lists the audit actions recorded about a campaign, oldest first.
func auditActions(t *testing.T, ts *testServer, id int64) []string {
	t.Helper()
	p, err := ts.db.ListAudit(context.Background(), store.AuditFilter{CampaignID: id})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(p.Items) - 1; i >= 0; i-- {
		out = append(out, p.Items[i].Action)
	}
	return out
}

func TestCreateBlankCampaign(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	// Every error at once: a missing name, a number that is not one, no
	// work day and a deadline before the start.
	bad := blankCampaignForm()
	bad.Set("name", "")
	bad.Set("boxes_per_day", "muchas")
	bad.Del("work_days")
	bad.Set("deadline", "2009-12-31")
	code, body, _ := ts.post(t, cl, "/campaigns", bad)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("invalid blank campaign: status %d, want 422", code)
	}
	for name, want := range map[string]string{"name": "es obligatorio", "boxes_per_day": "debe ser un número entero",
		"deadline": "no puede ser anterior al inicio (2010-01-11)"} {
		if got := fieldError(body, name); got != want {
			t.Errorf("%s: error %q, want %q", name, got, want)
		}
	}
	if !strings.Contains(body, `id="work_days-error">elija al menos un día hábil`) {
		t.Error("no error beside the working days")
	}
	before, _ := ts.db.ListCampaigns(context.Background())

	code, _, loc := ts.post(t, cl, "/campaigns", blankCampaignForm())
	if code != http.StatusSeeOther {
		t.Fatalf("valid blank campaign: status %d, want 303", code)
	}
	id := campaignIDFrom(t, loc)
	if after, _ := ts.db.ListCampaigns(context.Background()); len(after) != len(before)+1 {
		t.Fatalf("%d campaigns after the create, want %d", len(after), len(before)+1)
	}
	c, err := ts.db.GetCampaign(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Campaña 2010" || len(c.Dispatch.WorkDays) != 5 || len(c.Dispatch.Holidays) != 1 || len(c.Materials) != 0 {
		t.Errorf("stored %+v", c)
	}
	if got := auditActions(t, ts, id); len(got) != 1 || got[0] != store.AuditCreate {
		t.Errorf("audit %v, want one create", got)
	}
	// A blank campaign is a draft on the list, and its pages open.
	_, list := ts.get(t, cl, "/campaigns")
	if !strings.Contains(list, fmt.Sprintf(`<tr data-campaign="%d">`, id)) || !strings.Contains(list, `data-state="draft"`) {
		t.Error("the new campaign is not listed as a draft")
	}
	for _, page := range []string{"data", "settings", "dashboard", "plan"} {
		if code, _ := ts.get(t, cl, fmt.Sprintf("/campaigns/%d/%s", id, page)); code != http.StatusOK {
			t.Errorf("%s of a blank campaign: status %d", page, code)
		}
	}
}

func TestCampaignListShowsStateAndProgress(t *testing.T) {
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	code, body := ts.get(t, ts.client(t, web.RoleViewer), "/campaigns")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	row := body[strings.Index(body, fmt.Sprintf(`<tr data-campaign="%d">`, ts.CampaignID)):]
	row = row[:strings.Index(row, "</tr>")]
	if !strings.Contains(row, `data-state="in_progress"`) || !strings.Contains(row, "En curso") {
		t.Errorf("the tracked demo is not shown in progress: %s", row)
	}
	if !strings.Contains(row, "entregado") || strings.Contains(row, `data-delivered="0"`) {
		t.Errorf("no delivered share in %s", row)
	}
	if strings.Contains(body, `href="/campaigns/new"`) || strings.Contains(body, "/close") {
		t.Error("a viewer is offered to create or close campaigns")
	}
}

func TestCopyCampaignPage(t *testing.T) {
	ts := newTestServer(t) // the store's TestCopyCampaign copies one with plans and events
	cl := ts.client(t, web.RolePlanner)
	form := url.Values{"source": {fmt.Sprint(ts.CampaignID)}, "name": {""}, "start": {"2010-01-11"}, "deadline": {"nunca"}}
	code, body, _ := ts.post(t, cl, "/campaigns/copy", form)
	if code != http.StatusUnprocessableEntity || fieldError(body, "name") == "" || fieldError(body, "deadline") == "" {
		t.Fatalf("invalid copy: status %d, errors %q %q", code, fieldError(body, "name"), fieldError(body, "deadline"))
	}
	form.Set("name", "Campaña 2010")
	form.Set("deadline", "2010-03-31")
	code, _, loc := ts.post(t, cl, "/campaigns/copy", form)
	if code != http.StatusSeeOther {
		t.Fatalf("copy: status %d", code)
	}
	id := campaignIDFrom(t, loc)
	orig, _ := ts.db.GetCampaign(context.Background(), ts.CampaignID)
	cp, err := ts.db.GetCampaign(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(cp.Materials) != len(orig.Materials) || len(cp.Venues) != len(orig.Venues) || cp.Start.String() != "2010-01-11" {
		t.Errorf("copy has %d materials, %d venues, start %v", len(cp.Materials), len(cp.Venues), cp.Start)
	}
	if v, _ := ts.db.LatestPlanVersion(context.Background(), id); v != 0 {
		t.Errorf("the copy has plan version %d", v)
	}
	if got := auditActions(t, ts, id); len(got) != 1 || got[0] != store.AuditCopy {
		t.Errorf("audit %v, want one copy", got)
	}
}

// postFile uploads a campaign file to the import form.
func postFile(t *testing.T, ts *testServer, cl *http.Client, name string, content []byte) (int, string, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	w.Close()
	resp, err := cl.Post(ts.URL+"/campaigns/import", w.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

func TestImportCampaignFilePage(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	demo, err := assets.FS.ReadFile("data/campaign-2009.json")
	if err != nil {
		t.Fatal(err)
	}
	before, _ := ts.db.ListCampaigns(context.Background())
	bad := bytes.Replace(demo, []byte(`"pack_size": `), []byte(`"pack_size": -`), 1)
	bad = bytes.Replace(bad, []byte(`"boxes_per_day": `), []byte(`"boxes_per_day": "x", "ignored": `), 1)
	tests := []struct {
		name    string
		content []byte
		want    []string // in the page (Spanish)
	}{
		{"not JSON", []byte("{"), []string{"El archivo completo"}},
		{"bad values", bad, []string{"Material n.º 1 › Piezas por paquete", "<code class=\"muted\">materials[0].pack_size</code>",
			"debe ser mayor o igual a 1", "Campaña › Despacho › Capacidad de despacho", "no es un campo conocido"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, _ := postFile(t, ts, cl, "campaña.json", tt.content)
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="import-errors"`) {
				t.Fatalf("status %d, want 422 with the errors", code)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					i := strings.Index(body, `id="import-errors"`)
					t.Errorf("page lacks %q: %.1500s", w, body[i:])
				}
			}
		})
	}
	if after, _ := ts.db.ListCampaigns(context.Background()); len(after) != len(before) {
		t.Fatal("an invalid file stored a campaign")
	}
	code, _, loc := postFile(t, ts, cl, "campaign-2009.json", demo)
	if code != http.StatusSeeOther {
		t.Fatalf("valid file: status %d", code)
	}
	if c, err := ts.db.GetCampaign(context.Background(), campaignIDFrom(t, loc)); err != nil || len(c.Materials) != 19 {
		t.Fatalf("imported campaign: %v", err)
	}
}

// A closed campaign refuses every write route — data forms, settings,
// plan commit, events by page and by API — with 409 and says so in the
// reader's language; the admin reopens it and writes work again.
func TestClosedCampaignIsReadOnly(t *testing.T) {
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	admin, planner := ts.client(t, web.RoleAdmin), ts.client(t, web.RolePlanner)
	id := ts.CampaignID
	base := fmt.Sprintf("/campaigns/%d", id)
	if code, _, _ := ts.post(t, planner, base+"/close", nil); code != http.StatusForbidden {
		t.Fatalf("planner closes: status %d, want 403", code)
	}
	if code, _, _ := ts.post(t, admin, base+"/close", nil); code != http.StatusSeeOther {
		t.Fatalf("admin closes: status %d", code)
	}
	list, err := ts.db.ListShipments(context.Background(), id, store.ShipmentFilter{})
	if err != nil || len(list) == 0 {
		t.Fatal(err)
	}
	writes := []struct{ name, path string }{
		{"material", base + "/data/materials"},
		{"settings", base + "/settings"},
		{"targeting", base + "/data/targeting"},
		{"plan commit", base + "/plan/commit"},
		{"event form", fmt.Sprintf("%s/shipments/%d/events", base, list[0].ID)},
	}
	for _, w := range writes {
		code, body, _ := ts.post(t, planner, w.path, validMaterialForm())
		if code != http.StatusConflict || !strings.Contains(body, "La campaña está cerrada") {
			t.Errorf("%s on a closed campaign: status %d, want 409 with the reason", w.name, code)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/shipments/%d/events", ts.URL, list[0].ID),
		strings.NewReader(`{"kind":"in_transit","date":"2009-03-20","checkpoint":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := planner.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("API event on a closed campaign: status %d, want 409", resp.StatusCode)
	}
	if code, body := ts.get(t, planner, base+"/dashboard"); code != http.StatusOK || !strings.Contains(body, `id="campaign-closed"`) {
		t.Errorf("dashboard of a closed campaign: status %d, closed badge missing", code)
	}
	if code, _, _ := ts.post(t, admin, base+"/reopen", nil); code != http.StatusSeeOther {
		t.Fatalf("admin reopens: status %d", code)
	}
	if code, _, _ := ts.post(t, planner, base+"/data/materials", validMaterialForm()); code != http.StatusSeeOther {
		t.Errorf("material after reopening: status %d, want 303", code)
	}
	got := strings.Join(auditActions(t, ts, id), " ")
	if !strings.Contains(got, "close") || !strings.Contains(got, "reopen") {
		t.Errorf("audit %q lacks close and reopen", got)
	}
}

func TestDescribePath(t *testing.T) {
	u, err := web.NewUI()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ lang, path, want string }{
		{"es", "materials[3].pack_size", "Material n.º 4 › Piezas por paquete"},
		{"en", "materials[3].pack_size", "Material no. 4 › Pieces per pack"},
		{"es", "campaign.dispatch.holidays[1]", "Campaña › Despacho › Días festivos (sin despacho) n.º 2"},
		{"en", "cities[0].lat", "City no. 1 › Latitude"},
		{"es", "", "El archivo completo"},
		{"en", "extra.thing", "extra › thing"},
	}
	for _, tt := range tests {
		p := web.NewPageFor(u, tt.lang)
		if got := web.DescribePath(p, tt.path); got != tt.want {
			t.Errorf("%s %q → %q, want %q", tt.lang, tt.path, got, tt.want)
		}
	}
}
