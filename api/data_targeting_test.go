package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

func targetingOf(t *testing.T, ts *testServer) map[[2]string]int64 {
	t.Helper()
	rules, err := ts.db.ListTargeting(context.Background(), ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	m := map[[2]string]int64{}
	for _, r := range rules {
		m[[2]string{r.Material, r.Category}] = r.PerVenue
	}
	return m
}

// firstRule is a targeting rule of the demo campaign, read from the file.
func firstRule(t *testing.T) planner.TargetingRule {
	t.Helper()
	c := demoCampaign(t)
	if len(c.Targeting) == 0 {
		t.Fatal("the demo has no targeting rules")
	}
	return c.Targeting[0]
}

func TestDataTargetingGridRoundTrip(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	grid := fmt.Sprintf("/campaigns/%d/data/targeting", ts.CampaignID)
	before := targetingOf(t, ts)
	code, body := ts.get(t, cl, grid)
	if code != http.StatusOK {
		t.Fatalf("grid: %d", code)
	}
	// The page shows every stored rule in its cell.
	form := url.Values{}
	for k, n := range before {
		cell := fmt.Sprintf(`name="pv.%s.%s" value="%d"`, k[0], k[1], n)
		if !strings.Contains(body, cell) {
			t.Fatalf("grid lacks %s", cell)
		}
		form.Set("pv."+k[0]+"."+k[1], fmt.Sprint(n))
	}
	// Clear one rule, add one and leave the rest as shown.
	cleared := firstRule(t)
	form.Set("pv."+cleared.Material+"."+cleared.Category, "")
	added := [2]string{"TRI-DELITO", "BIBLIOTECA"}
	if _, exists := before[added]; exists {
		t.Fatal("pick a cell without a rule")
	}
	form.Set("pv.TRI-DELITO.BIBLIOTECA", "7")
	// Emptying a cell deletes a rule: the save asks first and changes nothing.
	code, body = postBody(t, ts, cl, grid, form)
	if code != http.StatusOK || !strings.Contains(body, `name="confirm_remove" value="1"`) ||
		!strings.Contains(body, cleared.Material+" × "+cleared.Category) {
		t.Fatalf("save without confirmation: %d, no confirmation naming the removed rule", code)
	}
	if got := targetingOf(t, ts); !reflect.DeepEqual(got, before) {
		t.Fatal("the unconfirmed save changed the matrix")
	}
	form.Set("confirm_remove", "1")
	if code, body, _ := ts.post(t, cl, grid, form); code != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", code, body)
	}
	want := map[[2]string]int64{}
	for k, n := range before {
		want[k] = n
	}
	delete(want, [2]string{cleared.Material, cleared.Category})
	want[added] = 7
	if got := targetingOf(t, ts); !reflect.DeepEqual(got, want) {
		t.Fatalf("after save: %d rules, want %d", len(got), len(want))
	}
}

func TestDataTargetingInvalidCell(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	grid := fmt.Sprintf("/campaigns/%d/data/targeting", ts.CampaignID)
	before := targetingOf(t, ts)
	form := url.Values{
		"pv.TRI-DELITO.BIBLIOTECA": {"-3"},
		"pv.TRI-DELITO.HOTEL":      {"2.5"},
		"pv.TRI-DELITO.BAR":        {"9"},
	}
	code, body, _ := ts.post(t, cl, grid, form)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", code)
	}
	for _, cell := range []string{"pv.TRI-DELITO.BIBLIOTECA", "pv.TRI-DELITO.HOTEL"} {
		i := strings.Index(body, `name="`+cell+`"`)
		if i < 0 {
			t.Fatalf("cell %s missing", cell)
		}
		rest := body[i:]
		if end := strings.Index(rest, "</td>"); end < 0 || !strings.Contains(rest[:end], `class="field-error"`) {
			t.Errorf("no error in cell %s", cell)
		}
	}
	if !strings.Contains(body, `name="pv.TRI-DELITO.BIBLIOTECA" value="-3"`) {
		t.Error("the typed value is not kept")
	}
	if got := targetingOf(t, ts); !reflect.DeepEqual(got, before) {
		t.Fatal("something was saved")
	}
}

func TestDataTargetingViewerReadOnly(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RoleViewer)
	grid := fmt.Sprintf("/campaigns/%d/data/targeting", ts.CampaignID)
	code, body := ts.get(t, cl, grid)
	if code != http.StatusOK || strings.Contains(body, `name="pv.`) {
		t.Fatalf("viewer grid: status %d, inputs shown: %v", code, strings.Contains(body, `name="pv.`))
	}
	if code, _, _ := ts.post(t, cl, grid, url.Values{"pv.TRI-DELITO.BAR": {"1"}}); code != http.StatusForbidden {
		t.Fatalf("viewer save: %d, want 403", code)
	}
}

// postBody posts form and returns the status and the page.
func postBody(t *testing.T, ts *testServer, cl *http.Client, path string, form url.Values) (int, string) {
	t.Helper()
	code, body, _ := ts.post(t, cl, path, form)
	return code, body
}
