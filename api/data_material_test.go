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
	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/planio"
)

// validMaterialForm is a new material as the form posts it.
func validMaterialForm() url.Values {
	return url.Values{
		"code": {"TEST-NEW"}, "name": {"Cartel de prueba"}, "format": {"poster"}, "audience": {"general"},
		"printed": {"10000"}, "reserve_pct": {"2.5"}, "pack_size": {"50"}, "packs_per_box": {"10"}, "piece_grams": {"12.5"},
	}
}

// fieldError returns the message rendered next to the input named name,
// or "" when there is none.
func fieldError(body, name string) string {
	re := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `"[^>]*>\s*(?:<p class="muted help">[^<]*</p>\s*)?<p class="field-error" id="` +
		regexp.QuoteMeta(name) + `-error">([^<]*)</p>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// formValues reads the values a rendered form would post: text inputs,
// textareas, the selected option of each select and checked checkboxes.
func formValues(body string) url.Values {
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="text"[^>]* name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`<textarea[^>]* name="([^"]+)"[^>]*>([^<]*)</textarea>`).FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`<input type="checkbox"[^>]* name="([^"]+)" value="true" checked`).FindAllStringSubmatch(body, -1) {
		v.Set(m[1], "true")
	}
	for _, sel := range regexp.MustCompile(`(?s)<select[^>]* name="([^"]+)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(body, -1) {
		if m := regexp.MustCompile(`<option value="([^"]*)" selected`).FindStringSubmatch(sel[2]); m != nil {
			v.Set(sel[1], html.UnescapeString(m[1]))
		} else {
			v.Set(sel[1], "")
		}
	}
	return v
}

// demoCampaign parses the demo file independently of the store, for
// expected values.
func demoCampaign(t *testing.T) *planner.Campaign {
	t.Helper()
	f, err := assets.FS.Open("data/campaign-2009.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := planio.ParseCampaign(f)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDataMaterialCreate(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	base := fmt.Sprintf("/campaigns/%d/data/materials", ts.CampaignID)
	ctx := context.Background()

	bad := validMaterialForm()
	bad.Set("pack_size", "0")
	code, body, _ := ts.post(t, cl, base, bad)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("pack_size 0: status %d, want 422", code)
	}
	// The planner's "must be >= 1", in the default language (Spanish).
	if got, want := fieldError(body, "pack_size"), "debe ser mayor o igual a 1"; got != want {
		t.Errorf("pack_size error %q, want %q", got, want)
	}
	for _, name := range []string{"code", "name", "printed", "packs_per_box"} {
		if got := fieldError(body, name); got != "" {
			t.Errorf("unexpected error on %s: %q", name, got)
		}
	}
	kept := formValues(body)
	for name := range bad {
		if kept.Get(name) != bad.Get(name) {
			t.Errorf("field %s shows %q, the user typed %q", name, kept.Get(name), bad.Get(name))
		}
	}
	if _, err := ts.db.GetMaterial(ctx, ts.CampaignID, "TEST-NEW"); err == nil {
		t.Fatal("the invalid material was saved")
	}

	code, _, loc := ts.post(t, cl, base, validMaterialForm())
	if code != http.StatusSeeOther || loc != base {
		t.Fatalf("valid material: status %d to %q, want 303 to %s", code, loc, base)
	}
	m, err := ts.db.GetMaterial(ctx, ts.CampaignID, "TEST-NEW")
	if err != nil {
		t.Fatal(err)
	}
	if m.PackSize != 50 || m.ReservePct.String() != "2.5" || m.PieceGrams == nil || m.PieceGrams.String() != "12.5" {
		t.Errorf("stored %+v", m)
	}
	if _, body := ts.get(t, cl, base+"?q=TEST-NEW"); !strings.Contains(body, "Cartel de prueba") {
		t.Error("the new material is not listed")
	}
}

func TestDataMaterialParseErrorsNameFields(t *testing.T) {
	ts := newTestServer(t)
	base := fmt.Sprintf("/campaigns/%d/data/materials", ts.CampaignID)
	form := validMaterialForm()
	form.Set("printed", "mucho")
	form.Set("reserve_pct", "1e9")
	code, body, _ := ts.post(t, ts.client(t, web.RolePlanner), base, form)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", code)
	}
	if fieldError(body, "printed") == "" || fieldError(body, "reserve_pct") == "" {
		t.Error("errors not shown next to printed and reserve_pct")
	}
}

func TestDataMaterialEditKeepsOtherFields(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	ctx := context.Background()
	before, err := ts.db.GetMaterial(ctx, ts.CampaignID, "TRI-DELITO")
	if err != nil {
		t.Fatal(err)
	}
	edit := fmt.Sprintf("/campaigns/%d/data/materials/edit?key=TRI-DELITO", ts.CampaignID)
	code, body := ts.get(t, cl, edit)
	if code != http.StatusOK {
		t.Fatalf("edit form: %d", code)
	}
	form := formValues(body)
	form.Set("name", "Tríptico renombrado")
	if code, body, _ := ts.post(t, cl, edit, form); code != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", code, body)
	}
	after, err := ts.db.GetMaterial(ctx, ts.CampaignID, "TRI-DELITO")
	if err != nil {
		t.Fatal(err)
	}
	want := before
	want.Name = "Tríptico renombrado"
	if fmt.Sprintf("%+v", after) != fmt.Sprintf("%+v", want) {
		t.Fatalf("after edit:\n got %+v\nwant %+v", after, want)
	}
}

func TestDataMaterialDeleteRefusedWhileUsed(t *testing.T) {
	ts := newTestServer(t)
	var rules, locks int
	for _, r := range demoCampaign(t).Targeting {
		if r.Material == "TRI-DELITO" {
			rules++
		}
	}
	for _, l := range demoCampaign(t).Locks {
		if l.Material == "TRI-DELITO" {
			locks++
		}
	}
	if rules == 0 {
		t.Fatal("the demo no longer targets TRI-DELITO; pick another material")
	}
	del := fmt.Sprintf("/campaigns/%d/data/materials/delete?key=TRI-DELITO", ts.CampaignID)
	code, body, _ := ts.post(t, ts.client(t, web.RolePlanner), del, nil)
	if code != http.StatusConflict {
		t.Fatalf("status %d, want 409", code)
	}
	reason := fmt.Sprintf("aún lo usan %d reglas de focalización", rules)
	if locks > 0 {
		reason += fmt.Sprintf(", %d bloqueos", locks)
	}
	if !strings.Contains(html.UnescapeString(body), reason) {
		t.Errorf("the page does not say %q", reason)
	}
	if _, err := ts.db.GetMaterial(context.Background(), ts.CampaignID, "TRI-DELITO"); err != nil {
		t.Fatal("the material was deleted")
	}
}
