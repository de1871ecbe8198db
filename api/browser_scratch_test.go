package api

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/reparto/reparto/api/pages"
	"github.com/reparto/reparto/store"
)

// TestBrowserCampaignFromScratch is issue 9's acceptance test: from an
// empty database, through the web pages only, a planner creates a
// campaign, enters its catalogue, cities, categories and targeting,
// imports venues twice (the second import changes nothing), previews and
// commits a plan, records a dispatch, edits data, re-plans, and finds the
// dashboard, the shipments and the manifest CSV agreeing to the piece;
// restoring the first version from the history keeps them agreeing. The
// only thing made outside the pages is the planner's account. The store
// is checked after each write.
//
// Run it with: REPARTO_BROWSER_TESTS=1 go test -run TestBrowserCampaignFromScratch -count=1 -v ./api/
// Add REPARTO_SCREENSHOTS=1 to rewrite docs/campaign-run.png.
func TestBrowserCampaignFromScratch(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	chromiumPath(t)
	ts := newEmptyTestServer(t, scratchNow)
	e := &scratch{e2e: e2e{ts: ts, b: newChromeTab(t, ts.URL), email: "scratch-planner@test.local"}}

	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"login", e.login},
		{"create_campaign", e.createCampaign},
		{"settings", e.settings},
		{"materials", e.materials},
		{"cities", e.cities},
		{"categories", e.categories},
		{"targeting", e.targeting},
		{"import_venues", e.importVenues},
		{"commit_plan", e.commitFirstPlan},
		{"dispatch", e.dispatch},
		{"edit_data", e.editData},
		{"replan", e.replan},
		{"views_agree", e.viewsAgree},
		{"restore_v1", e.restore},
		{"views_agree_after_restore", e.viewsAgree},
	}
	for _, s := range steps {
		ok := t.Run(s.name, func(t *testing.T) {
			s.run(t)
			e.b.checkPages(t)
		})
		if !ok {
			t.Fatalf("step %s failed; the later steps depend on it", s.name)
		}
	}
}

// scratchNow is the server's clock: Monday 1 February 2010, 09:00 in
// Mexico City. The campaign starts that day, so a dispatch can be recorded
// "today" without a simulated date (which no page sets).
var scratchNow = time.Date(2010, 2, 1, 15, 0, 0, 0, time.UTC)

// newEmptyTestServer is the application over a freshly migrated SQLite
// database with no campaign and no user, its clock fixed at now.
func newEmptyTestServer(t *testing.T, now time.Time) *testServer {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "reparto.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return serveTestDBAt(t, db, 0, now)
}

// scratch is the state the steps of TestBrowserCampaignFromScratch hand
// on: the e2e helpers plus what the plan said before the re-plan.
type scratch struct {
	e2e
	dispatched string           // the city whose shipment left
	loaded     map[string]int64 // its pieces by material, as loaded
	stalePlan  string           // the fingerprint of a preview made before an edit
}

// fill sets the inputs #f-NAME of a data or settings form.
func (e *scratch) fill(t *testing.T, fields [][2]string) {
	t.Helper()
	for _, f := range fields {
		if f[1] == "" { // chromedp.SetValue refuses an empty value
			eval[bool](t, e.b, fmt.Sprintf(`(document.getElementById(%q).value = '') === ''`, "f-"+f[0]))
			continue
		}
		e.b.do(t, "fill "+f[0], chromedp.SetValue(chromedp.ID("f-"+f[0]), f[1]))
	}
}

// createCampaign creates a blank campaign through /campaigns/new.
func (e *scratch) createCampaign(t *testing.T) {
	if st := e.b.open(t, "/campaigns/new"); st != 200 {
		t.Fatalf("new campaign page: status %d", st)
	}
	e.b.do(t, "fill the blank form",
		chromedp.SetValue(chromedp.ID("f-name"), "Campaña de prueba desde cero"),
		chromedp.SetValue(chromedp.ID("f-start"), "2010-02-01"),
		chromedp.SetValue(chromedp.ID("f-deadline"), "2010-03-31"),
		chromedp.SetValue(chromedp.ID("f-depot_name"), "Almacén Tuxtla"),
		chromedp.SetValue(chromedp.ID("f-depot_lat"), "16.7536"),
		chromedp.SetValue(chromedp.ID("f-depot_lon"), "-93.1152"),
		chromedp.SetValue(chromedp.ID("f-boxes_per_day"), "20"),
	)
	st, u := e.b.submit(t, "#blank-form button[type=submit]")
	if st != 200 || !strings.HasSuffix(u, "/data") {
		t.Fatalf("create: status %d at %s, want the new campaign's data page", st, u)
	}
	list, err := e.ts.db.ListCampaigns(context.Background())
	if err != nil || len(list) != 1 {
		t.Fatalf("campaigns after the create: %d (%v), want 1", len(list), err)
	}
	e.cid = list[0].ID
	if !strings.HasSuffix(u, e.path("data")) {
		t.Errorf("landed on %s, want %s", u, e.path("data"))
	}
	c, err := e.ts.db.GetCampaignHeader(context.Background(), e.cid)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Campaña de prueba desde cero" || c.Start.String() != "2010-02-01" || c.Deadline.String() != "2010-03-31" ||
		c.Depot.Name != "Almacén Tuxtla" || c.Dispatch.BoxesPerDay != 20 {
		t.Errorf("stored %q from %s to %s, depot %q, %d boxes a day", c.Name, c.Start, c.Deadline, c.Depot.Name, c.Dispatch.BoxesPerDay)
	}
	e.campaignState(t, "draft")
}

// settings lowers the dispatch capacity on the settings page, after a
// submit with two mistakes that must both be reported at once.
func (e *scratch) settings(t *testing.T) {
	if st := e.b.open(t, e.path("settings")); st != 200 {
		t.Fatalf("settings: status %d", st)
	}
	e.fill(t, [][2]string{{"name", ""}, {"boxes_per_day", "doce"}})
	if st, _ := e.b.submit(t, "#settings-form button[type=submit]"); st != 422 {
		t.Fatalf("two mistakes: status %d, want 422", st)
	}
	for _, id := range []string{"#name-error", "#boxes_per_day-error"} {
		if n := eval[int](t, e.b, `document.querySelectorAll('`+id+`').length`); n != 1 {
			t.Errorf("no %s on the first submit (%s)", id, e.pageErrors(t))
		}
	}
	e.fill(t, [][2]string{{"name", "Campaña de prueba desde cero"}, {"boxes_per_day", "12"}})
	if st, _ := e.b.submit(t, "#settings-form button[type=submit]"); st != 200 {
		t.Fatalf("save settings: status %d (%s)", st, e.pageErrors(t))
	}
	c, err := e.ts.db.GetCampaignHeader(context.Background(), e.cid)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Campaña de prueba desde cero" || c.Dispatch.BoxesPerDay != 12 {
		t.Errorf("stored %q with %d boxes a day, want 12", c.Name, c.Dispatch.BoxesPerDay)
	}
}

// campaignState checks the campaign's state on the campaign list.
func (e *scratch) campaignState(t *testing.T, want string) {
	t.Helper()
	if st := e.b.open(t, "/campaigns"); st != 200 {
		t.Fatalf("campaign list: status %d", st)
	}
	sel := fmt.Sprintf(`tr[data-campaign="%d"] [data-state]`, e.cid)
	if got := eval[string](t, e.b, `document.querySelector('`+sel+`').dataset.state`); got != want {
		t.Errorf("the campaign list says %s, want %s", got, want)
	}
}

// saveRow fills a data form at path and submits it, expecting the list.
func (e *scratch) saveRow(t *testing.T, kind, path string, fields [][2]string) {
	t.Helper()
	if st := e.b.open(t, e.path(path)); st != 200 {
		t.Fatalf("%s form: status %d", kind, st)
	}
	e.fill(t, fields)
	st, u := e.b.submit(t, "form.data-form button[type=submit]")
	if st != 200 || !strings.HasSuffix(strings.SplitN(u, "?", 2)[0], e.path("data/"+kind)) {
		t.Fatalf("save %s %v: status %d at %s, want the list (%s)", kind, fields[0], st, u, e.pageErrors(t))
	}
}

// pageErrors is the text of the form's errors, for failure messages.
func (e *scratch) pageErrors(t *testing.T) string {
	t.Helper()
	return eval[string](t, e.b, `Array.from(document.querySelectorAll('.form-errors, .field-error')).map(n => n.textContent.trim()).join(' | ')`)
}

func (e *scratch) materials(t *testing.T) {
	for _, m := range scratchMaterials {
		e.saveRow(t, "materials", "data/materials/new", m)
	}
	got, err := e.ts.db.ListMaterials(context.Background(), e.cid, store.MaterialFilter{})
	if err != nil || got.Total != 3 {
		t.Fatalf("%d materials stored (%v), want 3", got.Total, err)
	}
	m, err := e.ts.db.GetMaterial(context.Background(), e.cid, "VOL-B")
	if err != nil || m.Printed != 6000 || m.PackSize != 50 || m.PacksPerBox != 10 || m.Format != "flyer" {
		t.Errorf("VOL-B stored as %+v (%v)", m, err)
	}
}

func (e *scratch) cities(t *testing.T) {
	for _, c := range scratchCities {
		e.saveRow(t, "cities", "data/cities/new", c)
	}
	got, err := e.ts.db.ListCities(context.Background(), e.cid, store.CityFilter{})
	if err != nil || got.Total != 4 {
		t.Fatalf("%d cities stored (%v), want 4", got.Total, err)
	}
	for _, c := range got.Items {
		if !strings.HasPrefix(c.State, "MX-") {
			t.Errorf("city %s stored with state %q, want an ISO code from the select", c.Code, c.State)
		}
	}
}

func (e *scratch) categories(t *testing.T) {
	for _, c := range scratchCategories {
		e.saveRow(t, "categories", "data/categories/new", c)
	}
	got, err := e.ts.db.ListCategories(context.Background(), e.cid, store.CategoryFilter{})
	if err != nil || got.Total != 3 {
		t.Fatalf("%d categories stored (%v), want 3", got.Total, err)
	}
}

// targeting fills the material × category grid.
func (e *scratch) targeting(t *testing.T) {
	if st := e.b.open(t, e.path("data/targeting")); st != 200 {
		t.Fatalf("targeting grid: status %d", st)
	}
	sel := func(material, category string) string {
		return fmt.Sprintf(`input[name=%q]`, pages.TargetingName(material, category))
	}
	for _, r := range scratchTargeting {
		e.b.do(t, "fill the grid", chromedp.SetValue(chromedp.CSS(sel(r.material, r.category)), fmt.Sprint(r.perVenue)))
	}
	st, u := e.b.submit(t, "form button[type=submit]")
	if st != 200 {
		t.Fatalf("save the targeting: status %d at %s (%s)", st, u, e.pageErrors(t))
	}
	for _, r := range scratchTargeting { // the grid shows what was saved
		if got := e.b.value(t, sel(r.material, r.category)); got != fmt.Sprint(r.perVenue) {
			t.Errorf("after saving, %s × %s shows %q, want %d", r.material, r.category, got, r.perVenue)
		}
	}
	rules, err := e.ts.db.ListTargeting(context.Background(), e.cid)
	if err != nil || len(rules) != len(scratchTargeting) {
		t.Fatalf("%d targeting rules stored (%v), want %d", len(rules), err, len(scratchTargeting))
	}
}

// importVenues uploads the venue file, confirms, and uploads it again:
// the second preview finds nothing new and the count does not move.
func (e *scratch) importVenues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locales.csv")
	if err := os.WriteFile(path, []byte(scratchVenues), 0o600); err != nil {
		t.Fatal(err)
	}
	rows := strings.Count(scratchVenues, "\n") - 1
	e.refusedImport(t)
	for round, want := range []string{fmt.Sprintf("%d nuevos", rows), fmt.Sprintf("%d sin cambios", rows)} {
		if st := e.b.open(t, e.path("data/venues/import")); st != 200 {
			t.Fatalf("import page: status %d", st)
		}
		e.b.do(t, "choose the file", chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{path}))
		st, _ := e.b.submit(t, `form[enctype="multipart/form-data"] button[type=submit]`)
		if st != 200 {
			t.Fatalf("round %d preview: status %d (%s)", round+1, st, e.pageErrors(t))
		}
		diff := e.b.text(t, ".import-diff")
		if !strings.Contains(diff, want) {
			t.Errorf("round %d preview says %q, want %q", round+1, diff, want)
		}
		if round == 1 && !strings.Contains(diff, "0 nuevos") {
			t.Errorf("re-import preview says %q, want 0 new", diff)
		}
		st, u := e.b.submit(t, `form[action$="/venues/import/confirm"] button[type=submit]`)
		if st != 200 {
			t.Fatalf("round %d confirm: status %d at %s (%s)", round+1, st, u, e.pageErrors(t))
		}
		got, err := e.ts.db.ListVenues(context.Background(), e.cid, store.VenueFilter{})
		if err != nil || got.Total != int64(rows) {
			t.Fatalf("after round %d: %d venues (%v), want %d", round+1, got.Total, err, rows)
		}
	}
}
