package pages

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// The campaign data pages edit the lists of a campaign one row at a time
// (materials, cities, venue categories, venues, venue counts, locks), the
// targeting matrix as one grid, and import venues from CSV. Every list
// shares one list page and one form page driven by a dataEntity: the
// entity files (data_material.go, …) say which columns, filters and
// fields a list has and how a form becomes a store call. The store
// validates the whole campaign in the same transaction as the write, so a
// page never needs to repeat the planner's rules; it maps the JSON paths
// of the errors (materials[3].pack_size) back to its fields (pack_size).

// dataPageSize is the rows per list page.
const dataPageSize = 100

// dataEntity describes one editable list of a campaign.
type dataEntity struct {
	kind string // URL segment and i18n stem: "materials"
	path string // the list's name in validation paths: "materials"
	// searchable says the store matches a text query (q) on this list.
	searchable bool
	columns    []dataColumn
	filters    func(o *dataOptions) []dataFilter // selects above the list
	fields     func(o *dataOptions) []dataField  // the form's inputs, in order
	// list returns one page of rows, formatted for p's reader (confidential
	// names hidden from viewers), and the number of matching rows.
	list func(c *gin.Context, s *handlers, id int64, q dataQuery, p *web.Page) ([]dataRow, int64, error)
	// get returns the form values of the row with key.
	get func(ctx context.Context, db *store.DB, id int64, key string) (url.Values, error)
	// save creates (key "") or updates the row from the form. Errors in
	// what was typed come back as EInvalid with form field names as paths.
	save   func(ctx context.Context, db *store.DB, id int64, key string, f *web.Form) error
	remove func(ctx context.Context, db *store.DB, id int64, key string) error
	// warnings, optional, are shown above the list: things that are
	// allowed but probably wrong (a city placed in another state).
	warnings func(c *gin.Context, s *handlers, id int64, p *web.Page) ([]string, error)
}

// dataColumn is one column of a list; Key is also its label's i18n id
// (data.field.KEY). Sort is the store's sort name, "" when not sortable.
type dataColumn struct {
	Key  string
	Sort string
	Num  bool
}

// dataFilter is a select above a list.
type dataFilter struct {
	Name    string
	Options []dataOption
	Value   string
}

type dataOption struct{ Value, Label string }

// dataQuery is what a list page was asked for.
type dataQuery struct {
	Q       string
	Filters map[string]string
	Sort    string
	Desc    bool
	Page    int // 1-based
}

func (q dataQuery) listOptions() store.ListOptions {
	return store.ListOptions{Sort: q.Sort, Desc: q.Desc, Limit: dataPageSize, Offset: (q.Page - 1) * dataPageSize}
}

// dataRow is one formatted row of a list.
type dataRow struct {
	Key   string
	Cells []dataCell
}

type dataCell struct {
	Text  string
	Num   bool
	Muted bool
}

// dataEntities lists the editable lists in the order the overview shows them.
func dataEntities() []*dataEntity {
	return []*dataEntity{materialEntity(), categoryEntity(), cityEntity(), venueEntity(), venueCountEntity(), lockEntity()}
}

// routesData registers the campaign data pages. Reading needs a viewer;
// every write needs a planner. The JSON API has no per-row data routes:
// clients exchange whole campaign files.
func (s *handlers) routesData(pages *gin.RouterGroup) {
	g := pages.Group("/campaigns/:id/data", s.Res.Campaign())
	edit := s.Web.RequireRole(web.RolePlanner)
	g.GET("", s.dataOverview)
	g.GET("/targeting", s.targetingGrid)
	g.POST("/targeting", edit, s.saveTargeting)
	g.GET("/venues/import", edit, s.importForm)
	g.POST("/venues/import", edit, s.importPreview)
	g.POST("/venues/import/confirm", edit, s.importConfirm)
	g.GET("/venues/imports", edit, s.importHistory)
	g.GET("/venues/imports/undo", edit, s.importUndoForm)
	g.POST("/venues/imports/undo", edit, s.importUndo)
	g.GET("/venues/registry", edit, s.registryForm)
	g.POST("/venues/registry", edit, s.registryPreview)
	g.POST("/venues/registry/confirm", edit, s.registryConfirm)
	g.GET("/venues/registry/rules", s.registryRules)
	g.POST("/venues/registry/rules", edit, s.registryRulesSave)
	g.POST("/venues/registry/rules/defaults", edit, s.registryRulesDefaults)
	for _, e := range dataEntities() {
		base := "/" + e.kind
		g.GET(base, s.dataList(e))
		g.GET(base+"/new", edit, s.dataNew(e))
		g.POST(base, edit, s.dataCreate(e))
		g.GET(base+"/edit", edit, s.dataEdit(e))
		g.POST(base+"/edit", edit, s.dataUpdate(e))
		g.GET(base+"/delete", edit, s.dataDeleteForm(e))
		g.POST(base+"/delete", edit, s.dataDelete(e))
	}
}

// dataURL is the URL of a campaign's data page, e.g. dataURL(7, "materials").
func dataURL(id int64, rest string) string {
	u := "/campaigns/" + strconv.FormatInt(id, 10) + "/data"
	if rest != "" {
		u += "/" + rest
	}
	return u
}

// dataOverviewItem is one list on the overview with its size.
type dataOverviewItem struct {
	Kind  string
	Count int64
	URL   string
}

// dataOverview shows how big each list is, with links to them.
func (s *handlers) dataOverview(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	ctx := c.Request.Context()
	one := store.ListOptions{Limit: 1}
	counts := []struct {
		kind  string
		count func() (int64, error)
	}{
		{"materials", func() (int64, error) {
			p, err := s.DB.ListMaterials(ctx, id, store.MaterialFilter{ListOptions: one})
			return p.Total, err
		}},
		{"categories", func() (int64, error) {
			p, err := s.DB.ListCategories(ctx, id, store.CategoryFilter{ListOptions: one})
			return p.Total, err
		}},
		{"cities", func() (int64, error) {
			p, err := s.DB.ListCities(ctx, id, store.CityFilter{ListOptions: one})
			return p.Total, err
		}},
		{"venues", func() (int64, error) {
			p, err := s.DB.ListVenues(ctx, id, store.VenueFilter{ListOptions: one})
			return p.Total, err
		}},
		{"counts", func() (int64, error) {
			p, err := s.DB.ListVenueCounts(ctx, id, store.VenueCountFilter{ListOptions: one})
			return p.Total, err
		}},
		{"locks", func() (int64, error) {
			p, err := s.DB.ListLocks(ctx, id, store.LockFilter{ListOptions: one})
			return p.Total, err
		}},
		{"targeting", func() (int64, error) { r, err := s.DB.ListTargeting(ctx, id); return int64(len(r)), err }},
	}
	items := make([]dataOverviewItem, 0, len(counts))
	for _, k := range counts {
		n, err := k.count()
		if err != nil {
			s.Web.PageError(c, err)
			return
		}
		items = append(items, dataOverviewItem{Kind: k.kind, Count: n, URL: dataURL(id, k.kind)})
	}
	s.Web.Render(c, http.StatusOK, "data", gin.H{"Items": items, "ImportURL": dataURL(id, "venues/import"),
		"HistoryURL": dataURL(id, "venues/imports"), "RegistryURL": dataURL(id, "venues/registry"),
		"RulesURL": dataURL(id, "venues/registry/rules")})
}

// dataOptions are the choices the forms and filters offer: the campaign's
// materials, cities and categories, as "CODE — Name".
type dataOptions struct {
	Materials, Cities, Categories []dataOption
	States, Groups                []dataOption // distinct values in use
	AllStates                     []dataOption // the 32 states of the shipped geodata, by name
	sensitive                     map[string]bool
	p                             *web.Page
}

func (s *handlers) loadDataOptions(ctx context.Context, id int64, p *web.Page) (*dataOptions, error) {
	o := &dataOptions{sensitive: map[string]bool{}, p: p}
	ms, err := s.DB.ListMaterials(ctx, id, store.MaterialFilter{})
	if err != nil {
		return nil, err
	}
	for _, m := range ms.Items {
		o.Materials = append(o.Materials, dataOption{m.Code, m.Code + " — " + m.Name})
	}
	ks, err := s.DB.ListCities(ctx, id, store.CityFilter{})
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, st := range s.Res.Geo.States.States() {
		names[st.Code] = st.Name
		o.AllStates = append(o.AllStates, dataOption{st.Code, st.Name})
	}
	slices.SortFunc(o.AllStates, func(a, b dataOption) int { return strings.Compare(a.Label, b.Label) })
	states := map[string]bool{}
	for _, k := range ks.Items {
		o.Cities = append(o.Cities, dataOption{k.Code, k.Code + " — " + k.Name})
		if k.State != "" && !states[k.State] {
			states[k.State] = true
			label := names[k.State]
			if label == "" { // stored before states were checked
				label = k.State
			}
			o.States = append(o.States, dataOption{k.State, label})
		}
	}
	vs, err := s.DB.ListCategories(ctx, id, store.CategoryFilter{})
	if err != nil {
		return nil, err
	}
	groups := map[string]bool{}
	for _, v := range vs.Items {
		o.Categories = append(o.Categories, dataOption{v.Code, v.Code + " — " + v.Name})
		o.sensitive[v.Code] = v.Sensitive
		if v.Group != "" && !groups[v.Group] {
			groups[v.Group] = true
			o.Groups = append(o.Groups, dataOption{v.Group, v.Group})
		}
	}
	byValue := func(a, b dataOption) int { return strings.Compare(a.Value, b.Value) }
	slices.SortFunc(o.States, func(a, b dataOption) int { return strings.Compare(a.Label, b.Label) })
	slices.SortFunc(o.Groups, byValue)
	return o, nil
}

// splitKey splits a composite key ("MEX/BAR"); codes never hold a "/".
func splitKey(key string, n int) ([]string, error) {
	parts := make([]string, 0, n)
	for len(parts) < n-1 {
		i := strings.IndexByte(key, '/')
		if i < 0 {
			return nil, web.BadRequestm(planner.MsgBrokenForm, "malformed key")
		}
		parts, key = append(parts, key[:i]), key[i+1:]
	}
	return append(parts, key), nil
}
