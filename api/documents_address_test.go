package api

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
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
	sh, secrets := shipmentToAShelter(t, ts, camp)
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
		for _, s := range secrets {
			if strings.Contains(text, strings.Join(strings.Fields(s), " ")) {
				t.Errorf("%s prints the confidential %q", path, s)
			}
		}
	}
}
