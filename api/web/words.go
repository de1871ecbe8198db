package web

import (
	"strconv"

	"github.com/reparto/reparto/planner"
)

// Words of tracking shared by the dashboard, the shipment pages and the
// carriers' export: status reasons, stages and day counts in the
// reader's language.

// CityName is a city's name, or its code when the campaign no longer has it.
func CityName(camp *planner.Campaign, code string) string {
	if k, ok := camp.City(code); ok {
		return k.Name
	}
	return code
}

// ReasonWords words a status reason in the user's language, formatting its
// dates and numbers for the locale.
func ReasonWords(p *Page, r planner.Reason) string {
	args := make([]any, 0, 2*len(r.Params))
	for k, v := range r.Params {
		args = append(args, k, ParamWords(p, k, v))
	}
	s := p.T("tracking.reason."+r.Code, args...)
	if s == "tracking.reason."+r.Code {
		return r.Text()
	}
	return s
}

// ParamWords formats one reason parameter by what its name says it holds.
func ParamWords(p *Page, key, v string) string {
	switch key {
	case "days", "days_left":
		n, err := strconv.Atoi(v)
		if err != nil {
			return v
		}
		return DaysWords(p, n)
	case "pieces", "accepted", "left":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return p.N(n)
		}
	case "stage":
		return p.T("tracking.stage." + string(StageOfWords(v)))
	case "reason":
		return v
	default:
		if d, err := planner.ParseDate(v); err == nil {
			return p.D(d)
		}
	}
	return v
}

// DaysWords is "1 día" / "3 días".
func DaysWords(p *Page, n int) string {
	if n == 1 || n == -1 {
		return p.T("tracking.days_one", "N", p.N(n))
	}
	return p.T("tracking.days_other", "N", p.N(n))
}

// StageOfWords maps the English stage words of a past_due reason back to
// the stage, so that it can be translated.
func StageOfWords(w string) planner.Stage {
	switch w {
	case "not dispatched":
		return planner.StagePlanned
	case "in transit":
		return planner.StageInTransit
	}
	return planner.Stage(w)
}
