package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestMalformedRequestsAreSpanish: each malformed request a page or the
// JSON API refuses (a bad URL parameter, header or body; a missing or
// changed record) is said in Spanish when Accept-Language asks for it,
// naming its field, with the status it always had, and refusing it
// writes nothing.
func TestMalformedRequestsAreSpanish(t *testing.T) {
	f := newTrackingFixture(t, true)
	sh := f.shipment("MEX")
	shipment := "/api/v1/shipments/" + strconv.FormatInt(sh.ID, 10)
	page := "/campaigns/" + strconv.FormatInt(f.campaign, 10) + "/plan"
	long := strings.Repeat("x", 101)
	tests := []struct {
		name, method, path string
		body               any
		headers            []string
		anonymous, viewer  bool
		status             int
		field              string // the field named, "" for a message of the whole request
		want               string // in the page, the message or the field's message
	}{
		{name: "plan page zero", method: "GET", path: page + "?page=0", status: 400, want: "Página: «0» no es un número de página (1, 2, …)"},
		{name: "plan page word", method: "GET", path: page + "?page=dos", status: 400, want: "Página: «dos» no es un número de página"},
		{name: "plan material", method: "GET", path: page + "?material=NOPE", status: 400, want: "Material: «NOPE» no está en este plan"},
		{name: "plan state", method: "GET", path: page + "?state=MX-XXX", status: 400, want: "Estado: «MX-XXX» no está en este plan"},
		{name: "plan category", method: "GET", path: page + "?category=NOPE", status: 400, want: "Categoría: «NOPE» no está en este plan"},
		{name: "plan city search", method: "GET", path: page + "?city=" + long, status: 400, want: "Ciudad: admite como máximo 100 caracteres"},
		{name: "path id", method: "GET", path: "/api/v1/shipments/abc", status: 400, want: "id en la URL debe ser un número entero positivo"},
		{name: "campaign id", method: "GET", path: "/api/v1/campaigns/0/progress", status: 400, want: "id en la URL debe ser un número entero positivo"},
		{name: "no body", method: "PATCH", path: shipment, body: "", status: 400, want: "la solicitud necesita un cuerpo JSON"},
		{name: "bad JSON", method: "PATCH", path: shipment, body: `{"dispatch":`, status: 400, want: "el cuerpo de la solicitud no es un JSON válido"},
		{name: "trailing data", method: "PATCH", path: shipment, body: `{"version":1} {}`, status: 400, want: "el cuerpo de la solicitud no es un JSON válido"},
		{name: "bad date", method: "PATCH", path: shipment, body: `{"dispatch":"2009-02-30","version":1}`, status: 400, field: "dispatch", want: "debe ser una fecha (AAAA-MM-DD)"},
		{name: "wrong type", method: "PATCH", path: shipment, body: `{"version":"uno"}`, status: 400, field: "version", want: "tiene un tipo que no corresponde (se envió: string)"},
		{name: "unknown key", method: "PATCH", path: shipment, body: `{"bogus":1}`, status: 400, field: "bogus", want: "no es un campo de esta solicitud"},
		{name: "unknown nested key", method: "POST", path: shipment + "/events", body: `{"kind":"delivered","date":"2009-03-20","lines":[{"material":"L3","bogus":1}]}`, status: 400, field: "lines[0].bogus", want: "no es un campo de esta solicitud"},
		{name: "no version", method: "PATCH", path: shipment, body: `{"dispatch":"2009-03-25"}`, status: 400, want: "envíe If-Match con la ETag del envío"},
		{name: "bad If-Match", method: "PATCH", path: shipment, body: `{"dispatch":"2009-03-25"}`, headers: []string{"If-Match", "tres"}, status: 400, field: "If-Match", want: "If-Match debe ser la ETag del envío"},
		{name: "no dispatch", method: "PATCH", path: shipment, body: `{"version":1}`, status: 422, field: "dispatch", want: "es obligatorio: el nuevo día de carga"},
		{name: "event date", method: "POST", path: shipment + "/events", body: `{"kind":"delivered","date":"ayer"}`, status: 400, field: "date", want: "debe ser una fecha (AAAA-MM-DD)"},
		{name: "idempotency key", method: "POST", path: shipment + "/events", body: `{}`, headers: []string{"Idempotency-Key", "a b"}, status: 400, field: "Idempotency-Key", want: "caracteres ASCII imprimibles"},
		{name: "commit version", method: "POST", path: f.campaignPath("/plan/commit"), body: `{}`, status: 422, field: "expected_version", want: "es obligatorio: la base_version de la vista previa"},
		{name: "restore version", method: "POST", path: f.campaignPath("/plan/versions/1/restore"), body: `{}`, status: 422, field: "expected_version", want: "es obligatorio: la última versión que revisó"},
		{name: "map bbox", method: "GET", path: f.campaignPath("/map/venues.geojson?bbox=1,2"), status: 422, field: "bbox", want: "debe ser minLon,minLat,maxLon,maxLat en grados"},
		{name: "no token", method: "GET", path: "/api/v1/campaigns", anonymous: true, status: 401, want: "inicie sesión o envíe un token de API"},
		{name: "not bearer", method: "GET", path: "/api/v1/campaigns", anonymous: true, headers: []string{"Authorization", "Basic eDp5"}, status: 401, want: "el encabezado Authorization debe ser: Bearer TOKEN"},
		{name: "missing shipment", method: "GET", path: "/api/v1/shipments/999999", status: 404, want: "no se encontró el envío 999999"},
		{name: "plan cell", method: "GET", path: page + "/cell?material=L3&city=MEX&category=NOPE", status: 404, want: "el plan no tiene celda para L3 en MEX, NOPE"},
		{name: "stale shipment", method: "PATCH", path: shipment, body: `{"dispatch":"2009-03-25"}`, headers: []string{"If-Match", `W/"99"`}, status: 409, want: "otra persona cambió el envío"},
		{name: "restore race", method: "POST", path: f.campaignPath("/plan/versions/1/restore"), body: `{"expected_version":5}`, status: 409, want: "otro plan se confirmó mientras tanto: la última versión es la 1, no la 5"},
		{name: "dispatch after the deadline", method: "PATCH", path: shipment, body: fmt.Sprintf(`{"dispatch":"2010-01-04","version":%d}`, sh.Version), status: 422, field: "dispatch", want: "no puede ser posterior a la fecha límite de la campaña (2009-03-31)"},
		{name: "role", method: "POST", path: f.campaignPath("/plan/commit"), body: `{"expected_version":1}`, viewer: true, status: 403, want: "su rol (consulta) no permite esta acción; se necesita planificador"},
	}
	before := writeState(t, f, shipment)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl := f.planner
			switch {
			case tt.anonymous:
				cl = &apiClient{f: f.authFixture}
			case tt.viewer:
				cl = f.viewer
			}
			w := cl.call(tt.method, tt.path, tt.body, append([]string{"Accept-Language", "es-MX,es;q=0.9"}, tt.headers...)...)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body.String())
			}
			if !strings.HasPrefix(tt.path, "/api/") {
				wantContains(t, w.Body.String(), tt.want)
				return
			}
			d := jsonError(t, w)
			if tt.field == "" {
				if !strings.Contains(d.Message, tt.want) || d.MessageID == "" {
					t.Errorf("message %q (id %q), want %q", d.Message, d.MessageID, tt.want)
				}
				return
			}
			if !strings.Contains(d.Fields[tt.field], tt.want) || d.FieldMessageIDs[tt.field] == "" {
				t.Errorf("fields %v (ids %v), want %s: %q", d.Fields, d.FieldMessageIDs, tt.field, tt.want)
			}
			if !strings.Contains(d.Message, tt.want) {
				t.Errorf("message %q lacks %q", d.Message, tt.want)
			}
		})
	}
	if after := writeState(t, f, shipment); after != before {
		t.Errorf("a refused request wrote:\nbefore %s\nafter  %s", before, after)
	}
}

// writeState is what the refused writes above could change: the shipment
// with its events and the plan versions.
func writeState(t *testing.T, f *trackingFixture, shipment string) string {
	t.Helper()
	var out []string
	for _, path := range []string{shipment, f.campaignPath("/plan/versions")} {
		w := f.viewer.call("GET", path, nil)
		wantStatus(t, w, http.StatusOK)
		out = append(out, w.Body.String())
	}
	return strings.Join(out, "\n")
}
