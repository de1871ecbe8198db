package pages

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/planner"
)

// distributionListsData is what distribution_lists.html renders: the
// committed plan's cities with what their teams hand out, a link to each
// city's list as PDF and CSV (docs/planning.md#distribution-lists), and
// the form that says how a route is cut into days.
type distributionListsData struct {
	ID        int64
	Version   *planner.PlanVersion // nil: nothing committed yet
	Stops, Km string               // the form's values as typed
	Errs      map[string]string    // message per field
	Query     string               // the options to carry into the links, "" for none
	Cities    []distributionCity
}

// distributionCity is one row of the page.
type distributionCity struct {
	Code, Name, State  string
	Venues             int   // registered venues that receive something
	VenuePieces        int64 // pieces allocated to them
	Unregistered       int64 // venues not yet registered (summed over categories)
	UnregisteredPieces int64
}

// distributionListsPage: GET /campaigns/:id/distribution-lists?max_stops_per_day=&max_km_per_day=
func (s *handlers) distributionListsPage(c *gin.Context) {
	id, _ := resolve.CampaignID(c) // Res.Campaign() checked it
	q := c.Request.URL.Query()
	d := &distributionListsData{ID: id, Stops: q.Get("max_stops_per_day"), Km: q.Get("max_km_per_day"), Errs: map[string]string{}}
	status := http.StatusOK
	p := s.Web.NewPage(c, "", nil)
	if _, err := resolve.RouteOptions(c); err != nil {
		fields := planner.ErrorFields(err)
		if len(fields) == 0 {
			s.Web.PageError(c, err)
			return
		}
		for _, fe := range fields {
			d.Errs[fe.Path] = p.FieldMessage(fe)
		}
		status = http.StatusUnprocessableEntity
	} else {
		v := url.Values{}
		if d.Stops != "" {
			v.Set("max_stops_per_day", d.Stops)
		}
		if d.Km != "" {
			v.Set("max_km_per_day", d.Km)
		}
		d.Query = v.Encode()
	}
	k, err := s.Res.Committed(c, id)
	switch {
	case err == nil:
		d.Version = k.Version
		if d.Cities, err = distributionCities(k); err != nil {
			s.Web.PageError(c, err)
			return
		}
	case planner.ErrorCode(err) != planner.EConflict: // EConflict: nothing committed, the page says so
		s.Web.PageError(c, err)
		return
	}
	s.Web.Render(c, status, "distribution_lists", d)
}

// distributionCities sums each city's loads for the page's table; the
// counts never name a venue, so the page is the same for every role.
func distributionCities(k *resolve.Committed) ([]distributionCity, error) {
	cells, err := planner.AllocateVenues(k.Campaign, k.Version.Plan)
	if err != nil {
		return nil, err
	}
	var out []distributionCity
	for _, l := range planner.LoadsByCity(k.Campaign, cells) {
		city, _ := k.Campaign.City(l.City)
		row := distributionCity{Code: l.City, Name: city.Name, State: city.State, Venues: len(l.Venues)}
		for _, v := range l.Venues {
			for _, ln := range v.Lines {
				row.VenuePieces += ln.Pieces
			}
		}
		// a category's unregistered venues are counted once, whatever the
		// number of materials they wait for
		seen := map[string]bool{}
		for _, u := range l.Unregistered {
			row.UnregisteredPieces += u.Pieces
			if !seen[u.Category] {
				seen[u.Category] = true
				row.Unregistered += u.Venues
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// Link is the URL of a city's list in format ext ("pdf", "csv"), with the
// page's options.
func (d *distributionListsData) Link(code, ext string) string {
	u := "/campaigns/" + strconv.FormatInt(d.ID, 10) + "/cities/" + url.PathEscape(code) + "/distribution." + ext
	if d.Query != "" {
		u += "?" + d.Query
	}
	return u
}
