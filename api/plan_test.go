package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/reparto/reparto/planner"
)

// demoMaterials are the 19 material codes of the 2009 demo campaign
// (assets/data/campaign-2009.json).
var demoMaterials = []string{"CAR-VICTIMAS", "CAR-MIGRANTES", "CAR-DEMANDA", "CAR-ALTO", "CAR-VIOLENCIA", "CAR-NINOS",
	"VOL-DENUNCIA", "VOL-VICTIMAS", "VOL-MIGRANTES", "FOL-TRATA", "FOL-VIOLENCIA", "FOL-NINOS", "TRI-DELITO",
	"TRI-DERECHOS", "TRI-ESCUELA", "CUA-MP", "CUA-IDENTIFICA", "ROT-CAPACITA", "ROT-ESCUELA"}

// inEnglish makes a client ask for English pages, so tests can match the
// English catalogue's sentences.
func inEnglish(t *testing.T, ts *testServer, cl *http.Client) *http.Client {
	t.Helper()
	u, err := url.Parse(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	cl.Jar.SetCookies(u, []*http.Cookie{{Name: langCookie, Value: "en", Path: "/"}})
	return cl
}

func planPath(ts *testServer, rest string) string {
	return fmt.Sprintf("/campaigns/%d/plan%s", ts.CampaignID, rest)
}

func wantContains(t *testing.T, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("page lacks %q", p)
		}
	}
}

// planVersions returns the committed versions of the test campaign.
func planVersions(t *testing.T, ts *testServer) []planner.PlanVersion {
	t.Helper()
	list, err := ts.db.ListPlanVersions(context.Background(), ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestPlanPageShowsEveryMaterialToViewers(t *testing.T) {
	ts := newTestServer(t)
	cl := inEnglish(t, ts, ts.client(t, RoleViewer))
	code, body := ts.get(t, cl, planPath(ts, ""))
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	for _, m := range demoMaterials {
		wantContains(t, body, `<tr data-material="`+m+`">`)
	}
	if n := strings.Count(body, "<tr data-material="); n != len(demoMaterials) {
		t.Errorf("%d material rows, want %d", n, len(demoMaterials))
	}
	wantContains(t, body, `id="plan-matrix"`, `id="plan-schedule"`, `id="plan-warnings"`, "No committed version yet.")
	if strings.Contains(body, `id="plan-commit-form"`) {
		t.Error("a viewer sees the commit form")
	}
}

func TestPlanPageMatrixViews(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, RoleViewer)
	tests := []struct {
		query string
		code  int
		want  string
	}{
		{"?material=TRI-DELITO", http.StatusOK, `/plan/cell?material=TRI-DELITO&amp;city=CUN&amp;category=HOTEL`},
		{"?view=cities", http.StatusOK, `class="plan-matrix matrix-cities"`},
		{"?material=NOPE", http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		code, body := ts.get(t, cl, planPath(ts, tt.query))
		if code != tt.code || !strings.Contains(body, tt.want) {
			t.Errorf("%s: status %d (want %d), contains %q: %v", tt.query, code, tt.code, tt.want, strings.Contains(body, tt.want))
		}
	}
}

func TestPlanCommitNeedsPlannerRole(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, RoleViewer)
	code, _, _ := ts.post(t, cl, planPath(ts, "/commit"), url.Values{"expected_version": {"0"}, "note": {"x"}})
	if code != http.StatusForbidden {
		t.Fatalf("viewer commit: status %d, want 403", code)
	}
	if n := len(planVersions(t, ts)); n != 0 {
		t.Fatalf("%d versions stored after a refused commit", n)
	}
}

func TestPlanCommitThenNoChanges(t *testing.T) {
	ts := newTestServer(t)
	cl := inEnglish(t, ts, ts.client(t, RolePlanner))
	_, page := ts.get(t, cl, planPath(ts, ""))
	wantContains(t, page, `id="plan-commit-form"`, `name="expected_version" value="0"`)

	code, _, loc := ts.post(t, cl, planPath(ts, "/commit"), url.Values{"mode": {"plan"}, "expected_version": {"0"}, "note": {"first national plan"}})
	if code != http.StatusSeeOther || loc != planPath(ts, "") {
		t.Fatalf("commit: status %d, Location %q", code, loc)
	}
	v := planVersions(t, ts)
	if len(v) != 1 || v[0].Version != 1 || v[0].Note != "first national plan" || v[0].Author != "planner@test.local" {
		t.Fatalf("versions after commit: %+v", v)
	}
	_, page = ts.get(t, cl, planPath(ts, ""))
	wantContains(t, page, "Plan version 1 committed", `data-testid="plan-no-changes"`,
		"No changes against the committed version.", `name="expected_version" value="1"`)
}

func TestPlanCommitWithStaleVersionIsRefused(t *testing.T) {
	ts := newTestServer(t)
	cl := inEnglish(t, ts, ts.client(t, RolePlanner))
	form := url.Values{"expected_version": {"0"}, "note": {"mine"}}
	if code, _, _ := ts.post(t, cl, planPath(ts, "/commit"), form); code != http.StatusSeeOther {
		t.Fatalf("first commit: status %d", code)
	}
	// A second planner reviewed the page before the first commit.
	other := inEnglish(t, ts, ts.client(t, RoleAdmin))
	code, body, _ := ts.post(t, other, planPath(ts, "/commit"), url.Values{"expected_version": {"0"}, "note": {"theirs"}})
	if code != http.StatusConflict {
		t.Fatalf("stale commit: status %d, want 409", code)
	}
	wantContains(t, body, `id="plan-commit-error"`, "Another plan was committed meanwhile (version 1)",
		`name="expected_version" value="1"`, ">theirs</textarea>")
	if v := planVersions(t, ts); len(v) != 1 || v[0].Note != "mine" {
		t.Fatalf("versions after a stale commit: %+v", v)
	}
}

func TestPlanCommitRefusesMalformedInput(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, RolePlanner)
	tests := []struct {
		name string
		form url.Values
		code int
	}{
		{"no expected_version", url.Values{"note": {"x"}}, http.StatusBadRequest},
		{"negative expected_version", url.Values{"expected_version": {"-1"}}, http.StatusBadRequest},
		{"unknown mode", url.Values{"expected_version": {"0"}, "mode": {"force"}}, http.StatusBadRequest},
		{"note too long", url.Values{"expected_version": {"0"}, "note": {strings.Repeat("n", maxNoteRunes+1)}}, http.StatusUnprocessableEntity},
		{"campaign changed since review", url.Values{"expected_version": {"0"}, "campaign_version": {"999"}}, http.StatusConflict},
	}
	for _, tt := range tests {
		if code, _, _ := ts.post(t, cl, planPath(ts, "/commit"), tt.form); code != tt.code {
			t.Errorf("%s: status %d, want %d", tt.name, code, tt.code)
		}
	}
	if n := len(planVersions(t, ts)); n != 0 {
		t.Fatalf("%d versions stored after refused commits", n)
	}
}

func TestReplanPreviewAndCommit(t *testing.T) {
	ts := newTestServer(t)
	cl := inEnglish(t, ts, ts.client(t, RolePlanner))
	if code, _, _ := ts.post(t, cl, planPath(ts, "/commit"), url.Values{"expected_version": {"0"}}); code != http.StatusSeeOther {
		t.Fatalf("commit: status %d", code)
	}
	// Nothing has been dispatched yet: the re-plan locks no city, so it
	// gives the committed plan again.
	code, body := ts.get(t, cl, planPath(ts, "?replan=1"))
	if code != http.StatusOK {
		t.Fatalf("replan preview: status %d", code)
	}
	wantContains(t, body, `id="plan-replan-commit-form"`, `name="mode" value="replan"`, "Against version 1.")
	code, _, _ = ts.post(t, cl, planPath(ts, "/commit"), url.Values{"mode": {"replan"}, "expected_version": {"1"}, "note": {"re-plan"}})
	if code != http.StatusSeeOther {
		t.Fatalf("replan commit: status %d", code)
	}
	if v := planVersions(t, ts); len(v) != 2 || v[1].Note != "re-plan" {
		t.Fatalf("versions: %+v", v)
	}
}

// Numbers the scenario page shows: late cities, capacity needed.
var (
	lateCount        = regexp.MustCompile(`id="scenario-late">(\d+)<`)
	requiredCapacity = regexp.MustCompile(`id="scenario-base-required">([\d,]+)<`)
	scenarioRequired = regexp.MustCompile(`id="scenario-required">([\d,]+)<`)
)

func TestScenarioLeavesCommittedPlanUntouched(t *testing.T) {
	ts := newTestServer(t)
	cl := inEnglish(t, ts, ts.client(t, RolePlanner))
	if code, _, _ := ts.post(t, cl, planPath(ts, "/commit"), url.Values{"expected_version": {"0"}}); code != http.StatusSeeOther {
		t.Fatalf("commit: status %d", code)
	}
	ctx := context.Background()
	before, err := ts.db.LatestPlan(ctx, ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	campBefore, err := ts.db.GetCampaignSummary(ctx, ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}

	// One box a day cannot carry thousands of boxes in the ~50 working
	// days between 12 January and the end of March: cities must be late.
	code, body := ts.get(t, cl, planPath(ts, "/scenario?boxes_per_day=1"))
	if code != http.StatusOK {
		t.Fatalf("scenario: status %d", code)
	}
	m := lateCount.FindStringSubmatch(body)
	if m == nil || m[1] == "0" {
		t.Fatalf("scenario shows no late city (%v)", m)
	}
	wantContains(t, body, `id="scenario-late-list"`, `id="scenario-cities"`)
	// The capacity needed depends on the allocation and the calendar, not
	// on the capacity in use: base and scenario need the same.
	base, scen := requiredCapacity.FindStringSubmatch(body), scenarioRequired.FindStringSubmatch(body)
	if base == nil || scen == nil || base[1] != scen[1] || len(base[1]) > len("7,589") {
		t.Errorf("capacity needed: base %q, scenario %q", base, scen)
	}

	after, err := ts.db.LatestPlan(ctx, ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Version != before.Version || !newDiffView(planner.DiffPlans(before.Plan, after.Plan)).NoChanges {
		t.Fatalf("committed plan changed: version %d -> %d", before.Version, after.Version)
	}
	campAfter, err := ts.db.GetCampaignSummary(ctx, ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	if campAfter.Version != campBefore.Version {
		t.Fatalf("campaign version %d -> %d", campBefore.Version, campAfter.Version)
	}
	// The cached campaign was not edited in place either: the plan page
	// still schedules 170 boxes a day and shows no change.
	_, page := ts.get(t, cl, planPath(ts, ""))
	wantContains(t, page, "170 boxes per working day", `data-testid="plan-no-changes"`)
}

func TestScenarioRefusesInvalidInput(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, RolePlanner)
	tests := []struct {
		query, field string
	}{
		{"reserve_pct=80", "reserve_pct"},
		{"reserve_pct.CAR-ALTO=80", "reserve_pct.CAR-ALTO"},
		{"reserve_pct=abc", "reserve_pct"},
		{"boxes_per_day=0", "boxes_per_day"},
		{"boxes_per_day=many", "boxes_per_day"},
		{"surplus=hoard", "surplus"},
		{"priority.TAP=0", "priority.TAP"},
	}
	for _, tt := range tests {
		code, body := ts.get(t, cl, planPath(ts, "/scenario?"+tt.query))
		if code != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", tt.query, code)
			continue
		}
		if !strings.Contains(body, `class="field-error" data-field="`+tt.field+`"`) {
			t.Errorf("%s: no error next to %s", tt.query, tt.field)
		}
		if strings.Contains(body, `id="scenario-schedule"`) {
			t.Errorf("%s: an invalid scenario was computed", tt.query)
		}
	}
	// A field the form does not have cannot hold its error: it is listed above the form.
	code, body := ts.get(t, cl, planPath(ts, "/scenario?priority.NOWHERE=2"))
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "<li>priority.NOWHERE: ") {
		t.Errorf("unknown city: status %d, error listed %v", code, strings.Contains(body, "<li>priority.NOWHERE: "))
	}
	if n := len(planVersions(t, ts)); n != 0 {
		t.Fatalf("%d versions stored by scenarios", n)
	}
}

func TestScenarioReserveMessageNamesBounds(t *testing.T) {
	ts := newTestServer(t)
	_, body := ts.get(t, ts.client(t, RoleViewer), planPath(ts, "/scenario?reserve_pct=80"))
	wantContains(t, body, `data-field="reserve_pct">debe estar entre 0 y 50</p>`, `value="80"`)
}
