package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// refFarVenue is a confidential venue beyond every city's radius, so that
// the map's gap list reports it; its id is a name too.
var refFarVenue = planner.Venue{ID: "Refugio-Desierto-Km-40", Name: "Casa Lejana Reservada", Category: "DIF-MUN",
	Lat: 27.5234, Lon: -113.4789, Confidential: true}

// refFixture is the demo with the secret terminal in Mexico City and
// refFarVenue, tracked, with a distribution to the terminal recorded on
// the delivered MEX shipment, whose id it returns.
func refFixture(t *testing.T) (*testServer, int64) {
	t.Helper()
	ts := newTestServer(t)
	ctx := store.WithActor(context.Background(), store.Actor{Email: "test"})
	if err := ts.db.AddVenues(ctx, ts.CampaignID, []planner.Venue{{ID: secretVenueID, Name: secretVenueName,
		Address: secretVenueAddress, Category: "CENTRAL-AUTOBUS", Lat: 19.45, Lon: -99.15, City: "MEX", Confidential: true},
		refFarVenue}); err != nil {
		t.Fatal(err)
	}
	seedDemoTracking(t, ts)
	camp, err := ts.db.GetCampaign(ctx, ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	return ts, distributeOnMEX(t, ts, camp, "CENTRAL-AUTOBUS", secretVenueID)
}

// TestConfidentialRefReplacesTheID: a confidential venue whose id is its
// name appears, on every page a viewer sees and on every printed or
// exported list whoever asks, as its reference only — never its id, name
// or address — and the reference is the same everywhere; planners find
// the venue on the venues page by searching the reference.
func TestConfidentialRefReplacesTheID(t *testing.T) {
	ts, mex := refFixture(t)
	ctx := context.Background()
	ref, farRef := secretVenueRef(ts), planner.ConfidentialRef(ts.CampaignID, refFarVenue.ID)
	secrets := []string{secretVenueID, secretVenueName, secretVenueAddress, "Esperanza", "Zafiro", "Sigilo",
		refFarVenue.ID, refFarVenue.Name, "Desierto"}
	c := fmt.Sprintf("/campaigns/%d", ts.CampaignID)
	v, err := ts.db.LatestPlan(ctx, ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	cell := ""
	for _, k := range v.Plan.Cells {
		if k.City == "MEX" && k.Category == "CENTRAL-AUTOBUS" && k.Pieces > 0 {
			cell = c + "/plan/cell?material=" + k.Material + "&city=MEX&category=CENTRAL-AUTOBUS"
			break
		}
	}
	if cell == "" {
		t.Fatal("the demo has no MEX bus terminal cell")
	}
	get := func(t *testing.T, cl *http.Client, path string) string {
		t.Helper()
		resp, err := cl.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %.300s", path, resp.StatusCode, body)
		}
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/pdf") {
			return strings.Join(strings.Fields(listPDFText(t, body)), " ")
		}
		return strings.Join(strings.Fields(string(body)), " ")
	}
	type check struct {
		path  string
		roles []string
		want  string // "" when the page need not show the venue
	}
	all := []string{web.RoleViewer, web.RolePlanner, web.RoleAdmin}
	viewer := []string{web.RoleViewer}
	for _, tt := range []check{
		{listPath(ts, "MEX", "csv", ""), all, ref + ",Sede confidencial " + ref + " — contacte a la coordinación"},
		{listPath(ts, "MEX", "pdf", ""), all, "Sede confidencial " + ref + " —"},
		{c + "/distribution-lists", all, ""},
		{cell, viewer, "Sede confidencial " + ref},
		{c + "/shipments/" + itoa(mex), viewer, "sitio confidencial " + ref},
		{c + "/map?category=DIF-MUN", viewer, "Sede confidencial " + farRef + " ("},
		{"/api/v1" + c + "/map/gaps.csv?category=DIF-MUN", viewer, "sede confidencial " + farRef},
		{c + "/data/venues?q=" + strings.ToLower(ref), viewer, "sitio confidencial " + ref},
	} {
		for _, role := range tt.roles {
			t.Run(role+" "+tt.path, func(t *testing.T) {
				body := get(t, ts.client(t, role), tt.path)
				if !strings.Contains(body, tt.want) {
					t.Errorf("lacks %q", tt.want)
				}
				for _, s := range secrets {
					if strings.Contains(body, s) {
						t.Errorf("shows %q of a confidential venue", s)
					}
				}
			})
		}
	}
	// coordinators map a reference back to the venue
	pl := ts.client(t, web.RolePlanner)
	for _, tt := range []struct{ q, name, ref string }{
		{ref, secretVenueName, ref}, {" " + strings.ToLower(farRef), refFarVenue.Name, farRef},
	} {
		body := get(t, pl, c+"/data/venues?q="+strings.ReplaceAll(tt.q, " ", "+"))
		if !strings.Contains(body, tt.name) || !strings.Contains(body, tt.ref) {
			t.Errorf("planner's search for %q: venue %q shown %v, reference shown %v", tt.q, tt.name,
				strings.Contains(body, tt.name), strings.Contains(body, tt.ref))
		}
		if strings.Contains(body, "Bar ") || strings.Count(body, "/edit?key=") != 1 {
			t.Errorf("planner's search for %q finds %d venues, want that one only", tt.q, strings.Count(body, "/edit?key="))
		}
	}
	if body := get(t, pl, c+"/data/venues?category=CENTRAL-AUTOBUS&city=MEX"); !strings.Contains(body, ref) {
		t.Errorf("the planner's venue list lacks reference %s beside the confidential venue", ref)
	}
}
