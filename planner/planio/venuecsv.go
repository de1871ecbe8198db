package planio

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/reparto/reparto/planner"
)

// MaxVenueImportRows bounds one venue CSV upload: a registry import larger
// than this is split, so that a preview stays readable and one transaction
// stays short.
const MaxVenueImportRows = 100_000

// maxVenueImportErrors stops a hopeless file early: after this many
// errors nobody reads on, and the preview page stays small.
const maxVenueImportErrors = 200

// venueCSVColumns are the columns a venue CSV file may have; the first four
// are required. id names the venue a row updates (see ParseVenueCSV).
var venueCSVColumns = []string{"name", "category", "lat", "lon", "city", "address", "confidential", "id"}

const venueCSVRequired = 4

// VenueImportRow is one valid row of a venue CSV file and where the
// planner would put it (docs/planning.md#venue-assignment), so that a preview can show the
// effect of an import before anything is written.
type VenueImportRow struct {
	Line         int           // line of the row in the file; the header is line 1
	Venue        planner.Venue // ID is the id column's value, "" when the file has none: the caller names new venues
	AssignedCity string        // Venue.City when given, else the nearest city within its radius; "" when none
	OutOfRadius  bool          // no city given and within no city's radius: the venue would be unassigned
	// Duplicate says an earlier line has the same id. The file is then
	// refused (an error names both lines): a registry file that lists a
	// venue twice is a mistake its author must resolve, not something to
	// settle silently by keeping the last line.
	Duplicate bool
}

// ParseVenueCSV reads a venue registry as CSV (UTF-8, an optional BOM, a
// header row naming the columns name, category, lat, lon and optionally
// city, address, confidential, id; comma or semicolon separated, detected
// from the header) and checks every row against the campaign's categories
// and cities. It returns the valid rows, with the city each would be
// assigned to, and separately every error with a path naming its line
// ("line 7: lat", message "must be a number between -90 and 90"), so that
// a preview can show both. A file is meant to be imported all or nothing:
// callers write the rows only when errs is empty. An id given twice is an
// error on the later line; both rows are returned, the later marked
// Duplicate, so that a preview can count them. After an error that stops
// reading (a broken quote, too many rows or errors) rows are nil.
// More than MaxVenueImportRows rows is an error.
func ParseVenueCSV(r io.Reader, c *planner.Campaign) (rows []VenueImportRow, errs []planner.FieldError) {
	p := &venueCSVParser{categories: map[string]bool{}, cities: map[string]bool{}, idLines: map[string]int{}}
	for _, k := range c.Categories {
		p.categories[k.Code] = true
	}
	for _, k := range c.Cities {
		p.cities[k.Code] = true
	}
	rows = p.parse(r)
	assignImportedVenues(c, rows)
	return rows, p.errs
}

// venueCSVParser holds the state of one ParseVenueCSV call.
type venueCSVParser struct {
	categories, cities map[string]bool
	semicolon          bool
	col                map[string]int // column name → index in a record
	idLines            map[string]int // venue id → first line with it
	errs               []planner.FieldError
}

// fail records an error about a line and, optionally, a column; it
// reports false once there are too many errors to go on.
func (p *venueCSVParser) fail(line int, column string, id planner.MsgID, format string, args ...any) bool {
	at := "line " + strconv.Itoa(line)
	path := at
	if column != "" {
		path += ": " + column
	}
	p.errs = append(p.errs, planner.Fieldf(path, id, format, args...))
	if len(p.errs) >= maxVenueImportErrors {
		p.errs = append(p.errs, planner.Fieldf(at, planner.MsgCSVTooManyErrors, "too many errors; stopped reading here"))
		return false
	}
	return true
}

func (p *venueCSVParser) parse(r io.Reader) []VenueImportRow {
	br := bufio.NewReader(r)
	first, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		p.fail(1, "", planner.MsgCSVUnreadable, "cannot read the file")
		return nil
	}
	first = strings.TrimPrefix(first, "\uFEFF")
	p.semicolon = detectSemicolon(first)
	cr := csv.NewReader(io.MultiReader(strings.NewReader(first), br))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	if p.semicolon {
		cr.Comma = ';'
	}
	if !p.header(cr) {
		return nil
	}
	var rows []VenueImportRow
	lastLine := 1
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			p.fail(pe.Line, "", planner.MsgCSVSyntax, "%v", pe.Err)
			return nil
		}
		if err != nil {
			p.fail(lastLine+1, "", planner.MsgCSVUnreadable, "cannot read the file")
			return nil
		}
		line, _ := cr.FieldPos(0)
		lastLine = line
		if n > MaxVenueImportRows {
			p.fail(line, "", planner.MsgCSVTooManyRows, "more than %d venue rows; split the file", MaxVenueImportRows)
			return nil
		}
		row, ok, more := p.row(line, rec)
		if !more {
			return nil
		}
		if ok {
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 && len(p.errs) == 0 {
		p.fail(2, "", planner.MsgCSVNoRows, "no venue rows after the header")
	}
	return rows
}

// detectSemicolon picks the separator of a header line: semicolon when it
// has more semicolons than commas outside quotes (as spreadsheets in
// comma-decimal locales write), else comma.
func detectSemicolon(line string) bool {
	commas, semis, quoted := 0, 0, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == ',':
			commas++
		case r == ';':
			semis++
		}
	}
	return semis > commas
}

// header reads the header row and maps column names to positions.
func (p *venueCSVParser) header(cr *csv.Reader) bool {
	rec, err := cr.Read()
	var pe *csv.ParseError
	switch {
	case errors.Is(err, io.EOF):
		p.fail(1, "", planner.MsgCSVEmpty, "the file is empty; a header row (name, category, lat, lon, ...) is required")
		return false
	case errors.As(err, &pe):
		p.fail(pe.Line, "", planner.MsgCSVSyntax, "%v", pe.Err)
		return false
	case err != nil:
		p.fail(1, "", planner.MsgCSVUnreadable, "cannot read the file")
		return false
	}
	line, _ := cr.FieldPos(0)
	known := map[string]bool{}
	for _, k := range venueCSVColumns {
		known[k] = true
	}
	p.col = map[string]int{}
	for i, raw := range rec {
		name := strings.ToLower(strings.TrimSpace(raw))
		switch {
		case !utf8.ValidString(raw):
			p.fail(line, "", planner.MsgCSVNotUTF8, "the header is not valid UTF-8 text; save the file as UTF-8")
			return false
		case !known[name]:
			if !p.fail(line, "", planner.MsgCSVUnknownColumn, "unknown column %q; the columns are %s", name, strings.Join(venueCSVColumns, ", ")) {
				return false // a header of hundreds of unknown columns
			}
		case p.hasColumn(name):
			if !p.fail(line, "", planner.MsgCSVColumnTwice, "column %q appears twice", name) {
				return false
			}
		default:
			p.col[name] = i
		}
	}
	for _, name := range venueCSVColumns[:venueCSVRequired] {
		if !p.hasColumn(name) &&
			!p.fail(line, "", planner.MsgCSVMissingColumn, "missing column %q; the header row must name name, category, lat and lon", name) {
			return false
		}
	}
	return len(p.errs) == 0
}

func (p *venueCSVParser) hasColumn(name string) bool { _, ok := p.col[name]; return ok }

// field returns the trimmed value of a column, "" when the file lacks it.
func (p *venueCSVParser) field(rec []string, name string) string {
	i, ok := p.col[name]
	if !ok {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// row checks one record. ok says whether it is valid; more is false once
// there are too many errors to go on.
func (p *venueCSVParser) row(line int, rec []string) (row VenueImportRow, ok, more bool) {
	if len(rec) != len(p.col) {
		return row, false, p.fail(line, "", planner.MsgCSVFieldCount, "has %d fields, the header has %d", len(rec), len(p.col))
	}
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return row, false, p.fail(line, "", planner.MsgCSVNotUTF8, "is not valid UTF-8 text; save the file as UTF-8")
		}
		if strings.IndexByte(f, 0) >= 0 {
			return row, false, p.fail(line, "", planner.MsgCSVNUL, "contains a NUL character")
		}
	}
	before := len(p.errs)
	more = true
	check := func(column string, id planner.MsgID, format string, args ...any) {
		if more {
			more = p.fail(line, column, id, format, args...)
		}
	}
	v := planner.Venue{Name: p.field(rec, "name"), Category: p.field(rec, "category"),
		City: p.field(rec, "city"), Address: p.field(rec, "address")}
	if v.Name == "" {
		check("name", planner.MsgRequired, "must not be empty")
	}
	switch {
	case v.Category == "":
		check("category", planner.MsgRequired, "must not be empty")
	case !p.categories[v.Category]:
		check("category", planner.MsgUnknownRef, "unknown %s %q", "category", v.Category)
	}
	var bad bool
	if v.Lat, bad = p.coordinate(p.field(rec, "lat"), 90); bad {
		check("lat", planner.MsgBetween, "must be a number between %d and %d", -90, 90)
	}
	if v.Lon, bad = p.coordinate(p.field(rec, "lon"), 180); bad {
		check("lon", planner.MsgBetween, "must be a number between %d and %d", -180, 180)
	}
	if v.City != "" && !p.cities[v.City] {
		check("city", planner.MsgUnknownRef, "unknown %s %q", "city", v.City)
	}
	if v.Confidential, bad = parseYesNo(p.field(rec, "confidential")); bad {
		check("confidential", planner.MsgCSVYesNo, "must be true/false, sí/no or 1/0")
	}
	if len(p.errs) > before {
		return row, false, more
	}
	row = VenueImportRow{Line: line, Venue: v}
	if v.ID = p.field(rec, "id"); v.ID != "" {
		row.Venue.ID = v.ID
		if first, seen := p.idLines[v.ID]; seen {
			row.Duplicate = true
			check("id", planner.MsgCSVDuplicateID, "venue id %q is also on line %d", v.ID, first)
		} else {
			p.idLines[v.ID] = line
		}
	}
	return row, true, more
}

// coordinate parses a latitude or longitude within ±limit. In a
// semicolon-separated file a decimal comma ("19,43") is accepted.
func (p *venueCSVParser) coordinate(s string, limit float64) (f float64, bad bool) {
	if p.semicolon && strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < -limit || f > limit {
		return 0, true
	}
	return f, false
}

// parseYesNo reads the confidential column; empty means false.
func parseYesNo(s string) (v, bad bool) {
	switch strings.ToLower(s) {
	case "", "false", "no", "0", "f", "n":
		return false, false
	case "true", "sí", "si", "yes", "1", "t", "s", "y":
		return true, false
	}
	return false, true
}

// assignImportedVenues fills AssignedCity and OutOfRadius with the
// planner's own assignment (planner.AssignedCities, as Compute does), so
// that the preview says exactly what a plan would do with each venue.
func assignImportedVenues(c *planner.Campaign, rows []VenueImportRow) {
	venues := make([]planner.Venue, len(rows))
	for i, r := range rows {
		venues[i] = r.Venue
	}
	for i, city := range planner.AssignedCities(c.Cities, venues) {
		rows[i].AssignedCity = city
		rows[i].OutOfRadius = city == "" // a venue given its city always has one
	}
}
