package api

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserMapVenuesPNG draws the venue reach layer and exports the view
// as a PNG: the image has the map's size plus a legend column and a title
// band, and the title band is not blank. REPARTO_MAP_PNG_OUT=dir keeps
// the PNG and a screenshot of the page there, to look at.
func TestBrowserMapVenuesPNG(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	chromiumPath(t)
	ts := newTestServer(t)
	id := mapVenueCampaign(t, ts, mapHiddenGapCampaign)
	b := newChromeTab(t, ts.URL)
	e := &e2e{ts: ts, b: b, cid: id, email: "map-png-planner@test.local"}
	e.login(t)
	if st := b.open(t, e.path("map?metric=reached")); st != 200 {
		t.Fatalf("map page: status %d", st)
	}
	e.mapReady(t)
	// Popups are written when opened (map.js): a state's names it.
	popup := eval[string](t, b, `(() => {
		const m = document.getElementById('map').leafletMap;
		let html = '';
		m.eachLayer(l => { if (!html && l.feature && l.feature.properties.code === 'MX-CHP' && l.getPopup()) {
			l.openPopup(); html = document.querySelector('#map .leaflet-popup-content').innerHTML; m.closePopup(); } });
		return html;
	})()`)
	if !strings.Contains(popup, `class="map-popup"`) || !strings.Contains(popup, "Chiapas") {
		t.Errorf("Chiapas popup: %q", popup)
	}
	out := os.Getenv("REPARTO_MAP_PNG_OUT")
	if out != "" { // the national view too, to look at
		url := eval[string](t, b, `document.getElementById('map').mapPNG()`, chromedp.EvalAwaitPromise)
		raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(url, "data:image/png;base64,"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(out+"/map-export-national.png", raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Zoom to Tapachula: v1 (reached) and v2 (targeted, not reached).
	eval[bool](t, b, `(document.getElementById('map').leafletMap.setView([14.905, -92.255], 12, {animate: false}), true)`)
	b.do(t, "the venues are drawn", chromedp.WaitVisible(chromedp.CSS(`#map[data-ready~="venues"]`)))
	got := eval[map[string]int](t, b, `(() => {
		const n = r => document.querySelectorAll('#map path.map-venue[data-reach="' + r + '"]').length;
		return {reached: n('reached'), not_reached: n('not_reached'), not_targeted: n('not_targeted')};
	})()`)
	if got["reached"] != 1 || got["not_reached"] != 2 || got["not_targeted"] != 2 { // v1; v2, v3; v4, v5 (unassigned)
		t.Errorf("venue markers by reach %v, want reached 1, not_reached 2, not_targeted 2", got)
	}
	if out != "" {
		shot, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(out+"/map-page.png", shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The button: the download is made (size recorded on #map).
	b.do(t, "click Descargar PNG", chromedp.Click(chromedp.ID("map-png"), chromedp.NodeVisible))
	state, err := chromedp.Run(b.ctx, chromedp.Poll[string](`document.getElementById('map').dataset.png || document.getElementById('map').dataset.error || ''`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil || state == "" || strings.Contains(state, "Error") {
		t.Fatalf("PNG export: %q %v", state, err)
	}
	var w, h, size int
	if _, err := fmt.Sscanf(state, "%dx%d %d", &w, &h, &size); err != nil || size < 20_000 {
		t.Errorf("PNG export %q: want WxH and a size of at least 20 kB", state)
	}

	// The same image, read back.
	url := eval[string](t, b, `document.getElementById('map').mapPNG()`, chromedp.EvalAwaitPromise)
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(url, "data:image/png;base64,"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	mapW := eval[int](t, b, `Math.round(document.getElementById('map').getBoundingClientRect().width)`)
	bd := img.Bounds()
	if bd.Dx() != w || bd.Dy() != h || bd.Dx() < 2*mapW {
		t.Errorf("PNG %dx%d (button %dx%d), want twice (the scale) the map's %d px and a legend", bd.Dx(), bd.Dy(), w, h, mapW)
	}
	if dark := darkPixels(img, image.Rect(0, 0, bd.Dx()/2, 100)); dark < 500 {
		t.Errorf("title band: %d dark pixels, want a title drawn", dark)
	}
	if out != "" {
		if err := os.WriteFile(out+"/map-export.png", raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b.checkPages(t)
}

// darkPixels counts the pixels of r darker than mid-grey.
func darkPixels(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if (cr+cg+cb)/3 < 0x6000 {
				n++
			}
		}
	}
	return n
}
