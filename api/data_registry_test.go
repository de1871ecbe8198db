package api

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// venueTotal counts the campaign's venues.
func venueTotal(t *testing.T, ts *testServer) int64 {
	t.Helper()
	page, err := ts.db.ListVenues(context.Background(), ts.CampaignID, store.VenueFilter{ListOptions: store.ListOptions{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

// importAndConfirm previews text and confirms it; it returns the preview.
func importAndConfirm(t *testing.T, ts *testServer, cl *http.Client, text string) string {
	t.Helper()
	code, body := uploadCSV(t, ts, cl, text)
	if code != http.StatusOK {
		t.Fatalf("preview: %d", code)
	}
	confirm := fmt.Sprintf("/campaigns/%d/data/venues/import/confirm", ts.CampaignID)
	form := url.Values{"csv": {confirmText(t, body)}, "file_name": {"sitios.csv"}}
	if code, _, _ := ts.post(t, cl, confirm, form); code != http.StatusSeeOther {
		t.Fatalf("confirm: %d", code)
	}
	return html.UnescapeString(body)
}

func TestDataReimportDoesNotDouble(t *testing.T) {
	tests := []struct{ name, file string }{
		{"rows without ids", importHeader + "Bar Uno,BAR,14.91,-92.26,,Calle 1,no\nBar Dos,BAR,14.92,-92.26,TAP,,no\n"},
		{"rows with ids", "id,name,category,lat,lon\nb-1,Bar Uno,BAR,14.91,-92.26\nb-2,Bar Dos,BAR,14.92,-92.26\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t)
			cl := ts.client(t, web.RolePlanner)
			before := venueTotal(t, ts)
			first := importAndConfirm(t, ts, cl, tt.file)
			if !strings.Contains(first, "2 nuevos, 0 modificados, 0 sin cambios, 0 filas duplicadas en el archivo.") {
				t.Fatal("the first preview does not say 2 new")
			}
			second := importAndConfirm(t, ts, cl, tt.file)
			if !strings.Contains(second, "0 nuevos, 0 modificados, 2 sin cambios, 0 filas duplicadas en el archivo.") {
				t.Fatal("the re-import preview does not say 2 unchanged")
			}
			if got := venueTotal(t, ts); got != before+2 {
				t.Fatalf("%d venues after importing the same file twice, want %d", got, before+2)
			}
		})
	}
}

func TestDataImportRefusesDuplicateIDs(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	code, body := uploadCSV(t, ts, cl, "id,name,category,lat,lon\nb-1,Uno,BAR,14.91,-92.26\nb-1,Otro,BAR,14.92,-92.26\n")
	body = html.UnescapeString(body)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "1 filas duplicadas en el archivo") ||
		!strings.Contains(body, `Línea 3 › Identificador: el id de sitio «b-1» también está en la línea 2`) || strings.Contains(body, `name="csv"`) {
		t.Fatalf("duplicate ids: %d, not refused with both lines named", code)
	}
}

func TestDataImportUndo(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	before := venueTotal(t, ts)
	importAndConfirm(t, ts, cl, importHeader+"Bar Uno,BAR,14.91,-92.26,,,no\nBar Dos,BAR,14.92,-92.26,,,no\n")
	history := fmt.Sprintf("/campaigns/%d/data/venues/imports", ts.CampaignID)
	_, body := ts.get(t, cl, history)
	m := regexp.MustCompile(`href="(/campaigns/\d+/data/venues/imports/undo\?import=\d+)"`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "sitios.csv") || !strings.Contains(body, "planner@test.local") {
		t.Fatal("the history does not list the import (file, who) with an undo link")
	}
	undo := html.UnescapeString(m[1])
	code, body := ts.get(t, cl, undo)
	if code != http.StatusOK || !strings.Contains(body, "borra los 2 sitios que creó") || venueTotal(t, ts) != before+2 {
		t.Fatalf("undo page: %d, does not say what it deletes (or deleted on GET)", code)
	}
	if code, _, loc := ts.post(t, cl, undo, url.Values{}); code != http.StatusSeeOther || loc != history {
		t.Fatalf("undo: %d to %q", code, loc)
	}
	if got := venueTotal(t, ts); got != before {
		t.Fatalf("%d venues after undo, want %d", got, before)
	}
	if _, body := ts.get(t, cl, history); strings.Contains(body, "imports/undo?") || !strings.Contains(body, "Deshecha por") {
		t.Fatal("the undone import still offers undo")
	}
	if code, _, _ := ts.post(t, cl, undo, url.Values{}); code != http.StatusConflict {
		t.Fatalf("second undo: %d, want 409", code)
	}
}

func TestDataDeleteAsksFirst(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	keyRE := regexp.MustCompile(`/edit\?key=([^"]+)"`)
	for _, kind := range dataKinds {
		t.Run(kind, func(t *testing.T) {
			base := fmt.Sprintf("/campaigns/%d/data/%s", ts.CampaignID, kind)
			_, list := ts.get(t, cl, base)
			m := keyRE.FindStringSubmatch(list)
			if m == nil {
				t.Skip("the demo has no row of this kind")
			}
			key := html.UnescapeString(m[1])
			_, form := ts.get(t, cl, base+"/edit?key="+key)
			deleteURL := html.EscapeString(base + "/delete?key=" + key)
			if !strings.Contains(form, `href="`+deleteURL+`"`) || strings.Contains(form, `action="`+deleteURL+`"`) {
				t.Fatal("the form deletes without asking (no link to the confirmation page)")
			}
			code, page := ts.get(t, cl, base+"/delete?key="+key)
			if code != http.StatusOK || !strings.Contains(page, `<form method="post" action="`+deleteURL+`">`) {
				t.Fatalf("confirmation page: %d without the delete button", code)
			}
			if _, again := ts.get(t, cl, base); keyRE.FindStringSubmatch(again)[1] != m[1] {
				t.Fatal("showing the confirmation deleted the row")
			}
		})
	}
}

func TestDataCategorySensitiveOffNeedsConfirmation(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	// One shelter not marked confidential on its own: stored confidential
	// (the category is sensitive) but revealed if "sensitive" goes off.
	err := ts.db.AddVenues(ctx, ts.CampaignID, []planner.Venue{{ID: "alb-x", Name: "Albergue X", Category: "ONG-ALBERGUE", Lat: 14.9, Lon: -92.26}})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := ts.db.GetVenue(ctx, ts.CampaignID, "alb-x"); !v.Confidential {
		t.Fatal("a venue of a sensitive category was stored public")
	}
	cl := ts.client(t, web.RolePlanner)
	edit := fmt.Sprintf("/campaigns/%d/data/categories/edit?key=ONG-ALBERGUE", ts.CampaignID)
	form := url.Values{"code": {"ONG-ALBERGUE"}, "name": {"Albergues"}, "group": {"civil society"}}
	code, body, _ := ts.post(t, cl, edit, form)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "1 nombres de sitios quedarían visibles") {
		t.Fatalf("turning sensitive off without confirming: %d, no count of revealed names", code)
	}
	if v, _ := ts.db.GetVenue(ctx, ts.CampaignID, "alb-x"); !v.Confidential {
		t.Fatal("the refused save revealed the venue")
	}
	form.Set("confirm_reveal", "true")
	if code, _, _ := ts.post(t, cl, edit, form); code != http.StatusSeeOther {
		t.Fatalf("confirmed: %d", code)
	}
	if v, _ := ts.db.GetVenue(ctx, ts.CampaignID, "alb-x"); v.Confidential {
		t.Fatal("alb-x stayed confidential after the category stopped being sensitive")
	}
	if v, _ := ts.db.GetVenue(ctx, ts.CampaignID, "v-0019"); !v.Confidential {
		t.Fatal("v-0019, marked confidential on its own, was revealed")
	}
}

func TestDataCityState(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	cities := fmt.Sprintf("/campaigns/%d/data/cities", ts.CampaignID)
	city := func(state string) url.Values { // Tapachula's coordinates, in Chiapas
		return url.Values{"code": {"TST"}, "name": {"Prueba"}, "state": {state}, "lat": {"14.9039"}, "lon": {"-92.2575"}}
	}
	code, body, _ := ts.post(t, cl, cities, city("MX-XXX"))
	if code != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "«MX-XXX» no es uno de los 32 estados") {
		t.Fatalf("unknown state: %d", code)
	}
	_, form := ts.get(t, cl, cities+"/new")
	if !strings.Contains(form, `<option value="MX-JAL" >Jalisco</option>`) {
		t.Fatal("the state is not a select of state names")
	}
	if code, _, _ := ts.post(t, cl, cities, city("MX-JAL")); code != http.StatusSeeOther {
		t.Fatalf("a city in the wrong state must save (a warning, not an error): %d", code)
	}
	_, list := ts.get(t, cl, cities)
	if !strings.Contains(list, "TST — Prueba: su estado es Jalisco, pero sus coordenadas caen en Chiapas.") {
		t.Fatal("no warning for a city whose coordinates are in another state")
	}
	if strings.Contains(list, "AGU — ") && strings.Contains(list, "sus coordenadas caen en Aguascalientes") {
		t.Fatal("a city in its own state is flagged")
	}
}

func TestDataVenueListAssignedCityAndNaturalOrder(t *testing.T) {
	ts := newTestServer(t)
	var vs []planner.Venue
	for _, id := range []string{"imp-10", "imp-2", "imp-1"} {
		vs = append(vs, planner.Venue{ID: id, Name: "Sitio " + id, Category: "BAR", Lat: 14.91, Lon: -92.26})
	}
	vs = append(vs, planner.Venue{ID: "imp-3", Name: "En el mar", Category: "BAR", Lat: 10, Lon: -100})
	if err := ts.db.AddVenues(context.Background(), ts.CampaignID, vs); err != nil {
		t.Fatal(err)
	}
	_, body := ts.get(t, ts.client(t, web.RolePlanner), fmt.Sprintf("/campaigns/%d/data/venues?q=imp-", ts.CampaignID))
	order := regexp.MustCompile(`key=(imp-\d+)"`).FindAllStringSubmatch(body, -1)
	var got []string
	for _, m := range order {
		got = append(got, m[1])
	}
	if fmt.Sprint(got) != "[imp-1 imp-2 imp-3 imp-10]" {
		t.Fatalf("ids listed as %v, want natural order", got)
	}
	if !strings.Contains(body, "TAP (por coordenadas)") || !strings.Contains(body, "ninguna (fuera de todo radio)") {
		t.Fatal("the list does not show the city each venue is assigned to")
	}
}
