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

// categoryEntity edits the venue categories. A sensitive category (shelter
// NGOs) hides the names of its venues from viewers.
func categoryEntity() *dataEntity {
	return &dataEntity{
		kind:       "categories",
		path:       "venue_categories",
		searchable: true,
		columns: []dataColumn{
			{Key: "code", Sort: "code"}, {Key: "name", Sort: "name"},
			{Key: "group", Sort: "group"}, {Key: "sensitive", Sort: "sensitive"},
		},
		filters: func(o *dataOptions) []dataFilter {
			return []dataFilter{{Name: "group", Options: o.Groups}}
		},
		fields: func(o *dataOptions) []dataField {
			return []dataField{
				{Name: "code", Kind: "text"}, {Name: "name", Kind: "text"},
				{Name: "group", Kind: "text"}, {Name: "sensitive", Kind: "checkbox"},
				{Name: "confirm_reveal", Kind: "checkbox", Help: "data.help.confirm_reveal"},
			}
		},
		list: listCategories,
		get:  getCategory,
		save: saveCategory,
		remove: func(ctx context.Context, db *store.DB, id int64, key string) error {
			return db.DeleteCategory(ctx, id, key)
		},
	}
}

func listCategories(c *gin.Context, s *handlers, id int64, q dataQuery, p *web.Page) ([]dataRow, int64, error) {
	page, err := s.DB.ListCategories(c.Request.Context(), id,
		store.CategoryFilter{Query: q.Q, Group: q.Filters["group"], ListOptions: q.listOptions()})
	if err != nil {
		return nil, 0, err
	}
	rows := make([]dataRow, len(page.Items))
	for i, v := range page.Items {
		rows[i] = dataRow{Key: v.Code, Cells: []dataCell{
			{Text: v.Code}, {Text: v.Name}, {Text: v.Group}, {Text: yesNo(p, v.Sensitive)},
		}}
	}
	return rows, page.Total, nil
}

func getCategory(ctx context.Context, db *store.DB, id int64, key string) (url.Values, error) {
	page, err := db.ListCategories(ctx, id, store.CategoryFilter{})
	if err != nil {
		return nil, err
	}
	for _, v := range page.Items {
		if v.Code == key {
			return url.Values{"code": {v.Code}, "name": {v.Name}, "group": {v.Group},
				"sensitive": {strconv.FormatBool(v.Sensitive)}}, nil
		}
	}
	return nil, planner.Errorm(planner.ENotFound, planner.MsgRowNotFound, "venue category %q not found", key)
}

func saveCategory(ctx context.Context, db *store.DB, id int64, key string, f *web.Form) error {
	v := planner.VenueCategory{Code: f.Str("code"), Name: f.Str("name"), Group: f.Str("group"), Sensitive: f.Bool("sensitive")}
	if key != "" && !v.Sensitive && !f.Bool("confirm_reveal") {
		if err := confirmReveal(ctx, db, id, key); err != nil {
			return err
		}
	}
	if key == "" {
		return db.CreateCategory(ctx, id, v)
	}
	return db.UpdateCategory(ctx, id, key, v)
}

// yesNo is a boolean cell in the reader's language.
func yesNo(p *web.Page, b bool) string {
	if b {
		return p.T("common.yes")
	}
	return p.T("common.no")
}

// confirmReveal refuses to turn a sensitive category's "sensitive" off
// while that would show venue names to viewers, saying how many, until
// the form's confirm_reveal box is ticked.
func confirmReveal(ctx context.Context, db *store.DB, id int64, code string) error {
	values, err := getCategory(ctx, db, id, code)
	if err != nil || !web.IsTrue(values.Get("sensitive")) {
		return err
	}
	n, err := db.CountRevealedVenues(ctx, id, code)
	if err != nil || n == 0 {
		return err
	}
	return planner.Invalid(planner.Fieldf("confirm_reveal", planner.MsgRevealConfirm,
		"%d venue names would become visible to viewers; tick to confirm", n))
}
