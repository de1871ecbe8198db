package pages

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/registry"
	"github.com/reparto/reparto/store"
)

// The mapping editor shows the campaign's rules (registry row → venue
// category) as a table whose inputs are named rules[i].field, the paths
// store.SetRegistryRules reports errors on. Without JavaScript a row is
// added by filling one of the blank rows at the end and removed by
// ticking its box; blank rows are ignored. Saving replaces the whole
// mapping in one transaction, or changes nothing.

// blankRuleRows is how many empty rows the table offers for new rules.
const blankRuleRows = 3

// maxRuleRows bounds the rows a posted table is read for.
const maxRuleRows = 2000

type rulesPage struct {
	Action, DefaultsAction, ImportURL string
	Own                               bool // the campaign has its own mapping (else the shipped default shows)
	Rows                              []ruleRow
	Categories                        []dataOption
	Sources                           []registry.Source
	Errors                            []planner.FieldError
	Error                             string
}

// ruleRow is one row of the table: its form index and, per field, the
// error on it.
type ruleRow struct {
	Index int
	registry.Rule
	Errs map[string]string // field → message
}

func (s *handlers) rulesPageFor(c *gin.Context, id int64) (rulesPage, error) {
	d := rulesPage{Action: dataURL(id, "venues/registry/rules"), DefaultsAction: dataURL(id, "venues/registry/rules/defaults"),
		ImportURL: dataURL(id, "venues/registry"), Sources: []registry.Source{registry.SourceDENUE, registry.SourceCLUES}}
	cats, err := s.DB.ListCategories(c.Request.Context(), id, store.CategoryFilter{})
	if err != nil {
		return d, err
	}
	for _, k := range cats.Items {
		d.Categories = append(d.Categories, dataOption{Value: k.Code, Label: k.Code + " — " + k.Name})
	}
	return d, nil
}

func (s *handlers) registryRules(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	d, err := s.rulesPageFor(c, id)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	rules, own, err := s.DB.RegistryRules(c.Request.Context(), id)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	if !own {
		if rules, err = registry.LoadDefaultRules(assets.FS); err != nil {
			s.Web.PageError(c, err)
			return
		}
	}
	d.Own = own
	d.Rows = ruleRows(rules, nil, nil)
	s.Web.Render(c, http.StatusOK, "data_registry_rules", d)
}

// ruleRows numbers rules for the table (index[i] is rule i's form row;
// nil numbers them in order), puts each field error on its row and adds
// the blank rows.
func ruleRows(rules []registry.Rule, index []int, errs []planner.FieldError, p ...*web.Page) []ruleRow {
	rows := make([]ruleRow, 0, len(rules)+blankRuleRows)
	byRow := map[int]int{}
	for i, r := range rules {
		n := i
		if index != nil {
			n = index[i]
		}
		byRow[n] = len(rows)
		rows = append(rows, ruleRow{Index: n, Rule: r})
	}
	next := 0
	if len(rows) > 0 {
		next = rows[len(rows)-1].Index + 1
	}
	for i := range blankRuleRows {
		rows = append(rows, ruleRow{Index: next + i, Rule: registry.Rule{Source: registry.SourceDENUE}})
	}
	for _, fe := range errs {
		m := rulePath.FindStringSubmatch(fe.Path)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		if k, ok := byRow[n]; ok {
			if rows[k].Errs == nil {
				rows[k].Errs = map[string]string{}
			}
			msg := fe.Message
			if len(p) > 0 {
				msg = p[0].Say(fe)
			}
			rows[k].Errs[m[2]] = msg
		}
	}
	return rows
}

var rulePath = regexp.MustCompile(`^rules\[(\d+)\]\.(\w+)$`)

// readRules reads the posted table: every row rules[i] with a field
// filled in and its remove box unticked, and the form index of each.
func readRules(f *web.Form) (rules []registry.Rule, index []int) {
	last := -1
	for k := range f.Values {
		if m := rulePath.FindStringSubmatch(k); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil && n < maxRuleRows && n > last {
				last = n
			}
		}
	}
	for i := 0; i <= last; i++ {
		field := func(name string) string { return f.Str(fmt.Sprintf("rules[%d].%s", i, name)) }
		r := registry.Rule{Source: registry.Source(field("source")), Activity: field("activity"),
			Center: field("center"), Name: field("name"), Category: field("category")}
		if web.IsTrue(field("remove")) || (r.Activity == "" && r.Center == "" && r.Name == "" && r.Category == "") {
			continue
		}
		rules = append(rules, r)
		index = append(index, i)
	}
	return rules, index
}

// registryRulesSave replaces the campaign's mapping with the posted table.
func (s *handlers) registryRulesSave(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	if err := c.Request.ParseForm(); err != nil {
		s.Web.PageError(c, web.BadRequestm(planner.MsgBrokenForm, "cannot read the form"))
		return
	}
	f := &web.Form{Values: c.Request.PostForm}
	rules, index := readRules(f)
	err := s.DB.SetRegistryRules(web.ActorContext(c), id, rules)
	if err == nil {
		s.Flash(c, s.Web.Tr(c, "data.rules.saved", "Count", len(rules)))
		c.Redirect(http.StatusSeeOther, dataURL(id, "venues/registry/rules"))
		return
	}
	code := planner.ErrorCode(err)
	if code != planner.EInvalid && code != planner.EConflict {
		s.Web.PageError(c, err)
		return
	}
	d, derr := s.rulesPageFor(c, id)
	if derr != nil {
		s.Web.PageError(c, derr)
		return
	}
	d.Own = true
	p := s.Web.NewPage(c, "", nil)
	var pe *planner.Error
	if code == planner.EInvalid && errors.As(err, &pe) && len(pe.Fields) > 0 {
		// The store numbers the rules it was given; the user sees the
		// form's rows, blank and removed ones included.
		for _, fe := range pe.Fields {
			if m := rulePath.FindStringSubmatch(fe.Path); m != nil {
				if n, _ := strconv.Atoi(m[1]); n < len(index) {
					fe.Path = fmt.Sprintf("rules[%d].%s", index[n], m[2])
				}
			}
			d.Errors = append(d.Errors, fe)
		}
	} else {
		d.Error = p.ErrorMessage(err)
	}
	d.Rows = ruleRows(rules, index, d.Errors, p)
	s.Web.Render(c, http.StatusUnprocessableEntity, "data_registry_rules", d)
}

// registryRulesDefaults drops the campaign's own mapping: the shipped
// default applies again.
func (s *handlers) registryRulesDefaults(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	if err := s.DB.SetRegistryRules(web.ActorContext(c), id, nil); err != nil {
		s.Web.PageError(c, err)
		return
	}
	s.Flash(c, s.Web.Tr(c, "data.rules.restored"))
	c.Redirect(http.StatusSeeOther, dataURL(id, "venues/registry/rules"))
}
