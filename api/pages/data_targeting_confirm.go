package pages

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/planner"
)

// Emptying a cell of the targeting matrix deletes a rule, and like every
// delete it asks first: a save that removes rules shows them and posts
// the same matrix again with confirm_remove=1.

type targetingConfirmPage struct {
	Action, BackURL string
	Removed         []planner.TargetingRule
	Hidden          []targetingHidden // the submitted matrix, sent again on confirm
}

type targetingHidden struct{ Name, Value string }

// removedRules returns the stored rules (current, by cell name) that the
// new matrix no longer has, sorted by material and category.
func removedRules(current map[string]int64, rules []planner.TargetingRule) []planner.TargetingRule {
	kept := make(map[string]bool, len(rules))
	for _, r := range rules {
		kept[TargetingName(r.Material, r.Category)] = true
	}
	var out []planner.TargetingRule
	for name, n := range current {
		if n <= 0 || kept[name] {
			continue
		}
		m, k, _ := strings.Cut(strings.TrimPrefix(name, "pv."), ".")
		out = append(out, planner.TargetingRule{Material: m, Category: k, PerVenue: n})
	}
	slices.SortFunc(out, func(a, b planner.TargetingRule) int {
		return strings.Compare(a.Material+"\x00"+a.Category, b.Material+"\x00"+b.Category)
	})
	return out
}

func (s *handlers) confirmTargetingRemoval(c *gin.Context, id int64, form url.Values, removed []planner.TargetingRule) {
	d := targetingConfirmPage{Action: dataURL(id, "targeting"), BackURL: dataURL(id, "targeting"), Removed: removed}
	names := make([]string, 0, len(form))
	for name := range form {
		if strings.HasPrefix(name, "pv.") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		d.Hidden = append(d.Hidden, targetingHidden{name, form.Get(name)})
	}
	s.Web.Render(c, http.StatusOK, "data_targeting_confirm", d)
}
