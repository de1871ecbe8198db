package pages

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
)

// Every delete asks first: the row's form links to a confirmation page
// (GET …/delete?key=K) whose button posts the delete. It is a page, not a
// script dialog, so it works without JavaScript and under the CSP.

type dataDeletePage struct {
	Kind, Key string
	Summary   []dataDeleteField // what is about to be deleted
	Action    string            // POST target
	CancelURL string            // back to the row's form
	ListURL   string
}

type dataDeleteField struct {
	Name, Value string
}

func (s *handlers) dataDeleteForm(e *dataEntity) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, _ := resolve.CampaignID(c)
		key := c.Query("key")
		v, err := e.get(c.Request.Context(), s.DB, id, key)
		if err != nil {
			s.Web.PageError(c, err)
			return
		}
		p := s.Web.NewPage(c, "", nil)
		opts, err := s.loadDataOptions(c.Request.Context(), id, p)
		if err != nil {
			s.Web.PageError(c, err)
			return
		}
		base := dataURL(id, e.kind)
		q := "?key=" + url.QueryEscape(key)
		d := dataDeletePage{Kind: e.kind, Key: key, Action: base + "/delete" + q, CancelURL: base + "/edit" + q, ListURL: base}
		for _, f := range e.fields(opts) {
			if val := strings.TrimSpace(v.Get(f.Name)); val != "" && f.Kind != "checkbox" {
				d.Summary = append(d.Summary, dataDeleteField{f.Name, val})
			}
		}
		s.Web.Render(c, http.StatusOK, "data_delete", d)
	}
}
