package pages

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// scenarioForm is the what-if form. Every field is optional: an empty
// field keeps the stored value. Field names: boxes_per_day, surplus,
// reserve_pct (all materials), reserve_pct.CODE (one material, wins over
// reserve_pct) and priority.CODE (one city).
type scenarioForm struct {
	Submitted   bool
	BoxesPerDay string
	Surplus     string
	ReservePct  string
	Reserve     map[string]string // material code -> input
	Priority    map[string]string // city code -> input
	Fields      map[string]string // field name -> error
	Errors      []string          // errors that belong to no field
}

func parseScenarioForm(q url.Values) scenarioForm {
	f := scenarioForm{Submitted: len(q) > 0, BoxesPerDay: strings.TrimSpace(q.Get("boxes_per_day")),
		Surplus: q.Get("surplus"), ReservePct: strings.TrimSpace(q.Get("reserve_pct")),
		Reserve: map[string]string{}, Priority: map[string]string{}, Fields: map[string]string{}}
	for k, v := range q {
		val := strings.TrimSpace(v[0])
		if code, ok := strings.CutPrefix(k, "reserve_pct."); ok && val != "" {
			f.Reserve[code] = val
		}
		if code, ok := strings.CutPrefix(k, "priority."); ok && val != "" {
			f.Priority[code] = val
		}
	}
	return f
}

// Changed reports whether the form changes anything.
func (f *scenarioForm) Changed() bool {
	return f.BoxesPerDay != "" || f.Surplus != "" || f.ReservePct != "" || len(f.Reserve) > 0 || len(f.Priority) > 0
}

// HasErrors reports whether the scenario was refused.
func (f *scenarioForm) HasErrors() bool { return len(f.Fields) > 0 || len(f.Errors) > 0 }

// apply returns a copy of camp with the form's changes, or nil with the
// errors recorded in f. camp itself (the cached stored campaign) is never
// modified. tr translates the form's own messages.
func (f *scenarioForm) apply(camp *planner.Campaign, tr func(id string) string) *planner.Campaign {
	out := *camp
	out.Materials = slices.Clone(camp.Materials)
	out.Cities = slices.Clone(camp.Cities)
	if f.BoxesPerDay != "" {
		n, err := strconv.ParseInt(f.BoxesPerDay, 10, 64)
		if err != nil {
			f.Fields["boxes_per_day"] = tr("plan.scenario.whole_number")
		}
		out.Dispatch.BoxesPerDay = n
	}
	switch f.Surplus {
	case "":
	case string(planner.SurplusSpread), string(planner.SurplusReserve):
		out.Surplus = planner.Surplus(f.Surplus)
	default:
		f.Fields["surplus"] = tr("plan.scenario.bad_surplus")
	}
	if f.ReservePct != "" {
		pct, err := planner.ParseDecimal(f.ReservePct)
		if err != nil {
			f.Fields["reserve_pct"] = tr("plan.scenario.number")
		}
		for i := range out.Materials {
			out.Materials[i].ReservePct = pct
		}
	}
	for code, v := range f.Reserve {
		i := slices.IndexFunc(out.Materials, func(m planner.Material) bool { return m.Code == code })
		pct, err := planner.ParseDecimal(v)
		switch {
		case i < 0:
			f.Errors = append(f.Errors, "reserve_pct."+code+": "+tr("plan.scenario.unknown_material"))
		case err != nil:
			f.Fields["reserve_pct."+code] = tr("plan.scenario.number")
		default:
			out.Materials[i].ReservePct = pct
		}
	}
	for code, v := range f.Priority {
		i := slices.IndexFunc(out.Cities, func(k planner.City) bool { return k.Code == code })
		w, err := planner.ParseDecimal(v)
		switch {
		case i < 0:
			f.Errors = append(f.Errors, "priority."+code+": "+tr("plan.scenario.unknown_city"))
		case err != nil:
			f.Fields["priority."+code] = tr("plan.scenario.number")
		default:
			out.Cities[i].Priority = w
		}
	}
	if f.HasErrors() {
		return nil
	}
	return &out
}

// indexedPath matches "materials[3]" or "cities[12].priority".
var indexedPath = regexp.MustCompile(`^(materials|cities)\[(\d+)\](?:\.(\w+))?$`)

// place puts the errors of validating or computing the scenario campaign
// next to the form field that caused them; the rest are general errors.
func (f *scenarioForm) place(c *planner.Campaign, err error, p *web.Page) {
	fields := planner.ErrorFields(err)
	if len(fields) == 0 {
		f.Errors = append(f.Errors, p.ErrorMessage(err))
		return
	}
	for _, fe := range fields {
		name := f.fieldFor(c, fe.Path)
		if name == "" {
			f.Errors = append(f.Errors, p.PlacedMessage(fe))
			continue
		}
		if _, dup := f.Fields[name]; !dup {
			f.Fields[name] = p.FieldMessage(fe)
		}
	}
}

// fieldFor maps a campaign path to the form field that set it, or "".
func (f *scenarioForm) fieldFor(c *planner.Campaign, path string) string {
	switch path {
	case "campaign.dispatch.boxes_per_day":
		return "boxes_per_day"
	case "campaign.surplus":
		return "surplus"
	}
	m := indexedPath.FindStringSubmatch(path)
	if m == nil {
		return ""
	}
	i, _ := strconv.Atoi(m[2])
	switch {
	case m[1] == "cities" && m[3] == "priority" && i < len(c.Cities):
		return "priority." + c.Cities[i].Code
	case m[1] == "materials" && (m[3] == "" || m[3] == "reserve_pct") && i < len(c.Materials):
		code := c.Materials[i].Code
		if _, own := f.Reserve[code]; !own && f.ReservePct != "" {
			return "reserve_pct"
		}
		return "reserve_pct." + code
	}
	return ""
}
