// Package planio holds every file format of Reparto, one reader or writer
// each: the campaign file (ParseCampaign, MarshalCampaign;
// docs/campaign-file.md), the venue CSV upload (ParseVenueCSV), and the
// files a plan is handed over in: allocation.csv, schedule.csv,
// summary.json and gaps.json (docs/planning.md#outputs), and the printer's
// and warehouse's CSV files (print order, manifest). The command line
// (reparto plan, import, export) and the web call the same functions, so a
// file has the same bytes and the same errors whichever way it was made;
// the web adds only HTTP headers and, for localised header rows, the
// user's language. The rules a file's contents must follow (validation,
// limits, field paths) are planner's.
//
// Every CSV file follows the printer-friendly rules of CSV: UTF-8 with a
// byte-order mark, CRLF line ends, a guard against formula injection in
// text cells, and plain digits for numbers.
package planio

import (
	"encoding/csv"
	"io"
	"math/big"
	"regexp"
	"strconv"

	"github.com/reparto/reparto/planner"
)

// UTF8BOM starts every CSV download so that spreadsheet programs (Excel
// on Windows above all) read the file as UTF-8 and show "Tríptico", not
// "TrÃ­ptico".
const UTF8BOM = "\uFEFF"

// CSV writes one CSV file: rows built cell by cell with typed methods,
// quoted by encoding/csv (RFC 4180). The same rows come in two framings:
//
//   - NewCSV, the files of `reparto plan`: UTF-8 with no byte-order mark
//     and LF line ends, the plain form that scripts and diff read as is;
//   - NewSpreadsheetCSV, the web downloads for printers and carriers: the
//     UTF-8 byte-order mark first and lines ended in CRLF, as RFC 4180
//     says and as their office software expects. In this mode encoding/csv
//     writes a LF inside a cell as CRLF and drops a lone CR.
//
// The framing is all that differs: a download is the command's file with
// the mark in front and CRLF for LF (TestAllocationCSVSameFromPlanAndWebExport).
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
type CSV struct {
	w   *csv.Writer
	row []string
	err error
}

// NewCSV starts a plain CSV file on w: no byte-order mark, LF line ends.
func NewCSV(w io.Writer) *CSV {
	return &CSV{w: csv.NewWriter(w)}
}

// NewSpreadsheetCSV starts a CSV download on w: it writes the byte-order
// mark and ends lines in CRLF.
func NewSpreadsheetCSV(w io.Writer) *CSV {
	o := &CSV{w: csv.NewWriter(w)}
	o.w.UseCRLF = true
	_, o.err = io.WriteString(w, UTF8BOM)
	return o
}

// Header writes the header row; column names are text cells.
func (o *CSV) Header(names ...string) {
	for _, n := range names {
		o.Text(n)
	}
	o.End()
}

// Text adds a text cell, neutralised against formula injection.
func (o *CSV) Text(s string) *CSV {
	o.row = append(o.row, GuardFormula(s))
	return o
}

// Int adds a whole number in plain digits.
func (o *CSV) Int(n int64) *CSV {
	o.row = append(o.row, strconv.FormatInt(n, 10))
	return o
}

// Float adds a number with the given decimals, correctly rounded.
func (o *CSV) Float(f float64, decimals int) *CSV {
	o.row = append(o.row, strconv.FormatFloat(f, 'f', decimals, 64))
	return o
}

// FloatPtr adds a number, or an empty cell when f is nil (unknown).
func (o *CSV) FloatPtr(f *float64, decimals int) *CSV {
	if f == nil {
		return o.Blank()
	}
	return o.Float(*f, decimals)
}

// Rat adds an exact number rounded to the given decimals, or an empty cell
// when r is nil (unknown).
func (o *CSV) Rat(r *big.Rat, decimals int) *CSV {
	if r == nil {
		return o.Blank()
	}
	o.row = append(o.row, r.FloatString(decimals))
	return o
}

// Number adds a number already formatted by the planner (such as a fill
// ratio with its 4 decimals). Anything that is not a plain decimal number
// is treated as text, so the guard cannot be bypassed through it.
func (o *CSV) Number(s string) *CSV {
	if s != "" && !plainNumber.MatchString(s) {
		return o.Text(s)
	}
	o.row = append(o.row, s)
	return o
}

var plainNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// Bool adds "true" or "false".
func (o *CSV) Bool(b bool) *CSV {
	o.row = append(o.row, strconv.FormatBool(b))
	return o
}

// Date adds a day as YYYY-MM-DD, or an empty cell for the zero date.
func (o *CSV) Date(d planner.Date) *CSV {
	if d.IsZero() {
		return o.Blank()
	}
	o.row = append(o.row, d.String())
	return o
}

// DatePtr adds a day, or an empty cell when d is nil.
func (o *CSV) DatePtr(d *planner.Date) *CSV {
	if d == nil {
		return o.Blank()
	}
	return o.Date(*d)
}

// ID adds a store id, or an empty cell for 0 (not stored yet).
func (o *CSV) ID(id int64) *CSV {
	if id == 0 {
		return o.Blank()
	}
	return o.Int(id)
}

// Blank adds an empty cell.
func (o *CSV) Blank() *CSV {
	o.row = append(o.row, "")
	return o
}

// End writes the row built so far and starts a new one.
func (o *CSV) End() {
	if o.err == nil {
		o.err = o.w.Write(o.row)
	}
	o.row = o.row[:0]
}

// Flush writes buffered rows and returns the first error met.
func (o *CSV) Flush() error {
	o.w.Flush()
	if o.err != nil {
		return o.err
	}
	return o.w.Error()
}

// GuardFormula prefixes with ' a text that a spreadsheet would read as a
// formula (OWASP's "CSV injection" list: = + - @ tab CR).
func GuardFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
