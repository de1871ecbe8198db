package pages

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// targetingPage is what data_targeting.html shows: the whole targeting
// matrix, materials as rows and venue categories as columns, one input of
// pieces per venue per cell (empty means no rule).
type targetingPage struct {
	Action     string
	Categories []planner.VenueCategory
	Rows       []targetingRow
	Errors     []string
	Invalid    bool
}

type targetingRow struct {
	Material planner.Material
	Cells    []targetingCell
}

type targetingCell struct {
	Name  string // form name: "pv.MATERIAL.CATEGORY" (codes never hold a ".")
	Value string
	Error string
}

// TargetingName is the form name of a cell of the targeting grid.
func TargetingName(material, category string) string { return "pv." + material + "." + category }

// targetingGrid shows the matrix; viewers see it without inputs.
func (s *handlers) targetingGrid(c *gin.Context) {
	s.renderTargeting(c, http.StatusOK, nil, nil, nil)
}

// saveTargeting replaces the whole matrix in one transaction. A cell that
// is not a whole number >= 0 is an error on that cell and nothing is saved.
// Cells missing from the form (a material added since the page was
// loaded) keep their stored value.
func (s *handlers) saveTargeting(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	ctx := c.Request.Context()
	if err := c.Request.ParseForm(); err != nil {
		s.Web.PageError(c, web.BadRequestm(planner.MsgBrokenForm, "cannot read the form"))
		return
	}
	ms, cs, current, err := s.loadTargeting(c, id)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	form := c.Request.PostForm
	cellErrs := map[string]string{}
	var rules []planner.TargetingRule
	for _, m := range ms {
		for _, k := range cs {
			name := TargetingName(m.Code, k.Code)
			n := current[name]
			if vals, ok := form[name]; ok {
				var valid bool
				if n, valid = parseCell(vals[0]); !valid {
					cellErrs[name] = s.Web.Tr(c, "data.targeting.cell_error")
					continue
				}
			}
			if n > 0 {
				rules = append(rules, planner.TargetingRule{Material: m.Code, Category: k.Code, PerVenue: n})
			}
		}
	}
	if len(cellErrs) == 0 && form.Get("confirm_remove") != "1" {
		if removed := removedRules(current, rules); len(removed) > 0 {
			s.confirmTargetingRemoval(c, id, form, removed)
			return
		}
	}
	if len(cellErrs) == 0 {
		if err = s.DB.SetTargeting(ctx, id, rules); err == nil {
			s.Flash(c, s.Web.Tr(c, "data.targeting.saved"))
			c.Redirect(http.StatusSeeOther, dataURL(id, "targeting"))
			return
		}
		if planner.ErrorCode(err) != planner.EInvalid {
			s.Web.PageError(c, err)
			return
		}
	}
	// Store errors name rules by index (targeting[3].per_venue): map them
	// back to cells; anything else is shown above the grid.
	var general []string
	for _, fe := range planner.ErrorFields(err) {
		if i, ok := ruleIndex(fe.Path); ok && i < len(rules) {
			cellErrs[TargetingName(rules[i].Material, rules[i].Category)] = s.Web.NewPage(c, "", nil).FieldMessage(fe)
		} else {
			general = append(general, fe.String())
		}
	}
	s.renderTargeting(c, http.StatusUnprocessableEntity, form, cellErrs, general)
}

// parseCell reads one cell: empty is 0, otherwise a whole number >= 0.
func parseCell(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, ok := web.ParseWhole(s)
	return n, ok && n >= 0
}

// ruleIndex reads i from "targeting[i]" or "targeting[i].field".
func ruleIndex(path string) (int, bool) {
	rest, ok := strings.CutPrefix(path, "targeting[")
	if !ok {
		return 0, false
	}
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return 0, false
	}
	i, err := strconv.Atoi(rest[:end])
	return i, err == nil
}

// loadTargeting returns the materials, the categories and the stored
// pieces per venue by cell name.
func (s *handlers) loadTargeting(c *gin.Context, id int64) ([]planner.Material, []planner.VenueCategory, map[string]int64, error) {
	ctx := c.Request.Context()
	ms, err := s.DB.ListMaterials(ctx, id, store.MaterialFilter{})
	if err != nil {
		return nil, nil, nil, err
	}
	cs, err := s.DB.ListCategories(ctx, id, store.CategoryFilter{})
	if err != nil {
		return nil, nil, nil, err
	}
	rules, err := s.DB.ListTargeting(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	current := make(map[string]int64, len(rules))
	for _, r := range rules {
		current[TargetingName(r.Material, r.Category)] = r.PerVenue
	}
	return ms.Items, cs.Items, current, nil
}

// renderTargeting shows the grid with the stored values, or with what the
// user typed (form) and the errors of each cell.
func (s *handlers) renderTargeting(c *gin.Context, status int, form url.Values, cellErrs map[string]string, general []string) {
	id, _ := resolve.CampaignID(c)
	ms, cs, current, err := s.loadTargeting(c, id)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	d := targetingPage{Action: dataURL(id, "targeting"), Categories: cs, Errors: general, Invalid: len(cellErrs) > 0}
	for _, m := range ms {
		row := targetingRow{Material: m}
		for _, k := range cs {
			name := TargetingName(m.Code, k.Code)
			cell := targetingCell{Name: name, Error: cellErrs[name]}
			if vals, ok := form[name]; ok {
				cell.Value = vals[0]
			} else if n := current[name]; n > 0 {
				cell.Value = strconv.FormatInt(n, 10)
			}
			row.Cells = append(row.Cells, cell)
		}
		d.Rows = append(d.Rows, row)
	}
	s.Web.Render(c, status, "data_targeting", d)
}
