package api

import (
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/reparto/reparto/planner"
)

// formReader reads typed values from a posted form and collects an error
// for each field that does not parse, named by the field. The planner's
// own rules (pack_size >= 1) are left to the store's validation.
type formReader struct {
	v    url.Values
	errs []planner.FieldError
	// lenient makes err report nothing, so that a save goes on to the
	// store's validation with zero values for what did not parse (see
	// dataSave); the parse errors stay in errs.
	lenient bool
}

func (f *formReader) fail(name string, id planner.MsgID, format string, args ...any) {
	f.errs = append(f.errs, planner.Fieldf(name, id, format, args...))
}

// str returns the trimmed value of a field.
func (f *formReader) str(name string) string { return strings.TrimSpace(f.v.Get(name)) }

// int reads a whole number; empty is an error unless optional, and then 0.
func (f *formReader) int(name string, optional bool) int64 {
	s := f.str(name)
	if s == "" && optional {
		return 0
	}
	n, ok := parseWhole(s)
	if !ok {
		f.fail(name, planner.MsgWhole, "must be a whole number")
	}
	return n
}

// optInt reads an optional whole number: nil when empty.
func (f *formReader) optInt(name string) *int64 {
	if f.str(name) == "" {
		return nil
	}
	n := f.int(name, false)
	return &n
}

// decimal reads an exact decimal ("2.5" stays 5/2); empty is def.
func (f *formReader) decimal(name string, def planner.Decimal) planner.Decimal {
	s := f.str(name)
	if s == "" {
		return def
	}
	d, ok := parsePlainDecimal(s)
	if !ok {
		f.fail(name, planner.MsgNumber, "must be a number such as 2.5")
	}
	return d
}

// plainDecimalRE is a decimal as people type it: no exponent, so that a
// short input can never stand for a huge exact number.
var plainDecimalRE = regexp.MustCompile(`^-?[0-9]{1,18}(\.[0-9]{1,18})?$`)

// parsePlainDecimal reads a decimal written without exponent, exactly.
func parsePlainDecimal(s string) (planner.Decimal, bool) {
	s = strings.TrimPrefix(s, "+")
	if !plainDecimalRE.MatchString(s) {
		return planner.Decimal{}, false
	}
	// JSON number form: no leading zeros ("007" is 7).
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(strings.TrimPrefix(s, "-"), "0")
	if s == "" || s[0] == '.' {
		s = "0" + s
	}
	if neg && strings.Trim(s, "0.") != "" {
		s = "-" + s
	}
	d, err := planner.ParseDecimal(s)
	return d, err == nil
}

// optDecimal reads an optional decimal: nil when empty.
func (f *formReader) optDecimal(name string) *planner.Decimal {
	if f.str(name) == "" {
		return nil
	}
	d := f.decimal(name, planner.Decimal{})
	return &d
}

// float reads a coordinate or a radius; empty is def.
func (f *formReader) float(name string, def float64) float64 {
	s := f.str(name)
	if s == "" {
		return def
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		f.fail(name, planner.MsgNumber, "must be a number")
		return 0
	}
	return x
}

// bool reads a checkbox.
func (f *formReader) bool(name string) bool { return isTrue(f.str(name)) }

// err returns the parse errors as one EInvalid error, or nil.
func (f *formReader) err() error {
	if len(f.errs) == 0 || f.lenient {
		return nil
	}
	return planner.Invalid(f.errs...)
}

// parseWhole reads an integer, also written "10.0" or with a plus sign,
// but not "2.5".
func parseWhole(s string) (int64, bool) {
	if n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64); err == nil {
		return n, true
	}
	d, ok := parsePlainDecimal(s)
	if !ok {
		return 0, false
	}
	r := d.Rat()
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}
