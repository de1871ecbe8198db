package api

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/reparto/reparto/planner"
)

// TestBrowserReceive is a label scanned on a phone: the QR code's URL
// opened signed out leads to the login page, which returns to the
// receipt with the scanned box ticked; a second label ticks its box too;
// the receipt is recorded and the shipment shows delivered. Done as a
// field user of the shipment's state, at 360×740 with touch.
func TestBrowserReceive(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	chromiumPath(t)
	sc := newFieldScene(t)
	ts := sc.ts
	b := newChromeTab(t, ts.URL)
	a := &a11y{e: &e2e{ts: ts, b: b, cid: ts.CampaignID}}
	b.setLangCookie(t, "es")
	a.viewport(t, a11yViewports[1])

	receive := fmt.Sprintf("/campaigns/%d/shipments/%d/receive", ts.CampaignID, sc.own.ID)
	b.open(t, receive+"?box=2")
	b.do(t, "sign in from the scanned label",
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "campo@test.local"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
	)
	st, u := b.submit(t, `form[action="/login"] button[type=submit]`)
	if st != 200 || !strings.HasSuffix(u, receive+"?box=2") {
		t.Fatalf("after login: %d at %s, want the receipt of box 2", st, u)
	}
	b.do(t, "wait for the receipt", chromedp.WaitReady(chromedp.ID("receive-form")))
	if !eval[bool](t, b, `document.getElementById('box-2').checked && !document.getElementById('box-1').checked`) {
		t.Error("box 2 is not the one ticked after the scan")
	}
	if got := b.value(t, "#receive-boxes"); got != "1" {
		t.Errorf("boxes received %q after one scan, want 1", got)
	}

	// The next label: the same page with box 3; box 2 stays ticked.
	b.open(t, receive+"?box=3")
	b.do(t, "wait for the receipt", chromedp.WaitReady(chromedp.ID("receive-form")))
	if !eval[bool](t, b, `document.getElementById('box-2').checked && document.getElementById('box-3').checked`) {
		t.Error("a second scan forgot the first box")
	}
	if got := b.value(t, "#receive-boxes"); got != "2" {
		t.Errorf("boxes received %q after two scans, want 2", got)
	}
	if w := eval[int64](t, b, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("the receipt is %d px wide on a 360-px phone", w)
	}

	b.do(t, "fill the receipt",
		chromedp.SendKeys(chromedp.ID("receive-received-by"), "Ana Ruiz, DIF"),
		chromedp.SendKeys(chromedp.ID("receive-delivered-by"), "Chofer Pérez"),
		chromedp.SendKeys(chromedp.ID("receive-note"), "Cajas en buen estado"),
	)
	if screenshotsWanted() { // the first screen, as the phone shows it: the page is long
		eval[any](t, b, `window.scrollTo(0, 0)`)
		png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("..", "docs", "receive-phone.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, u = b.submit(t, "#receive-submit")
	if st != 200 || !strings.HasSuffix(u, fmt.Sprintf("/shipments/%d", sc.own.ID)) {
		t.Fatalf("after the receipt: %d at %s, want the shipment page", st, u)
	}
	if got := a.e.stage(t); got != string(planner.StageDelivered) {
		t.Errorf("shipment stage %q after the receipt, want delivered", got)
	}
	sh, err := ts.db.GetShipment(context.Background(), sc.own.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := sh.Events[len(sh.Events)-1]
	if last.Kind != planner.EventDelivered || last.Boxes != 2 || last.ReceivedBy != "Ana Ruiz, DIF" || last.Note != "Cajas en buen estado" {
		t.Errorf("recorded %+v", last)
	}
	b.checkPages(t)
}

// TestBrowserReceiveScansInNewTabs: a phone's camera app opens each
// scanned label in a new browser tab, not in the tab of the previous scan.
// The boxes scanned so far must still be ticked there: they were kept in
// sessionStorage, which belongs to one tab, so every scan started from its
// own box alone and the count of boxes received was always 1.
func TestBrowserReceiveScansInNewTabs(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	chromiumPath(t)
	sc := newFieldScene(t)
	ts := sc.ts
	b := newChromeTab(t, ts.URL)
	a := &a11y{e: &e2e{ts: ts, b: b, cid: ts.CampaignID}}
	a.viewport(t, a11yViewports[1])
	receive := fmt.Sprintf("/campaigns/%d/shipments/%d/receive", ts.CampaignID, sc.own.ID)
	b.open(t, receive+"?box=2")
	b.do(t, "sign in from the scanned label",
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "campo@test.local"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
	)
	if st, u := b.submit(t, `form[action="/login"] button[type=submit]`); st != 200 || !strings.HasSuffix(u, receive+"?box=2") {
		t.Fatalf("after login: %d at %s, want the receipt of box 2", st, u)
	}
	b.do(t, "wait for the receipt", chromedp.WaitReady(chromedp.ID("receive-form")))

	first := b
	for _, box := range []string{"3", "4"} {
		ctx, cancel := chromedp.NewContext(b.ctx) // a new tab of the same browser
		t.Cleanup(cancel)
		tab := &chromeTab{ctx: ctx, base: b.base}
		tab.open(t, receive+"?box="+box)
		tab.do(t, "wait for the receipt", chromedp.WaitReady(chromedp.ID("receive-form")))
		b = tab
	}
	ticked := eval[[]string](t, b, `[...document.querySelectorAll('input[data-box]:checked')].map(e => e.value)`)
	if strings.Join(ticked, ",") != "2,3,4" {
		t.Errorf("boxes ticked after scanning 2, 3, 4 in new tabs: %v", ticked)
	}
	if got := b.value(t, "#receive-boxes"); got != "3" {
		t.Errorf("boxes received %q after three scans, want 3", got)
	}
	// Back in the first scan's tab, the later scans are ticked too.
	waitFor(t, first, "the first tab to tick the later scans",
		`[...document.querySelectorAll('input[data-box]:checked')].map(e => e.value).join() === '2,3,4' && document.getElementById('receive-boxes').value === '3'`)
}
