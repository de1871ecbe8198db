package web

import (
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/reparto/reparto/planner"
)

// Form reads typed values from a posted form and collects an error for
// each field that does not parse, named by the field (a FieldError whose
// Path is the input's name and whose ID says what was wrong). It is the
// one form reader of the web layer: the data and campaign forms use its
// errors as they are, the shipment event forms say them with their own
// catalogue entries. Domain rules (pack_size >= 1) are left to the
// planner's and the store's validation.
type Form struct {
	Values url.Values
	Errs   []planner.FieldError
	// Lenient makes Err report nothing, so that a save goes on to the
	// store's validation with zero values for what did not parse (see
	// dataSave); the parse errors stay in Errs.
	Lenient bool
}

// Fail records that field name is wrong.
func (f *Form) Fail(name string, id planner.MsgID, format string, args ...any) {
	f.Errs = append(f.Errs, planner.Fieldf(name, id, format, args...))
}

// Str returns the trimmed value of a field.
func (f *Form) Str(name string) string { return strings.TrimSpace(f.Values.Get(name)) }

// Int reads a whole number; empty is an error unless optional, and then 0.
func (f *Form) Int(name string, optional bool) int64 {
	s := f.Str(name)
	if s == "" && optional {
		return 0
	}
	n, ok := ParseWhole(s)
	if !ok {
		f.Fail(name, planner.MsgWhole, "must be a whole number")
	}
	return n
}

// OptInt reads an optional whole number: nil when empty.
func (f *Form) OptInt(name string) *int64 {
	if f.Str(name) == "" {
		return nil
	}
	n := f.Int(name, false)
	return &n
}

// Decimal reads an exact decimal ("2.5" stays 5/2); empty is def.
func (f *Form) Decimal(name string, def planner.Decimal) planner.Decimal {
	s := f.Str(name)
	if s == "" {
		return def
	}
	d, ok := ParsePlainDecimal(s)
	if !ok {
		f.Fail(name, planner.MsgNumber, "must be a number such as 2.5")
	}
	return d
}

// plainDecimalRE is a decimal as people type it: no exponent, so that a
// short input can never stand for a huge exact number.
var plainDecimalRE = regexp.MustCompile(`^-?[0-9]{1,18}(\.[0-9]{1,18})?$`)

// ParsePlainDecimal reads a decimal written without exponent, exactly.
func ParsePlainDecimal(s string) (planner.Decimal, bool) {
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

// OptDecimal reads an optional decimal: nil when empty.
func (f *Form) OptDecimal(name string) *planner.Decimal {
	if f.Str(name) == "" {
		return nil
	}
	d := f.Decimal(name, planner.Decimal{})
	return &d
}

// Float reads a coordinate or a radius; empty is def.
func (f *Form) Float(name string, def float64) float64 {
	s := f.Str(name)
	if s == "" {
		return def
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		f.Fail(name, planner.MsgNumber, "must be a number")
		return 0
	}
	return x
}

// Bool reads a checkbox.
func (f *Form) Bool(name string) bool { return IsTrue(f.Str(name)) }

// Err returns the parse errors as one EInvalid error, or nil.
func (f *Form) Err() error {
	if len(f.Errs) == 0 || f.Lenient {
		return nil
	}
	return planner.Invalid(f.Errs...)
}

// ParseWhole reads an integer, also written "10.0" or with a plus sign,
// but not "2.5".
func ParseWhole(s string) (int64, bool) {
	if n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64); err == nil {
		return n, true
	}
	d, ok := ParsePlainDecimal(s)
	if !ok {
		return 0, false
	}
	r := d.Rat()
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}

// Count reads a count as a courier types it: digits only ("10.0" is
// wrong here, where Int takes it), empty is 0.
func (f *Form) Count(name string) int64 {
	s := f.Str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f.Fail(name, planner.MsgWhole, "must be a whole number")
	}
	return n
}

// Date reads a day YYYY-MM-DD; empty is the zero day.
func (f *Form) Date(name string) planner.Date {
	s := f.Str(name)
	if s == "" {
		return planner.Date{}
	}
	d, err := planner.ParseDate(s)
	if err != nil {
		f.Fail(name, planner.MsgDate, "must be a date YYYY-MM-DD")
	}
	return d
}

// IsTrue reads a checkbox or a yes/no cell in Spanish or English.
func IsTrue(s string) bool {
	switch strings.ToLower(s) {
	case "true", "on", "1", "yes", "sí", "si":
		return true
	}
	return false
}
