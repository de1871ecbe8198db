package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
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
// next to its input. The venues are listed once on the page, in the
// datalist every row's input names (js/venues.js turns the input into a
// select of that list), and the form posts a row's venue as before.
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
	if in := section(t, body, "distributed-distribution-0-venue_id", ">"); !strings.Contains(in, `list="venue-list"`) {
		t.Fatalf("the venue input does not name the page's venue list: %s", in)
	}
	sel := section(t, body, "venue-list", "</datalist>")
	wantOption := fmt.Sprintf(`<option value="%s">`, venue.Venue.ID)
	wantLine := fmt.Sprintf("%s: %s handed out of %s allocated", line.Material, enNumber(line.Distributed), enNumber(line.Allocated))
	if !strings.Contains(sel, wantOption) || !strings.Contains(sel, wantLine) {
		t.Fatalf("the venue list lacks %s with %q: %s", venue.Venue.ID, wantLine, sel)
	}
	before := sh.State().Distributed[line.Material]

	form := url.Values{"kind": {"distributed"}, "date": {"2009-03-20"},
		"distribution[0].material": {line.Material}, "distribution[0].venue_id": {"v-nope"}, "distribution[0].pieces": {"7"}}
	code, body := postShipmentForm(t, ts, sh, "form-distributed", form)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("unknown venue: status %d", code)
	}
	if cell := section(t, body, "distributed-distribution-0-venue_id", "</td>"); !strings.Contains(cell, `class="field-error"`) ||
		!strings.Contains(cell, `value="v-nope"`) {
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
	if sel := section(t, body, "venue-list", "</datalist>"); !strings.Contains(sel,
		fmt.Sprintf("%s: %s handed out", line.Material, enNumber(line.Distributed+7))) {
		t.Errorf("the venue list does not show the new total: %s", sel)
	}
}

// TestShipmentPageSize bounds the elements of the demo's shipment pages:
// every distribution row (of the form and of each correction of a
// distribution) used to carry selects of the shipment's materials, the
// campaign's categories and the city's venues, 8,226 options and 10,925
// elements on the busiest page, which cost Lighthouse's mobile score its
// total blocking time. Those lists are now on the page once.
func TestShipmentPageSize(t *testing.T) {
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	ctx := context.Background()
	all, err := ts.db.ListShipments(ctx, ts.CampaignID, store.ShipmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	const maxElements, maxOptions = 3000, 200
	tag := regexp.MustCompile(`<[a-zA-Z]`)
	for _, role := range []string{web.RolePlanner, web.RoleField} {
		cl := ts.client(t, role)
		busiest, elements, options, venueLists := int64(0), 0, 0, 0
		for _, sh := range all {
			code, body := ts.get(t, cl, fmt.Sprintf("/campaigns/%d/shipments/%d", ts.CampaignID, sh.ID))
			if code != http.StatusOK {
				continue // a field account sees its places' shipments only
			}
			if n := len(tag.FindAllStringIndex(body, -1)); n > elements {
				busiest, elements, options = sh.ID, n, strings.Count(body, "<option")
			}
			if n := strings.Count(body, `<datalist id="venue-list"`); n > venueLists {
				venueLists = n
			}
		}
		t.Logf("%s: busiest shipment page #%d, %d elements, %d options", role, busiest, elements, options)
		if elements > maxElements || options > maxOptions {
			t.Errorf("%s: shipment #%d has %d elements and %d options, want at most %d and %d", role, busiest, elements, options, maxElements, maxOptions)
		}
		if venueLists > 1 {
			t.Errorf("%s: a page lists the venues %d times", role, venueLists)
		}
	}
}

// enNumber groups digits as an English page does.
func enNumber(n int64) string { return message.NewPrinter(language.English).Sprintf("%d", n) }
