package api

import (
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// The later steps of TestBrowserCampaignFromScratch: plan, dispatch, edit,
// re-plan and the three views that must agree.

// commitFirstPlan previews the plan and commits it with a note.
func (e *scratch) commitFirstPlan(t *testing.T) {
	if st := e.b.open(t, e.path("plan")); st != 200 {
		t.Fatalf("plan page: status %d", st)
	}
	e.b.do(t, "the preview is shown", chromedp.WaitVisible(chromedp.ID("plan-totals")))
	if fp := e.b.value(t, `#plan-commit-form input[name=fingerprint]`); fp == "" {
		t.Error("the commit form carries no fingerprint")
	}
	e.commit(t, "Primer plan de la campaña nueva", 1)
	e.campaignState(t, "planned")
}

// commit writes a note, commits and checks the stored version.
func (e *scratch) commit(t *testing.T, note string, version int) {
	t.Helper()
	e.b.do(t, "write the note", chromedp.WaitVisible(chromedp.ID("plan-note")), chromedp.SetValue(chromedp.ID("plan-note"), note))
	st, u := e.b.submit(t, "#plan-commit")
	if st != 200 || !strings.HasSuffix(u, e.path("plan")) {
		t.Fatalf("commit: status %d at %s, want the plan page (%s)", st, u, e.b.text(t, "main"))
	}
	v, err := e.ts.db.LatestPlan(context.Background(), e.cid)
	if err != nil {
		t.Fatal(err)
	}
	if v.Version != version || v.Note != note || v.Author != e.email {
		t.Errorf("latest plan: version %d by %q note %q, want %d by %s", v.Version, v.Author, v.Note, version, e.email)
	}
	if len(v.Plan.Shipments) != 4 {
		t.Errorf("plan %d has %d shipments, want one per city (4)", v.Version, len(v.Plan.Shipments))
	}
}

// dispatch records today's dispatch of the first planned shipment.
func (e *scratch) dispatch(t *testing.T) {
	if st := e.b.open(t, e.path("shipments?stage=planned&sort=city")); st != 200 {
		t.Fatalf("shipment list: status %d", st)
	}
	e.b.do(t, "wait for the list", chromedp.WaitVisible(chromedp.ID("shipments-table")))
	if n := eval[int](t, e.b, `document.querySelectorAll('tr.shipment-row').length`); n != 4 {
		t.Fatalf("%d planned shipments listed, want 4", n)
	}
	states := eval[[]string](t, e.b, `Array.from(document.querySelectorAll('#filter-state option')).map(o => o.textContent.trim())`)
	if strings.Join(states, ",") != "Todos,Chiapas,Oaxaca,Veracruz" {
		t.Errorf("the state filter offers %v, want the states by name", states)
	}
	sid := eval[string](t, e.b, `document.querySelector('tr.shipment-row').dataset.id`)
	if _, err := chromedp.RunResponse(e.b.ctx, chromedp.Click(chromedp.CSS(`tr.shipment-row[data-id="`+sid+`"] a`))); err != nil {
		t.Fatalf("open shipment %s: %v", sid, err)
	}
	e.futureDispatch(t)
	e.b.do(t, "fill the dispatch",
		chromedp.WaitVisible(chromedp.ID("form-dispatched")),
		chromedp.SendKeys(chromedp.ID("dispatched-carrier"), "Transportes del Sureste"),
		chromedp.SendKeys(chromedp.ID("dispatched-waybill"), "GUIA-2010-0001"),
	)
	if d := e.b.value(t, "#dispatched-date"); d != "2010-02-01" {
		t.Errorf("the dispatch date offered is %q, want today 2010-02-01", d)
	}
	if st, _ := e.b.submit(t, "#dispatched-submit"); st != 200 {
		t.Fatalf("dispatch: status %d (%s)", st, e.pageErrors(t))
	}
	if stage := e.stage(t); stage != "dispatched" {
		t.Fatalf("after the dispatch the stage is %s (%s)", stage, e.pageErrors(t))
	}
	id, _ := strconv.ParseInt(sid, 10, 64)
	sh, err := e.ts.db.GetShipment(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Events) != 1 || sh.Events[0].Kind != planner.EventDispatched || sh.Events[0].Date.String() != "2010-02-01" {
		t.Fatalf("events %+v, want one dispatch dated 2010-02-01", sh.Events)
	}
	e.dispatched, e.loaded = sh.City, map[string]int64{}
	for _, l := range sh.Lines {
		e.loaded[l.Material] = l.Pieces
	}
	e.campaignState(t, "in_progress")
}

// scratchLater is the server's clock from the edit on: Wednesday 3
// February, two days after the first dispatch, when the shipments the first
// plan loaded on the 1st and 2nd are overdue.
var scratchLater = scratchNow.AddDate(0, 0, 2)

// editData prints more of a material and adds a venue, two days later,
// with the plan page left open before the edit (see replan).
func (e *scratch) editData(t *testing.T) {
	e.ts.mu.Lock()
	e.ts.now = scratchLater
	e.ts.mu.Unlock()
	if st := e.b.open(t, e.path("plan")); st != 200 {
		t.Fatalf("plan page: status %d", st)
	}
	e.b.do(t, "the re-plan preview", chromedp.WaitVisible(chromedp.ID("plan-replanning")))
	e.stalePlan = e.b.value(t, `#plan-commit-form input[name=fingerprint]`)
	e.saveRow(t, "materials", "data/materials/edit?key=VOL-B", [][2]string{{"printed", "8000"}})
	if m, err := e.ts.db.GetMaterial(context.Background(), e.cid, "VOL-B"); err != nil || m.Printed != 8000 {
		t.Fatalf("VOL-B printed %d (%v), want 8000", m.Printed, err)
	}
	e.saveRow(t, "venues", "data/venues/new", [][2]string{{"id", "ver-4"}, {"name", "Terminal de segunda clase"},
		{"category", "TERM"}, {"lat", "19.1750"}, {"lon", "-96.1300"}, {"city", "VER"}, {"address", "Calle 4"}})
	if _, err := e.ts.db.GetVenue(context.Background(), e.cid, "ver-4"); err != nil {
		t.Fatalf("the new venue was not saved: %v", err)
	}
}

// replan first commits the preview shown before the edit: refused with
// 409 and what changed. Then it commits the fresh preview: the page says it
// is a re-plan from today, and the dispatched city keeps exactly what was
// loaded.
func (e *scratch) replan(t *testing.T) {
	if st := e.b.open(t, e.path("plan")); st != 200 {
		t.Fatalf("plan page: status %d", st)
	}
	e.b.do(t, "the page warns of the re-plan", chromedp.WaitVisible(chromedp.ID("plan-replanning")))
	fresh := e.b.value(t, `#plan-commit-form input[name=fingerprint]`)
	if fresh == e.stalePlan {
		t.Fatal("the fingerprint did not change with the data")
	}
	// The reviewer's tab still holds the old preview: put its fingerprint back.
	e.b.do(t, "the old preview", chromedp.SetValue(chromedp.CSS(`#plan-commit-form input[name=fingerprint]`), e.stalePlan))
	e.b.do(t, "write the note", chromedp.SetValue(chromedp.ID("plan-note"), "Plan revisado antes del cambio"))
	if st, _ := e.b.submit(t, "#plan-commit"); st != 409 {
		t.Fatalf("commit of a stale preview: status %d, want 409", st)
	}
	e.b.do(t, "what changed", chromedp.WaitVisible(chromedp.ID("plan-stale")))
	if v, err := e.ts.db.LatestPlanVersion(context.Background(), e.cid); err != nil || v != 1 {
		t.Fatalf("after a stale commit the latest version is %d (%v), want 1", v, err)
	}
	e.b.forget(t, "status of 409")
	e.commit(t, "Re-plan tras imprimir más volantes", 2)
	e.keptLoaded(t)
}

// restore brings back version 1 from the version history: a new version 3
// under the re-plan rules.
func (e *scratch) restore(t *testing.T) {
	if st := e.b.open(t, e.path("plan/versions")); st != 200 {
		t.Fatalf("versions page: status %d", st)
	}
	if _, err := chromedp.RunResponse(e.b.ctx, chromedp.Click(chromedp.CSS(`a[href*="confirm=1"]`), chromedp.NodeVisible)); err != nil {
		t.Fatalf("ask to restore version 1: %v", err)
	}
	if st, u := e.b.submit(t, "#versions-restore-confirm"); st != 200 {
		t.Fatalf("restore: status %d at %s (%s)", st, u, e.pageErrors(t))
	}
	v, err := e.ts.db.LatestPlan(context.Background(), e.cid)
	if err != nil || v.Version != 3 || v.Author != e.email {
		t.Fatalf("after the restore the latest plan is %+v (%v), want version 3 by %s", v, err, e.email)
	}
	e.keptLoaded(t)
}

// keptLoaded checks the stored shipments after a re-plan: the dispatched
// city holds what was loaded, nothing else is loaded before today.
func (e *scratch) keptLoaded(t *testing.T) {
	t.Helper()
	recs, err := e.ts.db.ListShipments(context.Background(), e.cid, store.ShipmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	today := planner.DateOf(scratchLater)
	for _, r := range recs {
		if r.State().Stage == planner.StageCancelled {
			continue
		}
		if r.City != e.dispatched {
			if r.Dispatch.Before(today) || r.FirstDispatch.Before(today) {
				t.Errorf("the re-plan loads %s from %s to %s, before today %s", r.City, r.FirstDispatch, r.Dispatch, today)
			}
			continue
		}
		got := map[string]int64{}
		for _, l := range r.Lines {
			got[l.Material] = l.Pieces
		}
		if fmt.Sprint(got) != fmt.Sprint(e.loaded) {
			t.Errorf("after the re-plan %s holds %v, want what was loaded %v", r.City, got, e.loaded)
		}
	}
}

// viewsAgree reads the dashboard, the shipment list and the manifest and
// checks that they say the same, city by city, to the piece.
func (e *scratch) viewsAgree(t *testing.T) {
	if st := e.b.open(t, e.path("shipments?sort=city")); st != 200 {
		t.Fatalf("shipment list: status %d", st)
	}
	e.b.do(t, "wait for the list", chromedp.WaitVisible(chromedp.ID("shipments-table")))
	listed := eval[map[string]int64](t, e.b, `(() => {
		const out = {};
		for (const tr of document.querySelectorAll('tr.shipment-row')) {
			const n = Number(tr.children[3].textContent.replace(/\D/g, ''));
			out[tr.dataset.city] = (out[tr.dataset.city] || 0) + n;
		}
		return out;
	})()`)
	ids := eval[map[string]string](t, e.b, `Object.fromEntries(Array.from(document.querySelectorAll('tr.shipment-row')).map(tr => [tr.dataset.city, tr.dataset.id]))`)

	// The manifest as the exports page links it, fetched with the page's session.
	if st := e.b.open(t, e.path("exports")); st != 200 {
		t.Fatalf("exports page: status %d", st)
	}
	got := eval[csvDownload](t, e.b, `(async () => {
		const a = document.querySelector('#export-manifest a[download]');
		if (!a) return {status: 0, type: '', text: ''};
		const r = await fetch(a.href, {credentials: 'same-origin'});
		return {status: r.status, type: r.headers.get('Content-Type') || '', text: await r.text()};
	})()`, chromedp.EvalAwaitPromise)
	if got.Status != 200 {
		t.Fatalf("manifest.csv: status %d", got.Status)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(got.Text, "\uFEFF"))).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("manifest.csv: %d rows (%v)", len(rows), err)
	}
	manifest, dispatchedLines, lines := map[string]int64{}, map[string]int64{}, map[string]int64{}
	var total int64
	for _, r := range rows[1:] { // shipment,city,city_name,state,material,packs,boxes,pieces,weight_kg
		n, err := strconv.ParseInt(r[7], 10, 64)
		if err != nil {
			t.Fatalf("manifest pieces %q: %v", r[7], err)
		}
		manifest[r[1]] += n
		lines[r[1]+" "+r[4]] += n
		if r[0] != ids[r[1]] {
			t.Errorf("manifest line of %s names shipment %s, the list %s", r[1], r[0], ids[r[1]])
		}
		total += n
		if r[1] == e.dispatched {
			dispatchedLines[r[4]] += n
		}
	}
	recs, err := e.ts.db.ListShipments(context.Background(), e.cid, store.ShipmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int64{}
	for _, r := range recs {
		if r.State().Stage != planner.StageCancelled {
			for _, l := range r.Lines {
				stored[r.City+" "+l.Material] += l.Pieces
			}
		}
	}
	if fmt.Sprint(lines) != fmt.Sprint(stored) {
		t.Errorf("pieces by city and material: manifest %v, stored shipments %v", lines, stored)
	}
	if fmt.Sprint(manifest) != fmt.Sprint(listed) {
		t.Errorf("pieces by city: manifest %v, shipment list %v", manifest, listed)
	}
	if fmt.Sprint(dispatchedLines) != fmt.Sprint(e.loaded) {
		t.Errorf("manifest of the dispatched %s: %v, want what was loaded %v", e.dispatched, dispatchedLines, e.loaded)
	}

	if st := e.b.open(t, e.path("dashboard")); st != 200 {
		t.Fatalf("dashboard: status %d", st)
	}
	planned := eval[int64](t, e.b, `Number(document.querySelector('#total-planned progress').getAttribute('value'))`)
	dispatched := eval[int64](t, e.b, `Number(document.querySelector('#total-dispatched progress').getAttribute('value'))`)
	if planned != total {
		t.Errorf("dashboard planned %d pieces, manifest %d", planned, total)
	}
	var loaded int64
	for _, n := range e.loaded {
		loaded += n
	}
	if dispatched != loaded {
		t.Errorf("dashboard dispatched %d pieces, the dispatch loaded %d", dispatched, loaded)
	}
	// Three working days into the campaign (Mon to Wed), the pace is taken
	// over those three days, not over seven of which four came before it.
	if pace := e.b.text(t, "#pace-value"); !strings.Contains(pace, "3 días hábiles") {
		t.Errorf("dashboard pace %q, want it over the 3 working days since the start", pace)
	}
	v, err := e.ts.db.LatestPlan(context.Background(), e.cid)
	if err != nil {
		t.Fatal(err)
	}
	var committed int64
	for _, sh := range v.Plan.Shipments {
		committed += sh.Pieces
	}
	if committed != total {
		t.Errorf("the committed plan holds %d pieces, the manifest %d", committed, total)
	}
	if screenshotsWanted() {
		e.chartDrawn(t)
		e.b.saveScreenshot(t, "campaign-run.png")
	}
}
