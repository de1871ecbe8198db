package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
)

// TestCityFormAddress: the city form saves the address of the city's
// receiving office, shows it again, and refuses a bad one beside the
// field, changing nothing.
func TestCityFormAddress(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	list := fmt.Sprintf("/campaigns/%d/data/cities", ts.CampaignID)
	city := url.Values{"code": {"NEWA"}, "name": {"Nueva"}, "state": {""}, "lat": {"19.1"}, "lon": {"-99.1"},
		"population": {"1000"}, "priority": {"1"}, "radius_km": {"15"}, "note": {""},
		"address": {"Oficina receptora, Calle 5 nº 12 <planta baja>"}}
	if code, body, _ := ts.post(t, cl, list, city); code != http.StatusSeeOther {
		t.Fatalf("create: status %d, address error %q", code, fieldErrorByID(body, "address"))
	}
	code, body := ts.get(t, cl, list+"/edit?key=NEWA")
	if code != http.StatusOK || formValues(body).Get("address") != city.Get("address") {
		t.Fatalf("edit page: status %d, address %q", code, formValues(body).Get("address"))
	}
	if !strings.Contains(body, `<label for="f-address">Dirección</label>`) {
		t.Errorf("the address field has no label")
	}

	tests := []struct {
		name, value string
		status      int
		want        string
	}{
		{"too long", strings.Repeat("ñ", 501), http.StatusUnprocessableEntity, "admite como máximo 500 caracteres"},
		{"NUL", "Calle\x00 5", http.StatusBadRequest, ""},
		{"not UTF-8", "caf\xe9", http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, _ := ts.post(t, cl, list+"/edit?key=NEWA", with(city, "address", tt.value))
			if code != tt.status {
				t.Fatalf("status %d, want %d", code, tt.status)
			}
			if tt.want != "" && fieldErrorByID(body, "address") != tt.want {
				t.Errorf("address error %q, want %q", fieldErrorByID(body, "address"), tt.want)
			}
			if tt.want == "" && !strings.Contains(body, "address") {
				t.Errorf("the refusal does not name the field:\n%s", body)
			}
			c, err := ts.db.GetCampaign(context.Background(), ts.CampaignID)
			if err != nil {
				t.Fatal(err)
			}
			if k, _ := c.City("NEWA"); k.Address != city.Get("address") {
				t.Errorf("stored address %q after a refused edit", k.Address)
			}
		})
	}
}

// TestSettingsDepotAddress: the settings form saves the depot's address,
// shows it again, and refuses one over the bound beside the field.
func TestSettingsDepotAddress(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	path := fmt.Sprintf("/campaigns/%d/settings", ts.CampaignID)
	_, body := ts.get(t, cl, path)
	form := settingsForm(t, body)
	if _, ok := form["depot_address"]; !ok || !strings.Contains(body, `<label for="f-depot_address">Dirección del almacén</label>`) {
		t.Fatal("the settings form has no labelled depot_address field")
	}

	long := with(form, "depot_address", strings.Repeat("x", 501))
	code, body, _ := ts.post(t, cl, path, long)
	if code != http.StatusUnprocessableEntity || fieldError(body, "depot_address") == "" {
		t.Fatalf("too long: status %d, error beside depot_address %q", code, fieldError(body, "depot_address"))
	}

	const addr = "Calle Almacén 17 & Bodega 3"
	code, _, loc := ts.post(t, cl, path, with(form, "depot_address", addr))
	if code != http.StatusSeeOther || loc != path {
		t.Fatalf("save: status %d to %q", code, loc)
	}
	c, err := ts.db.GetCampaignHeader(context.Background(), ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Depot.Address != addr {
		t.Errorf("stored depot address %q, want %q", c.Depot.Address, addr)
	}
	_, body = ts.get(t, cl, path)
	if got := settingsForm(t, body).Get("depot_address"); got != addr {
		t.Errorf("the form shows %q, want %q", got, addr)
	}
}
