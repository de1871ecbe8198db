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

// venueCountEntity edits the venue counts: the number of venues of a
// category in a city when the registry does not list them one by one.
// Its key is "CITY/CATEGORY".
func venueCountEntity() *dataEntity {
	return &dataEntity{
		kind: "counts",
		path: "venue_counts",
		columns: []dataColumn{
			{Key: "city", Sort: "city"}, {Key: "category", Sort: "category"},
			{Key: "count", Sort: "count", Num: true}, {Key: "estimated", Sort: "estimated"},
		},
		filters: func(o *dataOptions) []dataFilter {
			return []dataFilter{{Name: "city", Options: o.Cities}, {Name: "category", Options: o.Categories}}
		},
		fields: func(o *dataOptions) []dataField {
			return []dataField{
				{Name: "city", Kind: "select", Options: o.Cities},
				{Name: "category", Kind: "select", Options: o.Categories},
				{Name: "count", Kind: "int"}, {Name: "estimated", Kind: "checkbox"},
			}
		},
		list:   listVenueCounts,
		get:    getVenueCount,
		save:   saveVenueCount,
		remove: deleteVenueCount,
	}
}

func listVenueCounts(c *gin.Context, s *handlers, id int64, q dataQuery, p *web.Page) ([]dataRow, int64, error) {
	page, err := s.DB.ListVenueCounts(c.Request.Context(), id, store.VenueCountFilter{
		City: q.Filters["city"], Category: q.Filters["category"], ListOptions: q.listOptions()})
	if err != nil {
		return nil, 0, err
	}
	rows := make([]dataRow, len(page.Items))
	for i, n := range page.Items {
		rows[i] = dataRow{Key: n.City + "/" + n.Category, Cells: []dataCell{
			{Text: n.City}, {Text: n.Category}, {Text: p.N(n.Count), Num: true}, {Text: yesNo(p, n.Estimated)},
		}}
	}
	return rows, page.Total, nil
}

func getVenueCount(ctx context.Context, db *store.DB, id int64, key string) (url.Values, error) {
	k, err := splitKey(key, 2)
	if err != nil {
		return nil, err
	}
	page, err := db.ListVenueCounts(ctx, id, store.VenueCountFilter{City: k[0], Category: k[1]})
	if err != nil {
		return nil, err
	}
	if len(page.Items) == 0 {
		return nil, planner.Errorm(planner.ENotFound, planner.MsgRowNotFound, "venue count of %q in %q not found", k[1], k[0])
	}
	n := page.Items[0]
	return url.Values{"city": {n.City}, "category": {n.Category},
		"count": {strconv.FormatInt(n.Count, 10)}, "estimated": {strconv.FormatBool(n.Estimated)}}, nil
}

func saveVenueCount(ctx context.Context, db *store.DB, id int64, key string, f *web.Form) error {
	n := planner.VenueCount{City: f.Str("city"), Category: f.Str("category"),
		Count: f.Int("count", false), Estimated: f.Bool("estimated")}
	if err := f.Err(); err != nil {
		return err
	}
	if key == "" {
		return db.CreateVenueCount(ctx, id, n)
	}
	k, err := splitKey(key, 2)
	if err != nil {
		return err
	}
	return db.UpdateVenueCount(ctx, id, k[0], k[1], n)
}

func deleteVenueCount(ctx context.Context, db *store.DB, id int64, key string) error {
	k, err := splitKey(key, 2)
	if err != nil {
		return err
	}
	return db.DeleteVenueCount(ctx, id, k[0], k[1])
}
