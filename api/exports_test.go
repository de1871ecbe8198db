package api

import (
	"context"
	"encoding/csv"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// The demo campaign's name without accents, and its as_of day.
const demoExportPrefix = "reparto-campana-nacional-contra-la-trata-de-personas-2009-fevimtra-"

// Header rows as the exports page documents them.
var (
	wantPrintOrderHeader = []string{"material", "name", "format", "printed", "pack_size", "packs_per_box",
		"city", "city_name", "packs", "boxes", "pieces"}
	wantManifestHeader = []string{"shipment", "city", "city_name", "state", "material", "packs", "boxes", "pieces", "weight_kg",
		"shipment_boxes", "box_weight_kg"}
	wantAllocationHeader  = []string{"material", "city", "category", "demand", "pieces", "packs", "locked", "fill"}
	wantShipmentsHeaderES = []string{"envío", "ciudad", "nombre_ciudad", "estado", "cajas", "piezas", "peso_kg",
		"salida_planeada", "llegada_prevista", "fecha_limite", "etapa", "situacion", "motivo", "transportista", "guia"}
	wantShipmentsHeaderEN = []string{"shipment", "city", "city_name", "state", "boxes", "pieces", "weight_kg",
		"planned_dispatch", "expected_arrival", "due", "stage", "status", "reason", "carrier", "waybill"}
)

// download fetches an export and checks what every export shares: status
// 200, the CSV content type, the attachment file name, the BOM. It returns
// the parsed rows.
func download(t *testing.T, ts *testServer, cl *http.Client, path, what, lang string) [][]string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d: %.300s", path, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	wantCD := `attachment; filename=` + demoExportPrefix + what + "-2009-03-20.csv"
	if cd := resp.Header.Get("Content-Disposition"); cd != wantCD {
		t.Errorf("GET %s: Content-Disposition %q, want %q", path, cd, wantCD)
	}
	return parseExport(t, body)
}

func exportPath(ts *testServer, what string) string {
	return "/campaigns/" + strconv.FormatInt(ts.CampaignID, 10) + "/exports/" + what + ".csv"
}

// demoPlan computes the demo campaign's plan independently of the exports.
func demoPlan(t *testing.T, ts *testServer) (*planner.Campaign, *planner.Plan) {
	t.Helper()
	camp, err := ts.db.GetCampaign(context.Background(), ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.Compute(camp)
	if err != nil {
		t.Fatal(err)
	}
	return camp, p
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("%q is not a plain whole number", s)
	}
	return n
}

// exportFixture is a test server with the demo campaign and its plan,
// computed independently of the exports. The read-only checks share one.
type exportFixture struct {
	ts   *testServer
	camp *planner.Campaign
	plan *planner.Plan
}

// TestExportsOfThePreview runs the checks that commit nothing, on one
// server: before any commit the exports come from the preview plan.
func TestExportsOfThePreview(t *testing.T) {
	ts := newTestServer(t)
	camp, plan := demoPlan(t, ts)
	f := &exportFixture{ts: ts, camp: camp, plan: plan}
	checks := []struct {
		name  string
		check func(*testing.T, *exportFixture)
	}{
		{"page lists the four files", checkExportsPage},
		{"exports need a signed-in user", checkExportsNeedASignedInUser},
		{"headers and downloads for every role", checkExportHeaders},
		{"print order totals equal the plan", checkPrintOrderTotals},
		{"allocation matches the plan cells", checkAllocation},
		{"no protected venue names", checkNoProtectedNames},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) { c.check(t, f) })
	}
}

func checkExportsPage(t *testing.T, f *exportFixture) {
	ts := f.ts
	page := "/campaigns/" + strconv.FormatInt(ts.CampaignID, 10) + "/exports"
	code, body := ts.get(t, ts.client(t, web.RoleViewer), page)
	if code != http.StatusOK {
		t.Fatalf("viewer: status %d", code)
	}
	for _, what := range []string{"print-order", "manifest", "allocation", "shipments"} {
		if !strings.Contains(body, `href="`+exportPath(ts, what)+`"`) {
			t.Errorf("page has no link to %s", what)
		}
		if !strings.Contains(body, demoExportPrefix+what+"-2009-03-20.csv") {
			t.Errorf("page does not name the file of %s", what)
		}
	}
	for _, want := range []string{`id="exports-source-preview"`, "UTF-8", "AAAA-MM-DD", strings.Join(wantPrintOrderHeader, ",")} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if code, _ := ts.get(t, ts.client(t, ""), page); code != http.StatusSeeOther {
		t.Errorf("anonymous: status %d, want 303 to the login", code)
	}
}

func checkExportsNeedASignedInUser(t *testing.T, f *exportFixture) {
	ts := f.ts
	anon := ts.client(t, "")
	for _, what := range []string{"print-order", "manifest", "allocation", "shipments"} {
		code, body := ts.get(t, anon, exportPath(ts, what))
		if code != http.StatusSeeOther || strings.Contains(body, "TOTAL") {
			t.Errorf("anonymous %s: status %d, want 303 and no data", what, code)
		}
		if code, _ := ts.get(t, anon, "/api/v1"+exportPath(ts, what)); code != http.StatusUnauthorized {
			t.Errorf("anonymous API %s: status %d, want 401", what, code)
		}
	}
	if code, _ := ts.get(t, ts.client(t, web.RoleViewer), "/campaigns/999/exports/allocation.csv"); code != http.StatusNotFound {
		t.Errorf("unknown campaign: status %d, want 404", code)
	}
}

// checkExportHeaders downloads every export as a viewer, as a page and
// through /api/v1, and the print order as every other role.
func checkExportHeaders(t *testing.T, f *exportFixture) {
	ts := f.ts
	tests := []struct {
		what, lang string
		header     []string
	}{
		{"print-order", "", wantPrintOrderHeader},
		{"manifest", "", wantManifestHeader},
		{"allocation", "", wantAllocationHeader},
		{"shipments", "", wantShipmentsHeaderES},
		{"shipments", "en", wantShipmentsHeaderEN},
		{"print-order", "en", wantPrintOrderHeader},
	}
	for _, role := range []string{web.RoleViewer, web.RolePlanner, web.RoleAdmin} {
		cl := ts.client(t, role)
		for _, tt := range tests {
			if role != web.RoleViewer && tt.what != "print-order" {
				continue
			}
			for _, prefix := range []string{"", "/api/v1"} {
				rows := download(t, ts, cl, prefix+exportPath(ts, tt.what), tt.what, tt.lang)
				if len(rows) < 2 || !slices.Equal(rows[0], tt.header) {
					t.Fatalf("%s %s%s: header %q, want %q", role, prefix, tt.what, rows[0], tt.header)
				}
				for i, r := range rows {
					if len(r) != len(tt.header) {
						t.Fatalf("%s row %d has %d cells, want %d", tt.what, i, len(r), len(tt.header))
					}
				}
			}
		}
	}
}

func checkPrintOrderTotals(t *testing.T, f *exportFixture) {
	ts, camp, plan := f.ts, f.camp, f.plan
	rows := download(t, ts, ts.client(t, web.RoleViewer), exportPath(ts, "print-order"), "print-order", "")[1:]
	planPacks := map[string]int64{}
	for _, c := range plan.Cells {
		planPacks[c.Material] += c.Packs
	}
	var printed int64
	cityPacks, totals := map[string]int64{}, map[string][]string{}
	for _, r := range rows {
		m, _ := camp.Material(r[0])
		if r[1] != m.Name || atoi(t, r[4]) != m.PackSize || atoi(t, r[5]) != m.PacksPerBox {
			t.Fatalf("row %q: material data differs from the campaign", r)
		}
		packs, boxes, pieces := atoi(t, r[8]), atoi(t, r[9]), atoi(t, r[10])
		if pieces != packs*m.PackSize {
			t.Errorf("row %q: pieces != packs × pack size", r)
		}
		if r[6] == "TOTAL" {
			if r[7] != "" {
				t.Errorf("TOTAL row %q has a city name", r)
			}
			printed += atoi(t, r[3])
			totals[r[0]] = r
			continue
		}
		if want := (packs + m.PacksPerBox - 1) / m.PacksPerBox; boxes != want {
			t.Errorf("row %q: boxes %d, want ceil(packs/packs_per_box) = %d", r, boxes, want)
		}
		cityPacks[r[0]] += packs
	}
	if printed != 7_800_000 {
		t.Errorf("printed over TOTAL rows = %d, want 7800000", printed)
	}
	if len(totals) != len(camp.Materials) {
		t.Errorf("%d TOTAL rows, want one per material (%d)", len(totals), len(camp.Materials))
	}
	for code, want := range planPacks {
		if cityPacks[code] != want || atoi(t, totals[code][8]) != want {
			t.Errorf("%s: city packs %d, TOTAL %s, plan %d", code, cityPacks[code], totals[code][8], want)
		}
	}
}

func checkAllocation(t *testing.T, f *exportFixture) {
	ts, plan := f.ts, f.plan
	rows := download(t, ts, ts.client(t, web.RoleViewer), exportPath(ts, "allocation"), "allocation", "")[1:]
	if len(rows) != len(plan.Cells) {
		t.Fatalf("%d rows, want one per plan cell (%d)", len(rows), len(plan.Cells))
	}
	for i, c := range plan.Cells {
		r := rows[i]
		if r[0] != c.Material || r[1] != c.City || r[2] != c.Category || atoi(t, r[3]) != c.Demand ||
			atoi(t, r[4]) != c.Pieces || atoi(t, r[5]) != c.Packs || r[6] != strconv.FormatBool(c.Locked) {
			t.Fatalf("row %d = %q, cell %+v", i, r, c)
		}
		if c.Demand == 0 {
			if r[7] != "" {
				t.Errorf("row %d: fill %q without demand", i, r[7])
			}
			continue
		}
		// fill has exactly 4 decimals and is within half a unit of the 4th of pieces/demand.
		f, err := strconv.ParseFloat(r[7], 64)
		dot := strings.IndexByte(r[7], '.')
		want := float64(c.Pieces) / float64(c.Demand)
		if err != nil || dot < 0 || len(r[7])-dot-1 != 4 || math.Abs(f-want) > 0.00005+1e-12 {
			t.Errorf("row %d: fill %q for %d/%d", i, r[7], c.Pieces, c.Demand)
		}
	}
}

func TestManifestAndShipmentsBeforeAndAfterCommit(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	camp, plan := demoPlan(t, ts)
	cl := ts.client(t, web.RoleViewer)

	// Preview: no shipment ids, the planned schedule, stage planned.
	manifest := download(t, ts, cl, exportPath(ts, "manifest"), "manifest", "")[1:]
	var lines int
	var pieces int64
	for _, sh := range plan.Shipments {
		lines += len(sh.Lines)
		pieces += sh.Pieces
	}
	if len(manifest) != lines {
		t.Fatalf("manifest has %d rows, want one per shipment line (%d)", len(manifest), lines)
	}
	var got int64
	byCity := map[string]planner.Shipment{}
	for _, sh := range plan.Shipments {
		byCity[sh.City] = sh
	}
	for _, r := range manifest {
		if r[0] != "" {
			t.Fatalf("preview manifest row %q has a shipment id", r)
		}
		sh := byCity[r[1]]
		box, _ := planner.FirstBoxOf(sh.Packing, r[4])
		if r[9] != strconv.FormatInt(planner.BoxCount(sh.Packing), 10) || box.WeightKg == nil || r[10] != box.WeightKg.Rat().FloatString(3) {
			t.Errorf("row %q: shipment_boxes, box_weight_kg = %s, %s; want the packed %d boxes and %v kg", r, r[9], r[10], planner.BoxCount(sh.Packing), box.WeightKg)
		}
		got += atoi(t, r[7])
		m, _ := camp.Material(r[4])
		// weight_kg = pieces × piece_grams / 1000, 3 decimals: checked for whole-gram materials.
		grams, err := strconv.ParseInt(m.PieceGrams.String(), 10, 64)
		if err == nil {
			g := atoi(t, r[7]) * grams
			if want := strconv.FormatInt(g/1000, 10) + "." + leftPad(g%1000); r[8] != want {
				t.Errorf("row %q: weight_kg %q, want %q", r, r[8], want)
			}
		}
	}
	if got != pieces {
		t.Errorf("manifest pieces %d, plan %d", got, pieces)
	}
	ships := download(t, ts, cl, exportPath(ts, "shipments"), "shipments", "en")[1:]
	if len(ships) != len(plan.Shipments) {
		t.Fatalf("shipments has %d rows, want %d", len(ships), len(plan.Shipments))
	}
	for _, r := range ships {
		if r[0] != "" || r[10] != "planned" || r[11] == "" || r[12] == "" || r[13] != "" {
			t.Fatalf("preview shipment row %q", r)
		}
		atoi(t, r[4])
		atoi(t, r[5])
	}

	// Commit, then dispatch one shipment with a carrier and waybill that a
	// spreadsheet would run as formulas.
	if _, err := ts.db.CommitPlan(ctx, ts.CampaignID, 0, "test", "", plan); err != nil {
		t.Fatal(err)
	}
	recs, err := ts.db.ListShipments(ctx, ts.CampaignID, store.ShipmentFilter{})
	if err != nil || len(recs) != len(plan.Shipments) {
		t.Fatalf("committed shipments: %d, %v", len(recs), err)
	}
	first := recs[0]
	ev := planner.Event{Kind: planner.EventDispatched, Date: planner.NewDate(2009, 3, 10),
		Carrier: "=HYPERLINK(\"x\")", Waybill: "-120", Boxes: first.Boxes}
	if _, _, err := ts.db.AppendEvent(ctx, first.ID, ev, ts.clock(), ""); err != nil {
		t.Fatal(err)
	}
	ids, labels := map[string]string{}, map[string]string{}
	for _, r := range recs {
		ids[r.City] = strconv.FormatInt(r.ID, 10)
		boxes, err := ts.db.ShipmentBoxes(ctx, ts.CampaignID, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		labels[r.City] = strconv.FormatInt(planner.BoxCount(boxes), 10)
	}
	// The committed exports read the tracking store: scan them for
	// protected venue names too.
	committed := download(t, ts, cl, exportPath(ts, "manifest"), "manifest", "")
	assertNoProtectedNames(t, camp, "committed manifest", committed)
	for _, r := range committed[1:] {
		if r[0] != ids[r[1]] {
			t.Fatalf("manifest row %q: shipment id, want %s", r, ids[r[1]])
		}
		// The labels of a shipment are its stored boxes: the manifest counts the same.
		if r[9] != labels[r[1]] {
			t.Errorf("manifest row %q: shipment_boxes, want the %s stored boxes", r, labels[r[1]])
		}
	}
	var seen bool
	committed = download(t, ts, cl, exportPath(ts, "shipments"), "shipments", "")
	assertNoProtectedNames(t, camp, "committed shipments", committed)
	for _, r := range committed[1:] {
		if r[0] != ids[r[1]] {
			t.Fatalf("shipments row %q: id, want %s", r, ids[r[1]])
		}
		if r[0] == strconv.FormatInt(first.ID, 10) {
			seen = true
			if r[10] != "dispatched" || r[13] != `'=HYPERLINK("x")` || r[14] != "'-120" {
				t.Errorf("dispatched row %q: want stage dispatched, guarded carrier and waybill", r)
			}
		}
	}
	if !seen {
		t.Error("the dispatched shipment is missing")
	}
}

func leftPad(n int64) string {
	s := strconv.FormatInt(n, 10)
	return strings.Repeat("0", 3-len(s)) + s
}

func TestExportsUseTheLatestCommittedPlan(t *testing.T) {
	ts := newTestServer(t)
	camp, _ := demoPlan(t, ts)
	// Commit a plan made with 100,000 fewer CAR-ALTO posters than the
	// campaign now says: the exports must follow the commit, not the preview.
	for i := range camp.Materials {
		if camp.Materials[i].Code == "CAR-ALTO" {
			camp.Materials[i].Printed -= 100_000
		}
	}
	committed, err := planner.Compute(camp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.db.CommitPlan(context.Background(), ts.CampaignID, 0, "test", "", committed); err != nil {
		t.Fatal(err)
	}
	cl := ts.client(t, web.RoleViewer)
	var printed int64
	for _, r := range download(t, ts, cl, exportPath(ts, "print-order"), "print-order", "")[1:] {
		if r[6] == "TOTAL" {
			printed += atoi(t, r[3])
		}
	}
	if printed != 7_700_000 {
		t.Errorf("printed %d, want 7700000 from the committed plan", printed)
	}
	_, body := ts.get(t, cl, "/campaigns/"+strconv.FormatInt(ts.CampaignID, 10)+"/exports")
	if !strings.Contains(body, `id="exports-source-committed"`) {
		t.Error("the page does not say the exports come from the committed plan")
	}
}

// checkNoProtectedNames scans every export and the page, for every role,
// for the names of confidential venues and of venues in sensitive
// categories of the demo (the "Albergue confidencial" shelters).
func checkNoProtectedNames(t *testing.T, f *exportFixture) {
	ts := f.ts
	for _, role := range []string{web.RoleViewer, web.RolePlanner, web.RoleAdmin} {
		cl := ts.client(t, role)
		_, page := ts.get(t, cl, "/campaigns/"+strconv.FormatInt(ts.CampaignID, 10)+"/exports")
		assertNoProtectedNames(t, f.camp, role+" page", [][]string{{page}})
		// Only shipments.csv depends on the language.
		for _, what := range []string{"print-order", "manifest", "allocation", "shipments", "shipments:en"} {
			what, lang, _ := strings.Cut(what, ":")
			assertNoProtectedNames(t, f.camp, role+" "+what, download(t, ts, cl, exportPath(ts, what), what, lang))
		}
	}
}

// assertNoProtectedNames fails when a cell holds the name of a
// confidential venue or of a venue in a sensitive category.
func assertNoProtectedNames(t *testing.T, camp *planner.Campaign, label string, rows [][]string) {
	t.Helper()
	var names []string
	for _, v := range camp.Venues {
		if cat, _ := camp.Category(v.Category); v.Confidential || cat.Sensitive {
			names = append(names, v.Name)
		}
	}
	if !slices.Contains(names, "Albergue confidencial 1") {
		t.Fatalf("protected venues of the demo: %q, want the Albergue confidencial shelters", names)
	}
	for _, r := range rows {
		for _, cell := range r {
			for _, n := range names {
				if strings.Contains(cell, n) || strings.Contains(strings.ToLower(cell), "albergue confidencial") {
					t.Fatalf("%s names protected venue %q", label, n)
				}
			}
		}
	}
}

// parseExport checks the byte-order mark, strips it and parses the rest
// with encoding/csv, allowing rows of different lengths.
func parseExport(t *testing.T, b []byte) [][]string {
	t.Helper()
	s, ok := strings.CutPrefix(string(b), "\uFEFF")
	if !ok {
		t.Fatalf("export does not start with the UTF-8 BOM: %q", string(b[:min(len(b), 20)]))
	}
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parse export: %v", err)
	}
	return rows
}
