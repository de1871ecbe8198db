package exports

import (
	"encoding/csv"
	"io"
	"math/big"
	"regexp"
	"strconv"

	"github.com/reparto/reparto/planner"
)

// UTF8BOM starts every export so that spreadsheet programs (Excel on
// Windows above all) read the file as UTF-8 and show "Tríptico", not
// "TrÃ­ptico".
const UTF8BOM = "\uFEFF"

// csvOut writes one CSV export: the UTF-8 byte-order mark, then rows built
// cell by cell with typed methods, quoted by encoding/csv (RFC 4180).
//
// Lines end in CRLF, as RFC 4180 says; every spreadsheet program and
// encoding/csv read them, and it is what printers' and carriers' office
// software expects. In this mode encoding/csv writes a LF inside a cell as
// CRLF and drops a lone CR.
//
// Cells are typed so that the formula-injection guard only touches text:
// a text cell beginning with =, +, -, @, a tab or a carriage return is
// prefixed with ' so that a spreadsheet shows it instead of evaluating it
// (a city named "=HYPERLINK(...)" stays a name), while numbers such as
// -120 are written with strconv (plain digits, '.' as the decimal point,
// no thousands separators, never the user's locale) and stay numbers.
//
// Rows are built with the methods and ended with End:
//
//	o.Text("CAR-ALTO").Int(120).Float(0.5, 4).End()
//
// Errors are sticky, like encoding/csv's: Flush returns the first one.
type csvOut struct {
	w   *csv.Writer
	row []string
	err error
}

// newCSVOut starts an export on w by writing the byte-order mark.
func newCSVOut(w io.Writer) *csvOut {
	o := &csvOut{w: csv.NewWriter(w)}
	o.w.UseCRLF = true
	_, o.err = io.WriteString(w, UTF8BOM)
	return o
}

// Header writes the header row; column names are text cells.
func (o *csvOut) Header(names ...string) {
	for _, n := range names {
		o.Text(n)
	}
	o.End()
}

// Text adds a text cell, neutralised against formula injection.
func (o *csvOut) Text(s string) *csvOut {
	o.row = append(o.row, guardFormula(s))
	return o
}

// Int adds a whole number in plain digits.
func (o *csvOut) Int(n int64) *csvOut {
	o.row = append(o.row, strconv.FormatInt(n, 10))
	return o
}

// Float adds a number with the given decimals, correctly rounded.
func (o *csvOut) Float(f float64, decimals int) *csvOut {
	o.row = append(o.row, strconv.FormatFloat(f, 'f', decimals, 64))
	return o
}

// FloatPtr adds a number, or an empty cell when f is nil (unknown).
func (o *csvOut) FloatPtr(f *float64, decimals int) *csvOut {
	if f == nil {
		return o.Blank()
	}
	return o.Float(*f, decimals)
}

// Rat adds an exact number rounded to the given decimals, or an empty cell
// when r is nil (unknown).
func (o *csvOut) Rat(r *big.Rat, decimals int) *csvOut {
	if r == nil {
		return o.Blank()
	}
	o.row = append(o.row, r.FloatString(decimals))
	return o
}

// Number adds a number already formatted by the planner (such as a fill
// ratio with its 4 decimals). Anything that is not a plain decimal number
// is treated as text, so the guard cannot be bypassed through it.
func (o *csvOut) Number(s string) *csvOut {
	if s != "" && !plainNumber.MatchString(s) {
		return o.Text(s)
	}
	o.row = append(o.row, s)
	return o
}

var plainNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// Bool adds "true" or "false".
func (o *csvOut) Bool(b bool) *csvOut {
	o.row = append(o.row, strconv.FormatBool(b))
	return o
}

// Date adds a day as YYYY-MM-DD, or an empty cell for the zero date.
func (o *csvOut) Date(d planner.Date) *csvOut {
	if d.IsZero() {
		return o.Blank()
	}
	o.row = append(o.row, d.String())
	return o
}

// DatePtr adds a day, or an empty cell when d is nil.
func (o *csvOut) DatePtr(d *planner.Date) *csvOut {
	if d == nil {
		return o.Blank()
	}
	return o.Date(*d)
}

// ID adds a store id, or an empty cell for 0 (not stored yet).
func (o *csvOut) ID(id int64) *csvOut {
	if id == 0 {
		return o.Blank()
	}
	return o.Int(id)
}

// Blank adds an empty cell.
func (o *csvOut) Blank() *csvOut {
	o.row = append(o.row, "")
	return o
}

// End writes the row built so far and starts a new one.
func (o *csvOut) End() {
	if o.err == nil {
		o.err = o.w.Write(o.row)
	}
	o.row = o.row[:0]
}

// Flush writes buffered rows and returns the first error met.
func (o *csvOut) Flush() error {
	o.w.Flush()
	if o.err != nil {
		return o.err
	}
	return o.w.Error()
}

// guardFormula prefixes with ' a text that a spreadsheet would read as a
// formula (OWASP's "CSV injection" list: = + - @ tab CR).
func guardFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
