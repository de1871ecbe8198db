package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/account"
)

// TestFormErrorsAreSpanish: a required field left empty and a bound
// overstepped are said in Spanish next to their fields, the number
// grouped as es-MX groups it.
func TestFormErrorsAreSpanish(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	tests := []struct {
		name, field, value, want string
	}{
		{"required", "name", "", "es obligatorio"},
		{"bound", "pack_size", "1000001", "debe ser como máximo 1,000,000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := with(validMaterialForm(), tt.field, tt.value)
			code, body, _ := ts.post(t, cl, fmt.Sprintf("/campaigns/%d/data/materials", ts.CampaignID), form)
			if code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", code)
			}
			if got := fieldErrorByID(body, tt.field); got != tt.want {
				t.Errorf("%s error %q, want %q", tt.field, got, tt.want)
			}
		})
	}
}

// TestTodayErrorIsTranslated: a ?today= outside the campaign is said in
// the page's language, and on the API in the language Accept-Language
// asks for (English text of the planner without one), with the path
// "today" and the message id kept machine-readable.
func TestTodayErrorIsTranslated(t *testing.T) {
	f := newTrackingFixture(t, true)
	w := f.viewer.call("GET", "/campaigns/"+itoa(f.campaign)+"/dashboard?today=2009-03-21", nil)
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Día consultado: no puede ser posterior al 2009-03-20") {
		t.Errorf("page: %d %s", w.Code, w.Body.String())
	}
	api := f.campaignPath("/progress?today=2009-03-21")
	tests := []struct {
		lang, message, field string
	}{
		{"es-MX,es;q=0.9", "Día consultado: no puede ser posterior al 2009-03-20, el día de hoy de la campaña",
			"no puede ser posterior al 2009-03-20, el día de hoy de la campaña"},
		{"en-US,en;q=0.9", "Day shown: must not be after 2009-03-20, the campaign's today",
			"must not be after 2009-03-20, the campaign's today"},
		{"", "today: must not be after 2009-03-20, the campaign's today", "must not be after 2009-03-20, the campaign's today"},
	}
	for _, tt := range tests {
		var headers []string
		if tt.lang != "" {
			headers = []string{"Accept-Language", tt.lang}
		}
		w := f.viewer.call("GET", api, nil, headers...)
		d := jsonError(t, w)
		if w.Code != http.StatusBadRequest || d.Message != tt.message || d.Fields["today"] != tt.field {
			t.Errorf("Accept-Language %q: %d %+v", tt.lang, w.Code, d)
		}
		if d.MessageID != planner.MsgAfterToday || d.FieldMessageIDs["today"] != planner.MsgAfterToday {
			t.Errorf("Accept-Language %q: message ids %q %v", tt.lang, d.MessageID, d.FieldMessageIDs)
		}
	}
}

// TestPlaceSaysCSVLinesInWords: the import preview names a CSV row and
// column in words, not as the parser's "line 3: lat".
func TestPlaceSaysCSVLinesInWords(t *testing.T) {
	ts := newTestServer(t)
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodGet, "/", nil)
	p := ts.s.web.NewPage(c, "", nil)
	for path, want := range map[string]string{
		"line 3: lat":            "Línea 3 › Latitud",
		"line 1":                 "Línea 1",
		"materials[3].pack_size": "Material n.º 4 › Piezas por paquete",
	} {
		if got := p.Place(path); got != want {
			t.Errorf("Place(%q) = %q, want %q", path, got, want)
		}
	}
}

// The store's own refusals (list filters) carry ids too, so the API
// says them in the language asked for.
func TestStoreRefusalsAreTranslated(t *testing.T) {
	f := newTrackingFixture(t, true)
	tests := []struct {
		query, field, id, es string
	}{
		{"/shipments?status=bogus", "status", planner.MsgOneOf, "debe ser uno de late, at_risk"},
	}
	for _, tt := range tests {
		w := f.viewer.call("GET", f.campaignPath(tt.query), nil, "Accept-Language", "es-MX")
		d := jsonError(t, w)
		if w.Code < 400 || w.Code >= 500 || !strings.Contains(d.Fields[tt.field], tt.es) || d.FieldMessageIDs[tt.field] != tt.id {
			t.Errorf("%s: %d %+v", tt.query, w.Code, d)
		}
	}
}

// Every refusal of a new password has an id the account page translates.
func TestPasswordRefusalsCarryIDs(t *testing.T) {
	for pw, want := range map[string]planner.MsgID{
		"short":                 planner.MsgPasswordShort,
		"password123":           planner.MsgPasswordCommon,
		"aaaaaaaaaaaaaaaaaaaaa": planner.MsgPasswordSimple,
		strings.Repeat("ñ", 40): planner.MsgPasswordLong,
	} {
		err := account.CheckPasswordRules("password", pw)
		fe := planner.ErrorFields(err)
		if len(fe) != 1 || fe[0].ID != want {
			t.Errorf("%q: %v, want id %s", pw, err, want)
		}
	}
}
