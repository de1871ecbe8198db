package api

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
)

// TestDataFormsRefuseValuesAboveBounds: the forms go through the
// planner's bounds, each error next to its field and in Spanish (issue 12:
// printed = 10^15 was stored and pinned a CPU; issue 9: a 100,000 km
// radius and a 10,000-character name were accepted).
func TestDataFormsRefuseValuesAboveBounds(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	city := url.Values{"code": {"NEWK"}, "name": {"Nueva"}, "state": {""}, "lat": {"19.1"}, "lon": {"-99.1"},
		"population": {"1000"}, "priority": {"1"}, "radius_km": {"15"}, "note": {""}}
	tests := []struct {
		name   string
		entity string
		form   url.Values
		field  string
		want   string
	}{
		{"printed 10^15", "materials", with(validMaterialForm(), "printed", "1000000000000000"), "printed", "debe ser como máximo 10,000,000,000"},
		{"pack size", "materials", with(validMaterialForm(), "pack_size", "1000001"), "pack_size", "debe ser como máximo 1,000,000"},
		{"material name", "materials", with(validMaterialForm(), "name", strings.Repeat("x", 10_000)), "name", "admite como máximo 200 caracteres"},
		{"radius", "cities", with(city, "radius_km", "100000"), "radius_km", "debe ser como máximo 500"},
		{"note", "cities", with(city, "note", strings.Repeat("ñ", 501)), "note", "admite como máximo 500 caracteres"},
		{"accented code", "cities", with(city, "code", "LEÓN"), "code", `de 1 a 32 letras (A-Z, Ñ), dígitos, "_" o "-"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, _ := ts.post(t, cl, fmt.Sprintf("/campaigns/%d/data/%s", ts.CampaignID, tt.entity), tt.form)
			if code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", code)
			}
			if got := fieldErrorByID(body, tt.field); got != tt.want {
				t.Errorf("%s error %q, want %q", tt.field, got, tt.want)
			}
		})
	}

	// Ñ is a letter of codes.
	code, body, _ := ts.post(t, cl, fmt.Sprintf("/campaigns/%d/data/cities", ts.CampaignID), with(city, "code", "PEÑON"))
	if code != http.StatusSeeOther {
		t.Fatalf("city PEÑON: status %d, want 303; %s", code, fieldErrorByID(body, "code"))
	}
	list := fmt.Sprintf("/campaigns/%d/data/cities", ts.CampaignID)
	if code, body := ts.get(t, cl, list+"?q=PE%C3%91ON"); code != http.StatusOK || !strings.Contains(body, "PEÑON") {
		t.Errorf("city list: status %d, PEÑON listed %v", code, strings.Contains(body, "PEÑON"))
	}
	if code, body := ts.get(t, cl, list+"/edit?key="+url.QueryEscape("PEÑON")); code != http.StatusOK || !strings.Contains(body, `value="PEÑON"`) {
		t.Errorf("edit PEÑON: status %d, code shown %v", code, strings.Contains(body, `value="PEÑON"`))
	}
}

// fieldErrorByID is fieldError for any kind of input (a textarea too).
func fieldErrorByID(body, name string) string {
	m := regexp.MustCompile(`<p class="field-error" id="` + regexp.QuoteMeta(name) + `-error">([^<]*)</p>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// with returns a copy of v with key set to value.
func with(v url.Values, key, value string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	out.Set(key, value)
	return out
}

// TestScenarioRefusesCapacityAboveBound: a what-if is validated with the
// same bounds, the error next to its field in the reader's language.
func TestScenarioRefusesCapacityAboveBound(t *testing.T) {
	ts := newTestServer(t)
	code, body := ts.get(t, ts.client(t, web.RoleViewer), planPath(ts, "/scenario?boxes_per_day=1000001"))
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", code)
	}
	wantContains(t, body, `data-field="boxes_per_day">debe ser como máximo 1,000,000</p>`)
}
