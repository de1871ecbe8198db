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

// noCityFilter is the city filter value for venues placed only by their
// coordinates.
const noCityFilter = "-"

// venueEntity edits registered venues. Names, addresses and coordinates
// of confidential venues and of venues in sensitive categories are shown
// to planners and admins only. Every such venue shows its
// planner.ConfidentialRef, the reference lists print in its place, and a
// search for a reference finds it: that is how a coordinator maps a
// reference a city team reads out back to the venue.
func venueEntity() *dataEntity {
	return &dataEntity{
		kind:       "venues",
		path:       "venues",
		searchable: true,
		columns: []dataColumn{
			{Key: "id", Sort: "id"}, {Key: "name", Sort: "name"}, {Key: "category", Sort: "category"},
			{Key: "city", Sort: "city"}, {Key: "lat", Num: true}, {Key: "lon", Num: true},
			{Key: "address"}, {Key: "confidential"},
		},
		filters: func(o *dataOptions) []dataFilter {
			cities := append([]dataOption{{noCityFilter, o.p.T("data.by_coordinates")}}, o.Cities...)
			return []dataFilter{{Name: "category", Options: o.Categories}, {Name: "city", Options: cities}}
		},
		fields: func(o *dataOptions) []dataField {
			return []dataField{
				{Name: "id", Kind: "text"}, {Name: "name", Kind: "text"},
				{Name: "category", Kind: "select", Options: o.Categories},
				{Name: "lat", Kind: "decimal"}, {Name: "lon", Kind: "decimal"},
				{Name: "city", Kind: "select", Options: o.Cities, Optional: true, Help: "data.help.venue_city"},
				{Name: "address", Kind: "text"}, {Name: "confidential", Kind: "checkbox", Help: "data.help.venue_confidential"},
			}
		},
		list: listVenues,
		get:  getVenue,
		save: saveVenue,
		remove: func(ctx context.Context, db *store.DB, id int64, key string) error {
			return db.DeleteVenue(ctx, id, key)
		},
	}
}

func listVenues(c *gin.Context, s *handlers, id int64, q dataQuery, p *web.Page) ([]dataRow, int64, error) {
	ctx := c.Request.Context()
	sensitive, err := sensitiveCategories(ctx, s.DB, id)
	if err != nil {
		return nil, 0, err
	}
	f := store.VenueFilter{Query: q.Q, Category: q.Filters["category"], City: q.Filters["city"], ListOptions: q.listOptions()}
	if f.City == noCityFilter {
		f.City, f.NoCity = "", true
	}
	hidden := func(v planner.Venue) bool { return !p.User.CanEdit() && (v.Confidential || sensitive[v.Category]) }
	isHidden := func(v planner.Venue) bool { return v.Confidential || sensitive[v.Category] }
	var items []planner.Venue
	var total int64
	if ref, ok := planner.ParseConfidentialRef(q.Q); ok {
		// The reference is not stored: it is computed for each venue. It is
		// what every list shows, so viewers may search it too.
		f.Query = ""
		items, total, err = filterVenues(ctx, s.DB, id, f, func(v planner.Venue) bool {
			return isHidden(v) && planner.ConfidentialRef(id, v.ID) == ref
		})
	} else if q.Q != "" && !p.User.CanEdit() {
		items, total, err = filterVenues(ctx, s.DB, id, f, func(v planner.Venue) bool { return !hidden(v) })
	} else {
		var page store.Page[planner.Venue]
		page, err = s.DB.ListVenues(ctx, id, f)
		items, total = page.Items, page.Total
	}
	if err != nil {
		return nil, 0, err
	}
	cities, err := s.DB.ListCities(ctx, id, store.CityFilter{})
	if err != nil {
		return nil, 0, err
	}
	assigned := planner.AssignedCities(cities.Items, items)
	rows := make([]dataRow, len(items))
	for i, v := range items {
		idCell, name, address := dataCell{Text: v.ID}, dataCell{Text: v.Name}, dataCell{Text: v.Address}
		lat, lon := dataCell{Text: formatFloat(v.Lat), Num: true}, dataCell{Text: formatFloat(v.Lon), Num: true}
		confidential := dataCell{Text: yesNo(p, isHidden(v))}
		if isHidden(v) {
			confidential.Text += " · " + planner.ConfidentialRef(id, v.ID)
		}
		if hidden(v) { // where a shelter is matters as much as its name; an id is free text
			idCell = dataCell{Text: p.T("data.confidential_venue", "Ref", planner.ConfidentialRef(id, v.ID)), Muted: true}
			name, address = dataCell{Text: p.T("data.confidential"), Muted: true}, dataCell{}
			lat, lon = dataCell{Text: "—", Num: true, Muted: true}, dataCell{Text: "—", Num: true, Muted: true}
		}
		city := dataCell{Text: v.City}
		switch {
		case v.City != "":
		case assigned[i] != "": // the city a plan delivers it to
			city = dataCell{Text: p.T("data.assigned_by_coordinates", "City", assigned[i])}
		default:
			city = dataCell{Text: p.T("data.out_of_radius"), Muted: true}
		}
		key := v.ID
		if hidden(v) { // viewers get no edit link; the key must not carry the id either
			key = ""
		}
		rows[i] = dataRow{Key: key, Cells: []dataCell{
			idCell, name, {Text: v.Category}, city,
			lat, lon, address, confidential,
		}}
	}
	return rows, total, nil
}

// filterVenues lists the venues of f that keep accepts, filtering in
// memory and paging the result itself. A viewer's text search uses it: the
// store matches ids, names and addresses, which would let a viewer probe
// what identifies a confidential venue, so hidden venues match no viewer's
// search at all. A search by reference uses it too, as references are not
// stored.
func filterVenues(ctx context.Context, db *store.DB, id int64, f store.VenueFilter,
	keep func(planner.Venue) bool) ([]planner.Venue, int64, error) {
	paging := f.ListOptions
	f.Limit, f.Offset = 0, 0
	page, err := db.ListVenues(ctx, id, f)
	if err != nil {
		return nil, 0, err
	}
	kept := page.Items[:0]
	for _, v := range page.Items {
		if keep(v) {
			kept = append(kept, v)
		}
	}
	total := int64(len(kept))
	from := min(paging.Offset, len(kept))
	to := min(from+paging.Limit, len(kept))
	return kept[from:to], total, nil
}

// sensitiveCategories returns the codes of the campaign's sensitive categories.
func sensitiveCategories(ctx context.Context, db *store.DB, id int64) (map[string]bool, error) {
	page, err := db.ListCategories(ctx, id, store.CategoryFilter{})
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, v := range page.Items {
		if v.Sensitive {
			out[v.Code] = true
		}
	}
	return out, nil
}

// getVenue shows the venue's own confidential flag: a venue of a sensitive
// category is stored confidential anyway, and saving the form must not
// turn that into the venue's own choice.
func getVenue(ctx context.Context, db *store.DB, id int64, key string) (url.Values, error) {
	v, err := db.GetVenue(ctx, id, key)
	if err != nil {
		return nil, err
	}
	marked, err := db.VenueMarkedConfidential(ctx, id, key)
	if err != nil {
		return nil, err
	}
	return url.Values{"id": {v.ID}, "name": {v.Name}, "category": {v.Category},
		"lat": {formatFloat(v.Lat)}, "lon": {formatFloat(v.Lon)}, "city": {v.City},
		"address": {v.Address}, "confidential": {strconv.FormatBool(marked)}}, nil
}

func saveVenue(ctx context.Context, db *store.DB, id int64, key string, f *web.Form) error {
	v := planner.Venue{
		ID:           f.Str("id"),
		Name:         f.Str("name"),
		Category:     f.Str("category"),
		Lat:          f.Float("lat", 0),
		Lon:          f.Float("lon", 0),
		City:         f.Str("city"),
		Address:      f.Str("address"),
		Confidential: f.Bool("confidential"),
	}
	for _, name := range []string{"lat", "lon"} {
		if f.Str(name) == "" {
			f.Fail(name, planner.MsgRequired, "is required")
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	if key == "" {
		return db.CreateVenue(ctx, id, v)
	}
	return db.UpdateVenue(ctx, id, key, v)
}
