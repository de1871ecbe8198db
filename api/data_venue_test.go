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
)

func TestDataVenueListPages(t *testing.T) {
	ts := newTestServer(t)
	const n = 250
	vs := make([]planner.Venue, n)
	for i := range vs {
		vs[i] = planner.Venue{ID: fmt.Sprintf("pg-%03d", i), Name: fmt.Sprintf("Sitio %03d", i), Category: "BAR", Lat: 19.43, Lon: -99.13}
	}
	if err := ts.db.AddVenues(context.Background(), ts.CampaignID, vs); err != nil {
		t.Fatal(err)
	}
	cl := ts.client(t, web.RolePlanner)
	list := fmt.Sprintf("/campaigns/%d/data/venues?q=pg-", ts.CampaignID)
	tests := []struct {
		page        string
		first, last int // ids pg-FIRST … pg-LAST on the page
	}{
		{"", 0, 99},
		{"&page=2", 100, 199},
		{"&page=3", 200, 249},
	}
	for _, tt := range tests {
		code, body := ts.get(t, cl, list+tt.page)
		if code != http.StatusOK {
			t.Fatalf("page %q: %d", tt.page, code)
		}
		if got, want := strings.Count(body, "/edit?key=pg-"), tt.last-tt.first+1; got != want {
			t.Errorf("page %q: %d rows, want %d", tt.page, got, want)
		}
		for _, id := range []int{tt.first, tt.last} {
			if !strings.Contains(body, fmt.Sprintf("key=pg-%03d", id)) {
				t.Errorf("page %q lacks pg-%03d", tt.page, id)
			}
		}
		for p, link := range map[int]string{1: `href="/campaigns/%d/data/venues?q=pg-"`,
			2: `href="/campaigns/%d/data/venues?page=2&amp;q=pg-"`, 3: `href="/campaigns/%d/data/venues?page=3&amp;q=pg-"`} {
			current := tt.page == fmt.Sprintf("&page=%d", p) || (p == 1 && tt.page == "")
			if has := strings.Contains(body, fmt.Sprintf(link, ts.CampaignID)); has == current {
				t.Errorf("page %q: link to page %d shown %v, want %v", tt.page, p, has, !current)
			}
		}
	}
	// Sorting by name descending puts the last name first.
	_, body := ts.get(t, cl, list+"&sort=name&desc=1")
	if i, j := strings.Index(body, "Sitio 249"), strings.Index(body, "Sitio 248"); i < 0 || j < 0 || i > j {
		t.Error("not sorted by name descending")
	}
}

// confidentialDemoVenue is a demo venue whose name viewers must not see.
func confidentialDemoVenue(t *testing.T) planner.Venue {
	t.Helper()
	c := demoCampaign(t)
	sensitive := map[string]bool{}
	for _, k := range c.Categories {
		sensitive[k.Code] = k.Sensitive
	}
	for _, v := range c.Venues {
		if v.Confidential || sensitive[v.Category] {
			return v
		}
	}
	t.Fatal("the demo has no confidential venue")
	return planner.Venue{}
}

func TestDataVenueConfidentialNames(t *testing.T) {
	ts := newTestServer(t)
	secret := confidentialDemoVenue(t)
	list := fmt.Sprintf("/campaigns/%d/data/venues", ts.CampaignID)
	viewer := ts.client(t, web.RoleViewer)
	for _, path := range []string{list, list + "?q=" + url.QueryEscape(secret.Name), list + "?sort=name"} {
		code, body := ts.get(t, viewer, path)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", path, code)
		}
		if strings.Contains(body, secret.Name) && !strings.Contains(body, `value="`+secret.Name+`"`) {
			t.Errorf("%s shows the confidential name %q to a viewer", path, secret.Name)
		}
		if strings.Contains(body, "/edit?key=") || strings.Contains(body, "/data/venues/new") {
			t.Errorf("%s shows edit buttons to a viewer", path)
		}
	}
	// A viewer's search by name does not find the hidden venue.
	if _, body := ts.get(t, viewer, list+"?q="+url.QueryEscape(secret.Name)); strings.Contains(body, secret.ID) {
		t.Errorf("a viewer's search by name finds %s", secret.ID)
	}
	if _, body := ts.get(t, viewer, list); !strings.Contains(body, "confidencial") {
		t.Error("viewers do not see the word confidencial")
	}
	if _, body := ts.get(t, ts.client(t, web.RolePlanner), list); !strings.Contains(body, secret.Name) {
		t.Error("planners do not see the confidential name")
	}
}

func TestDataViewerCannotWrite(t *testing.T) {
	ts := newTestServer(t)
	viewer := ts.client(t, web.RoleViewer)
	base := fmt.Sprintf("/campaigns/%d/data", ts.CampaignID)
	for _, path := range []string{
		base + "/materials", base + "/materials/edit?key=TRI-DELITO", base + "/materials/delete?key=TRI-DELITO",
		base + "/cities", base + "/categories", base + "/venues", base + "/counts", base + "/locks",
		base + "/targeting", base + "/venues/import", base + "/venues/import/confirm",
	} {
		if code, _, _ := ts.post(t, viewer, path, validMaterialForm()); code != http.StatusForbidden {
			t.Errorf("POST %s as viewer: %d, want 403", path, code)
		}
	}
	for _, path := range []string{base + "/materials/new", base + "/materials/edit?key=TRI-DELITO", base + "/venues/import"} {
		if code, _ := ts.get(t, viewer, path); code != http.StatusForbidden {
			t.Errorf("GET %s as viewer: %d, want 403", path, code)
		}
	}
	if _, err := ts.db.GetMaterial(context.Background(), ts.CampaignID, "TEST-NEW"); err == nil {
		t.Fatal("a viewer created a material")
	}
}

func TestDataOverviewAndListsRender(t *testing.T) {
	ts := newTestServer(t)
	c := demoCampaign(t)
	cl := ts.client(t, web.RoleViewer)
	base := fmt.Sprintf("/campaigns/%d/data", ts.CampaignID)
	code, body := ts.get(t, cl, base)
	if code != http.StatusOK {
		t.Fatalf("overview: %d", code)
	}
	for _, n := range []int{len(c.Materials), len(c.Cities), len(c.Categories), len(c.Venues), len(c.Locks), len(c.Targeting)} {
		if !strings.Contains(body, fmt.Sprintf(`<span class="value">%d</span>`, n)) {
			t.Errorf("overview lacks the count %d", n)
		}
	}
	for _, kind := range []string{"materials", "categories", "cities", "venues", "counts", "locks"} {
		if code, _ := ts.get(t, cl, base+"/"+kind+"?sort=code&desc=1&page=2"); code != http.StatusOK {
			t.Errorf("%s: %d", kind, code)
		}
	}
}
