package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/reparto/reparto/api/jsonapi"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// apiClient calls the JSON API with a bearer token of a user of one role.
type apiClient struct {
	f     *authFixture
	token string
}

func (f *authFixture) client(role string) *apiClient {
	f.t.Helper()
	u := f.user(role+"@example.org", role)
	_, secret, err := f.db.CreateToken(context.Background(), u.ID, "test")
	if err != nil {
		f.t.Fatal(err)
	}
	return &apiClient{f: f, token: secret}
}

// call sends body (marshalled unless it is a string) with headers given as
// name, value pairs.
func (a *apiClient) call(method, path string, body any, headers ...string) *httptest.ResponseRecorder {
	a.f.t.Helper()
	var buf bytes.Buffer
	switch b := body.(type) {
	case nil:
	case string:
		buf.WriteString(b)
	default:
		if err := json.NewEncoder(&buf).Encode(b); err != nil {
			a.f.t.Fatal(err)
		}
	}
	r := httptest.NewRequest(method, path, &buf)
	r.Header.Set("Content-Type", "application/json")
	if a.token != "" {
		r.Header.Set("Authorization", "Bearer "+a.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	r.RemoteAddr = "192.0.2.50:1"
	w := httptest.NewRecorder()
	a.f.s.Handler().ServeHTTP(w, r)
	return w
}

// decode unmarshals a response body into dst.
func decode(t *testing.T, w *httptest.ResponseRecorder, dst any) {
	t.Helper()
	if err := json.Unmarshal(w.Body.Bytes(), dst); err != nil {
		t.Fatalf("decode %q: %v", w.Body.String(), err)
	}
}

// trackingCampaign is a small campaign: two materials, two cities (MEX
// close to the depot, TAP far), one category, as_of 2009-03-20.
func trackingCampaign() *planner.Campaign {
	asOf := planner.NewDate(2009, time.March, 20)
	return &planner.Campaign{
		Name: "Prueba", Start: planner.NewDate(2009, time.January, 12), Deadline: planner.NewDate(2009, time.March, 31),
		AsOf:  &asOf,
		Depot: planner.Depot{Name: "CDMX", Lat: 19.4326, Lon: -99.1332},
		Dispatch: planner.Dispatch{BoxesPerDay: 400,
			WorkDays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}},
		Transport:             planner.Transport{RoadKmPerDay: 500, Circuity: 1.3, HandlingDays: 1},
		LocalDistributionDays: 5, Surplus: planner.SurplusSpread,
		Materials: []planner.Material{
			{Code: "L3", Name: "Tríptico", Printed: 10000, ReservePct: planner.DecimalInt(10), PackSize: 100, PacksPerBox: 10},
			{Code: "P1", Name: "Cartel", Printed: 500, PackSize: 10, PacksPerBox: 10},
		},
		Categories: []planner.VenueCategory{{Code: "BAR", Name: "Bares"}},
		Targeting:  []planner.TargetingRule{{Material: "L3", Category: "BAR", PerVenue: 100}, {Material: "P1", Category: "BAR", PerVenue: 5}},
		Cities: []planner.City{
			{Code: "MEX", Name: "Ciudad de México", Lat: 19.4326, Lon: -99.1332, Priority: planner.DecimalInt(1), RadiusKm: 15},
			{Code: "TAP", Name: "Tapachula", Lat: 14.9039, Lon: -92.2575, Priority: planner.DecimalInt(2), RadiusKm: 15},
		},
		VenueCounts: []planner.VenueCount{{City: "MEX", Category: "BAR", Count: 40}, {City: "TAP", Category: "BAR", Count: 20}},
	}
}

// trackingFixture is a server with the small campaign stored, a viewer
// and a planner client; commit says whether plan version 1 is committed.
type trackingFixture struct {
	*authFixture
	campaign        int64
	viewer, planner *apiClient
}

func newTrackingFixture(t *testing.T, commit bool) *trackingFixture {
	t.Helper()
	return newTrackingFixtureOf(t, trackingCampaign(), commit)
}

// newTrackingFixtureOf is newTrackingFixture with campaign camp.
func newTrackingFixtureOf(t *testing.T, camp *planner.Campaign, commit bool) *trackingFixture {
	t.Helper()
	f := &trackingFixture{authFixture: newAuthFixture(t)}
	id, err := f.db.CreateCampaign(context.Background(), camp)
	if err != nil {
		t.Fatal(err)
	}
	f.campaign = id
	f.viewer, f.planner = f.client(web.RoleViewer), f.client(web.RolePlanner)
	if commit {
		w := f.planner.call("POST", f.campaignPath("/plan/commit"), map[string]any{"expected_version": 0, "note": "v1"})
		wantStatus(t, w, http.StatusCreated)
	}
	return f
}

func (f *trackingFixture) campaignPath(rest string) string {
	return "/api/v1/campaigns/" + strconv.FormatInt(f.campaign, 10) + rest
}

// shipment returns the live shipment to a city as the API lists it.
func (f *trackingFixture) shipment(city string) jsonapi.ShipmentJSON {
	f.t.Helper()
	w := f.viewer.call("GET", f.campaignPath("/shipments?city="+city), nil)
	wantStatus(f.t, w, http.StatusOK)
	var body struct{ Shipments []jsonapi.ShipmentJSON }
	decode(f.t, w, &body)
	for _, s := range body.Shipments {
		if s.Status != planner.StatusCancelled {
			return s
		}
	}
	f.t.Fatalf("no live shipment to %s", city)
	return jsonapi.ShipmentJSON{}
}

func shipmentPath(id int64, rest string) string {
	return "/api/v1/shipments/" + strconv.FormatInt(id, 10) + rest
}

func dispatchBody(s jsonapi.ShipmentJSON, date string) map[string]any {
	return map[string]any{"kind": "dispatched", "date": date, "carrier": "Estafeta", "boxes": s.Boxes}
}
