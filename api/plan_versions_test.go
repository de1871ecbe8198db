package api

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/jsonapi"
	"github.com/reparto/reparto/planner"
)

func cellsOf(p *planner.Plan, city string) map[planner.CellKey]int64 {
	out := map[planner.CellKey]int64{}
	for _, c := range p.Cells {
		if c.City == city {
			out[planner.CellKey{Material: c.Material, City: c.City, Category: c.Category}] = c.Pieces
		}
	}
	return out
}

// The history lists every version with who, when and note, compares any
// two, and restores an earlier one as a new version under the commit
// rules: the dispatched city keeps what it loaded.
func TestVersionHistoryComparesAndRestores(t *testing.T) {
	f := newTrackingFixture(t, true)
	ctx := context.Background()
	v1, err := f.db.GetPlanVersion(ctx, f.campaign, 1)
	if err != nil {
		t.Fatal(err)
	}
	doubleVenues(t, f)
	wantStatus(t, f.planner.call("POST", f.campaignPath("/plan/commit"), map[string]any{"expected_version": 1, "note": "more bars"}), http.StatusCreated)
	tap := f.shipment("TAP")
	wantStatus(t, f.planner.call("POST", shipmentPath(tap.ID, "/events"), dispatchBody(tap, "2009-03-02")), http.StatusCreated)

	page := "/campaigns/" + itoa(f.campaign) + "/plan/versions"
	w := f.viewer.call("GET", page+"?from=1&to=2", nil)
	wantStatus(t, w, http.StatusOK)
	body := w.Body.String()
	for _, want := range []string{`data-version="1"`, `data-version="2"`, "more bars", `id="versions-diff-title"`} {
		if !strings.Contains(body, want) {
			t.Errorf("history page lacks %s", want)
		}
	}
	if strings.Contains(body, "/restore") {
		t.Error("a viewer is offered a restore")
	}
	wantStatus(t, f.viewer.call("GET", page+"?from=0&to=9", nil), http.StatusUnprocessableEntity)
	if w := f.planner.call("GET", page+"?confirm=1", nil); !strings.Contains(w.Body.String(), `id="versions-confirm"`) {
		t.Error("restore asks no confirmation")
	}

	// A restore reviewed on version 1 when 2 is the latest is refused.
	w = f.planner.callForm("POST", page+"/1/restore", url.Values{"expected_version": {"1"}})
	wantStatus(t, w, http.StatusConflict)
	w = f.planner.callForm("POST", page+"/1/restore", url.Values{"expected_version": {"2"}})
	wantStatus(t, w, http.StatusSeeOther)
	v3, err := f.db.LatestPlan(ctx, f.campaign)
	if err != nil {
		t.Fatal(err)
	}
	if v3.Version != 3 {
		t.Fatalf("latest version %d after restore, want 3", v3.Version)
	}
	if got := f.shipment("TAP"); got.PlanVersion != 2 || got.Pieces != tap.Pieces {
		t.Errorf("dispatched TAP after restore: v%d %d pieces, want v2 %d", got.PlanVersion, got.Pieces, tap.Pieces)
	}
	if got, want := cellsOf(v3.Plan, "TAP"), cellsOf(f.version(2).Plan, "TAP"); !maps.Equal(got, want) {
		t.Errorf("restored TAP cells %v, loaded %v", got, want)
	}
	if got, want := cellsOf(v3.Plan, "MEX"), cellsOf(v1.Plan, "MEX"); !maps.Equal(got, want) {
		t.Errorf("restored MEX cells %v, version 1 had %v", got, want)
	}
}

func (f *trackingFixture) version(n int) *planner.PlanVersion {
	f.t.Helper()
	v, err := f.db.GetPlanVersion(context.Background(), f.campaign, n)
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

// The JSON API restores too: 201 with the new version, 409 on a stale
// expected_version, 422 without one.
func TestRestoreVersionOverTheAPI(t *testing.T) {
	f := newTrackingFixture(t, true)
	doubleVenues(t, f)
	wantStatus(t, f.planner.call("POST", f.campaignPath("/plan/commit"), map[string]any{"expected_version": 1}), http.StatusCreated)
	path := f.campaignPath("/plan/versions/1/restore")
	wantStatus(t, f.planner.call("POST", path, map[string]any{}), http.StatusUnprocessableEntity)
	wantStatus(t, f.planner.call("POST", path, map[string]any{"expected_version": 1}), http.StatusConflict)
	wantStatus(t, f.viewer.call("POST", path, map[string]any{"expected_version": 2}), http.StatusForbidden)
	w := f.planner.call("POST", path, map[string]any{"expected_version": 2})
	wantStatus(t, w, http.StatusCreated)
	var v jsonapi.PlanVersionJSON
	decode(t, w, &v)
	if v.Version != 3 || v.Diff == nil || v.Diff.Totals.CitiesChanged == 0 {
		t.Errorf("restored version %+v, want 3 with changes from 2", v)
	}
	if got, want := cellsOf(f.version(3).Plan, "MEX"), cellsOf(f.version(1).Plan, "MEX"); !maps.Equal(got, want) {
		t.Errorf("restored MEX %v, version 1 had %v", got, want)
	}
}
