package api

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserPrintsListsWhole prints the pages that people take to meetings
// — the shipment list, the dashboard and the plan — as the browser does on
// paper, and checks that nothing is clipped by a scroll box and that the
// navigation and buttons stay off the paper. The shipment list is also
// printed to PDF and read back with pdftotext (when installed): every
// city of the demo must be on paper, not only the first screenful.
func TestBrowserPrintsListsWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	chromiumPath(t)
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	e := &e2e{ts: ts, b: newChromeTab(t, ts.URL), cid: ts.CampaignID, email: "print@test.local"}
	e.login(t)
	if _, err := chromedp.Call(e.b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	// clipped lists the scroll boxes whose content is taller than the box.
	const clipped = `Array.from(document.querySelectorAll('.scroll, .matrix-wrap')).
		filter(el => el.scrollHeight > el.clientHeight + 1).map(el => el.className)`
	const navShown = `Array.from(document.querySelectorAll('.mainnav, .toolbar, main button')).
		filter(el => el.offsetParent !== null).length`
	for _, p := range []struct{ path, ready string }{
		{"shipments", "#shipments-table"},
		{"dashboard", "#dashboard-burndown"},
		{"plan", "#plan-totals"},
	} {
		e.b.open(t, e.path(p.path))
		e.b.do(t, "wait for "+p.path, chromedp.WaitReady(chromedp.CSS(p.ready)))
		if c := eval[[]string](t, e.b, clipped); len(c) > 0 {
			t.Errorf("%s on paper: scroll boxes clip their content: %v", p.path, c)
		}
		if n := eval[int](t, e.b, navShown); n != 0 {
			t.Errorf("%s on paper: %d navigation elements, filters or buttons printed", p.path, n)
		}
	}

	e.b.open(t, e.path("shipments"))
	rows := eval[int](t, e.b, `document.querySelectorAll('#shipments-table tbody tr').length`)
	if rows < 70 {
		t.Fatalf("the demo's shipment list shows %d rows, want its 70 shipments", rows)
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("REPARTO_BROWSER_TESTS") != "" {
			t.Fatal("REPARTO_BROWSER_TESTS is set but pdftotext (poppler-utils) is missing")
		}
		t.Skip("pdftotext not installed: the printed PDF is not read back")
	}
	yes := true
	res, err := chromedp.Call(e.b.ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes})
	if err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(t.TempDir(), "shipments.pdf")
	if err := os.WriteFile(pdf, res.Data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// A long city name wraps inside its cell, and pdftotext may read the
	// wrapped part after the next cells: look for every word of the name.
	words := map[string]bool{}
	for _, w := range strings.Fields(string(out)) {
		words[w] = true
	}
	camp, err := ts.db.GetCampaign(context.Background(), ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range camp.Cities {
		for _, w := range strings.Fields(c.Name) {
			if !words[w] {
				t.Errorf("the printed shipment list lacks %s (no %q)", c.Name, w)
			}
		}
	}
}
