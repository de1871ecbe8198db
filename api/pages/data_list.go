package pages

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
)

// dataListPage is what data_list.html shows.
type dataListPage struct {
	Kind       string
	Overview   string // the data overview's URL
	Action     string // the list's URL, target of the filter form
	Searchable bool   // the store matches a text query on this list
	Columns    []dataColumnView
	Rows       []dataRowView
	Filters    []dataFilterView
	Q          string
	Total      int64
	Pager      dataPager
	NewURL     string
	ImportURL  string // venues only
	HistoryURL string // venues only: the import history
	Warnings   []string
}

type dataColumnView struct {
	dataColumn
	SortURL string // "" when not sortable
	Sorted  bool
	Desc    bool
}

type dataRowView struct {
	dataRow
	EditURL string
}

type dataFilterView struct {
	dataFilter
	Label string
}

// dataPager links the pages of a list: the first, the last and a few
// around the current one (a zero N is a gap).
type dataPager struct {
	Page, Pages int
	Prev, Next  string
	Links       []dataPageLink
}

type dataPageLink struct {
	N       int
	URL     string
	Current bool
}

// parseDataQuery reads q, sort, desc, page and the entity's filters.
func parseDataQuery(c *gin.Context, names []string) dataQuery {
	q := dataQuery{Q: c.Query("q"), Sort: c.Query("sort"), Desc: c.Query("desc") == "1", Filters: map[string]string{}}
	q.Page, _ = strconv.Atoi(c.Query("page"))
	q.Page = max(q.Page, 1)
	for _, n := range names {
		if v := c.Query(n); v != "" {
			q.Filters[n] = v
		}
	}
	return q
}

// values encodes q as URL parameters, for sort and page links.
func (q dataQuery) values() url.Values {
	v := url.Values{}
	if q.Q != "" {
		v.Set("q", q.Q)
	}
	for k, f := range q.Filters {
		v.Set(k, f)
	}
	if q.Sort != "" {
		v.Set("sort", q.Sort)
	}
	if q.Desc {
		v.Set("desc", "1")
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	return v
}

func (q dataQuery) url(base string) string {
	if v := q.values().Encode(); v != "" {
		return base + "?" + v
	}
	return base
}

// dataList renders one page of an entity's list. Sorting by a column the
// store does not offer is ignored rather than an error: links are typed by
// hand sometimes.
func (s *handlers) dataList(e *dataEntity) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, _ := resolve.CampaignID(c)
		p := s.Web.NewPage(c, "", nil)
		opts, err := s.loadDataOptions(c.Request.Context(), id, p)
		if err != nil {
			s.Web.PageError(c, err)
			return
		}
		var filters []dataFilter
		if e.filters != nil {
			filters = e.filters(opts)
		}
		names := make([]string, len(filters))
		for i, f := range filters {
			names[i] = f.Name
		}
		q := parseDataQuery(c, names)
		if !e.sortable(q.Sort, p) {
			q.Sort, q.Desc = "", false
		}
		rows, total, err := e.list(c, s, id, q, p)
		if err != nil {
			s.Web.PageError(c, err)
			return
		}
		base := dataURL(id, e.kind)
		d := dataListPage{Kind: e.kind, Overview: dataURL(id, ""), Action: base, Searchable: e.searchable,
			Q: q.Q, Total: total, Pager: newDataPager(q, total, base)}
		for _, col := range e.columns {
			v := dataColumnView{dataColumn: col, Sorted: q.Sort != "" && col.Sort == q.Sort, Desc: q.Desc}
			if e.sortable(col.Sort, p) {
				sq := q
				sq.Sort, sq.Desc, sq.Page = col.Sort, v.Sorted && !q.Desc, 1
				v.SortURL = sq.url(base)
			}
			d.Columns = append(d.Columns, v)
		}
		for _, r := range rows {
			d.Rows = append(d.Rows, dataRowView{dataRow: r, EditURL: base + "/edit?key=" + url.QueryEscape(r.Key)})
		}
		for _, f := range filters {
			f.Value = q.Filters[f.Name]
			d.Filters = append(d.Filters, dataFilterView{dataFilter: f, Label: p.T("data.field." + f.Name)})
		}
		if p.User.CanEdit() {
			d.NewURL = base + "/new"
			if e.kind == "venues" {
				d.ImportURL, d.HistoryURL = dataURL(id, "venues/import"), dataURL(id, "venues/imports")
			}
		}
		if e.warnings != nil {
			if d.Warnings, err = e.warnings(c, s, id, p); err != nil {
				s.Web.PageError(c, err)
				return
			}
		}
		s.Web.Render(c, http.StatusOK, "data_list", d)
	}
}

// sortable reports whether the list may be sorted by the store column
// name. Viewers may not sort venues by name: the order would hint at
// confidential names they cannot see.
func (e *dataEntity) sortable(name string, p *web.Page) bool {
	if name == "" {
		return false
	}
	if e.kind == "venues" && name == "name" && !p.User.CanEdit() {
		return false
	}
	for _, col := range e.columns {
		if col.Sort == name {
			return true
		}
	}
	return false
}

func newDataPager(q dataQuery, total int64, base string) dataPager {
	pages := int((total + dataPageSize - 1) / dataPageSize)
	return linkPages(q.Page, pages, func(n int) string {
		pq := q
		pq.Page = n
		return pq.url(base)
	})
}

// linkPages links page of pages as the lists and the plan matrix show it:
// previous, next, the first, the last and two either side of page, with a
// gap (a link without N) where pages are skipped; at(n) is page n's URL.
// A page past the last links back to the last.
func linkPages(page, pages int, at func(n int) string) dataPager {
	pg := dataPager{Page: page, Pages: pages}
	if pages <= 1 {
		return pg
	}
	if page > 1 {
		pg.Prev = at(min(page-1, pages))
	}
	if page < pages {
		pg.Next = at(page + 1)
	}
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < page-2 || n > page+2) {
			continue
		}
		if last != 0 && n > last+1 {
			pg.Links = append(pg.Links, dataPageLink{})
		}
		pg.Links = append(pg.Links, dataPageLink{N: n, URL: at(n), Current: n == page})
		last = n
	}
	return pg
}
