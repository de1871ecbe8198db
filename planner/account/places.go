package account

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/reparto/reparto/planner"
)

// Places are what a field account may see: whole states (ISO 3166-2
// codes, "MX-JAL") and single cities (city codes, "GDL"). The list is
// campaign-agnostic: field staff serve one region whatever the campaign,
// and a city code names the same city in every campaign of the demo and
// of a real year's file.
type Places struct {
	States []string `json:"states"`
	Cities []string `json:"cities"`
}

// MaxPlaces bounds the places of one account, states and cities together.
const MaxPlaces = 500

var (
	stateCodeRE = regexp.MustCompile(`^[A-Z]{2}-[A-Z]{2,3}$`)
	cityCodeRE  = regexp.MustCompile(`^[A-Za-zÑñ0-9_-]{1,32}$`) // planner's code form
)

// Normalize trims, drops empty entries, upper-cases state codes, sorts and
// removes duplicates, so that equal assignments compare equal.
func (p Places) Normalize() Places {
	clean := func(in []string, upper bool) []string {
		var out []string
		for _, s := range in {
			s = strings.TrimSpace(s)
			if upper {
				s = strings.ToUpper(s)
			}
			if s != "" {
				out = append(out, s)
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return Places{States: clean(p.States, true), Cities: clean(p.Cities, false)}
}

// Empty reports whether p names no place at all.
func (p Places) Empty() bool { return len(p.States) == 0 && len(p.Cities) == 0 }

// Covers reports whether a shipment to city (code) in state (ISO code)
// is one of p's: the city is listed, or its whole state is.
func (p Places) Covers(city, state string) bool {
	return (city != "" && slices.Contains(p.Cities, city)) || (state != "" && slices.Contains(p.States, state))
}

// ValidatePlaces checks the places of an account of role r, normalized
// first: a field account needs at least one place; other roles see
// everything and take none. Errors name "states", "cities" or
// "states[i]" / "cities[i]".
func ValidatePlaces(r Role, p Places) error {
	p = p.Normalize()
	var fields []planner.FieldError
	switch {
	case r.Scoped() && p.Empty():
		fields = append(fields, planner.Fieldf("states", planner.MsgPlacesRequired, "a field account needs at least one state or city"))
	case !r.Scoped() && !p.Empty():
		fields = append(fields, planner.Fieldf("states", planner.MsgPlacesRole, "only a field account is limited to places"))
	case len(p.States)+len(p.Cities) > MaxPlaces:
		fields = append(fields, planner.Fieldf("cities", planner.MsgMaxItems, "must have at most %d items", MaxPlaces))
	}
	for i, s := range p.States {
		if !stateCodeRE.MatchString(s) {
			fields = append(fields, planner.Fieldf(fmt.Sprintf("states[%d]", i), planner.MsgUnknownState, "unknown state %q", s))
		}
	}
	for i, c := range p.Cities {
		if !cityCodeRE.MatchString(c) {
			fields = append(fields, planner.Fieldf(fmt.Sprintf("cities[%d]", i), planner.MsgCode, `must be 1 to 32 letters (A-Z, Ñ), digits, "_" or "-"`))
		}
	}
	if len(fields) > 0 {
		return planner.Invalid(fields...)
	}
	return nil
}
