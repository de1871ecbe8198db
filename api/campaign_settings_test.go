package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/store"
)

// settingsForm reads the settings form as the page renders it: the
// values a browser would post unchanged.
func settingsForm(t *testing.T, body string) url.Values {
	t.Helper()
	v := formValues(body)
	for _, m := range regexp.MustCompile(`<input type="(?:date|hidden)"[^>]* name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		v.Add(m[1], m[2])
	}
	for _, m := range regexp.MustCompile(`name="work_days" value="([A-Za-z]+)" checked`).FindAllStringSubmatch(body, -1) {
		v.Add("work_days", m[1])
	}
	if v.Get("version") == "" {
		t.Fatal("the settings form has no version")
	}
	return v
}

func TestCampaignSettingsPage(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	path := fmt.Sprintf("/campaigns/%d/settings", ts.CampaignID)
	code, body := ts.get(t, cl, path)
	if code != http.StatusOK || !strings.Contains(body, `id="depot-map"`) {
		t.Fatalf("settings: status %d, or no depot map", code)
	}
	form := settingsForm(t, body)
	if form.Get("boxes_per_day") == "" || len(form["work_days"]) == 0 || form.Get("holidays") == "" {
		t.Fatalf("the form does not show the stored settings: %v", form)
	}

	t.Run("every error at once", func(t *testing.T) {
		bad := cloneValues(form)
		bad.Set("name", "")
		bad.Set("circuity", "0.5")
		bad.Set("depot_lat", "norte")
		bad.Set("handling_days", "mil")
		code, body, _ := ts.post(t, cl, path, bad)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", code)
		}
		for _, name := range []string{"name", "circuity", "depot_lat", "handling_days"} {
			if fieldError(body, name) == "" {
				t.Errorf("no error beside %s", name)
			}
		}
	})

	t.Run("save", func(t *testing.T) {
		ok := cloneValues(form)
		ok.Set("boxes_per_day", "450")
		ok.Set("depot_lat", "20.67")
		ok["holiday_remove"] = []string{form["holidays"][0]}
		ok.Add("holidays", "2009-03-19")
		code, _, loc := ts.post(t, cl, path, ok)
		if code != http.StatusSeeOther || loc != path {
			t.Fatalf("status %d to %q", code, loc)
		}
		c, err := ts.db.GetCampaignHeader(context.Background(), ts.CampaignID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Dispatch.BoxesPerDay != 450 || c.Depot.Lat != 20.67 {
			t.Errorf("stored %+v", c)
		}
		var has19, hasRemoved bool
		for _, h := range c.Dispatch.Holidays {
			has19 = has19 || h.String() == "2009-03-19"
			hasRemoved = hasRemoved || h.String() == form["holidays"][0]
		}
		if !has19 || hasRemoved {
			t.Errorf("holidays %v: want 2009-03-19 added and %s removed", c.Dispatch.Holidays, form["holidays"][0])
		}
	})

	t.Run("stale version", func(t *testing.T) {
		// form still carries the version read before the save above.
		stale := cloneValues(form)
		stale.Set("boxes_per_day", "999")
		code, body, _ := ts.post(t, cl, path, stale)
		if code != http.StatusConflict || !strings.Contains(body, "Alguien más cambió esta campaña") {
			t.Fatalf("stale save: status %d, want 409 with the explanation", code)
		}
		if got := fieldValue(body, "boxes_per_day"); got != "999" {
			t.Errorf("the form lost what was typed: %q", got)
		}
		if c, _ := ts.db.GetCampaignHeader(context.Background(), ts.CampaignID); c.Dispatch.BoxesPerDay != 450 {
			t.Errorf("a stale save overwrote the settings: %d", c.Dispatch.BoxesPerDay)
		}
	})
}

func fieldValue(body, name string) string { return formValues(body).Get(name) }

// Applying a what-if scenario: the confirmation lists each change, the
// confirmation applies them in one step with an audit record, and a
// confirmation of an outdated campaign is refused.
func TestApplyScenarioToSettings(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	ctx := context.Background()
	c, err := ts.db.GetCampaign(ctx, ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	mat := c.Materials[0].Code
	q := url.Values{"run": {"1"}, "boxes_per_day": {"800"}, "surplus": {"reserve"}, "reserve_pct." + mat: {"7"}}
	base := fmt.Sprintf("/campaigns/%d/plan/scenario", ts.CampaignID)
	if code, body := ts.get(t, cl, base+"?"+q.Encode()); code != http.StatusOK || !strings.Contains(body, `id="scenario-apply"`) {
		t.Fatalf("scenario: status %d, or no apply button", code)
	}
	if _, body := ts.get(t, ts.client(t, web.RoleViewer), base+"?"+q.Encode()); strings.Contains(body, `id="scenario-apply"`) {
		t.Error("a viewer is offered to apply the scenario")
	}
	code, body := ts.get(t, cl, base+"/apply?"+q.Encode())
	if code != http.StatusOK {
		t.Fatalf("confirmation: status %d", code)
	}
	if n := strings.Count(body[strings.Index(body, `id="scenario-changes"`):], "<tr><td>"); n != 3 {
		t.Errorf("confirmation lists %d changes, want 3", n)
	}
	if got, _ := ts.db.GetCampaignHeader(ctx, ts.CampaignID); got.Dispatch.BoxesPerDay == 800 {
		t.Fatal("the confirmation page applied the scenario")
	}
	post := url.Values{"version": {fmt.Sprint(c.Version)}, "boxes_per_day": {"800"}, "surplus": {"reserve"}, "reserve_pct." + mat: {"7"}}
	code, _, loc := ts.post(t, cl, base+"/apply", post)
	if code != http.StatusSeeOther || loc != fmt.Sprintf("/campaigns/%d/plan", ts.CampaignID) {
		t.Fatalf("apply: status %d to %q", code, loc)
	}
	after, _ := ts.db.GetCampaign(ctx, ts.CampaignID)
	if after.Dispatch.BoxesPerDay != 800 || after.Surplus != "reserve" || after.Materials[0].ReservePct.String() != "7" {
		t.Errorf("after apply: boxes %d surplus %s reserve %s", after.Dispatch.BoxesPerDay, after.Surplus, after.Materials[0].ReservePct)
	}
	if got := auditActions(t, ts, ts.CampaignID); got[len(got)-1] != store.AuditApplyScenario {
		t.Errorf("audit %v lacks the scenario", got)
	}
	// The same confirmation again: the campaign's version moved on.
	if code, _, _ := ts.post(t, cl, base+"/apply", post); code != http.StatusConflict {
		t.Errorf("outdated confirmation: status %d, want 409", code)
	}
}

// cloneValues is a deep copy of v, so that a case can change its own form.
func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}
