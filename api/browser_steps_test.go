package api

import (
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The later steps of TestBrowserEndToEnd (browser_test.go): the map, the
// printer's CSV and the README screenshots.

// mapReady waits until map.js has drawn the states and the cities, or
// fails with the error it reported on #map.
// chartDrawn scrolls the dashboard's burn-up chart into view, waits until
// Chart.js, fetched only then, has drawn it, and scrolls back to the top.
func (e *e2e) chartDrawn(t *testing.T) {
	t.Helper()
	const probe = `(() => {
		const c = document.getElementById('burndown-chart');
		if (!c) return 'error: no #burndown-chart';
		c.scrollIntoView();
		return window.Chart && Chart.getChart(c) ? 'drawn' : '';
	})()`
	state, err := chromedp.Run(e.b.ctx, chromedp.Poll[string](probe,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		t.Fatalf("the burn-up chart was not drawn: %v", err)
	}
	if state != "drawn" {
		t.Fatalf("the burn-up chart failed: %s", state)
	}
	eval[bool](t, e.b, `(window.scrollTo(0, 0), true)`)
}

func (e *e2e) mapReady(t *testing.T) {
	t.Helper()
	const probe = `(() => {
		const m = document.getElementById('map');
		if (!m) return 'error: no #map';
		if (m.dataset.error) return 'error: ' + m.dataset.error;
		const r = (m.dataset.ready || '').split(' ');
		return r.includes('states') && r.includes('cities') && !m.querySelector('.leaflet-zoom-anim') ? 'ready' : '';
	})()`
	state, err := chromedp.Run(e.b.ctx, chromedp.Poll[string](probe,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(2*time.Minute)))
	if err != nil {
		t.Fatalf("the map did not load: %v", err)
	}
	if state != "ready" {
		t.Fatalf("the map failed: %s", state)
	}
	e.b.do(t, "the map is drawn",
		chromedp.WaitVisible(chromedp.CSS(`#map[data-ready~="states"][data-ready~="cities"]`)))
}

// coverageMap checks that the map draws every state and every campaign
// city of the demo, and lists coverage gaps.
func (e *e2e) coverageMap(t *testing.T) {
	if st := e.b.open(t, e.path("map")); st != 200 {
		t.Fatalf("map page: status %d", st)
	}
	e.mapReady(t)
	// The demo covers Mexico's 32 states and 70 cities (assets/data/campaign-2009.json).
	if n := eval[int](t, e.b, `document.querySelectorAll('#map path.map-state').length`); n != 32 {
		t.Errorf("%d state shapes, want 32", n)
	}
	if n := eval[int](t, e.b, `document.querySelectorAll('#map path.map-city').length`); n != 70 {
		t.Errorf("%d city circles, want 70", n)
	}
	if n := eval[int](t, e.b, `document.querySelectorAll('#map-gap-list li.map-gap-item').length`); n == 0 {
		t.Error("the gap list is empty")
	}
	// City names orient the reader: each city has a label, the largest
	// shown at the national view, all of them once zoomed in.
	const shownLabels = `Array.from(document.querySelectorAll('#map .map-city-label')).filter(l => getComputedStyle(l).display !== 'none').length`
	if n := eval[int](t, e.b, `document.querySelectorAll('#map .map-city-label').length`); n != 70 {
		t.Errorf("%d city labels, want 70", n)
	}
	if n := eval[int](t, e.b, shownLabels); n == 0 || n == 70 {
		t.Errorf("%d city labels shown at the national view, want the largest cities only", n)
	}
	// The legend names a colour for each of the demo's 27 venue categories.
	if n := eval[int](t, e.b, `document.querySelectorAll('#map-category-legend li').length`); n != 27 {
		t.Errorf("%d categories in the venue legend, want 27", n)
	}
	// A gap that names a nearest city is drawn with a line to it and its
	// distance, and the zoomed view shows every city's name.
	if eval[int](t, e.b, `document.querySelectorAll('.map-gap-zoom[data-nearest]').length`) > 0 {
		e.b.do(t, "zoom a venue gap", chromedp.Click(chromedp.CSS(`.map-gap-zoom[data-nearest]`), chromedp.NodeVisible))
		e.b.do(t, "the gap is linked to its city", chromedp.WaitVisible(chromedp.CSS(`#map .map-gap-label`)))
		if got := e.b.text(t, `#map .map-gap-label`); !strings.Contains(got, "km →") {
			t.Errorf("gap label %q, want the distance to the nearest city", got)
		}
		if n := eval[int](t, e.b, `document.querySelectorAll('#map path.map-gap-link').length`); n != 1 {
			t.Errorf("%d lines from the gap to its city, want 1", n)
		}
	}
}

// csvDownload is what the page's fetch of an export saw.
type csvDownload struct {
	Status      int    `json:"status"`
	Type        string `json:"type"`
	Disposition string `json:"disposition"`
	Text        string `json:"text"` // decoded keeping the byte-order mark
}

// printOrderCSV downloads the printer's order from inside the page, with
// the page's session cookie, and checks it against the demo campaign.
func (e *e2e) printOrderCSV(t *testing.T) {
	expr := fmt.Sprintf(`(async () => {
		const r = await fetch(%q, {credentials: 'same-origin'});
		const bytes = new Uint8Array(await r.arrayBuffer());
		return {status: r.status, type: r.headers.get('Content-Type') || '',
			disposition: r.headers.get('Content-Disposition') || '',
			text: new TextDecoder('utf-8', {ignoreBOM: true}).decode(bytes)};
	})()`, e.path("exports/print-order.csv"))
	got := eval[csvDownload](t, e.b, expr, chromedp.EvalAwaitPromise)
	if got.Status != 200 || !strings.HasPrefix(got.Type, "text/csv") || !strings.Contains(got.Disposition, "attachment") {
		t.Fatalf("print-order.csv: status %d, type %q, disposition %q", got.Status, got.Type, got.Disposition)
	}
	body, ok := strings.CutPrefix(got.Text, "\uFEFF")
	if !ok {
		t.Error("print-order.csv does not start with the UTF-8 byte-order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("print-order.csv is not CSV: %v", err)
	}
	want := []string{"material", "name", "format", "printed", "pack_size", "packs_per_box",
		"city", "city_name", "packs", "boxes", "pieces"}
	if len(rows) < 2 || !slices.Equal(rows[0], want) {
		t.Fatalf("header %v, want %v", rows[0], want)
	}
	// One TOTAL row per material carries its printed quantity: the demo's
	// 19 materials add up to 7,800,000 pieces, and the browser's material
	// was added with none printed.
	var printed int64
	totals := 0
	for _, r := range rows[1:] {
		if r[6] != "TOTAL" {
			continue
		}
		n, err := strconv.ParseInt(r[3], 10, 64)
		if err != nil {
			t.Fatalf("printed %q of %s: %v", r[3], r[0], err)
		}
		printed += n
		totals++
	}
	if printed != 7_800_000 {
		t.Errorf("printed totals add up to %d, want 7800000", printed)
	}
	if totals < 19 {
		t.Errorf("%d TOTAL rows, want one per material (at least the demo's 19)", totals)
	}
}

// screenshots rewrites the README's pictures, only when asked.
func (e *e2e) screenshots(t *testing.T) {
	if !screenshotsWanted() {
		t.Skip("set REPARTO_SCREENSHOTS=1 to rewrite docs/dashboard.png, docs/plan.png and docs/map.png")
	}
	// The README shows the demo as `reparto serve` loads it (plan v1 and the
	// tracking story up to 2009-03-20), not the state the steps above left.
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	e = &e2e{ts: ts, b: newChromeTab(t, ts.URL), cid: ts.CampaignID, email: "screenshots@test.local"}
	e.login(t)
	e.b.open(t, e.path("dashboard"))
	e.chartDrawn(t)
	e.b.saveScreenshot(t, "dashboard.png")

	e.b.open(t, e.path("plan"))
	e.b.do(t, "wait for the plan", chromedp.WaitVisible(chromedp.ID("plan-totals")))
	e.b.saveScreenshot(t, "plan.png")

	e.b.open(t, e.path("map"))
	e.mapReady(t)
	e.b.saveScreenshot(t, "map.png")
}
