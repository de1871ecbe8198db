package api

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/store"
	"golang.org/x/crypto/bcrypt"
)

// TestBrowserAccessibleOnPhoneAndDesktop visits every page at a desktop
// width and on a 360×740 phone, runs axe-core (api/testdata/axe, fetched
// by its fetch.sh at a pinned, checksummed version) in each, and asks for:
//   - no critical and no serious axe violation;
//   - on the phone, no sideways scrolling of the page (tables scroll in
//     their own box or become stacked rows);
//   - on the field pages (the shipment list, a shipment and its event
//     forms), tap targets of at least 44×44 px; elsewhere 24×24 px.
//
// Run it with: REPARTO_BROWSER_TESTS=1 go test -run TestBrowserAccessible -count=1 -v ./api/
// Add REPARTO_SCREENSHOTS=1 to write the phone screenshots of the shipment
// page and the dashboard to docs/.
func TestBrowserAccessibleOnPhoneAndDesktop(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	chromiumPath(t)
	axe, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core is missing (run api/testdata/axe/fetch.sh): %v", err)
	}
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	for _, vp := range a11yViewports {
		// One browser per screen: axe takes its time on the big pages, and
		// each browser session has its own time limit.
		t.Run(vp.name, func(t *testing.T) {
			a := &a11y{e: &e2e{ts: ts, b: newChromeTab(t, ts.URL), cid: ts.CampaignID, email: "a11y-" + vp.name + "@test.local"}, axe: string(axe)}
			a.e.b.setLangCookie(t, "es")
			a.viewport(t, vp)
			t.Run("login", func(t *testing.T) {
				// A field page: a label scanned signed out lands here.
				a.check(t, vp, a11yPage{name: "login", path: "/login", ready: "#email", field: true})
			})
			a.loginAdmin(t)
			for _, p := range a.pages(t) {
				t.Run(p.name, func(t *testing.T) {
					a.check(t, vp, p)
					a.e.b.checkPages(t)
				})
			}
		})
	}
}

// a11yViewport is a screen the pages are checked on.
type a11yViewport struct {
	name          string
	width, height int64
	phone         bool
}

var a11yViewports = []a11yViewport{
	{name: "desktop", width: 1400, height: 1000},
	{name: "phone", width: 360, height: 740, phone: true},
}

// a11yPage is one page to check: its path, an element that says it has
// loaded, whether people use it in the field (bigger tap targets), and
// what to do before checking (open the forms).
type a11yPage struct {
	name, path, ready string
	field             bool
	openDetails       bool
}

type a11y struct {
	e   *e2e
	axe string
}

func (a *a11y) viewport(t *testing.T, vp a11yViewport) {
	t.Helper()
	_, err := chromedp.Call(a.e.b.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: vp.width, Height: vp.height, DeviceScaleFactor: 1, Mobile: vp.phone,
	})
	if err != nil {
		t.Fatalf("viewport %s: %v", vp.name, err)
	}
	touch := vp.phone
	if _, err := chromedp.Call(a.e.b.ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: touch}); err != nil {
		t.Fatalf("touch emulation: %v", err)
	}
}

// loginAdmin signs in as an admin, who sees every page.
func (a *a11y) loginAdmin(t *testing.T) {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.e.ts.db.CreateUser(context.Background(), store.NewUser{Email: a.e.email, Role: web.RoleAdmin, PasswordHash: string(hash)}); err != nil {
		t.Fatal(err)
	}
	b := a.e.b
	b.open(t, "/login")
	b.do(t, "fill the login form",
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), a.e.email),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
	)
	if st, u := b.submit(t, `form[action="/login"] button[type=submit]`); st != 200 || strings.Contains(u, "/login") {
		t.Fatalf("after login: status %d at %s", st, u)
	}
}

// pages lists every page, finding the ids and links that some of them need
// (a cell of the plan, a planned and a delivered shipment, a material).
func (a *a11y) pages(t *testing.T) []a11yPage {
	t.Helper()
	b := a.e.b
	href := func(path, sel string) string {
		t.Helper()
		b.open(t, path)
		h := eval[string](t, b, `(document.querySelector(`+jsString(sel)+`) || {getAttribute: () => ''}).getAttribute('href')`)
		if h == "" {
			t.Fatalf("%s has no %s", path, sel)
		}
		return h
	}
	e := a.e
	materialEdit := href(e.path("data/materials"), `table.data-list a[href*="/edit"]`)
	return []a11yPage{
		{name: "campaigns", path: "/campaigns", ready: "main"},
		{name: "campaign_new", path: "/campaigns/new", ready: "main"},
		{name: "campaign_settings", path: e.path("settings"), ready: "main"},
		{name: "dashboard", path: e.path("dashboard"), ready: "#dashboard-burndown"},
		{name: "plan", path: e.path("plan"), ready: "#plan-totals"},
		{name: "plan_filtered", path: e.path("plan?view=cities&state=MX-JAL&agg=category&city=gua"), ready: "#plan-by-state"},
		{name: "plan_cell", path: href(e.path("plan"), `a[href*="/plan/cell"]`), ready: "main"},
		{name: "plan_scenario", path: e.path("plan/scenario"), ready: "main"},
		{name: "plan_scenario_run", path: e.path("plan/scenario?run=1&boxes_per_day=300&reserve_pct=0"), ready: "main"},
		{name: "plan_scenario_apply", path: e.path("plan/scenario/apply?boxes_per_day=300"), ready: "main"},
		{name: "plan_replan", path: e.path("plan?replan=1"), ready: "main"},
		{name: "plan_versions", path: e.path("plan/versions"), ready: "main"},
		{name: "shipments", path: e.path("shipments"), ready: "#shipments-table", field: true},
		{name: "shipment_planned", path: href(e.path("shipments?stage=planned"), "tr.shipment-row a"), ready: "#shipment-stage", field: true, openDetails: true},
		{name: "shipment_in_transit", path: href(e.path("shipments?stage=in_transit"), "tr.shipment-row a"), ready: "#shipment-stage", field: true, openDetails: true},
		{name: "shipment_delivered", path: href(e.path("shipments?stage=delivered"), "tr.shipment-row a"), ready: "#shipment-stage", field: true, openDetails: true},
		{name: "distribute", path: href(e.path("shipments?stage=delivered"), "tr.shipment-row a") + "/distribute", ready: "#form-distribute", field: true},
		{name: "receive", path: href(e.path("shipments?stage=in_transit"), "tr.shipment-row a") + "/receive?box=1", ready: "#receive-form", field: true},
		{name: "map", path: e.path("map"), ready: "main"},
		{name: "exports", path: e.path("exports"), ready: "main"},
		{name: "distribution_lists", path: e.path("distribution-lists?max_stops_per_day=8"), ready: "#lists-table"},
		{name: "data", path: e.path("data"), ready: "main"},
		{name: "data_materials", path: e.path("data/materials"), ready: "table.data-list"},
		{name: "data_material_edit", path: materialEdit, ready: "form.data-form"},
		{name: "data_material_delete", path: href(materialEdit, `.data-delete a`), ready: "main"},
		{name: "data_venues", path: e.path("data/venues"), ready: "main"},
		{name: "data_targeting", path: e.path("data/targeting"), ready: "main"},
		{name: "data_import", path: e.path("data/venues/import"), ready: "main"},
		{name: "data_import_history", path: e.path("data/venues/imports"), ready: "main"},
		{name: "data_registry", path: e.path("data/venues/registry"), ready: "main"},
		{name: "data_registry_rules", path: e.path("data/venues/registry/rules"), ready: "main"},
		{name: "account", path: "/account", ready: "main", field: true}, // a new field account changes its password here
		{name: "admin_users", path: "/admin/users", ready: "main"},
		{name: "admin_audit", path: "/admin/audit", ready: "main"},
	}
}

// check opens a page at the current viewport and asserts what the test
// promises.
func (a *a11y) check(t *testing.T, vp a11yViewport, p a11yPage) {
	t.Helper()
	b := a.e.b
	if st := b.open(t, p.path); st != 200 {
		t.Fatalf("GET %s: status %d", p.path, st)
	}
	b.do(t, "wait for "+p.ready, chromedp.WaitReady(chromedp.CSS(p.ready)))
	if p.openDetails {
		eval[chromedp.Void](t, b, `document.querySelectorAll('main details').forEach(d => d.open = true)`)
	}
	for _, v := range a.violations(t) {
		t.Errorf("axe: %s", v)
	}
	if vp.phone {
		if w := eval[int](t, b, `document.documentElement.scrollWidth`); w > int(vp.width) {
			wide := eval[[]string](t, b, a11yWideJS)
			t.Errorf("the page is %d px wide on a %d px phone; too wide: %v", w, vp.width, wide)
		}
		min := 24
		if p.field {
			min = 44
		}
		if small := eval[[]string](t, b, fmt.Sprintf(a11ySmallTargetsJS, min)); len(small) > 0 {
			t.Errorf("%d tap targets under %d px: %s", len(small), min, strings.Join(small, "; "))
		}
		if screenshotsWanted() && (p.name == "dashboard" || p.name == "shipment_delivered") {
			b.saveScreenshot(t, "phone-"+p.name+".png")
		}
	}
}

// violations runs axe in the page and returns its critical and serious
// findings, one readable line each.
func (a *a11y) violations(t *testing.T) []string {
	t.Helper()
	b := a.e.b
	if !eval[bool](t, b, `typeof window.axe === 'object'`) {
		eval[chromedp.Void](t, b, a.axe+"\n;void 0")
	}
	return eval[[]string](t, b, a11yRunAxeJS, chromedp.EvalAwaitPromise)
}

// a11yRunAxeJS runs every axe rule that applies to WCAG 2.x A and AA and
// the best practices, keeping the critical and serious violations.
const a11yRunAxeJS = `axe.run(document, {resultTypes: ['violations']}).then(r =>
  r.violations.filter(v => v.impact === 'critical' || v.impact === 'serious').map(v =>
    v.impact + ' ' + v.id + ' (' + v.help + ') on ' + v.nodes.length + ' element(s): ' +
    v.nodes.slice(0, 5).map(n => n.target.join(' ') + (n.failureSummary ? ' [' + n.failureSummary.replace(/\s+/g, ' ').slice(0, 160) + ']' : '')).join(' | ')))`

// a11yWideJS names the elements that reach past the right edge of the
// screen, deepest first, so that a failure says what to fix.
const a11yWideJS = `(() => {
  const w = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && r.width > 0 && ![...el.children].some(c => c.getBoundingClientRect().right > w + 1)) {
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + ' right=' + Math.round(r.right));
    }
  }
  return out.slice(0, 10);
})()`

// a11ySmallTargetsJS lists the visible links, buttons, fields and
// disclosure summaries smaller than %d px either way. A control inside a
// <label> counts with its label, which is what a finger presses; a link
// inside a sentence is exempt, as WCAG's target-size criteria say.
const a11ySmallTargetsJS = `(() => {
  const min = %d, out = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || el.closest('[hidden], details:not([open]) > :not(summary)')) continue;
    let r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const label = el.closest('label');
    if (label && el.tagName !== 'A') r = label.getBoundingClientRect();
    if (el.tagName === 'A' && st.display === 'inline' && el.parentElement && /^(P|LI|DD|SPAN)$/.test(el.parentElement.tagName) &&
        el.parentElement.textContent.trim().length > el.textContent.trim().length + 2) continue;
    if (r.width + 0.5 < min || r.height + 0.5 < min) {
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + (el.textContent || el.value || el.name || '').trim().slice(0, 24) + '" ' + Math.round(r.width) + 'x' + Math.round(r.height));
    }
  }
  return out;
})()`

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// TestBrowserFormErrorFocus sends the dispatch form of a shipment with a
// wrong number of boxes on a phone. The page comes back with the error
// next to the field, in Spanish, tied to it (aria-invalid,
// aria-describedby) and the focus on that field, not at the top of the
// page thousands of pixels above.
func TestBrowserFormErrorFocus(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	chromiumPath(t)
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	a := &a11y{e: &e2e{ts: ts, b: newChromeTab(t, ts.URL), cid: ts.CampaignID, email: "a11y-focus@test.local"}}
	b := a.e.b
	b.setLangCookie(t, "es")
	a.viewport(t, a11yViewports[1])
	a.loginAdmin(t)

	b.open(t, a.e.path("shipments?stage=planned"))
	path := eval[string](t, b, `document.querySelector('tr.shipment-row a').getAttribute('href')`)
	b.open(t, path)
	b.do(t, "type a negative number of boxes",
		chromedp.WaitVisible(chromedp.ID("form-dispatched")),
		chromedp.SendKeys(chromedp.ID("dispatched-carrier"), "Transportes del Golfo"),
		chromedp.SendKeys(chromedp.ID("dispatched-waybill"), "GUIA-2009-0002"),
		chromedp.SetValue(chromedp.ID("dispatched-boxes"), "-3"),
	)
	if st, _ := b.submit(t, "#dispatched-submit"); st != 422 {
		t.Fatalf("negative boxes: status %d, want 422", st)
	}
	b.do(t, "wait for the re-rendered form", chromedp.WaitReady(chromedp.ID("dispatched-boxes")))
	got := eval[map[string]string](t, b, `(() => {
	  const el = document.activeElement, box = document.getElementById('dispatched-boxes');
	  const err = document.getElementById(box.getAttribute('aria-describedby') || '');
	  return {focused: el.id, invalid: box.getAttribute('aria-invalid') || '', error: err ? err.textContent.trim() : '',
	    onScreen: String(box.getBoundingClientRect().top >= 0 && box.getBoundingClientRect().bottom <= innerHeight)};
	})()`)
	if got["focused"] != "dispatched-boxes" {
		t.Errorf("focus on %q after the error, want the boxes field", got["focused"])
	}
	if got["invalid"] != "true" {
		t.Errorf("boxes field aria-invalid=%q, want true", got["invalid"])
	}
	if got["error"] == "" || strings.Contains(got["error"], "must") {
		t.Errorf("the error tied to the boxes field is %q, want a Spanish message", got["error"])
	}
	if got["onScreen"] != "true" {
		t.Error("the invalid field is not on screen after the re-render")
	}
	b.checkPages(t)
}
