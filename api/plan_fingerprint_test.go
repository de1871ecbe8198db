package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/jsonapi"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// doubleVenues edits the campaign data behind the planners' backs: twice
// the bars in MEX.
func doubleVenues(t *testing.T, f *trackingFixture) {
	t.Helper()
	ctx := context.Background()
	c, err := f.db.GetCampaign(ctx, f.campaign)
	if err != nil {
		t.Fatal(err)
	}
	for i := range c.VenueCounts {
		if c.VenueCounts[i].City == "MEX" {
			c.VenueCounts[i].Count *= 3
		}
	}
	if err := f.db.ReplaceCampaign(ctx, f.campaign, c); err != nil {
		t.Fatal(err)
	}
}

func preview(t *testing.T, f *trackingFixture) jsonapi.PlanPreviewJSON {
	t.Helper()
	var pre jsonapi.PlanPreviewJSON
	w := f.planner.call("POST", f.campaignPath("/plan/preview"), nil)
	wantStatus(t, w, http.StatusOK)
	decode(t, w, &pre)
	if pre.Fingerprint == "" || w.Header().Get("ETag") != `"`+pre.Fingerprint+`"` {
		t.Fatalf("preview fingerprint %q, ETag %q", pre.Fingerprint, w.Header().Get("ETag"))
	}
	return pre
}

// A commit reviewed on other data than the stored data is 409 with what
// changed, in the body field and in If-Match alike; nothing is committed.
func TestStaleFingerprintIsRefused(t *testing.T) {
	for _, how := range []string{"body", "If-Match"} {
		t.Run(how, func(t *testing.T) {
			f := newTrackingFixture(t, true)
			pre := preview(t, f)
			if again := preview(t, f); again.Fingerprint != pre.Fingerprint {
				t.Fatalf("fingerprint not stable: %s then %s", pre.Fingerprint, again.Fingerprint)
			}
			doubleVenues(t, f)
			body := map[string]any{"expected_version": 1, "note": "reviewed"}
			var headers []string
			if how == "body" {
				body["fingerprint"] = pre.Fingerprint
			} else {
				headers = []string{"If-Match", `"` + pre.Fingerprint + `"`}
			}
			w := f.planner.call("POST", f.campaignPath("/plan/commit"), body, headers...)
			wantStatus(t, w, http.StatusConflict)
			var got struct {
				Error       web.ErrorDetail
				Fingerprint string
				Changes     *planner.PlanDiff
			}
			decode(t, w, &got)
			if got.Error.Code != string(planner.EConflict) || got.Fingerprint == "" || got.Fingerprint == pre.Fingerprint {
				t.Errorf("409 body %s", w.Body)
			}
			if got.Changes == nil || got.Changes.Totals.CitiesChanged == 0 {
				t.Errorf("409 does not say what changed: %s", w.Body)
			}
			var list struct{ Versions []jsonapi.PlanVersionJSON }
			decode(t, f.viewer.call("GET", f.campaignPath("/plan/versions"), nil), &list)
			if len(list.Versions) != 1 {
				t.Errorf("%d versions after a stale commit, want 1", len(list.Versions))
			}
			// With the new fingerprint the commit goes through.
			body["fingerprint"] = got.Fingerprint
			wantStatus(t, f.planner.call("POST", f.campaignPath("/plan/commit"), body), http.StatusCreated)
		})
	}
}

// The plan page's commit form carries the fingerprint; a stale one is 409
// with the diff of the reviewed plan against the new one.
func TestStaleFingerprintOnThePage(t *testing.T) {
	f := newTrackingFixture(t, true)
	page := "/campaigns/" + itoa(f.campaign) + "/plan"
	w := f.planner.call("GET", page, nil)
	wantStatus(t, w, http.StatusOK)
	m := regexp.MustCompile(`name="fingerprint" value="([0-9a-f]+)"`).FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatal("plan page commit form has no fingerprint")
	}
	doubleVenues(t, f)
	form := url.Values{"mode": {"plan"}, "expected_version": {"1"}, "fingerprint": {m[1]}, "note": {"x"}}
	w = f.planner.callForm("POST", page+"/commit", form)
	wantStatus(t, w, http.StatusConflict)
	if !strings.Contains(w.Body.String(), `id="plan-stale"`) {
		t.Error("409 page does not show what changed since the preview")
	}
}

// Once a shipment has left, a plain commit is a re-plan: the dispatched
// city keeps what it loaded and no undispatched shipment is planned before
// today (the fixture's simulated 2009-03-20).
func TestCommitAfterDispatchIsAReplan(t *testing.T) {
	f := newTrackingFixture(t, true)
	tap := f.shipment("TAP")
	wantStatus(t, f.planner.call("POST", shipmentPath(tap.ID, "/events"), dispatchBody(tap, "2009-02-02")), http.StatusCreated)
	doubleVenues(t, f)
	pre := preview(t, f)
	if !pre.Replan {
		t.Error("preview after a dispatch does not say it is a re-plan")
	}
	w := f.planner.call("GET", "/campaigns/"+itoa(f.campaign)+"/plan", nil)
	if !strings.Contains(w.Body.String(), `id="plan-replanning"`) {
		t.Error("plan page does not say a commit is a re-plan")
	}
	w = f.planner.call("POST", f.campaignPath("/plan/commit"), map[string]any{"expected_version": 1, "fingerprint": pre.Fingerprint})
	wantStatus(t, w, http.StatusCreated)
	if got := f.shipment("TAP"); got.Pieces != tap.Pieces || got.PlanVersion != 1 {
		t.Errorf("dispatched TAP after commit: v%d %d pieces, want v1 %d", got.PlanVersion, got.Pieces, tap.Pieces)
	}
	v, err := f.db.LatestPlan(context.Background(), f.campaign)
	if err != nil {
		t.Fatal(err)
	}
	today := planner.NewDate(2009, 3, 20)
	for _, s := range v.Plan.Shipments {
		if s.City == "TAP" {
			if s.Pieces != tap.Pieces {
				t.Errorf("committed TAP %d pieces, loaded %d", s.Pieces, tap.Pieces)
			}
			continue
		}
		if s.FirstDispatch.Before(today) {
			t.Errorf("%s planned to load on %s, before today %s", s.City, s.FirstDispatch, today)
		}
	}
	if mex := f.shipment("MEX"); mex.FirstDispatch.Before(today) {
		t.Errorf("MEX shipment planned on %s, in the past", mex.FirstDispatch)
	}
}

// callForm posts a form to a page as the client's token.
func (a *apiClient) callForm(method, path string, form url.Values) *httptest.ResponseRecorder {
	a.f.t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Authorization", "Bearer "+a.token)
	r.RemoteAddr = "192.0.2.50:1"
	w := httptest.NewRecorder()
	a.f.s.Handler().ServeHTTP(w, r)
	return w
}
