package api

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// TestWaybillPrintsAddresses (issue 10): the waybill of a shipment prints
// the depot's address and the destination city's receiving office, as
// stored on the campaign. The city chosen has a shelter: its venues' names
// and addresses still never reach paper, the city's own address does.
func TestWaybillPrintsAddresses(t *testing.T) {
	needTools(t, "pdftotext")
	ts, _ := docServer(t, DefaultConfig())
	ctx := context.Background()
	camp, err := ts.db.GetCampaign(ctx, ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	sensitive := map[string]bool{}
	for _, k := range camp.Categories {
		sensitive[k.Code] = k.Sensitive
	}
	secrets := map[string][]string{}
	for _, v := range camp.Venues {
		if v.Confidential || sensitive[v.Category] {
			for _, s := range []string{v.Name, v.Address} {
				if len(s) >= 6 {
					secrets[v.City] = append(secrets[v.City], s)
				}
			}
		}
	}
	recs, err := ts.db.ListShipments(ctx, ts.CampaignID, store.ShipmentFilter{Today: planner.NewDate(2009, time.March, 20)})
	if err != nil {
		t.Fatal(err)
	}
	var sh *planner.ShipmentRecord
	for i := range recs {
		if len(secrets[recs[i].City]) > 0 && (sh == nil || recs[i].Boxes < sh.Boxes) {
			sh = &recs[i]
		}
	}
	if sh == nil {
		t.Fatal("the demo has no shipment to a city with a confidential or sensitive venue")
	}
	const depotAddr, cityAddr = "Calle Almacén 17, Bodega 3", "Oficina receptora, Av. Prueba 42"
	camp.Depot.Address = depotAddr
	if err := ts.db.UpdateCampaign(ctx, ts.CampaignID, camp); err != nil {
		t.Fatal(err)
	}
	k, _ := camp.City(sh.City)
	k.Address = cityAddr
	if err := ts.db.UpdateCity(ctx, ts.CampaignID, k.Code, k); err != nil {
		t.Fatal(err)
	}
	cl := ts.client(t, web.RoleViewer)
	for _, path := range []string{
		fmt.Sprintf("/campaigns/%d/shipments/%d/documents.pdf?doc=waybill", ts.CampaignID, sh.ID),
		fmt.Sprintf("/campaigns/%d/dispatch/%s/documents.pdf", ts.CampaignID, sh.Dispatch),
	} {
		resp, body := fetchPDF(t, cl, ts.URL+path, nil)
		checkPDFHeaders(t, resp, body, "reparto-")
		text := strings.Join(strings.Fields(pdfToText(t, body)), " ")
		for _, want := range []string{depotAddr, cityAddr} {
			if !strings.Contains(text, want) {
				t.Errorf("%s does not print %q:\n%s", path, want, text)
			}
		}
		for _, s := range secrets[sh.City] {
			if strings.Contains(text, strings.Join(strings.Fields(s), " ")) {
				t.Errorf("%s prints the confidential %q", path, s)
			}
		}
	}
}
