package api

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/planio"
)

// threeCities is a campaign small enough to allocate by hand: three cities
// of priority 1 with one venue each of category X, which wants 100 pieces
// of each material per venue (demand d = 100 per cell, D = 300).
//
//   - SPREAD: 1000 printed, no reserve, packs of 10. A = 1000 >= D, so
//     S = 700 and each cell's exact quota is e = 100 + 700·(100/300) =
//     1000/3 = 333.3333…; its surplus share is 700/3. In packs e/10 = 100/3,
//     floor 33 each (99); floor(1000/10) = 100, so one extra pack goes to
//     the tie's lowest city code, AAA: 34 packs = 340 pieces; BBB gets 330.
//   - SCARCE: 150 printed, packs of 10. A = 150 < D: e = min(100, λ·1·100)
//     with 3·100·λ = 150, so λ = 1/2 and e = 50 = 5 packs, no extra pack.
const threeCities = `{
 "campaign": {"name": "Tres ciudades", "start": "2009-01-12", "deadline": "2009-03-31",
   "depot": {"name": "CDMX", "lat": 19.4326, "lon": -99.1332}, "dispatch": {"boxes_per_day": 100}},
 "materials": [
   {"code": "SPREAD", "name": "Reparto", "printed": 1000, "pack_size": 10, "packs_per_box": 10},
   {"code": "SCARCE", "name": "Escaso", "printed": 150, "pack_size": 10, "packs_per_box": 10}],
 "venue_categories": [{"code": "X", "name": "Equis"}],
 "targeting": [{"material": "SPREAD", "category": "X", "per_venue": 100}, {"material": "SCARCE", "category": "X", "per_venue": 100}],
 "cities": [
   {"code": "AAA", "name": "Alfa", "lat": 19.5, "lon": -99.2},
   {"code": "BBB", "name": "Beta", "lat": 20.5, "lon": -100.2},
   {"code": "CCC", "name": "Gamma", "lat": 21.5, "lon": -101.2}],
 "venue_counts": [{"city": "AAA", "category": "X", "count": 1}, {"city": "BBB", "category": "X", "count": 1},
   {"city": "CCC", "category": "X", "count": 1}]
}`

func storeThreeCities(t *testing.T, ts *testServer) int64 {
	t.Helper()
	return storeCampaignFile(t, ts, threeCities)
}

// storeCampaignFile stores the campaign of a campaign file the test
// writes itself and returns its id.
func storeCampaignFile(t *testing.T, ts *testServer, file string) int64 {
	t.Helper()
	c, err := planio.ParseCampaign(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	id, err := ts.db.CreateCampaign(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestPlanCellExplainsTheExactQuota(t *testing.T) {
	ts := newTestServer(t)
	id := storeThreeCities(t, ts)
	cl := inEnglish(t, ts, ts.client(t, web.RoleViewer))
	tests := []struct {
		query string
		want  []string
	}{
		{"material=SPREAD&city=AAA&category=X", []string{
			`per venue 100 × venues 1 = <strong>100</strong>`,
			`e = <span class="rat-frac">1,000/3</span> ≈ <span class="rat-dec">333.3333</span>`,
			`<span class="rat-frac">700/3</span> ≈ <span class="rat-dec">233.3333</span>`,
			`e / 10 = <span class="rat-frac">100/3</span> ≈ <span class="rat-dec">33.3333</span>`,
			`id="cell-packs-before">33<`, `id="cell-extra">yes, &#43;1 pack<`, `<strong>34</strong> × 10 = <strong>340</strong>`,
			"entered count (venue_counts)", "surplus spread",
			// The page leads with one plain sentence before the arithmetic.
			`id="cell-summary">Alfa gets 340 pieces (34 packs of 10) for its “Equis” venues (1). There was enough to cover its whole demand of 100 pieces`}},
		{"material=SPREAD&city=BBB&category=X", []string{
			`e = <span class="rat-frac">1,000/3</span>`, `id="cell-extra">no<`, `<strong>33</strong> × 10 = <strong>330</strong>`}},
		{"material=SCARCE&city=CCC&category=X", []string{
			`id="cell-summary">Gamma gets 50 pieces (5 packs of 10) for its “Equis” venues (1), 50.0 % of its demand of 100 pieces: there is not enough`,
			"scarcity", `λ = <span class="rat-frac">1/2</span> = <span class="rat-dec">0.50000000</span>`,
			`e = <span class="rat-dec">50</span>`, `<strong>5</strong> × 10 = <strong>50</strong>`, "50.0 %"}},
	}
	for _, tt := range tests {
		code, body := ts.get(t, cl, fmt.Sprintf("/campaigns/%d/plan/cell?%s", id, tt.query))
		if code != http.StatusOK {
			t.Errorf("%s: status %d", tt.query, code)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: page lacks %q", tt.query, w)
			}
		}
	}
}

func TestPlanCellErrors(t *testing.T) {
	ts := newTestServer(t)
	id := storeThreeCities(t, ts)
	cl := ts.client(t, web.RoleViewer)
	tests := []struct {
		query string
		code  int
	}{
		{"material=SPREAD&city=AAA", http.StatusBadRequest},
		{"material=SPREAD&city=ZZZ&category=X", http.StatusNotFound},
		{"material=NONE&city=AAA&category=X", http.StatusNotFound},
	}
	for _, tt := range tests {
		if code, _ := ts.get(t, cl, fmt.Sprintf("/campaigns/%d/plan/cell?%s", id, tt.query)); code != tt.code {
			t.Errorf("%s: status %d, want %d", tt.query, code, tt.code)
		}
	}
}

// TestPlanCellDividesAmongVenues: the per-venue table of a cell with
// registered venues adds up to the cell, in packs and pieces; a viewer
// sees the confidential terminal by its reference only, a planner by name.
func TestPlanCellDividesAmongVenues(t *testing.T) {
	ts, _, plan := venueListFixture(t)
	var cell *planner.Cell
	for i := range plan.Cells {
		k := &plan.Cells[i]
		if k.City == "MEX" && k.Category == "CENTRAL-AUTOBUS" && k.Pieces > 0 {
			cell = k
			break
		}
	}
	if cell == nil {
		t.Fatal("the demo has no MEX bus terminal cell")
	}
	row := regexp.MustCompile(`data-venue-pieces="(\d+)" data-venue-packs="(\d+)"`)
	path := fmt.Sprintf("/campaigns/%d/plan/cell?material=%s&city=MEX&category=CENTRAL-AUTOBUS", ts.CampaignID, cell.Material)
	for _, tt := range []struct {
		role      string
		named     bool
		wantShown string
	}{
		{web.RoleViewer, false, "Sede confidencial " + secretVenueRef(ts)},
		{web.RolePlanner, true, secretVenueName},
	} {
		code, body := ts.get(t, ts.client(t, tt.role), path)
		if code != http.StatusOK {
			t.Fatalf("%s: status %d", tt.role, code)
		}
		var pieces, packs int64
		ms := row.FindAllStringSubmatch(body, -1)
		for _, m := range ms {
			pieces += atoi(t, m[1])
			packs += atoi(t, m[2])
		}
		if len(ms) < 2 || pieces != cell.Pieces || packs != cell.Packs {
			t.Errorf("%s: %d rows add up to %d pieces, %d packs; the cell has %d, %d", tt.role, len(ms), pieces, packs, cell.Pieces, cell.Packs)
		}
		if !strings.Contains(body, tt.wantShown) {
			t.Errorf("%s: page lacks %q", tt.role, tt.wantShown)
		}
		if !tt.named && (strings.Contains(body, secretVenueName) || strings.Contains(body, secretVenueAddress) || strings.Contains(body, secretVenueID)) {
			t.Errorf("%s: the confidential venue is named", tt.role)
		}
	}
}
