package api

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
)

// gzipLen is the size of b gzipped, about what the compressed response
// weighs on the wire.
func gzipLen(t *testing.T, b string) int {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(b)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

// The map page draws the states simplified for display (outline=display):
// the same 32 features with the same properties as the full layer, which
// API clients and downloads still get by default, at a fraction of the
// bytes. The page asks for the display outlines and offers the full ones
// as the file.
func TestMapStatesDisplayOutline(t *testing.T) {
	ts := newTestServer(t)
	viewer := ts.client(t, web.RoleViewer)
	base := fmt.Sprintf("/api/v1/campaigns/%d/map/", ts.CampaignID)

	code, full := ts.get(t, viewer, base+"states.geojson?metric=allocated")
	if code != http.StatusOK {
		t.Fatalf("full: %d %s", code, full)
	}
	code, disp := ts.get(t, viewer, base+"states.geojson?metric=allocated&outline=display")
	if code != http.StatusOK {
		t.Fatalf("display: %d %s", code, disp)
	}
	if code, explicit := ts.get(t, viewer, base+"states.geojson?metric=allocated&outline=full"); code != http.StatusOK || explicit != full {
		t.Errorf("outline=full: %d, same as default %v", code, explicit == full)
	}
	t.Logf("states.geojson: full %d bytes (%d gzipped), display %d bytes (%d gzipped)", len(full), gzipLen(t, full), len(disp), gzipLen(t, disp))
	if len(disp)*2 > len(full) || gzipLen(t, disp) > 50_000 {
		t.Errorf("display outlines: %d bytes (%d gzipped), want at most half of the full %d and 50 kB gzipped", len(disp), gzipLen(t, disp), len(full))
	}

	var fcFull, fcDisp mapFC
	if err := json.Unmarshal([]byte(full), &fcFull); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(disp), &fcDisp); err != nil {
		t.Fatalf("display: not JSON: %v", err)
	}
	if fcDisp.Type != "FeatureCollection" || len(fcDisp.Features) != 32 || len(fcFull.Features) != 32 {
		t.Fatalf("display %s of %d features, full %d, want 32 each", fcDisp.Type, len(fcDisp.Features), len(fcFull.Features))
	}
	for i, f := range fcDisp.Features {
		ff := fcFull.Features[i]
		if f.ID != ff.ID || !reflect.DeepEqual(f.Properties, ff.Properties) {
			t.Errorf("feature %d: %s %v, want %s %v", i, f.ID, f.Properties, ff.ID, ff.Properties)
		}
		if !validOutline(f.Geometry) {
			t.Errorf("%s: not a valid Polygon/MultiPolygon: type %v", f.ID, f.Geometry["type"])
		}
	}

	code, body := ts.get(t, viewer, base+"states.geojson?outline=simple")
	var e web.ErrorBody
	if err := json.Unmarshal([]byte(body), &e); code != http.StatusUnprocessableEntity || err != nil || e.Error.Fields["outline"] == "" {
		t.Errorf("outline=simple: %d %s, want 422 naming outline", code, body)
	}

	code, page := ts.get(t, viewer, fmt.Sprintf("/campaigns/%d/map", ts.CampaignID))
	if code != http.StatusOK {
		t.Fatalf("map page: %d", code)
	}
	if !strings.Contains(page, `data-states-url="`+base+`states.geojson?metric=allocated&amp;outline=display"`) {
		t.Error("map page does not draw the display outlines")
	}
	if !strings.Contains(page, base+`states.geojson?metric=allocated&amp;download=1"`) {
		t.Error("map page does not offer the full states layer as its file")
	}
}

// validOutline: a Polygon or MultiPolygon whose every ring is closed with
// at least 4 positions.
func validOutline(g map[string]any) bool {
	ring := func(r any) bool {
		pts, ok := r.([]any)
		if !ok || len(pts) < 4 {
			return false
		}
		return reflect.DeepEqual(pts[0], pts[len(pts)-1])
	}
	polygon := func(p any) bool {
		rings, ok := p.([]any)
		if !ok || len(rings) == 0 {
			return false
		}
		for _, r := range rings {
			if !ring(r) {
				return false
			}
		}
		return true
	}
	coords, ok := g["coordinates"].([]any)
	switch {
	case !ok:
		return false
	case g["type"] == "Polygon":
		return polygon(coords)
	case g["type"] == "MultiPolygon" && len(coords) > 0:
		for _, p := range coords {
			if !polygon(p) {
				return false
			}
		}
		return true
	}
	return false
}
