package pages

import (
	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/store"
)

// A city's state is one of the 32 states of the shipped geodata
// (assets/geo/mx_states.geojson), chosen by name and stored by its ISO
// 3166-2 code. Coordinates that fall in another state are allowed (the
// outlines are generalised, and a city may be filed under the state that
// administers it) but flagged above the city list.

// knownState reports whether code is a state of the shipped geodata.
func knownState(code string) bool {
	g, err := resolve.LoadGeo()
	if err != nil {
		return false
	}
	for _, st := range g.States.States() {
		if st.Code == code {
			return true
		}
	}
	return false
}

// stateName is the state's name for lists and filters; an unknown code
// (stored before states were checked) is shown as it is.
func (s *handlers) stateName(code string) string {
	for _, st := range s.Res.Geo.States.States() {
		if st.Code == code {
			return st.Name
		}
	}
	return code
}

// cityStateWarnings names every city whose coordinates fall in a state
// other than its own (point in polygon, or the nearest outline for the
// few points just off the generalised coast).
func cityStateWarnings(c *gin.Context, s *handlers, id int64, p *web.Page) ([]string, error) {
	ks, err := s.DB.ListCities(c.Request.Context(), id, store.CityFilter{})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range ks.Items {
		if k.State == "" || !knownState(k.State) {
			continue
		}
		if at, _ := s.Res.Geo.States.Locate(k.Lat, k.Lon); at != "" && at != k.State {
			out = append(out, p.T("data.city.wrong_state", "Code", k.Code, "Name", k.Name,
				"State", s.stateName(k.State), "At", s.stateName(at)))
		}
	}
	return out, nil
}
