package api

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/jsonapi"
)

func TestPlanPreviewCommitAndVersions(t *testing.T) {
	f := newTrackingFixture(t, false)
	var pre jsonapi.PlanPreviewJSON
	w := f.planner.call("POST", f.campaignPath("/plan/preview"), nil)
	wantStatus(t, w, http.StatusOK)
	decode(t, w, &pre)
	// Before any commit everything is added: two cities.
	if pre.BaseVersion != 0 || pre.Summary.Shipments != 2 || pre.Diff.Totals.CitiesAdded != 2 {
		t.Errorf("preview = %+v", pre)
	}
	wantStatus(t, f.viewer.call("GET", f.campaignPath("/plan/versions/1"), nil), http.StatusNotFound)

	w = f.planner.call("POST", f.campaignPath("/plan/commit"), map[string]any{"note": "no version"})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	w = f.planner.call("POST", f.campaignPath("/plan/commit"), "not json")
	wantStatus(t, w, http.StatusBadRequest)
	w = f.planner.call("POST", f.campaignPath("/plan/commit"), map[string]any{"expected_version": 0, "note": "v1"})
	wantStatus(t, w, http.StatusCreated)
	var v jsonapi.PlanVersionJSON
	decode(t, w, &v)
	if v.Version != 1 || v.Author != "planner@example.org" || v.Note != "v1" || v.Summary == nil || v.Summary.Shipments != 2 {
		t.Errorf("commit = %+v", v)
	}
	// Committing again from version 0 lost the race.
	w = f.planner.call("POST", f.campaignPath("/plan/commit"), map[string]any{"expected_version": 0})
	wantStatus(t, w, http.StatusConflict)
	if d := jsonError(t, w); !strings.Contains(d.Message, "another plan was committed meanwhile") {
		t.Errorf("message %q", d.Message)
	}
	// Nothing changed since: the preview is empty.
	decode(t, f.planner.call("POST", f.campaignPath("/plan/preview"), nil), &pre)
	if pre.BaseVersion != 1 || len(pre.Diff.Cities) != 0 || len(pre.Diff.Lines) != 0 {
		t.Errorf("preview after commit = %+v", pre)
	}
	var list struct{ Versions []jsonapi.PlanVersionJSON }
	decode(t, f.viewer.call("GET", f.campaignPath("/plan/versions"), nil), &list)
	if len(list.Versions) != 1 || list.Versions[0].Version != 1 || list.Versions[0].Summary != nil {
		t.Errorf("versions = %+v", list.Versions)
	}
	wantStatus(t, f.viewer.call("GET", f.campaignPath("/plan/versions/1"), nil), http.StatusOK)
	wantStatus(t, f.viewer.call("GET", f.campaignPath("/plan/versions/x"), nil), http.StatusBadRequest)
	wantStatus(t, f.planner.call("POST", "/api/v1/campaigns/999/plan/preview", nil), http.StatusNotFound)
}

// A replan after TAP left keeps TAP's pieces whatever the options; the
// released reserve goes to MEX only.
func TestReplanPreviewKeepsDispatchedQuantities(t *testing.T) {
	f := newTrackingFixture(t, true)
	tap := f.shipment("TAP")
	wantStatus(t, f.planner.call("POST", shipmentPath(tap.ID, "/events"), dispatchBody(tap, "2009-03-02")), http.StatusCreated)
	var pre jsonapi.PlanPreviewJSON
	w := f.planner.call("POST", f.campaignPath("/plan/replan-preview"), map[string]any{"release_reserve": true})
	wantStatus(t, w, http.StatusOK)
	decode(t, w, &pre)
	for _, l := range pre.Diff.Lines {
		if l.City == "TAP" {
			t.Errorf("dispatched TAP changes: %+v", l)
		}
	}
	// L3 has a 10% reserve (1000 pieces) that the release hands to MEX.
	if pre.BaseVersion != 1 || len(pre.Diff.Lines) == 0 || pre.Diff.Lines[0].City != "MEX" || pre.Diff.Lines[0].Pieces != 1000 {
		t.Errorf("replan diff = %+v, want MEX +1000 pieces of L3", pre.Diff.Lines)
	}
	w = f.planner.call("POST", f.campaignPath("/plan/replan-preview"), map[string]any{"reserve_pct": map[string]any{"NOPE": 5}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	w = f.planner.call("POST", f.campaignPath("/plan/replan-preview"), map[string]any{"release": true})
	wantStatus(t, w, http.StatusBadRequest)
	// Committing the replan keeps TAP dispatched and unchanged.
	w = f.planner.call("POST", f.campaignPath("/plan/commit"), map[string]any{"expected_version": 1, "release_reserve": true})
	wantStatus(t, w, http.StatusCreated)
	if got := f.shipment("TAP"); got.PlanVersion != 1 || got.Pieces != tap.Pieces {
		t.Errorf("TAP after replan commit: v%d %d pieces, want v1 %d", got.PlanVersion, got.Pieces, tap.Pieces)
	}
	if got := f.shipment("MEX"); got.PlanVersion != 2 {
		t.Errorf("MEX after replan commit: v%d, want v2", got.PlanVersion)
	}
}

// Two planners commit from the same version at once: one 201, one 409.
func TestConcurrentCommitsOverHTTP(t *testing.T) {
	f := newTrackingFixture(t, false)
	codes := make([]int, 2)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = f.planner.call("POST", f.campaignPath("/plan/commit"), map[string]any{"expected_version": 0}).Code
		}()
	}
	wg.Wait()
	if !(codes[0] == 201 && codes[1] == 409) && !(codes[0] == 409 && codes[1] == 201) {
		t.Errorf("codes %v, want one 201 and one 409", codes)
	}
}

// Every /api/v1 route registered on the engine is in the OpenAPI document,
// and nothing in the document is unrouted.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	f := newAuthFixture(t)
	doc := jsonapi.OpenAPI()
	paths := doc["paths"].(map[string]any)
	routed := map[string]bool{}
	for _, r := range f.s.Engine().Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		path := openAPIPath(r)
		routed[r.Method+" "+path] = true
		item, ok := paths[path].(map[string]any)
		if !ok || item[strings.ToLower(r.Method)] == nil {
			t.Errorf("%s %s is not in the OpenAPI document", r.Method, path)
		}
	}
	for path, item := range paths {
		if strings.Contains(path, "/map/") {
			continue // the map area wires its routes on its own schedule
		}
		for method := range item.(map[string]any) {
			if !routed[strings.ToUpper(method)+" "+path] {
				t.Errorf("the document has %s %s but no such route exists", method, path)
			}
		}
	}
	w := (&apiClient{f: f}).call("GET", "/api/v1/openapi.json", nil)
	wantStatus(t, w, http.StatusOK)
	var served map[string]any
	decode(t, w, &served)
	if served["openapi"] != "3.0.3" {
		t.Errorf("served document: openapi = %v", served["openapi"])
	}
}

func openAPIPath(r gin.RouteInfo) string {
	parts := strings.Split(r.Path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			parts[i] = "{" + p[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}
