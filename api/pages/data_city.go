package pages

import (
	"context"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// Defaults of a new city (docs/campaign-file.md#cities), applied when the form leaves
// them empty.
const (
	defaultCityRadiusKm = 15
	defaultCityPriority = 1
)

// cityEntity edits the destination cities. Renaming a city's code moves
// its counts, venues and locks with it (the store does that).
func cityEntity() *dataEntity {
	return &dataEntity{
		kind:       "cities",
		path:       "cities",
		searchable: true,
		columns: []dataColumn{
			{Key: "code", Sort: "code"}, {Key: "name", Sort: "name"}, {Key: "state", Sort: "state"},
			{Key: "population", Sort: "population", Num: true}, {Key: "priority", Num: true},
			{Key: "radius_km", Num: true},
		},
		filters: func(o *dataOptions) []dataFilter {
			return []dataFilter{{Name: "state", Options: o.States}}
		},
		fields: func(o *dataOptions) []dataField {
			return []dataField{
				{Name: "code", Kind: "text"}, {Name: "name", Kind: "text"},
				{Name: "state", Kind: "select", Options: o.AllStates, Optional: true},
				{Name: "lat", Kind: "decimal"}, {Name: "lon", Kind: "decimal"},
				{Name: "population", Kind: "int"}, {Name: "priority", Kind: "decimal", Help: "data.help.priority"},
				{Name: "radius_km", Kind: "decimal", Help: "data.help.radius_km"}, {Name: "note", Kind: "textarea"},
				{Name: "address", Kind: "text", Help: "data.help.city_address"},
			}
		},
		list:     listCities,
		get:      getCity,
		save:     saveCity,
		warnings: cityStateWarnings,
		remove: func(ctx context.Context, db *store.DB, id int64, key string) error {
			return db.DeleteCity(ctx, id, key)
		},
	}
}

func listCities(c *gin.Context, s *handlers, id int64, q dataQuery, p *web.Page) ([]dataRow, int64, error) {
	page, err := s.DB.ListCities(c.Request.Context(), id,
		store.CityFilter{Query: q.Q, State: q.Filters["state"], ListOptions: q.listOptions()})
	if err != nil {
		return nil, 0, err
	}
	rows := make([]dataRow, len(page.Items))
	for i, k := range page.Items {
		pop := dataCell{Text: "—", Num: true, Muted: true}
		if k.Population != nil {
			pop = dataCell{Text: p.N(*k.Population), Num: true}
		}
		rows[i] = dataRow{Key: k.Code, Cells: []dataCell{
			{Text: k.Code}, {Text: k.Name}, {Text: s.stateName(k.State)}, pop,
			{Text: k.Priority.String(), Num: true}, {Text: formatFloat(k.RadiusKm), Num: true},
		}}
	}
	return rows, page.Total, nil
}

func getCity(ctx context.Context, db *store.DB, id int64, key string) (url.Values, error) {
	page, err := db.ListCities(ctx, id, store.CityFilter{})
	if err != nil {
		return nil, err
	}
	for _, k := range page.Items {
		if k.Code != key {
			continue
		}
		v := url.Values{"code": {k.Code}, "name": {k.Name}, "state": {k.State},
			"lat": {formatFloat(k.Lat)}, "lon": {formatFloat(k.Lon)}, "priority": {k.Priority.String()},
			"radius_km": {formatFloat(k.RadiusKm)}, "note": {k.Note}, "address": {k.Address}}
		if k.Population != nil {
			v.Set("population", strconv.FormatInt(*k.Population, 10))
		}
		return v, nil
	}
	return nil, planner.Errorm(planner.ENotFound, planner.MsgRowNotFound, "city %q not found", key)
}

func saveCity(ctx context.Context, db *store.DB, id int64, key string, f *web.Form) error {
	k := planner.City{
		Code:       f.Str("code"),
		Name:       f.Str("name"),
		State:      f.Str("state"),
		Lat:        f.Float("lat", 0),
		Lon:        f.Float("lon", 0),
		Population: f.OptInt("population"),
		Priority:   f.Decimal("priority", planner.DecimalInt(defaultCityPriority)),
		RadiusKm:   f.Float("radius_km", defaultCityRadiusKm),
		Note:       f.Str("note"),
		Address:    f.Str("address"),
	}
	for _, name := range []string{"lat", "lon"} {
		if f.Str(name) == "" {
			f.Fail(name, planner.MsgRequired, "is required")
		}
	}
	if k.State != "" && !knownState(k.State) {
		f.Fail("state", planner.MsgUnknownState, "unknown state %q", k.State)
	}
	if err := f.Err(); err != nil {
		return err
	}
	if key == "" {
		return db.CreateCity(ctx, id, k)
	}
	return db.UpdateCity(ctx, id, key, k)
}

// formatFloat writes a coordinate or a radius as short as it is exact.
func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
