package api

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/store"
)

// uploadCSV posts text as the file field of the import form.
func uploadCSV(t *testing.T, ts *testServer, cl *http.Client, text string) (int, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, err := w.CreateFormFile("file", "venues.csv")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(fw, text)
	w.Close()
	resp, err := cl.Post(fmt.Sprintf("%s/campaigns/%d/data/venues/import", ts.URL, ts.CampaignID), w.FormDataContentType(), &b)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// importedVenues returns the campaign's venues named imp-…, by id.
func importedVenues(t *testing.T, ts *testServer) map[string]string {
	t.Helper()
	page, err := ts.db.ListVenues(context.Background(), ts.CampaignID, store.VenueFilter{Query: "imp-"})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, v := range page.Items {
		out[v.ID] = v.Name
	}
	return out
}

// The demo's Tapachula (TAP, 14.9039, -92.2575, radius 15 km): a point
// 0.01° away is inside; the Pacific at (10, -100) is within no city's
// radius.
const importHeader = "name,category,lat,lon,city,address,confidential\n"

func TestDataImportPreviewShowsErrorsAndFlags(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	text := "\uFEFF" + importHeader +
		"Bar Frontera,BAR,14.91,-92.26,,Calle 1,no\n" +
		"Mal,BAR,95,-92.26,,,no\n" +
		"En el mar,BAR,10,-100,,,no\n"
	code, body := uploadCSV(t, ts, cl, text)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", code)
	}
	if !strings.Contains(body, "Línea 3 › Latitud: debe estar entre -90 y 90") {
		t.Error("the bad row's line is not shown")
	}
	if !regexp.MustCompile(`<tr class="out-of-radius">\s*<td class="num">4</td>`).MatchString(body) {
		t.Error("line 4 (in the sea) is not flagged as out of radius")
	}
	if !regexp.MustCompile(`<td class="num">2</td><td></td><td>Bar Frontera</td>(?s:.*?)<td>TAP</td>`).MatchString(body) {
		t.Error("line 2 is not shown as going to TAP")
	}
	if strings.Contains(body, `name="csv"`) {
		t.Error("a file with errors can be confirmed")
	}
	if got := importedVenues(t, ts); len(got) != 0 {
		t.Fatalf("the preview wrote %v", got)
	}
}

// confirmText returns the CSV text a preview sends back on confirm.
func confirmText(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<textarea name="csv" hidden>\n(.*?)</textarea>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the preview has no confirm form")
	}
	return html.UnescapeString(m[1])
}

func TestDataImportConfirmWritesAllRows(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	text := "name;category;lat;lon;city;address;confidential\n" +
		"\"Bar \"\"Uno\"\" & Co\";BAR;14,91;-92,26;;;no\n" +
		"Albergue;ONG-ALBERGUE;14.90;-92.25;TAP;;sí\n" +
		"En el mar;BAR;10;-100;;;0\n"
	code, body := uploadCSV(t, ts, cl, text)
	if code != http.StatusOK {
		t.Fatalf("preview: %d", code)
	}
	sent := confirmText(t, body)
	if sent != text {
		t.Fatalf("the preview would send back %q, not the file", sent)
	}
	confirm := fmt.Sprintf("/campaigns/%d/data/venues/import/confirm", ts.CampaignID)
	code, _, loc := ts.post(t, cl, confirm, url.Values{"csv": {sent}})
	if want := fmt.Sprintf("/campaigns/%d/data/venues", ts.CampaignID); code != http.StatusSeeOther || loc != want {
		t.Fatalf("confirm: %d to %q, want 303 to %s", code, loc, want)
	}
	want := map[string]string{"imp-1": `Bar "Uno" & Co`, "imp-2": "Albergue", "imp-3": "En el mar"}
	if got := importedVenues(t, ts); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("imported %v, want %v", got, want)
	}
	v, err := ts.db.GetVenue(context.Background(), ts.CampaignID, "imp-2")
	if err != nil || !v.Confidential || v.City != "TAP" || v.Lat != 14.90 {
		t.Fatalf("imp-2 stored as %+v (%v)", v, err)
	}
	// A second import continues the numbering.
	_, body = uploadCSV(t, ts, cl, importHeader+"Otro,BAR,14.91,-92.26,,,\n")
	if code, _, _ := ts.post(t, cl, confirm, url.Values{"csv": {confirmText(t, body)}}); code != http.StatusSeeOther {
		t.Fatalf("second confirm: %d", code)
	}
	if _, ok := importedVenues(t, ts)["imp-4"]; !ok {
		t.Fatal("the second import did not make imp-4")
	}
}

func TestDataImportConfirmRevalidates(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	confirm := fmt.Sprintf("/campaigns/%d/data/venues/import/confirm", ts.CampaignID)
	tampered := importHeader + "Bien,BAR,14.91,-92.26,,,\nMal,NOEXISTE,14.91,-92.26,,,\n"
	code, body, _ := ts.post(t, cl, confirm, url.Values{"csv": {tampered}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), `Línea 3 › Categoría: no existe «NOEXISTE»`) {
		t.Fatalf("tampered confirm: %d", code)
	}
	if got := importedVenues(t, ts); len(got) != 0 {
		t.Fatalf("a partial import was written: %v", got)
	}
	if code, body := uploadCSV(t, ts, cl, ""); code != http.StatusUnprocessableEntity || !strings.Contains(body, "Línea 1: el archivo está vacío") {
		t.Fatalf("empty file: %d", code)
	}
}
