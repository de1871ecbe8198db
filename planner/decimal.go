package planner

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// Decimal is an exact decimal number as written in a campaign file
// ("1.1" is 11/10, never the float 1.1000000000000000888). Allocation
// depends on priorities and reserve percentages, and docs/planning.md#exact-arithmetic demands
// that a plan never depend on float rounding.
type Decimal struct {
	s string // as written (canonical JSON number text); "" means zero value
}

var decimalRE = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// ParseDecimal reads a JSON number literal exactly.
func ParseDecimal(s string) (Decimal, error) {
	if !decimalRE.MatchString(s) {
		return Decimal{}, fmt.Errorf("must be a number")
	}
	if len(s) > 64 {
		return Decimal{}, fmt.Errorf("has too many digits")
	}
	return Decimal{s: s}, nil
}

// MustDecimal is ParseDecimal for constants in code and tests.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DecimalInt returns the decimal for a whole number.
func DecimalInt(n int64) Decimal { return Decimal{s: fmt.Sprint(n)} }

// Rat returns a new big.Rat holding the exact value.
func (d Decimal) Rat() *big.Rat {
	r := new(big.Rat)
	if d.s == "" {
		return r
	}
	if _, ok := r.SetString(d.s); !ok {
		panic("planner: invalid decimal " + d.s)
	}
	return r
}

// Float64 is for display only.
func (d Decimal) Float64() float64 { f, _ := d.Rat().Float64(); return f }

// Sign returns -1, 0 or +1.
func (d Decimal) Sign() int { return d.Rat().Sign() }

// Cmp compares d with other exactly.
func (d Decimal) Cmp(other Decimal) int { return d.Rat().Cmp(other.Rat()) }

func (d Decimal) IsZero() bool { return d.s == "" }

func (d Decimal) String() string {
	if d.s == "" {
		return "0"
	}
	return d.s
}

func (d Decimal) MarshalJSON() ([]byte, error) { return []byte(d.String()), nil }

func (d *Decimal) UnmarshalJSON(b []byte) error {
	v, err := ParseDecimal(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText and UnmarshalText let a Decimal be stored as TEXT in SQL and
// in form values without losing exactness.
func (d Decimal) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Decimal) UnmarshalText(b []byte) error { return d.UnmarshalJSON(b) }

// Exact numbers are bounded so that big.Rat arithmetic on them stays cheap:
// at most maxNumberLen characters and a decimal exponent within
// ±maxNumberExp. No quantity of a campaign comes near these bounds.
const (
	maxNumberLen = 64
	maxNumberExp = 100
)

// SaneNumber reports whether a number literal is within those bounds. It
// is a rule of the domain, not of one format: Validate applies it to the
// decimals of a campaign however they came, and planio's file reader to
// the numbers of a file before converting them.
func SaneNumber(lit string) bool {
	if len(lit) > maxNumberLen {
		return false
	}
	i := strings.IndexAny(lit, "eE")
	if i < 0 {
		return true
	}
	exp, err := strconv.Atoi(strings.TrimPrefix(lit[i+1:], "+"))
	return err == nil && exp >= -maxNumberExp && exp <= maxNumberExp
}
