package api

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// Printed documents and labels over HTTP
// (docs/tracking.md#printed-documents-on-the-web): what a viewer downloads
// is checked with real PDF tools, pdftotext for the words and pdftoppm +
// zbarimg for the QR codes.

// docServer is the demo with its tracking log, served with cfg; path is
// its SQLite file, for the test that removes a shipment's packing.
func docServer(t *testing.T, cfg Config) (*testServer, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "reparto.db")
	id := copyDemoDB(t, path)
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ts := serveTestDB(t, db, id, func(c *Config) { *c = cfg })
	seedDemoTracking(t, ts)
	return ts, path
}

// needTools skips when a tool is missing (so `go test ./...` needs nothing
// but Go) and fails in CI, which installs them.
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			msg := fmt.Sprintf("%s not installed (apt-get install -y poppler-utils zbar-tools): %v", tool, err)
			if os.Getenv("CI") != "" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
}

// fetchPDF is one GET with extra headers; it returns the response with its
// body read.
func fetchPDF(t *testing.T, cl *http.Client, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if k == "Host" {
			// net/http picks cookies by req.Host: send the session's
			// cookies by hand, as a browser tricked into it would.
			req.Host = v
			for _, ck := range cl.Jar.Cookies(req.URL) {
				req.AddCookie(ck)
			}
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// decodeQRs renders every page at 150 dpi and decodes every QR code.
func decodeQRs(t *testing.T, pdf []byte) []string {
	t.Helper()
	dir := t.TempDir()
	f := filepath.Join(dir, "labels.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "150", "-png", f, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
	var got []string
	for _, p := range pages {
		out, err := exec.Command("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", p).Output()
		if err != nil {
			t.Fatalf("zbarimg %s: %v", filepath.Base(p), err)
		}
		got = append(got, strings.Fields(string(out))...)
	}
	return got
}

// smallShipment is the demo shipment with the fewest boxes, at least two
// (so "box i of N" means something), and its boxes as stored.
func smallShipment(t *testing.T, ts *testServer) (planner.ShipmentRecord, []planner.BoxRun) {
	t.Helper()
	ctx := context.Background()
	recs, err := ts.db.ListShipments(ctx, ts.CampaignID, store.ShipmentFilter{Today: planner.NewDate(2009, time.March, 20)})
	if err != nil {
		t.Fatal(err)
	}
	var best *planner.ShipmentRecord
	for i := range recs {
		if r := &recs[i]; r.Boxes >= 2 && (best == nil || r.Boxes < best.Boxes) {
			best = r
		}
	}
	if best == nil {
		t.Fatal("the demo has no shipment of two boxes or more")
	}
	runs, err := ts.db.ShipmentBoxes(ctx, ts.CampaignID, best.ID)
	if err != nil {
		t.Fatal(err)
	}
	return *best, runs
}

func checkPDFHeaders(t *testing.T, resp *http.Response, body []byte, nameHas string) {
	t.Helper()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %.300s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type %q, want application/pdf", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename=`) || !strings.Contains(cd, nameHas) || !strings.HasSuffix(cd, `.pdf`) {
		t.Errorf("Content-Disposition %q, want a .pdf file name with %q", cd, nameHas)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	if !strings.HasPrefix(string(body), "%PDF") {
		t.Errorf("body is not a PDF: %.40q", body)
	}
}

func TestDocumentsOfAShipment(t *testing.T) {
	needTools(t, "pdftotext")
	ts, _ := docServer(t, DefaultConfig())
	sh, runs := smallShipment(t, ts)
	camp, err := ts.db.GetCampaign(context.Background(), ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	n := planner.BoxCount(runs)
	cl := ts.client(t, web.RoleViewer)
	base := fmt.Sprintf("%s/campaigns/%d/shipments/%d/documents.pdf", ts.URL, ts.CampaignID, sh.ID)
	city, _ := camp.City(sh.City)
	tests := []struct {
		name, query string
		header      map[string]string
		file        string
		want        []string
	}{
		{"all es", "", nil, "documents",
			[]string{"Lista de empaque", "Guía de embarque", "Acuse de recibo", "Envío " + strconv.FormatInt(sh.ID, 10),
				city.Name, camp.Name, camp.Depot.Name, fmt.Sprintf("Cajas recibidas: ________ de %d", n), "¡Gracias"}},
		{"packing es", "?doc=packing", nil, "packing-list", []string{"Lista de empaque", "Contenido de cada caja", fmt.Sprintf("%d", n)}},
		{"waybill es", "?doc=waybill", nil, "waybill", []string{"Guía de embarque", "Transportista", "Número de guía"}},
		{"receipt es", "?doc=receipt", nil, "receipt", []string{"Acuse de recibo", "Recibió (nombre)"}},
		{"all by Accept-Language", "", map[string]string{"Accept-Language": "en-US,en;q=0.9"}, "documents",
			[]string{"Packing list", "Waybill", city.Name}},
		{"all by lang cookie", "", map[string]string{"Cookie": web.LangCookie + "=en", "Accept-Language": "es-MX"}, "documents",
			[]string{"Packing list", "Waybill"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := fetchPDF(t, cl, base+tt.query, tt.header)
			checkPDFHeaders(t, resp, body, fmt.Sprintf("shipment-%d-%s", sh.ID, tt.file))
			text := pdfToText(t, body)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("%q missing from the PDF:\n%.2000s", w, text)
				}
			}
			en := tt.header != nil && strings.Contains(fmt.Sprint(tt.header), "en")
			if en && strings.Contains(text, "Lista de empaque") {
				t.Error("English requested, Spanish printed")
			}
			if tt.query == "" || tt.query == "?doc=packing" {
				for _, l := range sh.Lines {
					pieces := esNumber(l.Pieces)
					if en {
						pieces = strconv.FormatInt(l.Pieces, 10)
						if l.Pieces >= 1000 {
							pieces = fmt.Sprintf("%d,%03d", l.Pieces/1000, l.Pieces%1000)
						}
					}
					if !strings.Contains(text, pieces) {
						t.Errorf("pieces of %s (%s) missing", l.Material, pieces)
					}
				}
			}
		})
	}
}

func TestDocumentsRefusals(t *testing.T) {
	ts, _ := docServer(t, DefaultConfig())
	sh, _ := smallShipment(t, ts)
	other, err := importDemo(ts.db) // a second campaign with nothing committed
	if err != nil {
		t.Fatal(err)
	}
	cl := ts.client(t, web.RoleViewer)
	tests := []struct {
		name, path string
		status     int
		says       string
	}{
		{"another campaign's shipment", fmt.Sprintf("/campaigns/%d/shipments/%d/documents.pdf", other, sh.ID), 404, ""},
		{"another campaign's labels", fmt.Sprintf("/campaigns/%d/shipments/%d/labels.pdf", other, sh.ID), 404, ""},
		{"unknown shipment", fmt.Sprintf("/campaigns/%d/shipments/999999/documents.pdf", ts.CampaignID), 404, ""},
		{"bad doc", fmt.Sprintf("/campaigns/%d/shipments/%d/documents.pdf?doc=invoice", ts.CampaignID, sh.ID), 400, "all, packing, waybill, receipt"},
		{"bad format", fmt.Sprintf("/campaigns/%d/shipments/%d/labels.pdf?format=a5", ts.CampaignID, sh.ID), 400, "a4, thermal"},
		{"bad date", fmt.Sprintf("/campaigns/%d/dispatch/2009-02-30/documents.pdf", ts.CampaignID), 400, "AAAA-MM-DD"},
		{"nothing committed", fmt.Sprintf("/campaigns/%d/dispatch/%s/documents.pdf", other, sh.Dispatch), 409, "confirme el plan"},
		{"nothing committed labels", fmt.Sprintf("/campaigns/%d/dispatch/%s/labels.pdf", other, sh.Dispatch), 409, "confirme el plan"},
		{"no shipment that day", fmt.Sprintf("/campaigns/%d/dispatch/2009-01-01/documents.pdf", ts.CampaignID), 404, "ningún envío"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := ts.get(t, cl, tt.path)
			if code != tt.status || !strings.Contains(body, tt.says) {
				t.Errorf("GET %s: %d, want %d saying %q: %.500s", tt.path, code, tt.status, tt.says, body)
			}
		})
	}
}

// TestDocumentsOfAClosedCampaign: closing a campaign stops writes, not the
// paperwork of what was shipped.
func TestDocumentsOfAClosedCampaign(t *testing.T) {
	ts, _ := docServer(t, DefaultConfig())
	sh, _ := smallShipment(t, ts)
	if err := ts.db.CloseCampaign(context.Background(), ts.CampaignID); err != nil {
		t.Fatal(err)
	}
	cl := ts.client(t, web.RoleViewer)
	for _, p := range []string{"documents.pdf", "labels.pdf?format=thermal"} {
		resp, body := fetchPDF(t, cl, fmt.Sprintf("%s/campaigns/%d/shipments/%d/%s", ts.URL, ts.CampaignID, sh.ID, p), nil)
		checkPDFHeaders(t, resp, body, fmt.Sprintf("shipment-%d", sh.ID))
	}
}

func TestLabelsOfAShipmentQR(t *testing.T) {
	needTools(t, "pdftotext", "pdftoppm", "zbarimg")
	const public = "https://reparto.example.org/logistica"
	ts, _ := docServer(t, Config{PublicURL: public + "/"})
	sh, runs := smallShipment(t, ts)
	n := int(planner.BoxCount(runs))
	cl := ts.client(t, web.RoleViewer)
	for _, format := range []string{"a4", "thermal"} {
		t.Run(format, func(t *testing.T) {
			url := fmt.Sprintf("%s/campaigns/%d/shipments/%d/labels.pdf?format=%s", ts.URL, ts.CampaignID, sh.ID, format)
			// A forged Host and forwarded host must not reach the codes.
			resp, body := fetchPDF(t, cl, url, map[string]string{"Host": "evil.example", "X-Forwarded-Host": "evil.example",
				"X-Forwarded-For": "203.0.113.9"})
			checkPDFHeaders(t, resp, body, fmt.Sprintf("shipment-%d-labels-%s", sh.ID, format))
			got := decodeQRs(t, body)
			var want []string
			for i := 1; i <= n; i++ {
				want = append(want, fmt.Sprintf("%s/campaigns/%d/shipments/%d/receive?box=%d", public, ts.CampaignID, sh.ID, i))
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("decoded %d QR codes:\n%s\nwant %d:\n%s", len(got), strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
			}
			text := pdfToText(t, body)
			if labels := regexp.MustCompile(`Caja \d+ de \d+`).FindAllString(text, -1); len(labels) != n {
				t.Errorf("%d labels, want %d (the stored boxes)", len(labels), n)
			}
			for i := 1; i <= n; i++ {
				if !strings.Contains(text, fmt.Sprintf("Caja %d de %d", i, n)) {
					t.Errorf("no label says Caja %d de %d", i, n)
				}
			}
			if strings.Contains(text, "evil.example") {
				t.Error("the forged host is printed")
			}
		})
	}
}

// TestLabelsWithoutPublicURL: the request's own host is printed when it is
// a plain host[:port]; anything else is refused, and a forwarded host from
// a peer that is not a trusted proxy is ignored.
func TestLabelsWithoutPublicURL(t *testing.T) {
	needTools(t, "pdftoppm", "zbarimg")
	ts, _ := docServer(t, DefaultConfig())
	sh, runs := smallShipment(t, ts)
	n := int(planner.BoxCount(runs))
	cl := ts.client(t, web.RoleViewer)
	url := fmt.Sprintf("%s/campaigns/%d/shipments/%d/labels.pdf?format=thermal", ts.URL, ts.CampaignID, sh.ID)
	own := strings.TrimPrefix(ts.URL, "http://")
	tests := []struct {
		name   string
		header map[string]string
		prefix string // of every QR code; "" when refused
	}{
		{"own host", nil, "http://" + own + "/campaigns/"},
		{"forwarded by an untrusted peer", map[string]string{"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https",
			"X-Forwarded-For": "203.0.113.9"}, "http://" + own + "/campaigns/"},
		{"host name with port", map[string]string{"Host": "reparto.local:8443"}, "http://reparto.local:8443/campaigns/"},
		{"user in host", map[string]string{"Host": "reparto.example.org@evil.example"}, ""},
		{"path in host", map[string]string{"Host": "evil.example/phish?"}, ""},
		{"bad port", map[string]string{"Host": "reparto.local:99999"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := fetchPDF(t, cl, url, tt.header)
			if tt.prefix == "" {
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "public-url") {
					t.Errorf("status %d, want 400 naming --public-url: %.300s", resp.StatusCode, body)
				}
				return
			}
			checkPDFHeaders(t, resp, body, "labels")
			got := decodeQRs(t, body)
			if len(got) != n {
				t.Errorf("%d QR codes, want %d (the stored boxes)", len(got), n)
			}
			for _, u := range got {
				if !strings.HasPrefix(u, tt.prefix) {
					t.Errorf("QR %q, want it to start with %q", u, tt.prefix)
				}
			}
		})
	}
}

// TestLabelsBehindTrustedProxy: a proxy named in TrustedProxies says
// which host and scheme the users reached.
func TestLabelsBehindTrustedProxy(t *testing.T) {
	needTools(t, "pdftoppm", "zbarimg")
	ts, _ := docServer(t, Config{TrustedProxies: []string{"127.0.0.1", "::1"}})
	sh, _ := smallShipment(t, ts)
	cl := ts.client(t, web.RoleViewer)
	url := fmt.Sprintf("%s/campaigns/%d/shipments/%d/labels.pdf?format=thermal", ts.URL, ts.CampaignID, sh.ID)
	resp, body := fetchPDF(t, cl, url, map[string]string{"X-Forwarded-Host": "reparto.example.org",
		"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
	checkPDFHeaders(t, resp, body, "labels")
	for _, u := range decodeQRs(t, body) {
		if !strings.HasPrefix(u, "https://reparto.example.org/campaigns/") {
			t.Errorf("QR %q, want the forwarded https://reparto.example.org", u)
		}
	}
	resp, body = fetchPDF(t, cl, url, map[string]string{"X-Forwarded-Host": "evil.example/x", "X-Forwarded-For": "203.0.113.9"})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an invalid forwarded host: %d, want 400: %.300s", resp.StatusCode, body)
	}
}

// TestDocumentsOfADispatchDay: the dock's PDF holds every shipment leaving
// that day, and its labels one per stored box.
func TestDocumentsOfADispatchDay(t *testing.T) {
	needTools(t, "pdftotext")
	ts, _ := docServer(t, Config{PublicURL: "https://reparto.example.org"})
	ctx := context.Background()
	sh, _ := smallShipment(t, ts)
	day := sh.Dispatch
	recs, err := ts.db.ListShipments(ctx, ts.CampaignID, store.ShipmentFilter{Today: planner.NewDate(2009, time.March, 20)})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	var boxes int64
	for _, r := range recs {
		if r.Dispatch == day && r.State().Stage != planner.StageCancelled {
			ids = append(ids, r.ID)
			runs, err := ts.db.ShipmentBoxes(ctx, ts.CampaignID, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			boxes += planner.BoxCount(runs)
		}
	}
	cl := ts.client(t, web.RoleViewer)
	resp, body := fetchPDF(t, cl, fmt.Sprintf("%s/campaigns/%d/dispatch/%s/documents.pdf", ts.URL, ts.CampaignID, day), nil)
	checkPDFHeaders(t, resp, body, "dispatch-"+day.String()+"-documents")
	text := pdfToText(t, body)
	for _, id := range ids {
		if !strings.Contains(text, "Envío "+strconv.FormatInt(id, 10)) {
			t.Errorf("shipment %d missing from the day's documents", id)
		}
	}
	if !strings.Contains(text, "Despacho del "+esDate(day)) {
		t.Errorf("no cover for %s:\n%.1000s", esDate(day), text)
	}
	resp, body = fetchPDF(t, cl, fmt.Sprintf("%s/campaigns/%d/dispatch/%s/labels.pdf?format=a4", ts.URL, ts.CampaignID, day), nil)
	checkPDFHeaders(t, resp, body, "dispatch-"+day.String()+"-labels-a4")
	if n := len(regexp.MustCompile(`Caja \d+ de \d+`).FindAllString(pdfToText(t, body), -1)); int64(n) != boxes {
		t.Errorf("%d labels for the day, want %d (its shipments' stored boxes)", n, boxes)
	}
}

// TestLabelsOfAShipmentCommittedBeforePacking: a shipment whose boxes
// were never stored is packed on the fly with the commit's rule.
func TestLabelsOfAShipmentCommittedBeforePacking(t *testing.T) {
	needTools(t, "pdftotext")
	ts, path := docServer(t, Config{PublicURL: "https://reparto.example.org"})
	sh, runs := smallShipment(t, ts)
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE shipments SET packing = NULL, version = version + 1 WHERE id = ?`, sh.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.db.ShipmentBoxes(context.Background(), ts.CampaignID, sh.ID); planner.ErrorCode(err) != planner.ENotFound {
		t.Fatalf("packing still stored: %v", err)
	}
	cl := ts.client(t, web.RoleViewer)
	resp, body := fetchPDF(t, cl, fmt.Sprintf("%s/campaigns/%d/shipments/%d/labels.pdf", ts.URL, ts.CampaignID, sh.ID), nil)
	checkPDFHeaders(t, resp, body, "labels")
	n := planner.BoxCount(runs)
	if got := len(regexp.MustCompile(`Caja \d+ de \d+`).FindAllString(pdfToText(t, body), -1)); int64(got) != n {
		t.Errorf("%d labels, want %d (packed again like the commit)", got, n)
	}
}

// TestDocumentLinks: the shipment page, the shipment list and the exports
// page link the PDFs a viewer may download.
func TestDocumentLinks(t *testing.T) {
	ts, _ := docServer(t, DefaultConfig())
	sh, _ := smallShipment(t, ts)
	cl := ts.client(t, web.RoleViewer)
	c := strconv.FormatInt(ts.CampaignID, 10)
	s := strconv.FormatInt(sh.ID, 10)
	day := sh.Dispatch.String()
	tests := []struct {
		page string
		want []string
	}{
		{"/campaigns/" + c + "/shipments/" + s, []string{"/campaigns/" + c + "/shipments/" + s + "/documents.pdf",
			"/campaigns/" + c + "/shipments/" + s + "/labels.pdf?format=a4",
			"/campaigns/" + c + "/shipments/" + s + "/labels.pdf?format=thermal", "Documentos (PDF)", "Etiquetas térmicas"}},
		{"/campaigns/" + c + "/shipments?status=late", []string{"/campaigns/" + c + "/dispatch/" + day + "/documents.pdf",
			"/campaigns/" + c + "/dispatch/" + day + "/labels.pdf?format=thermal", "Documentos por día de salida"}},
		{"/campaigns/" + c + "/exports", []string{"/campaigns/" + c + "/dispatch/" + day + "/documents.pdf",
			"/campaigns/" + c + "/dispatch/" + day + "/labels.pdf?format=a4", "Documentos impresos (PDF)"}},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			code, body := ts.get(t, cl, tt.page)
			if code != http.StatusOK {
				t.Fatalf("%d", code)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s does not link %q", tt.page, w)
				}
			}
		})
	}
	other, err := importDemo(ts.db)
	if err != nil {
		t.Fatal(err)
	}
	if code, body := ts.get(t, cl, fmt.Sprintf("/campaigns/%d/exports", other)); code != http.StatusOK || !strings.Contains(body, `id="exports-documents-none"`) {
		t.Errorf("exports page before a commit: %d, want the note that documents need a commit", code)
	}
}

// TestWriteDocsPNG renders the README's pictures from the demo as the web
// serves them, a label sheet and a packing list:
// REPARTO_WRITE_DOCS=1 go test ./api -run TestWriteDocsPNG
func TestWriteDocsPNG(t *testing.T) {
	if os.Getenv("REPARTO_WRITE_DOCS") == "" {
		t.Skip("set REPARTO_WRITE_DOCS=1 to rewrite docs/labels.png and docs/packing-list.png")
	}
	needTools(t, "pdftoppm")
	ts, _ := docServer(t, Config{PublicURL: "https://reparto.example.org"})
	sh, _ := smallShipment(t, ts)
	cl := ts.client(t, web.RoleViewer)
	base := fmt.Sprintf("%s/campaigns/%d/shipments/%d/", ts.URL, ts.CampaignID, sh.ID)
	dir := t.TempDir()
	for name, path := range map[string]string{"labels": "labels.pdf?format=a4", "packing-list": "documents.pdf?doc=packing"} {
		resp, body := fetchPDF(t, cl, base+path, nil)
		checkPDFHeaders(t, resp, body, "shipment-")
		f := filepath.Join(dir, name+".pdf")
		if err := os.WriteFile(f, body, 0o600); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join("..", "docs", name)
		if b, err := exec.Command("pdftoppm", "-r", "80", "-png", "-singlefile", f, out).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, b)
		}
	}
}

// shipmentToAShelter is the demo's smallest shipment (as of 20 March
// 2009) to a city with a shelter (a confidential venue or one of a
// sensitive category), and the names and addresses of that city's
// shelters, which no paper may print.
func shipmentToAShelter(t *testing.T, ts *testServer, camp *planner.Campaign) (*planner.ShipmentRecord, []string) {
	t.Helper()
	sensitive := map[string]bool{}
	for _, k := range camp.Categories {
		sensitive[k.Code] = k.Sensitive
	}
	secrets := map[string][]string{} // city → what must not be printed
	for _, v := range camp.Venues {
		if v.Confidential || sensitive[v.Category] {
			for _, s := range []string{v.Name, v.Address} {
				if len(s) >= 6 { // short words could appear by chance
					secrets[v.City] = append(secrets[v.City], s)
				}
			}
		}
	}
	recs, err := ts.db.ListShipments(context.Background(), ts.CampaignID, store.ShipmentFilter{Today: planner.NewDate(2009, time.March, 20)})
	if err != nil {
		t.Fatal(err)
	}
	var sh *planner.ShipmentRecord
	for i := range recs {
		if len(secrets[recs[i].City]) > 0 && (sh == nil || recs[i].Boxes < sh.Boxes) {
			sh = &recs[i]
		}
	}
	if sh == nil {
		t.Fatal("the demo has no shipment to a city with a confidential or sensitive venue")
	}
	return sh, secrets[sh.City]
}

// TestDocumentsNameNoVenue: the paperwork of a city with a shelter (a
// confidential venue or one of a sensitive category) names the city,
// never the shelter, whoever downloads it.
func TestDocumentsNameNoVenue(t *testing.T) {
	needTools(t, "pdftotext")
	ts, _ := docServer(t, Config{PublicURL: "https://reparto.example.org"})
	ctx := context.Background()
	camp, err := ts.db.GetCampaign(ctx, ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	sh, secrets := shipmentToAShelter(t, ts, camp)
	t.Logf("shipment %d to %s: %d names and addresses that must not be printed", sh.ID, sh.City, len(secrets))
	for _, role := range []string{web.RoleViewer, web.RoleAdmin} {
		cl := ts.client(t, role)
		for _, path := range []string{
			fmt.Sprintf("/campaigns/%d/shipments/%d/documents.pdf", ts.CampaignID, sh.ID),
			fmt.Sprintf("/campaigns/%d/shipments/%d/labels.pdf?format=thermal", ts.CampaignID, sh.ID),
			fmt.Sprintf("/campaigns/%d/dispatch/%s/documents.pdf", ts.CampaignID, sh.Dispatch),
		} {
			resp, body := fetchPDF(t, cl, ts.URL+path, nil)
			checkPDFHeaders(t, resp, body, "reparto-")
			text := strings.Join(strings.Fields(pdfToText(t, body)), " ")
			if !strings.Contains(text, web.CityName(camp, sh.City)) {
				t.Errorf("%s as %s: the city is not printed", path, role)
			}
			for _, s := range secrets {
				if strings.Contains(text, strings.Join(strings.Fields(s), " ")) {
					t.Errorf("%s as %s prints %q", path, role, s)
				}
			}
		}
	}
}

// TestDispatchFormOffersThePackedBoxes: the dispatch form starts from the
// number of boxes the labels and the waybill number ("box i of N"), not
// from the schedule's one-material-per-box count. It used to offer the
// latter: the dock printed 20 labels, accepted the form's 30, and the
// shipment then said 30 boxes dispatched against a waybill of 20.
func TestDispatchFormOffersThePackedBoxes(t *testing.T) {
	ts, _ := docServer(t, DefaultConfig())
	ctx := context.Background()
	recs, err := ts.db.ListShipments(ctx, ts.CampaignID, store.ShipmentFilter{Today: planner.NewDate(2009, time.March, 20)})
	if err != nil {
		t.Fatal(err)
	}
	cl := ts.client(t, web.RolePlanner)
	checked := 0
	for _, r := range recs {
		if r.State().Stage != planner.StagePlanned {
			continue
		}
		runs, err := ts.db.ShipmentBoxes(ctx, ts.CampaignID, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		packed := planner.BoxCount(runs)
		if packed == 0 || packed == r.Boxes {
			continue
		}
		code, body := ts.get(t, cl, fmt.Sprintf("/campaigns/%d/shipments/%d", ts.CampaignID, r.ID))
		m := regexp.MustCompile(`id="dispatched-boxes"[^>]*value="(\d+)"`).FindStringSubmatch(body)
		if code != http.StatusOK || m == nil {
			t.Fatalf("shipment %d: %d, no dispatch form with boxes", r.ID, code)
		}
		if m[1] != strconv.FormatInt(packed, 10) {
			t.Errorf("shipment %d: the dispatch form offers %s boxes, want the %d packed (the schedule counts %d)", r.ID, m[1], packed, r.Boxes)
		}
		if checked++; checked == 3 {
			break
		}
	}
	if checked == 0 {
		t.Fatal("the demo has no planned shipment whose packing saves a box")
	}
}
