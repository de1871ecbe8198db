package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// shipmentAtStage is a shipment of the seeded demo at the given stage.
func shipmentAtStage(t *testing.T, ts *testServer, stage planner.Stage) planner.ShipmentRecord {
	t.Helper()
	list, err := ts.db.ListShipments(context.Background(), ts.CampaignID, store.ShipmentFilter{Stage: stage})
	if err != nil || len(list) == 0 {
		t.Fatalf("a %s shipment: %d found, %v", stage, len(list), err)
	}
	return list[0]
}

// TestDistributePage records a distribution on the mobile page: the same
// event and validation as the shipment page's form, inputs named by the
// JSON body's paths, the form marked for the offline outbox.
func TestDistributePage(t *testing.T) {
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	sh := shipmentAtStage(t, ts, planner.StageDelivered)
	path := fmt.Sprintf("/campaigns/%d/shipments/%d/distribute", ts.CampaignID, sh.ID)
	cl := ts.client(t, web.RolePlanner)

	camp, err := ts.db.GetCampaign(context.Background(), ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	k, _ := camp.City(sh.City)
	pv, err := ts.db.LatestPlan(context.Background(), ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	venueCat := ""
	for _, cell := range pv.Plan.Cells {
		if cell.City == sh.City && cell.Pieces > 0 {
			venueCat = cell.Category
			break
		}
	}
	for _, v := range []planner.Venue{
		{ID: "OFF-1", Name: "Central de Autobuses Offline", Category: venueCat, City: sh.City, Lat: k.Lat, Lon: k.Lon},
		{ID: "OFF-2", Name: "Refugio Secreto Offline", Category: venueCat, City: sh.City, Lat: k.Lat, Lon: k.Lon, Confidential: true},
	} {
		if err := ts.db.CreateVenue(context.Background(), ts.CampaignID, v); err != nil {
			t.Fatal(err)
		}
	}

	// a venue appears on the list once allocated or once it received pieces
	actor := store.WithActor(context.Background(), store.Actor{Email: "setup@test.local"})
	if _, _, err := ts.db.AppendEvent(actor, sh.ID, planner.Event{Kind: planner.EventDistributed, Date: camp.Today(ts.clock()),
		Distribution: []planner.DistributionLine{{Material: sh.Lines[0].Material, VenueID: "OFF-1", Pieces: 1}}}, ts.clock(), ""); err != nil {
		t.Fatal(err)
	}

	st, body := ts.get(t, cl, path)
	if st != http.StatusOK {
		t.Fatalf("GET %s: %d", path, st)
	}
	for _, want := range []string{`data-outbox`, `data-event-kind="distributed"`, fmt.Sprintf(`data-shipment="%d"`, sh.ID),
		`name="distribution[0].material"`, `name="distribution[0].venue_id"`, `name="distribution[0].category"`,
		`name="distribution[0].pieces"`, `id="outbox"`, `/static/js/outbox.js?v=`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	prog, err := ts.db.CityVenueProgress(context.Background(), ts.CampaignID, sh.City, planner.Date{})
	if err != nil {
		t.Fatal(err)
	}
	if len(prog.Venues) == 0 {
		t.Fatalf("the demo city %s has no registered venue to offer", sh.City)
	}
	if !strings.Contains(body, `<option value="OFF-1" >Central de Autobuses Offline — asignado`) || !strings.Contains(body, "repartido 1</option>") {
		t.Errorf("the venue select lacks venue OFF-1 with its allocation and what it received")
	}
	key := formKey(t, body, "form-distribute")
	accepted := sh.State().Accepted[sh.Lines[0].Material]
	cat := camp.Categories[0].Code
	tests := []struct {
		name   string
		pieces int64
		status int
		events int // added
	}{
		{"over what was accepted", accepted + 1, http.StatusUnprocessableEntity, 0},
		{"valid", 1, http.StatusSeeOther, 1},
		{"the same form again", 1, http.StatusSeeOther, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := eventCount(t, ts, sh.ID)
			form := url.Values{"kind": {"distributed"}, "idem": {key}, "date": {"2009-03-20"},
				"distribution[0].material": {sh.Lines[0].Material}, "distribution[0].category": {cat},
				"distribution[0].pieces": {fmt.Sprint(tc.pieces)}}
			if tc.status == http.StatusUnprocessableEntity {
				form.Set("idem", key+"-bad") // a refused request stores no key
			}
			st, body, loc := ts.post(t, cl, path, form)
			if st != tc.status {
				t.Fatalf("POST: %d, want %d\n%s", st, tc.status, body)
			}
			if st == http.StatusSeeOther && loc != path {
				t.Errorf("redirect to %q, want back to %q", loc, path)
			}
			if st == http.StatusUnprocessableEntity && !strings.Contains(body, `aria-invalid="true"`) {
				t.Error("the refused form shows no invalid field")
			}
			if got := eventCount(t, ts, sh.ID) - before; got != tc.events {
				t.Errorf("%d events added, want %d", got, tc.events)
			}
		})
	}

	// only distribution: another kind is a bad request, nothing saved
	before := eventCount(t, ts, sh.ID)
	if st, _, _ := ts.post(t, cl, path, url.Values{"kind": {"cancelled"}, "reason": {"x"}}); st != http.StatusBadRequest {
		t.Errorf("POST a cancellation to the distribution page: %d, want 400", st)
	}
	if eventCount(t, ts, sh.ID) != before {
		t.Error("a refused kind was saved")
	}

	// a shipment not yet received offers no form
	transit := shipmentAtStage(t, ts, planner.StageInTransit)
	st, body = ts.get(t, cl, fmt.Sprintf("/campaigns/%d/shipments/%d/distribute", ts.CampaignID, transit.ID))
	if st != http.StatusOK || strings.Contains(body, `id="form-distribute"`) || !strings.Contains(body, `id="distribute-closed"`) {
		t.Errorf("in-transit shipment: status %d, form shown %v", st, strings.Contains(body, `id="form-distribute"`))
	}
}

// TestServiceWorkerScript: /sw.js is served at the root (a worker
// controls only the pages below its own path) as JavaScript, revalidated
// on every visit, naming the hashed static files it precaches.
func TestServiceWorkerScript(t *testing.T) {
	ts := newTestServer(t)
	resp, err := http.Get(ts.URL + "/sw.js")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	src := string(raw)
	tests := []struct{ what, got, want string }{
		{"status", fmt.Sprint(resp.StatusCode), "200"},
		{"Content-Type", resp.Header.Get("Content-Type"), "text/javascript; charset=utf-8"},
		{"Cache-Control", resp.Header.Get("Cache-Control"), "no-cache"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s = %q, want %q", tc.what, tc.got, tc.want)
		}
	}
	for _, want := range []string{"var REPARTO_SW = {", `"/static/js/outbox.js?v=`, `"/static/css/field.css?v=`, "addEventListener('fetch'"} {
		if !strings.Contains(src, want) {
			t.Errorf("sw.js lacks %s", want)
		}
	}
}
