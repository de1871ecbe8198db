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

// lockEntity edits the locks: pieces of one (material, city, category)
// cell fixed by a manual decision. Its key is "MATERIAL/CITY/CATEGORY".
func lockEntity() *dataEntity {
	return &dataEntity{
		kind: "locks",
		path: "locks",
		columns: []dataColumn{
			{Key: "material", Sort: "material"}, {Key: "city", Sort: "city"},
			{Key: "category", Sort: "category"}, {Key: "pieces", Sort: "pieces", Num: true},
		},
		filters: func(o *dataOptions) []dataFilter {
			return []dataFilter{{Name: "material", Options: o.Materials}, {Name: "city", Options: o.Cities},
				{Name: "category", Options: o.Categories}}
		},
		fields: func(o *dataOptions) []dataField {
			return []dataField{
				{Name: "material", Kind: "select", Options: o.Materials},
				{Name: "city", Kind: "select", Options: o.Cities},
				{Name: "category", Kind: "select", Options: o.Categories},
				{Name: "pieces", Kind: "int"},
			}
		},
		list:   listLocks,
		get:    getLock,
		save:   saveLock,
		remove: deleteLock,
	}
}

func listLocks(c *gin.Context, s *handlers, id int64, q dataQuery, p *web.Page) ([]dataRow, int64, error) {
	page, err := s.DB.ListLocks(c.Request.Context(), id, store.LockFilter{Material: q.Filters["material"],
		City: q.Filters["city"], Category: q.Filters["category"], ListOptions: q.listOptions()})
	if err != nil {
		return nil, 0, err
	}
	rows := make([]dataRow, len(page.Items))
	for i, l := range page.Items {
		rows[i] = dataRow{Key: l.Material + "/" + l.City + "/" + l.Category, Cells: []dataCell{
			{Text: l.Material}, {Text: l.City}, {Text: l.Category}, {Text: p.N(l.Pieces), Num: true},
		}}
	}
	return rows, page.Total, nil
}

func lockKey(key string) (store.LockKey, error) {
	k, err := splitKey(key, 3)
	if err != nil {
		return store.LockKey{}, err
	}
	return store.LockKey{Material: k[0], City: k[1], Category: k[2]}, nil
}

func getLock(ctx context.Context, db *store.DB, id int64, key string) (url.Values, error) {
	k, err := lockKey(key)
	if err != nil {
		return nil, err
	}
	page, err := db.ListLocks(ctx, id, store.LockFilter{Material: k.Material, City: k.City, Category: k.Category})
	if err != nil {
		return nil, err
	}
	if len(page.Items) == 0 {
		return nil, planner.Errorm(planner.ENotFound, planner.MsgRowNotFound, "%s not found", k)
	}
	l := page.Items[0]
	return url.Values{"material": {l.Material}, "city": {l.City}, "category": {l.Category},
		"pieces": {strconv.FormatInt(l.Pieces, 10)}}, nil
}

func saveLock(ctx context.Context, db *store.DB, id int64, key string, f *web.Form) error {
	l := planner.Lock{Material: f.Str("material"), City: f.Str("city"), Category: f.Str("category"),
		Pieces: f.Int("pieces", false)}
	if err := f.Err(); err != nil {
		return err
	}
	if key == "" {
		return db.CreateLock(ctx, id, l)
	}
	k, err := lockKey(key)
	if err != nil {
		return err
	}
	return db.UpdateLock(ctx, id, k, l)
}

func deleteLock(ctx context.Context, db *store.DB, id int64, key string) error {
	k, err := lockKey(key)
	if err != nil {
		return err
	}
	return db.DeleteLock(ctx, id, k)
}
