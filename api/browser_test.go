package api

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
	"golang.org/x/crypto/bcrypt"
)

// TestBrowserEndToEnd walks a planner's day through a real browser, one
// step after the other on the same tab and the same database: sign in,
// fix a material that the server refused, commit the first plan, record a
// dispatch and a delivery with damaged pieces, read the map and download
// the printer's CSV. The store is checked after every write, so the test
// proves that what the pages say happened did happen. No step may throw a
// JavaScript error or reach outside the test server.
//
// Run it with: REPARTO_BROWSER_TESTS=1 go test -run TestBrowser -count=1 -v ./api/
// Add REPARTO_SCREENSHOTS=1 to rewrite docs/dashboard.png, plan.png and map.png.
func TestBrowserEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	chromiumPath(t) // skip before building a server when there is no browser
	ts := newTestServer(t)
	b := newChromeTab(t, ts.URL)
	e := &e2e{ts: ts, b: b, cid: ts.CampaignID, email: "browser-planner@test.local"}

	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"login", e.login},
		{"material_form", e.materialForm},
		{"commit_plan", e.commitPlan},
		{"dispatch_and_delivery", e.dispatchAndDelivery},
		{"map", e.coverageMap},
		{"print_order_csv", e.printOrderCSV},
		{"screenshots", e.screenshots},
	}
	for _, s := range steps {
		ok := t.Run(s.name, func(t *testing.T) {
			s.run(t)
			b.checkPages(t)
		})
		if !ok {
			t.Fatalf("step %s failed; the later steps depend on it", s.name)
		}
	}
}

// e2e is the state the steps hand on to each other.
type e2e struct {
	ts    *testServer
	b     *chromeTab
	cid   int64
	email string
}

// path is a campaign page's path.
func (e *e2e) path(rest string) string { return fmt.Sprintf("/campaigns/%d/%s", e.cid, rest) }

func (e *e2e) login(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.ts.db.CreateUser(context.Background(), store.NewUser{Email: e.email, Role: web.RolePlanner, PasswordHash: string(hash)}); err != nil {
		t.Fatal(err)
	}
	// Spanish (the default) whatever language the browser asks for, so
	// that the pages and the screenshots do not depend on the machine.
	e.b.setLangCookie(t, "es")
	if st := e.b.open(t, "/login"); st != 200 {
		t.Fatalf("GET /login: status %d", st)
	}
	e.b.do(t, "fill the login form",
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), e.email),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
	)
	st, u := e.b.submit(t, `form[action="/login"] button[type=submit]`)
	if st != 200 || strings.Contains(u, "/login") {
		t.Fatalf("after login: status %d at %s, want a signed-in page", st, u)
	}
	if lang := eval[string](t, e.b, `document.documentElement.lang`); !strings.HasPrefix(lang, "es") {
		t.Errorf("page language %q, want Spanish", lang)
	}
}

// materialForm submits a material with pack_size 0, which the store
// refuses, then corrects it. The printed quantity is 0 so that the plan
// and the print order stay those of the demo campaign, and the code sorts
// last so that the plan screen still opens on a demo material.
func (e *e2e) materialForm(t *testing.T) {
	ctx := context.Background()
	before := e.materialCount(t)
	if st := e.b.open(t, e.path("data/materials/new")); st != 200 {
		t.Fatalf("new material form: status %d", st)
	}
	fields := map[string]string{
		"code": "ZZ-PRUEBA", "name": "Volante de prueba del navegador", "audience": "general",
		"printed": "0", "reserve_pct": "0", "pack_size": "0", "packs_per_box": "10",
	}
	for name, v := range fields {
		e.b.do(t, "fill "+name, chromedp.SetValue(chromedp.ID("f-"+name), v))
	}
	e.b.do(t, "choose the format", chromedp.SetValue(chromedp.ID("f-format"), "flyer"))

	st, _ := e.b.submit(t, "form.data-form button[type=submit]")
	if st != 422 {
		t.Fatalf("pack_size 0: status %d, want 422", st)
	}
	e.b.do(t, "the error next to pack_size", chromedp.WaitVisible(chromedp.ID("pack_size-error")))
	if msg := e.b.text(t, "#pack_size-error"); strings.TrimSpace(msg) == "" {
		t.Error("the pack_size error is empty")
	}
	if n := eval[int](t, e.b, `document.querySelectorAll('.data-form .field-error').length`); n != 1 {
		t.Errorf("%d field errors, want only the one of pack_size", n)
	}
	if !eval[bool](t, e.b, `document.getElementById('f-pack_size').classList.contains('invalid')`) {
		t.Error("the pack_size input is not marked invalid")
	}
	for name, v := range fields { // the user's input is kept
		if got := e.b.value(t, "#f-"+name); got != v {
			t.Errorf("after the error, %s = %q, want %q kept", name, got, v)
		}
	}
	if got := e.materialCount(t); got != before {
		t.Fatalf("a refused form changed the materials: %d, want %d", got, before)
	}

	e.b.do(t, "fix pack_size", chromedp.SetValue(chromedp.ID("f-pack_size"), "50"))
	st, u := e.b.submit(t, "form.data-form button[type=submit]")
	if st != 200 || !strings.HasSuffix(strings.SplitN(u, "?", 2)[0], e.path("data/materials")) {
		t.Fatalf("valid material: status %d at %s, want the materials list", st, u)
	}
	listed := eval[bool](t, e.b, `Array.from(document.querySelectorAll('table.data-list td')).some(td => td.textContent.trim() === 'ZZ-PRUEBA')`)
	if !listed {
		t.Error("the new material is not in the list")
	}
	m, err := e.ts.db.GetMaterial(ctx, e.cid, "ZZ-PRUEBA")
	if err != nil {
		t.Fatalf("the new material was not saved: %v", err)
	}
	if m.PackSize != 50 || m.PacksPerBox != 10 || m.Printed != 0 || m.Format != "flyer" {
		t.Errorf("saved %+v, want pack_size 50, packs_per_box 10, printed 0, format flyer", m)
	}
	if got := e.materialCount(t); got != before+1 {
		t.Errorf("%d materials, want %d", got, before+1)
	}
}

func (e *e2e) materialCount(t *testing.T) int64 {
	t.Helper()
	p, err := e.ts.db.ListMaterials(context.Background(), e.cid, store.MaterialFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return p.Total
}

// commitPlan commits the plan the stored campaign gives, with a note.
func (e *e2e) commitPlan(t *testing.T) {
	if st := e.b.open(t, e.path("plan")); st != 200 {
		t.Fatalf("plan page: status %d", st)
	}
	const note = "Primera versión, revisada en el navegador"
	e.b.do(t, "write the commit note",
		chromedp.WaitVisible(chromedp.ID("plan-commit-form")),
		chromedp.WaitReady(chromedp.ID("plan-no-version")),
		chromedp.SendKeys(chromedp.ID("plan-note"), note),
	)
	st, u := e.b.submit(t, "#plan-commit")
	if st != 200 || !strings.HasSuffix(u, e.path("plan")) {
		t.Fatalf("commit: status %d at %s, want the plan page", st, u)
	}
	if n := eval[int](t, e.b, `document.querySelectorAll('#plan-no-version').length`); n != 0 {
		t.Error("the plan page still says nothing was committed")
	}
	if txt := e.b.text(t, "#plan-committed"); !strings.Contains(txt, note) {
		t.Errorf("committed section %q does not show the note", txt)
	}
	v, err := e.ts.db.LatestPlan(context.Background(), e.cid)
	if err != nil {
		t.Fatal(err)
	}
	if v.Version != 1 || v.Note != note || v.Author != e.email {
		t.Errorf("latest plan: version %d by %q note %q, want 1 by %s with the note", v.Version, v.Author, v.Note, e.email)
	}
}

// dispatchAndDelivery records a dispatch and then a delivery in which some
// pieces of the first material arrived damaged, through the shipment page.
func (e *e2e) dispatchAndDelivery(t *testing.T) {
	ctx := context.Background()
	if st := e.b.open(t, e.path("shipments?stage=planned&sort=city")); st != 200 {
		t.Fatalf("shipment list: status %d", st)
	}
	e.b.do(t, "wait for the list", chromedp.WaitVisible(chromedp.ID("shipments-table")))
	sid := eval[string](t, e.b, `document.querySelector('tr.shipment-row').dataset.id`)
	if _, err := chromedp.RunResponse(e.b.ctx, chromedp.Click(chromedp.CSS(`tr.shipment-row[data-id="`+sid+`"] a`))); err != nil {
		t.Fatalf("open shipment %s: %v", sid, err)
	}
	id, err := strconv.ParseInt(sid, 10, 64)
	if err != nil {
		t.Fatalf("shipment id %q: %v", sid, err)
	}
	if stage := e.stage(t); stage != "planned" {
		t.Fatalf("shipment %d is %s, want planned", id, stage)
	}

	e.b.do(t, "fill the dispatch",
		chromedp.WaitVisible(chromedp.ID("form-dispatched")),
		chromedp.SendKeys(chromedp.ID("dispatched-carrier"), "Transportes del Golfo"),
		chromedp.SendKeys(chromedp.ID("dispatched-waybill"), "GUIA-2009-0001"),
	)
	if st, _ := e.b.submit(t, "#dispatched-submit"); st != 200 {
		t.Fatalf("dispatch: status %d", st)
	}
	if stage := e.stage(t); stage != "dispatched" {
		t.Fatalf("after the dispatch the stage is %s", stage)
	}

	e.b.do(t, "wait for the delivery form", chromedp.WaitVisible(chromedp.ID("form-delivered")))
	material := eval[string](t, e.b, `document.querySelector('#form-delivered tr[data-material]').dataset.material`)
	sent, err := strconv.ParseInt(e.b.value(t, "#delivered-lines-0-accepted"), 10, 64)
	if err != nil || sent <= 0 {
		t.Fatalf("the delivery form offers %d dispatched pieces of %s (%v)", sent, material, err)
	}
	rejected := max(sent/10, 1)
	e.b.do(t, "fill the delivery",
		chromedp.SendKeys(chromedp.ID("delivered-delivered_by"), "Chofer Ramírez"),
		chromedp.SendKeys(chromedp.ID("delivered-received_by"), "Enlace estatal"),
		chromedp.SetValue(chromedp.ID("delivered-lines-0-accepted"), strconv.FormatInt(sent-rejected, 10)),
		chromedp.SetValue(chromedp.ID("delivered-lines-0-rejected"), strconv.FormatInt(rejected, 10)),
		chromedp.SetValue(chromedp.ID("delivered-lines-0-reason"), "damaged"),
	)
	if st, _ := e.b.submit(t, "#delivered-submit"); st != 200 {
		t.Fatalf("delivery: status %d (%s)", st, e.b.text(t, "main"))
	}
	if stage := e.stage(t); stage != "delivered" {
		t.Fatalf("after the delivery the stage is %s", stage)
	}

	sh, err := e.ts.db.GetShipment(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Events) != 2 || sh.Events[0].Kind != planner.EventDispatched || sh.Events[1].Kind != planner.EventDelivered {
		t.Fatalf("events %+v, want a dispatch then a delivery", sh.Events)
	}
	if d := sh.Events[0]; d.Carrier != "Transportes del Golfo" || d.Waybill != "GUIA-2009-0001" || d.Author != e.email {
		t.Errorf("dispatch %+v: carrier, waybill or author not as typed", d)
	}
	del := sh.Events[1]
	var line *planner.DeliveryLine
	for i := range del.Lines {
		if del.Lines[i].Material == material {
			line = &del.Lines[i]
		}
	}
	if line == nil || line.Accepted != sent-rejected || line.Rejected != rejected || line.Reason != planner.RejectDamaged {
		t.Fatalf("delivery line of %s = %+v, want accepted %d, rejected %d damaged", material, line, sent-rejected, rejected)
	}

	if st := e.b.open(t, e.path("dashboard")); st != 200 {
		t.Fatalf("dashboard: status %d", st)
	}
	alert := fmt.Sprintf("#alert-%d", del.ID)
	e.b.do(t, "wait for the discrepancy alert", chromedp.WaitVisible(chromedp.CSS(alert)))
	if txt := e.b.text(t, alert); !strings.Contains(txt, material) {
		t.Errorf("alert %q does not name %s", txt, material)
	}
	// Chart.js is fetched only when the chart comes into view.
	e.chartDrawn(t)
}

// stage is the shipment page's stage.
func (e *e2e) stage(t *testing.T) string {
	t.Helper()
	e.b.do(t, "wait for the shipment page", chromedp.WaitReady(chromedp.ID("shipment-stage")))
	return eval[string](t, e.b, `document.getElementById('shipment-stage').dataset.stage`)
}
