package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// A confidential venue with a name and an address that appear nowhere
// else, so that finding either in a list is a leak; its id is a name and a
// street, as planners sometimes type them, so finding it is a leak too.
const (
	secretVenueID      = "Refugio-Esperanza-Calle-5"
	secretVenueName    = "Refugio Zafiro Oculto"
	secretVenueAddress = "Callejón del Sigilo 13"
)

// secretVenueRef is what lists and pages show in place of secretVenueID.
func secretVenueRef(ts *testServer) string {
	return planner.ConfidentialRef(ts.CampaignID, secretVenueID)
}

// venueListFixture is the demo (27 registered venues, six of them
// shelters) plus one confidential bus terminal in Mexico City, with the
// plan committed.
func venueListFixture(t *testing.T) (*testServer, *planner.Campaign, *planner.Plan) {
	t.Helper()
	ts := newTestServer(t)
	ctx := context.Background()
	if err := ts.db.AddVenues(ctx, ts.CampaignID, []planner.Venue{{ID: secretVenueID, Name: secretVenueName,
		Address: secretVenueAddress, Category: "CENTRAL-AUTOBUS", Lat: 19.45, Lon: -99.15, City: "MEX", Confidential: true}}); err != nil {
		t.Fatal(err)
	}
	camp, plan := demoPlan(t, ts)
	if _, err := ts.db.CommitPlan(ctx, ts.CampaignID, 0, "test", "", plan); err != nil {
		t.Fatal(err)
	}
	v, err := ts.db.LatestPlan(ctx, ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	return ts, camp, v.Plan
}

func listPath(ts *testServer, city, ext, query string) string {
	p := fmt.Sprintf("/campaigns/%d/cities/%s/distribution.%s", ts.CampaignID, city, ext)
	if query != "" {
		p += "?" + query
	}
	return p
}

// TestDistributionListsSumToTheAllocation checks every city of the demo:
// the CSV's rows are the per-venue allocation of the committed plan
// exactly (each venue and material, each category's unregistered part),
// and so add up to the city's cells.
func TestDistributionListsSumToTheAllocation(t *testing.T) {
	ts, camp, plan := venueListFixture(t)
	cells, err := planner.AllocateVenues(camp, plan)
	if err != nil {
		t.Fatal(err)
	}
	hidden, err := ts.db.HiddenVenueIDs(context.Background(), ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]int64{} // city → venue (reference when hidden) or category|material → pieces
	cellPieces := map[string]int64{}
	for _, c := range cells {
		if want[c.City] == nil {
			want[c.City] = map[string]int64{}
		}
		for _, s := range c.Venues {
			id := s.VenueID
			if hidden[id] {
				id = planner.ConfidentialRef(ts.CampaignID, id)
			}
			if s.Pieces > 0 {
				want[c.City]["v "+id+"|"+c.Material] += s.Pieces
			}
		}
		if c.UnregisteredPieces > 0 {
			want[c.City]["u "+c.Category+"|"+c.Material] += c.UnregisteredPieces
		}
		cellPieces[c.City] += c.Pieces
	}
	cl := ts.client(t, web.RoleViewer)
	venues := 0
	for _, city := range camp.Cities {
		rows := download(t, ts, cl, listPath(ts, city.Code, "csv", "max_stops_per_day=3"), "distribution-"+strings.ToLower(city.Code), "")
		got := map[string]int64{}
		var total int64
		for _, r := range rows[1:] {
			key := "v " + r[3] + "|" + r[7]
			if r[3] == "" {
				key = "u " + r[6] + "|" + r[7]
			} else {
				venues++
			}
			got[key] += atoi(t, r[8])
			total += atoi(t, r[8])
		}
		if fmt.Sprint(got) != fmt.Sprint(want[city.Code]) && (len(got) > 0 || len(want[city.Code]) > 0) {
			t.Errorf("%s: list %v\nallocation %v", city.Code, got, want[city.Code])
		}
		if total != cellPieces[city.Code] {
			t.Errorf("%s: list has %d pieces, the plan's cells %d", city.Code, total, cellPieces[city.Code])
		}
	}
	if venues == 0 {
		t.Fatal("no registered venue on any list: the fixture tests nothing")
	}
}

// TestDistributionListsNeverNameConfidentialVenues asks for Mexico City's
// list (two shelters and the confidential terminal) in every form and as
// every role: the venue is there by its reference, its id, name and
// address never.
func TestDistributionListsNeverNameConfidentialVenues(t *testing.T) {
	ts, _, _ := venueListFixture(t)
	ref := secretVenueRef(ts)
	for _, role := range []string{web.RoleViewer, web.RolePlanner, web.RoleAdmin} {
		cl := ts.client(t, role)
		for _, tt := range []struct{ path, ctype, want string }{
			{listPath(ts, "MEX", "csv", ""), "text/csv; charset=utf-8", "Sede confidencial " + ref + " — contacte a la coordinación"},
			{listPath(ts, "MEX", "pdf", "max_km_per_day=5"), "application/pdf", "Sede confidencial " + ref + " —"},
			{fmt.Sprintf("/campaigns/%d/distribution-lists", ts.CampaignID), "text/html; charset=utf-8", "/cities/MEX/distribution.pdf"},
		} {
			resp, err := cl.Get(ts.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != tt.ctype {
				t.Fatalf("%s as %s: %d %s", tt.path, role, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			text := string(body)
			if tt.ctype == "application/pdf" {
				text = listPDFText(t, body)
			}
			text = strings.Join(strings.Fields(text), " ")
			if !strings.Contains(text, tt.want) {
				t.Errorf("%s as %s lacks %q", tt.path, role, tt.want)
			}
			for _, secret := range []string{secretVenueID, secretVenueName, secretVenueAddress, "Zafiro", "Sigilo", "Esperanza"} {
				if strings.Contains(text, secret) {
					t.Errorf("%s as %s names the confidential venue: %q", tt.path, role, secret)
				}
			}
		}
	}
}

// TestDistributionListPDFInVisitingOrder reads the PDF's text: day
// headings in order, each venue once.
func TestDistributionListPDFInVisitingOrder(t *testing.T) {
	ts, _, _ := venueListFixture(t)
	cl := inEnglish(t, ts, ts.client(t, web.RoleViewer))
	resp, err := cl.Get(ts.URL + listPath(ts, "MEX", "pdf", "max_stops_per_day=2"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %.300s", resp.StatusCode, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasSuffix(cd, "-distribution-mex-2009-03-20.pdf") {
		t.Errorf("Content-Disposition %q", cd)
	}
	text := strings.Join(strings.Fields(listPDFText(t, body)), " ")
	at := 0
	for _, w := range []string{"Distribution list: Ciudad de México", "2 stops a day", "Day 1 · stops: 2", "Day 2 · stops: 2",
		"Venues not yet registered", "Total per material"} {
		i := strings.Index(text[at:], w)
		if i < 0 {
			t.Fatalf("%q missing after %d in %s", w, at, text)
		}
		at += i + len(w)
	}
}

func TestDistributionListOptionsNameTheField(t *testing.T) {
	ts, _, _ := venueListFixture(t)
	cl := inEnglish(t, ts, ts.client(t, web.RoleViewer))
	tests := []struct {
		query, field string
	}{
		{"max_stops_per_day=-1", "max-stops-error"},
		{"max_stops_per_day=dos", "max-stops-error"},
		{"max_km_per_day=-3", "max-km-error"},
		{"max_km_per_day=99999", "max-km-error"},
	}
	for _, tt := range tests {
		code, body := ts.get(t, cl, fmt.Sprintf("/campaigns/%d/distribution-lists?%s", ts.CampaignID, tt.query))
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="`+tt.field+`"`) {
			t.Errorf("page %s: %d, error %s shown: %v", tt.query, code, tt.field, strings.Contains(body, tt.field))
		}
		code, body = ts.get(t, cl, listPath(ts, "MEX", "csv", tt.query))
		name := strings.ReplaceAll(strings.TrimSuffix(tt.field, "-error"), "-", "_")
		if code != http.StatusBadRequest && code != http.StatusUnprocessableEntity || !strings.Contains(body, name) {
			t.Errorf("csv %s: %d, names %s: %v", tt.query, code, name, strings.Contains(body, name))
		}
	}
	if code, _ := ts.get(t, cl, listPath(ts, "ZZZ", "csv", "")); code != http.StatusNotFound {
		t.Errorf("unknown city: %d", code)
	}
}

func TestDistributionListsBeforeACommit(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RoleViewer)
	code, body := ts.get(t, cl, fmt.Sprintf("/campaigns/%d/distribution-lists", ts.CampaignID))
	if code != http.StatusOK || !strings.Contains(body, `id="lists-none"`) {
		t.Errorf("page: %d", code)
	}
	if code, _ := ts.get(t, cl, listPath(ts, "MEX", "csv", "")); code != http.StatusConflict {
		t.Errorf("csv before a commit: %d, want 409", code)
	}
}

// listPDFText is the PDF's text by pdftotext; the test is skipped without it.
func listPDFText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip("pdftotext not installed (apt-get install -y poppler-utils)")
	}
	f := filepath.Join(t.TempDir(), "list.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
