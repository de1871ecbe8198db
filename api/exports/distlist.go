package exports

import (
	"bytes"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/paper"
	"github.com/reparto/reparto/planner/planio"
)

// A city's distribution list (docs/planning.md#distribution-lists) is
// served as a PDF for the team to print and as a CSV for a spreadsheet,
// both from the latest committed plan, with ?max_stops_per_day= and
// ?max_km_per_day= cutting the route into days. Confidential venues are
// listed by id only, whoever downloads the list: it goes to city teams.
func (h *handlers) routesDistribution(pages *gin.RouterGroup) {
	base := "/campaigns/:id/cities/:code/distribution"
	pages.GET(base+".pdf", h.Res.Campaign(), h.distributionFile(true))
	pages.GET(base+".csv", h.Res.Campaign(), h.distributionFile(false))
}

// distributionFile serves one city's list; the file is built in memory
// first, so a failure is an error page rather than a truncated download.
func (h *handlers) distributionFile(pdf bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, _ := resolve.CampaignID(c)
		body, name, err := h.distributionBytes(c, id, pdf)
		if err != nil {
			h.Web.PageError(c, err)
			return
		}
		ctype := "text/csv; charset=utf-8"
		if pdf {
			ctype = "application/pdf"
		}
		c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		c.Header("Cache-Control", "private, no-store")
		c.Data(http.StatusOK, ctype, body)
	}
}

func (h *handlers) distributionBytes(c *gin.Context, id int64, pdf bool) ([]byte, string, error) {
	opt, err := resolve.RouteOptions(c)
	if err != nil {
		return nil, "", err
	}
	k, err := h.Res.Committed(c, id)
	if err != nil {
		return nil, "", err
	}
	code := c.Param("code")
	list, err := k.CityList(code, opt)
	if err != nil {
		return nil, "", err
	}
	camp := k.Campaign
	today := camp.Today(h.Now())
	p := h.Web.NewPage(c, "", nil)
	what := "distribution-" + slugify(code)
	var buf bytes.Buffer
	if pdf {
		if h.Paper == nil {
			return nil, "", planner.Errorf(planner.EInternal, "no PDF renderer")
		}
		s := paper.DistributionSheet{Campaign: camp.Name, Day: today, List: list,
			Materials: map[string]string{}, Categories: map[string]string{}}
		for _, m := range camp.Materials {
			s.Materials[m.Code] = m.Name
		}
		for _, k := range camp.Categories {
			s.Categories[k.Code] = k.Name
		}
		if err := h.Paper.DistributionList(&buf, s, web.LangOf(c)); err != nil {
			return nil, "", err
		}
		name := exportFileName(camp.Name, what, today)
		return buf.Bytes(), name[:len(name)-len(".csv")] + ".pdf", nil
	}
	o := newCSVOut(&buf)
	planio.WriteDistributionList(o, list, ListWords(p))
	if err := o.Flush(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), exportFileName(camp.Name, what, today), nil
}

// ListWords are a distribution list's sentences in the user's language.
func ListWords(p *web.Page) planio.ListWords {
	return planio.ListWords{
		Confidential: func(ref string) string { return p.T("lists.confidential", "Ref", ref) },
		Unregistered: func(n int64) string { return p.T("lists.unregistered_venues", "N", n) },
	}
}
