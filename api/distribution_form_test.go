package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// TestDistributionFormToAVenue: the desktop distribution form offers the
// city's registered venues with what is allocated and handed out; a line
// posted to a venue is recorded for it (the venue's handed-out pieces and
// the shipment's distributed total grow), and an unknown venue comes back
// next to its select.
func TestDistributionFormToAVenue(t *testing.T) {
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	ctx := context.Background()
	today := planner.NewDate(2009, 3, 20)
	delivered, err := ts.db.ListShipments(ctx, ts.CampaignID, store.ShipmentFilter{Stage: planner.StageDelivered})
	if err != nil {
		t.Fatal(err)
	}
	var sh planner.ShipmentRecord
	var venue planner.VenueProgress
	var line planner.ProgressLine
find:
	for _, s := range delivered {
		prog, err := ts.db.CityVenueProgress(ctx, ts.CampaignID, s.City, today)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range prog.Venues {
			for _, l := range v.Lines {
				if l.Allocated > 0 && s.State().Accepted[l.Material] > s.State().Distributed[l.Material]+7 {
					sh, venue, line = s, v, l
					break find
				}
			}
		}
	}
	if sh.ID == 0 {
		t.Skip("no delivered demo shipment in a city with an allocated registered venue")
	}
	page := fmt.Sprintf("/campaigns/%d/shipments/%d", ts.CampaignID, sh.ID)
	cl := inEnglish(t, ts, ts.client(t, web.RolePlanner))
	_, body := ts.get(t, cl, page)
	sel := section(t, body, "distributed-distribution-0-venue_id", "</select>")
	wantOption := fmt.Sprintf(`<option value="%s" >`, venue.Venue.ID)
	wantLine := fmt.Sprintf("%s: %s handed out of %s allocated", line.Material, enNumber(line.Distributed), enNumber(line.Allocated))
	if !strings.Contains(sel, wantOption) || !strings.Contains(sel, wantLine) {
		t.Fatalf("the venue select lacks %s with %q: %s", venue.Venue.ID, wantLine, sel)
	}
	before := sh.State().Distributed[line.Material]

	form := url.Values{"kind": {"distributed"}, "date": {"2009-03-20"},
		"distribution[0].material": {line.Material}, "distribution[0].venue_id": {"v-nope"}, "distribution[0].pieces": {"7"}}
	code, body := postShipmentForm(t, ts, sh, "form-distributed", form)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("unknown venue: status %d", code)
	}
	if cell := section(t, body, "distributed-distribution-0-venue_id", "</td>"); !strings.Contains(cell, `class="field-error"`) ||
		!strings.Contains(cell, `<option value="v-nope" selected>`) {
		t.Errorf("no error next to the venue select, or the value is lost: %s", cell)
	}

	form.Set("distribution[0].venue_id", venue.Venue.ID)
	if code, body := postShipmentForm(t, ts, sh, "form-distributed", form); code != http.StatusSeeOther {
		t.Fatalf("venue line: status %d: %.500s", code, body)
	}
	after, err := ts.db.GetShipment(ctx, sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := after.State().Distributed[line.Material]; got != before+7 {
		t.Errorf("shipment distributed %d, want %d", got, before+7)
	}
	prog, err := ts.db.CityVenueProgress(ctx, ts.CampaignID, sh.City, today)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range prog.Venues {
		for _, l := range v.Lines {
			if v.Venue.ID == venue.Venue.ID && l.Material == line.Material && l.Distributed != line.Distributed+7 {
				t.Errorf("venue %s: %d handed out, want %d", v.Venue.ID, l.Distributed, line.Distributed+7)
			}
		}
	}
	_, body = ts.get(t, cl, page)
	if sel := section(t, body, "distributed-distribution-0-venue_id", "</select>"); !strings.Contains(sel,
		fmt.Sprintf("%s: %s handed out", line.Material, enNumber(line.Distributed+7))) {
		t.Errorf("the select does not show the new total: %s", sel)
	}
}

// enNumber groups digits as an English page does.
func enNumber(n int64) string { return message.NewPrinter(language.English).Sprintf("%d", n) }
