package api

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/reparto/reparto/store"
)

// The data TestBrowserCampaignFromScratch types, and the inputs it expects
// the pages to refuse.

var scratchMaterials = [][][2]string{
	{{"code", "CAR-A"}, {"name", "Cartel de orientación"}, {"format", "poster"}, {"audience", "general"},
		{"printed", "2000"}, {"reserve_pct", "0"}, {"pack_size", "25"}, {"packs_per_box", "20"}, {"piece_grams", "36"}},
	{{"code", "VOL-B"}, {"name", "Volante informativo"}, {"format", "flyer"}, {"audience", "general"},
		{"printed", "6000"}, {"reserve_pct", "0"}, {"pack_size", "50"}, {"packs_per_box", "10"}, {"piece_grams", "5"}},
	{{"code", "TRI-C"}, {"name", "Tríptico de derechos"}, {"format", "leaflet"}, {"audience", "migrantes"},
		{"printed", "3000"}, {"reserve_pct", "0"}, {"pack_size", "50"}, {"packs_per_box", "10"}, {"piece_grams", "8"}},
}

var scratchCities = [][][2]string{
	{{"code", "TGZ"}, {"name", "Tuxtla Gutiérrez"}, {"state", "MX-CHP"}, {"lat", "16.75973"}, {"lon", "-93.11308"},
		{"population", "600000"}, {"priority", "1"}, {"radius_km", "15"}},
	{{"code", "TAP"}, {"name", "Tapachula"}, {"state", "MX-CHP"}, {"lat", "14.9050"}, {"lon", "-92.2600"},
		{"population", "350000"}, {"priority", "1"}, {"radius_km", "15"}},
	{{"code", "VER"}, {"name", "Veracruz"}, {"state", "MX-VER"}, {"lat", "19.1738"}, {"lon", "-96.1342"},
		{"population", "600000"}, {"priority", "1"}, {"radius_km", "15"}},
	{{"code", "OAX"}, {"name", "Oaxaca"}, {"state", "MX-OAX"}, {"lat", "17.0732"}, {"lon", "-96.7266"},
		{"population", "300000"}, {"priority", "1"}, {"radius_km", "15"}},
}

var scratchCategories = [][][2]string{
	{{"code", "BAR"}, {"name", "Bares"}, {"group", "ocio"}},
	{{"code", "HOT"}, {"name", "Hoteles"}, {"group", "hospedaje"}},
	{{"code", "TERM"}, {"name", "Terminales de autobuses"}, {"group", "transporte"}},
}

var scratchTargeting = []struct {
	material, category string
	perVenue           int
}{
	{"CAR-A", "BAR", 2}, {"CAR-A", "HOT", 3},
	{"VOL-B", "BAR", 20}, {"VOL-B", "HOT", 10}, {"VOL-B", "TERM", 40},
	{"TRI-C", "HOT", 10}, {"TRI-C", "TERM", 30},
}

// scratchVenues is the venue file, in the format the import page shows.
const scratchVenues = `id,name,category,lat,lon,city,address,confidential
tgz-1,Bar El Jaguar,BAR,16.7530,-93.1160,TGZ,Av. Central 1,no
tgz-2,Hotel Tuxtla,HOT,16.7560,-93.1130,TGZ,Calle 2,no
tgz-3,Terminal OCC Tuxtla,TERM,16.7510,-93.1230,TGZ,5a Norte,no
tap-1,Bar La Estrella,BAR,14.9050,-92.2600,TAP,Av. Central 10,no
tap-2,Hotel Soconusco,HOT,14.9080,-92.2620,TAP,4a Sur,no
tap-3,Terminal Tapachula,TERM,14.9110,-92.2580,TAP,17 Oriente,no
ver-1,Bar El Puerto,BAR,19.1900,-96.1400,VER,Malecón 1,no
ver-2,Hotel Veracruz,HOT,19.1980,-96.1350,VER,Independencia 8,no
ver-3,Terminal ADO Veracruz,TERM,19.1710,-96.1380,VER,Díaz Mirón,no
oax-1,Bar Mezcal,BAR,17.0650,-96.7250,OAX,Alcalá 3,no
oax-2,Hotel Oaxaca,HOT,17.0620,-96.7200,OAX,Independencia 4,no
oax-3,Terminal ADO Oaxaca,TERM,17.0800,-96.7150,OAX,Niños Héroes,no
`

// refusedImport uploads a file with a bad row: the preview lists the
// errors in Spanish and nothing is stored.
func (e *scratch) refusedImport(t *testing.T) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "malo.csv")
	bad := "id,name,category,lat,lon,city,address,confidential\nx-1,Bar Sin Categoría,XYZ,16.75,-93.11,TGZ,,no\n"
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	if st := e.b.open(t, e.path("data/venues/import")); st != 200 {
		t.Fatalf("import page: status %d", st)
	}
	e.b.do(t, "choose the bad file", chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{path}))
	st, _ := e.b.submit(t, `form[enctype="multipart/form-data"] button[type=submit]`)
	msgs := eval[[]string](t, e.b, `Array.from(document.querySelectorAll('.import-errors li')).map(n => n.textContent.trim())`)
	t.Logf("bad file: status %d, errors %q", st, msgs)
	if len(msgs) == 0 {
		t.Fatalf("a file with an unknown category: status %d and no errors listed", st)
	}
	if got, err := e.ts.db.ListVenues(context.Background(), e.cid, store.VenueFilter{}); err != nil || got.Total != 0 {
		t.Fatalf("a refused file stored %d venues (%v)", got.Total, err)
	}
	e.b.forget(t, "status of 4")
}

// futureDispatch tries to record tomorrow's dispatch: refused, nothing stored.
func (e *scratch) futureDispatch(t *testing.T) {
	t.Helper()
	e.b.do(t, "date the dispatch tomorrow",
		chromedp.WaitVisible(chromedp.ID("form-dispatched")),
		chromedp.SetValue(chromedp.ID("dispatched-date"), "2010-02-02"))
	st, _ := e.b.submit(t, "#dispatched-submit")
	msgs := e.pageErrors(t)
	t.Logf("tomorrow's dispatch: status %d, %q", st, msgs)
	if st != 422 || msgs == "" {
		t.Fatalf("a dispatch dated tomorrow: status %d (%q), want 422 with the error", st, msgs)
	}
	if stage := e.stage(t); stage != "planned" {
		t.Fatalf("after a refused dispatch the stage is %s", stage)
	}
	e.b.do(t, "back to today", chromedp.SetValue(chromedp.ID("dispatched-date"), "2010-02-01"))
}

// forget drops the page errors that contain text: the browser's log of a
// status the test asked for (a refused commit). Every other error stays.
func (b *chromeTab) forget(t *testing.T, text string) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	kept := b.errors[:0]
	for _, e := range b.errors {
		if !strings.Contains(e, text) {
			kept = append(kept, e)
		}
	}
	b.errors = kept
}
