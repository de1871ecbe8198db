package api

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner/registry"
	"github.com/reparto/reparto/store"
)

// denueFixture is the registry package's DENUE fixture: INEGI's real
// layout, Latin-1 bytes, padded localidad, quoted commas.
func denueFixture(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../planner/registry/testdata/denue_inegi_07_.csv")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// denueZip packs data as INEGI's download does: the data CSV under
// conjunto_de_datos/ beside the data dictionary.
func denueZip(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range []struct {
		name string
		data []byte
	}{
		{"diccionario_de_datos/diccionario_datos_denue_2024.csv", []byte("campo,descripcion\nid,Identificador\n")},
		{"conjunto_de_datos/denue_inegi_07_.csv", data},
	} {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// cluesXLSX is a small CLUES catalogue laid out as the health ministry
// publishes it: a title row above accented headers. Two hospitals in
// Tapachula (one in operation, one closed) and a clinic without
// coordinates.
func cluesXLSX(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows := [][]any{
		{"CATÁLOGO DE ESTABLECIMIENTOS DE SALUD"},
		{"CLUES", "CLAVE DE LA ENTIDAD", "CLAVE DEL MUNICIPIO", "NOMBRE DE LA LOCALIDAD", "CLAVE DE LA INSTITUCIÓN",
			"NOMBRE TIPO ESTABLECIMIENTO", "NOMBRE DE LA UNIDAD", "VIALIDAD", "NÚMERO EXTERIOR", "ASENTAMIENTO",
			"CÓDIGO POSTAL", "ESTATUS DE OPERACIÓN", "LATITUD", "LONGITUD"},
		{"CSSSA001234", "07", "089", "TAPACHULA", "SSA", "DE HOSPITALIZACIÓN", "HOSPITAL GENERAL DE TAPACHULA",
			"CARRETERA A PUERTO MADERO", "KM 1.5", "CENTRO", "30700", "EN OPERACIÓN", 14.8950, -92.2700},
		{"CSSSA009999", "07", "089", "TAPACHULA", "SSA", "DE HOSPITALIZACIÓN", "HOSPITAL CERRADO",
			"", "", "", "", "FUERA DE OPERACIÓN", 14.9000, -92.2600},
		{"CSSSA005555", "07", "089", "TAPACHULA", "SSA", "DE CONSULTA EXTERNA", "CENTRO DE SALUD SIN COORDENADAS",
			"", "", "", "", "EN OPERACIÓN", "", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// uploadRegistry posts a registry file to the preview.
func uploadRegistry(t *testing.T, ts *testServer, cl *http.Client, name, source string, data []byte) (int, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("source", source)
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	w.Close()
	resp, err := cl.Post(fmt.Sprintf("%s/campaigns/%d/data/venues/registry", ts.URL, ts.CampaignID), w.FormDataContentType(), &b)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// previewCount reads a count the preview shows under an element id.
func previewCount(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `">([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

var tokenInput = regexp.MustCompile(`name="token" value="([0-9a-f]{32})"`)

func registryVenues(t *testing.T, ts *testServer, source string) int {
	t.Helper()
	page, err := ts.db.ListVenues(context.Background(), ts.CampaignID, store.VenueFilter{Query: source + "-",
		ListOptions: store.ListOptions{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return int(page.Total)
}

// TestRegistryImportPreviewConfirmReimportUndo: the DENUE fixture, as a
// CSV and as INEGI's zip, previews with the default mapping's counts,
// imports on confirm, shows every venue unchanged on a second upload,
// and is undone from the import history.
func TestRegistryImportPreviewConfirmReimportUndo(t *testing.T) {
	csv := denueFixture(t)
	tests := []struct {
		name, file string
		data       []byte
	}{
		{"csv", "denue_inegi_07_.csv", csv},
		{"zip", "denue_07_csv.zip", denueZip(t, csv)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t)
			cl := ts.client(t, web.RolePlanner)
			code, body := uploadRegistry(t, ts, cl, tt.file, "", tt.data)
			if code != http.StatusOK {
				t.Fatalf("preview: %d\n%s", code, body)
			}
			// 9 kept: 2 bars (Tapachula's, Monterrey's), the bus station once
			// for its two shops, a club, a disco, a school, a hotel, the
			// prosecutor's office by name, the shelter.
			want := map[string]string{"registry-read": "15", "registry-new": "9", "registry-changed": "0",
				"registry-unchanged": "0", "kept-BAR": "2", "kept-CENTRAL-AUTOBUS": "1", "kept-ONG-ALBERGUE": "1",
				"dropped-" + string(registry.DropUnmapped): "1", "dropped-" + string(registry.DropNoCoordinates): "1",
				"dropped-" + string(registry.DropOutsideMexico): "1", "dropped-" + string(registry.DropDuplicate): "2",
				"dropped-" + string(registry.DropNoID): "1"}
			for id, n := range want {
				if got := previewCount(t, body, id); got != n {
					t.Errorf("preview %s = %q, want %s", id, got, n)
				}
			}
			if !strings.Contains(body, "<td>12, 14</td>") {
				t.Error("the preview does not show the duplicates' lines")
			}
			if registryVenues(t, ts, "denue") != 0 {
				t.Fatal("the preview wrote venues")
			}
			m := tokenInput.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no confirm token in the preview:\n%s", body)
			}
			confirm := fmt.Sprintf("/campaigns/%d/data/venues/registry/confirm", ts.CampaignID)
			code, _, loc := ts.post(t, cl, confirm, url.Values{"token": {m[1]}})
			if code != http.StatusSeeOther || !strings.HasSuffix(loc, "/data/venues/imports") {
				t.Fatalf("confirm: %d %q", code, loc)
			}
			if n := registryVenues(t, ts, "denue"); n != 9 {
				t.Fatalf("%d DENUE venues after the import, want 9", n)
			}
			// The token is spent: confirming again imports nothing twice.
			if code, _, _ := ts.post(t, cl, confirm, url.Values{"token": {m[1]}}); code != http.StatusUnprocessableEntity {
				t.Errorf("a second confirm with the same token: %d, want 422", code)
			}

			_, body = uploadRegistry(t, ts, cl, tt.file, "denue", tt.data)
			if n, u := previewCount(t, body, "registry-new"), previewCount(t, body, "registry-unchanged"); n != "0" || u != "9" {
				t.Errorf("re-upload: new %s unchanged %s, want 0 and 9", n, u)
			}

			_, hist := ts.get(t, cl, fmt.Sprintf("/campaigns/%d/data/venues/imports", ts.CampaignID))
			if !strings.Contains(hist, "DENUE (INEGI)") {
				t.Errorf("the history does not say the import came from DENUE")
			}
			ims, err := ts.db.ListVenueImports(context.Background(), ts.CampaignID)
			if err != nil || len(ims) != 1 || ims[0].Source != "denue" {
				t.Fatalf("imports %+v, %v", ims, err)
			}
			undo := fmt.Sprintf("/campaigns/%d/data/venues/imports/undo?import=%d", ts.CampaignID, ims[0].ID)
			if code, _, _ := ts.post(t, cl, undo, nil); code != http.StatusSeeOther {
				t.Fatalf("undo: %d", code)
			}
			if n := registryVenues(t, ts, "denue"); n != 0 {
				t.Errorf("%d DENUE venues after the undo", n)
			}
		})
	}
}

// TestRegistryImportCLUES: a CLUES workbook is recognised by its content;
// the hospital in operation is kept, the closed one and the one without
// coordinates are dropped.
func TestRegistryImportCLUES(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	code, body := uploadRegistry(t, ts, cl, "ESTABLECIMIENTO_SALUD_202401.xlsx", "", cluesXLSX(t))
	if code != http.StatusOK {
		t.Fatalf("preview: %d\n%s", code, body)
	}
	for id, n := range map[string]string{"registry-read": "3", "registry-new": "1", "kept-HOSPITAL": "1",
		"dropped-" + string(registry.DropClosed): "1"} {
		if got := previewCount(t, body, id); got != n {
			t.Errorf("preview %s = %q, want %s", id, got, n)
		}
	}
	m := tokenInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no confirm token")
	}
	confirm := fmt.Sprintf("/campaigns/%d/data/venues/registry/confirm", ts.CampaignID)
	// The upload is its uploader's: another user's confirmation finds nothing.
	if code, _, _ := ts.post(t, ts.client(t, web.RoleAdmin), confirm, url.Values{"token": {m[1]}}); code != http.StatusUnprocessableEntity {
		t.Errorf("another user confirmed the upload: %d", code)
	}
	if code, _, _ := ts.post(t, cl, confirm, url.Values{"token": {m[1]}}); code != http.StatusSeeOther {
		t.Fatalf("confirm: %d", code)
	}
	if n := registryVenues(t, ts, "clues"); n != 1 {
		t.Errorf("%d CLUES venues, want 1", n)
	}
}

// TestRegistryImportRefusesTheWrongFile: a file that is not the registry
// chosen, or no registry at all, is refused naming the file; nothing is
// kept or written.
func TestRegistryImportRefusesTheWrongFile(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	tests := []struct {
		name, file, source string
		data               []byte
	}{
		{"venue csv", "sitios.csv", "", []byte("name,category,lat,lon\nBar,BAR,14.9,-92.2\n")},
		{"denue as clues", "denue.csv", "clues", denueFixture(t)},
		{"clues as denue", "clues.xlsx", "denue", cluesXLSX(t)},
		{"no file", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := uploadRegistry(t, ts, cl, tt.file, tt.source, tt.data)
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="f-file-error"`) {
				t.Fatalf("status %d, want 422 with the file's error", code)
			}
			if tt.file != "" && !strings.Contains(body, tt.file) {
				t.Errorf("the error does not name %s", tt.file)
			}
			if tokenInput.MatchString(body) {
				t.Error("a refused file can be confirmed")
			}
		})
	}
	entries, _ := os.ReadDir(ts.s.uploads.Dir)
	if len(entries) != 0 {
		t.Errorf("refused uploads left on disk: %v", entries)
	}
}

// TestRegistryRulesEditor: a viewer reads the mapping; a planner saves a
// table (blank rows ignored), a bad row is refused naming rules[i].field
// and nothing changes, and "restore defaults" drops the campaign's own.
func TestRegistryRulesEditor(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	rulesURL := fmt.Sprintf("/campaigns/%d/data/venues/registry/rules", ts.CampaignID)
	viewer := ts.client(t, web.RoleViewer)
	code, body := ts.get(t, viewer, rulesURL)
	if code != http.StatusOK || !strings.Contains(body, "722412") || strings.Contains(body, `name="rules[0].activity"`) {
		t.Fatalf("viewer: %d, want the default mapping read-only", code)
	}
	cl := ts.client(t, web.RolePlanner)
	good := url.Values{
		"rules[0].source": {"denue"}, "rules[0].activity": {"722412"}, "rules[0].category": {"BAR"},
		"rules[1].source": {"denue"}, "rules[1].activity": {"722411"}, "rules[1].category": {"DISCO"},
		"rules[2].source": {"denue"}, "rules[2].activity": {"461110"}, "rules[2].category": {"BAR"}, "rules[2].remove": {"1"},
		"rules[3].source": {"denue"}, // a blank row
		"rules[4].source": {"denue"}, "rules[4].name": {"FISCALIA"}, "rules[4].category": {"MP"},
	}
	if code, _, _ := ts.post(t, cl, rulesURL, good); code != http.StatusSeeOther {
		t.Fatalf("save: %d", code)
	}
	saved, own, err := ts.db.RegistryRules(ctx, ts.CampaignID)
	if err != nil || !own || len(saved) != 3 || saved[2].Name != "FISCALIA" {
		t.Fatalf("saved %+v own %v err %v", saved, own, err)
	}

	bad := url.Values{
		"rules[0].source": {"denue"}, "rules[0].activity": {"722412"}, "rules[0].category": {"BAR"},
		"rules[1].source": {"denue"}, // blank: the bad row keeps its form index
		"rules[2].source": {"denue"}, "rules[2].activity": {"72241"}, "rules[2].category": {"NOPE"},
	}
	code, body, _ = ts.post(t, cl, rulesURL, bad)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("bad save: %d", code)
	}
	for _, field := range []string{"rules[2].activity", "rules[2].category"} {
		if !strings.Contains(body, field+":") || !regexp.MustCompile(`name="`+regexp.QuoteMeta(field)+`"[^>]*aria-invalid="true"`).MatchString(body) {
			t.Errorf("the error does not name %s", field)
		}
	}
	after, _, _ := ts.db.RegistryRules(ctx, ts.CampaignID)
	if len(after) != 3 {
		t.Errorf("a refused save changed the mapping: %+v", after)
	}

	if code, _, _ := ts.post(t, viewer, rulesURL, good); code != http.StatusForbidden {
		t.Errorf("viewer save: %d, want 403", code)
	}
	if code, _, _ := ts.post(t, cl, rulesURL+"/defaults", nil); code != http.StatusSeeOther {
		t.Fatalf("restore: %d", code)
	}
	if _, own, _ := ts.db.RegistryRules(ctx, ts.CampaignID); own {
		t.Error("restore defaults kept the campaign's own mapping")
	}
}

// TestRegistryUploadLimit: a file over the upload limit is refused with
// 413 and the limit in MB, whether the body declares its size or not,
// and nothing is kept.
func TestRegistryUploadLimit(t *testing.T) {
	ts := newTestServer(t)
	ts.s.cfg.MaxUploadBytes = 1 << 20
	ts.s.uploads.MaxBytes = 1 << 20
	cl := ts.client(t, web.RolePlanner)
	big := bytes.Repeat(denueFixture(t), 3<<20/len(denueFixture(t))+1)
	for _, chunked := range []bool{false, true} {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		fw, _ := w.CreateFormFile("file", "denue_inegi_15_.csv")
		fw.Write(big)
		w.Close()
		var body io.Reader = &b
		if chunked {
			body = io.MultiReader(&b) // no length: the server finds out while reading
		}
		req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/campaigns/%d/data/venues/registry", ts.URL, ts.CampaignID), body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		resp, err := cl.Do(req)
		if err != nil {
			t.Fatalf("chunked %v: %v", chunked, err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(page), "1 MB") {
			t.Errorf("chunked %v: status %d, want 413 naming the 1 MB limit", chunked, resp.StatusCode)
		}
	}
	if entries, _ := os.ReadDir(ts.s.uploads.Dir); len(entries) != 0 {
		t.Errorf("a refused upload was kept: %v", entries)
	}
}
