package api

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

var (
	matrixRowCity = regexp.MustCompile(`<tr data-city="([^"]+)"><th class="rowhead">`)
	matrixColumn  = regexp.MustCompile(`<th class="col" title="[^"]*"><code>([^<]+)</code></th>`)
	matrixCount   = regexp.MustCompile(`Cities ([\d,]+)–([\d,]+) of ([\d,]+)\.`)
)

// matrixCities lists the cities of the matrix rows of a plan page.
func matrixCities(body string) []string {
	var out []string
	for _, m := range matrixRowCity.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func matrixColumns(body string) []string {
	var out []string
	for _, m := range matrixColumn.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func pageNum(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
	if err != nil {
		t.Fatalf("number %q: %v", s, err)
	}
	return n
}

// TestPlanPageFilters: each filter keeps only what it names, and a bad
// value is refused naming its parameter (a page past the last shows the
// last instead).
func TestPlanPageFilters(t *testing.T) {
	ts := newTestServer(t)
	cl := inEnglish(t, ts, ts.client(t, web.RoleViewer))
	camp := demoCampaign(t)
	state := map[string]string{}
	for _, k := range camp.Cities {
		state[k.Code] = k.State
	}
	tests := []struct {
		name, query string
		code        int
		check       func(t *testing.T, body string)
	}{
		{"state", "?state=MX-JAL", http.StatusOK, func(t *testing.T, body string) {
			cities := matrixCities(body)
			if len(cities) == 0 {
				t.Fatal("no rows")
			}
			for _, c := range cities {
				if state[c] != "MX-JAL" {
					t.Errorf("row %s is in %q", c, state[c])
				}
			}
		}},
		{"city search", "?city=canc", http.StatusOK, func(t *testing.T, body string) {
			if got := matrixCities(body); !slices.Equal(got, []string{"CUN"}) {
				t.Errorf("rows %v, want [CUN]", got)
			}
		}},
		{"category", "?material=TRI-DELITO&category=HOTEL", http.StatusOK, func(t *testing.T, body string) {
			if got := matrixColumns(body); !slices.Equal(got, []string{"HOTEL"}) {
				t.Errorf("columns %v, want [HOTEL]", got)
			}
			wantContains(t, body, `/plan/cell?material=TRI-DELITO&amp;city=CUN&amp;category=HOTEL`)
		}},
		{"cities view by category", "?view=cities&category=HOTEL&state=MX-ROO", http.StatusOK, func(t *testing.T, body string) {
			if got := matrixCities(body); !slices.Contains(got, "CUN") || slices.ContainsFunc(got, func(c string) bool { return state[c] != "MX-ROO" }) {
				t.Errorf("rows %v", got)
			}
		}},
		{"nothing matches", "?city=zzzz", http.StatusOK, func(t *testing.T, body string) {
			wantContains(t, body, "No city matches these filters.")
			if got := matrixCities(body); len(got) != 0 {
				t.Errorf("rows %v", got)
			}
		}},
		{"page past the last", "?page=99", http.StatusOK, func(t *testing.T, body string) {
			if got := matrixCities(body); len(got) != len(camp.Cities) {
				t.Errorf("%d rows, want all %d", len(got), len(camp.Cities))
			}
		}},
		{"page zero", "?page=0", http.StatusBadRequest, func(t *testing.T, body string) { wantContains(t, body, "Page: ", "is not a page number") }},
		{"page not a number", "?page=two", http.StatusBadRequest, func(t *testing.T, body string) { wantContains(t, body, "Page: ", "is not a page number") }},
		{"unknown state", "?state=MX-XXX", http.StatusBadRequest, func(t *testing.T, body string) { wantContains(t, body, "State: ", "MX-XXX", "is not in this plan") }},
		{"unknown category", "?category=NOPE", http.StatusBadRequest, func(t *testing.T, body string) { wantContains(t, body, "Category: ", "NOPE", "is not in this plan") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := ts.get(t, cl, planPath(ts, tt.query))
			if code != tt.code {
				t.Fatalf("status %d, want %d", code, tt.code)
			}
			tt.check(t, body)
		})
	}
}

var (
	byStateSection = regexp.MustCompile(`(?s)<section id="plan-by-state">.*?</section>`)
	byStateRow     = regexp.MustCompile(`(?s)<tr data-state="([^"]*)">(.*?)</tr>`)
	byStateFoot    = regexp.MustCompile(`(?s)<tfoot>(.*?)</tfoot>`)
	numCell        = regexp.MustCompile(`<t[dh] class="num"[^>]*>([\d,]+)</t[dh]>`)
)

func numCells(t *testing.T, html string) []int64 {
	var out []int64
	for _, m := range numCell.FindAllStringSubmatch(html, -1) {
		out = append(out, pageNum(t, m[1]))
	}
	return out
}

// TestPlanPageAggregatesSumToTotals: the by-state table's rows add up to
// its footer, and its footer to the plan's pieces per material and in all.
func TestPlanPageAggregatesSumToTotals(t *testing.T) {
	ts := newTestServer(t)
	cl := inEnglish(t, ts, ts.client(t, web.RoleViewer))
	p, err := planner.Compute(demoCampaign(t))
	if err != nil {
		t.Fatal(err)
	}
	perMaterial := map[string]int64{}
	perCategory := map[string]int64{}
	var all int64
	for _, c := range p.Cells {
		perMaterial[c.Material] += c.Pieces
		perCategory[c.Category] += c.Pieces
		all += c.Pieces
	}
	for _, by := range []string{"material", "category"} {
		t.Run(by, func(t *testing.T) {
			code, body := ts.get(t, cl, planPath(ts, "?agg="+by))
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			sec := byStateSection.FindString(body)
			cols := regexp.MustCompile(`<th class="num" title="[^"]*"><code>([^<]+)</code></th>`).FindAllStringSubmatch(sec, -1)
			foot := numCells(t, byStateFoot.FindStringSubmatch(sec)[1])
			if len(cols) == 0 || len(foot) != len(cols)+1 {
				t.Fatalf("%d columns, footer %v", len(cols), foot)
			}
			sums := make([]int64, len(cols)+1) // per column, then the row totals; after the city count
			rows := byStateRow.FindAllStringSubmatch(sec, -1)
			for _, r := range rows {
				cells := numCells(t, r[2])[1:] // the first is the city count
				if len(cells) != len(sums) {
					t.Fatalf("state %q: %d cells, want %d", r[1], len(cells), len(sums))
				}
				var rowSum int64
				for i, n := range cells {
					sums[i] += n
					if i < len(cols) {
						rowSum += n
					}
				}
				if rowSum != cells[len(cols)] {
					t.Errorf("state %q: columns add to %d, total says %d", r[1], rowSum, cells[len(cols)])
				}
			}
			if !slices.Equal(sums, foot) {
				t.Errorf("rows add to %v, footer says %v", sums, foot)
			}
			want := perMaterial
			if by == "category" {
				want = perCategory
			}
			for i, c := range cols {
				if foot[i] != want[c[1]] {
					t.Errorf("%s %s: footer %d, plan %d", by, c[1], foot[i], want[c[1]])
				}
			}
			if foot[len(cols)] != all {
				t.Errorf("footer sum %d, plan %d", foot[len(cols)], all)
			}
		})
	}
}

// TestNationalPlanPaging: the national matrix is paged by 100 cities; page
// 2 follows page 1, a state filter keeps only its cities on every page, and
// the page links carry the filters.
func TestNationalPlanPaging(t *testing.T) {
	if testing.Short() {
		t.Skip("national campaign: slow under -short")
	}
	ts := newNationalServer(t)
	cl := inEnglish(t, ts, ts.client(t, web.RoleViewer))
	camp := nationalCampaign(t)
	state := map[string]string{}
	for _, k := range camp.Cities {
		state[k.Code] = k.State
	}
	page := func(q string) (string, []string) {
		t.Helper()
		code, body := ts.get(t, cl, planPath(ts, q))
		if code != http.StatusOK {
			t.Fatalf("%s: status %d", q, code)
		}
		return body, matrixCities(body)
	}
	body1, p1 := page("")
	body2, p2 := page("?page=2")
	if len(p1) != 100 || len(p2) != 100 {
		t.Fatalf("pages of %d and %d rows, want 100", len(p1), len(p2))
	}
	if !slices.IsSorted(append(slices.Clone(p1), p2...)) || p1[99] >= p2[0] {
		t.Errorf("page 2 does not follow page 1: ...%s | %s...", p1[99], p2[0])
	}
	m1, m2 := matrixCount.FindStringSubmatch(body1), matrixCount.FindStringSubmatch(body2)
	if m1 == nil || m2 == nil || pageNum(t, m1[1]) != 1 || pageNum(t, m2[1]) != 101 || pageNum(t, m2[2]) != 200 || m1[3] != m2[3] {
		t.Errorf("counts %v / %v", m1, m2)
	}
	wantContains(t, body1, `href="/campaigns/`+strconv.FormatInt(ts.CampaignID, 10)+`/plan?page=2#plan-matrix" rel="next"`)

	// The state with the most cities takes more than one page.
	n := map[string]int{}
	for _, k := range camp.Cities {
		n[k.State]++
	}
	big := ""
	for s, c := range n {
		if c > n[big] || (c == n[big] && s < big) {
			big = s
		}
	}
	if n[big] <= 100 {
		t.Fatalf("largest state %s has %d cities; the test needs more than a page", big, n[big])
	}
	for _, q := range []string{"?state=" + big, "?state=" + big + "&page=2"} {
		body, rows := page(q)
		if len(rows) == 0 {
			t.Errorf("%s: no rows", q)
		}
		for _, c := range rows {
			if state[c] != big {
				t.Errorf("%s: row %s is in %s", q, c, state[c])
			}
		}
		if q == "?state="+big {
			wantContains(t, body, "state="+big)
			if !strings.Contains(body, "page=2") {
				t.Errorf("%s: no link to page 2", q)
			}
		}
	}
	// Warnings and the schedule name their first entries and count the rest.
	wantContains(t, body1, `id="plan-schedule-more"`, `/exports/shipments.csv`, `/exports/allocation.csv`)
	if n := strings.Count(body1, "<li data-city="); n > 50 {
		t.Errorf("%d late cities listed, want at most 50", n)
	}
}
