package api

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
)

// The shipment pages name a city's state as the data pages do (issue 9.6:
// "shown by name in filters"): the filter offers Chiapas, not MX-CHP, and
// still filters by the code; the list and the shipment page show the name.
func TestShipmentPagesNameStates(t *testing.T) {
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	cl := ts.client(t, web.RoleViewer)
	list := fmt.Sprintf("/campaigns/%d/shipments", ts.CampaignID)

	code, body := ts.get(t, cl, list)
	if code != http.StatusOK {
		t.Fatalf("shipment list: status %d", code)
	}
	body = html.UnescapeString(body)
	for _, want := range []string{`<option value="MX-CHP" >Chiapas</option>`, `<td>Chiapas</td>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the shipment list lacks %s", want)
		}
	}
	if strings.Contains(body, `>MX-CHP<`) {
		t.Error("the shipment list shows the code MX-CHP where the state's name belongs")
	}

	code, body = ts.get(t, cl, list+"?state=MX-CHP")
	if code != http.StatusOK {
		t.Fatalf("filtered list: status %d", code)
	}
	if n := strings.Count(body, `class="shipment-row"`); n == 0 || strings.Count(body, "<td>Chiapas</td>") != n {
		t.Errorf("state=MX-CHP lists %d rows, %d of them in Chiapas", n, strings.Count(body, "<td>Chiapas</td>"))
	}

	sh := demoShipment(t, ts, "TAP")
	code, body = ts.get(t, cl, fmt.Sprintf("%s/%d", list, sh.ID))
	if code != http.StatusOK {
		t.Fatalf("shipment page: status %d", code)
	}
	if !strings.Contains(html.UnescapeString(body), "TAP · Chiapas") {
		t.Error("the shipment page does not name the state of Tapachula")
	}
}
