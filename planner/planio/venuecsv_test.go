package planio

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/reparto/reparto/planner"
)

// venueCSVCampaign has two cities on the equator one degree of longitude
// apart (about 111.2 km), each with a 15 km radius, and two categories.
func venueCSVCampaign() *planner.Campaign {
	return &planner.Campaign{
		Cities: []planner.City{
			{Code: "B", Name: "Bee", Lat: 0, Lon: 1, Priority: planner.DecimalInt(1), RadiusKm: 15},
			{Code: "A", Name: "Ay", Lat: 0, Lon: 0, Priority: planner.DecimalInt(1), RadiusKm: 15},
		},
		Categories: []planner.VenueCategory{{Code: "BAR", Name: "Bares"}, {Code: "ONG", Name: "ONG", Sensitive: true}},
	}
}

func TestParseVenueCSVValidRows(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []VenueImportRow
	}{
		{
			// 0.05° is about 5.6 km from A at the equator: assigned to A.
			// (0, 0.5) is about 55.6 km from both: out of every radius.
			// An explicit city wins over distance.
			name: "comma, BOM, every column",
			in: "\uFEFFname,category,lat,lon,city,address,confidential\n" +
				"Bar Uno,BAR,0,0.05,,Calle 1,no\n" +
				"Albergue,ONG,0,0.5,,,sí\n" +
				"Lejos,BAR,10,10,B,\"Av. 2, centro\",1\n",
			want: []VenueImportRow{
				{Line: 2, Venue: planner.Venue{Name: "Bar Uno", Category: "BAR", Lat: 0, Lon: 0.05, Address: "Calle 1"}, AssignedCity: "A"},
				{Line: 3, Venue: planner.Venue{Name: "Albergue", Category: "ONG", Lat: 0, Lon: 0.5, Confidential: true}, OutOfRadius: true},
				{Line: 4, Venue: planner.Venue{Name: "Lejos", Category: "BAR", Lat: 10, Lon: 10, City: "B", Address: "Av. 2, centro", Confidential: true}, AssignedCity: "B"},
			},
		},
		{
			name: "semicolon with decimal commas, columns in another order, CRLF",
			in:   "LON; Lat ;category;name\r\n1,02;0,01;BAR;Cantina\r\n",
			want: []VenueImportRow{
				{Line: 2, Venue: planner.Venue{Name: "Cantina", Category: "BAR", Lat: 0.01, Lon: 1.02}, AssignedCity: "B"},
			},
		},
		{
			name: "quoted newline moves the next row's line; blank lines skipped",
			in:   "name,category,lat,lon\n\"Two\nlines\",BAR,0,0\n\nNext,BAR,0,1\n",
			want: []VenueImportRow{
				{Line: 2, Venue: planner.Venue{Name: "Two\nlines", Category: "BAR"}, AssignedCity: "A"},
				{Line: 5, Venue: planner.Venue{Name: "Next", Category: "BAR", Lon: 1}, AssignedCity: "B"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, errs := ParseVenueCSV(strings.NewReader(tt.in), venueCSVCampaign())
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if !reflect.DeepEqual(rows, tt.want) {
				t.Fatalf("rows:\n got %+v\nwant %+v", rows, tt.want)
			}
		})
	}
}

func TestParseVenueCSVErrors(t *testing.T) {
	const header = "name,category,lat,lon,city,confidential\n"
	tests := []struct {
		name  string
		in    string
		want  []string // FieldError.String() of every error, in order
		valid int      // rows returned besides the errors
	}{
		{"empty file", "", []string{"line 1: the file is empty; a header row (name, category, lat, lon, ...) is required"}, 0},
		{"header only", header, []string{"line 2: no venue rows after the header"}, 0},
		{"missing and unknown columns", "name,categoria,lat\nx,BAR,0\n", []string{
			`line 1: unknown column "categoria"; the columns are name, category, lat, lon, city, address, confidential, id`,
			`line 1: missing column "category"; the header row must name name, category, lat and lon`,
			`line 1: missing column "lon"; the header row must name name, category, lat and lon`,
		}, 0},
		{"duplicate column", "name,category,lat,lon,Name\n", []string{`line 1: column "name" appears twice`}, 0},
		{"bad values name their line and column", header +
			"Ok,BAR,0,0,,no\n" +
			"Bad lat,BAR,91,0,,no\n" +
			",XXX,0,abc,ZZ,maybe\n" +
			"short,BAR\n", []string{
			"line 3: lat: must be a number between -90 and 90",
			"line 4: name: must not be empty",
			`line 4: category: unknown category "XXX"`,
			"line 4: lon: must be a number between -180 and 180",
			`line 4: city: unknown city "ZZ"`,
			"line 4: confidential: must be true/false, sí/no or 1/0",
			"line 5: has 2 fields, the header has 6",
		}, 1},
		{"NaN and infinity are not coordinates", header + "x,BAR,NaN,Inf,,\n", []string{
			"line 2: lat: must be a number between -90 and 90",
			"line 2: lon: must be a number between -180 and 180",
		}, 0},
		{"decimal comma only in semicolon files", "name,category,lat,lon\nx,BAR,\"0,5\",0\n", []string{
			"line 2: lat: must be a number between -90 and 90",
		}, 0},
		{"bare quote stops at its line", header + "ok,BAR,0,0,,\nb\"ad,BAR,0,0,,\n", []string{
			`line 3: bare " in non-quoted-field`,
		}, 0},
		{"invalid UTF-8", header + "caf\xe9,BAR,0,0,,\n", []string{
			"line 2: is not valid UTF-8 text; save the file as UTF-8",
		}, 0},
		{"NUL character", header + "ok,BAR,0,0,,\nca\x00fe,BAR,0,0,,\n", []string{
			"line 3: contains a NUL character",
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, errs := ParseVenueCSV(strings.NewReader(tt.in), venueCSVCampaign())
			if len(rows) != tt.valid {
				t.Errorf("got %d valid rows, want %d", len(rows), tt.valid)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("errors:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestParseVenueCSVRowLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("name,category,lat,lon\n")
	for i := range MaxVenueImportRows {
		fmt.Fprintf(&b, "v%d,BAR,0,0\n", i)
	}
	rows, errs := ParseVenueCSV(strings.NewReader(b.String()), venueCSVCampaign())
	if len(errs) != 0 || len(rows) != MaxVenueImportRows {
		t.Fatalf("exactly the limit: %d rows, errors %v", len(rows), errs)
	}
	b.WriteString("one,BAR,0,0\n") // header + 100,000 rows: this is line 100,002
	_, errs = ParseVenueCSV(strings.NewReader(b.String()), venueCSVCampaign())
	want := []planner.FieldError{planner.Fieldf("line 100002", planner.MsgCSVTooManyRows, "more than %d venue rows; split the file", 100000)}
	if !reflect.DeepEqual(errs, want) {
		t.Fatalf("over the limit: got %v, want %v", errs, want)
	}
}

func TestParseVenueCSVStopsAfterTooManyErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("name,category,lat,lon\n")
	for range 1000 {
		b.WriteString(",BAR,0,0\n")
	}
	_, errs := ParseVenueCSV(strings.NewReader(b.String()), venueCSVCampaign())
	if len(errs) != maxVenueImportErrors+1 {
		t.Fatalf("got %d errors, want %d", len(errs), maxVenueImportErrors+1)
	}
	last := errs[len(errs)-1]
	if want := fmt.Sprintf("line %d", maxVenueImportErrors+1); last.Path != want || !strings.Contains(last.Message, "stopped") {
		t.Fatalf("last error %v, want %s: ...stopped...", last, want)
	}
}

func TestParseVenueCSVIDsAndDuplicates(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		ids       []string
		duplicate []bool
		errs      []string
	}{
		{"ids optional per row", "id,name,category,lat,lon\nx-1,Uno,BAR,0,0\n,Dos,BAR,0,0\n",
			[]string{"x-1", ""}, []bool{false, false}, nil},
		{"no id column", "name,category,lat,lon\nUno,BAR,0,0\n", []string{""}, []bool{false}, nil},
		{"same id twice refuses the file", "name,category,lat,lon,id\nUno,BAR,0,0,x-1\nDos,BAR,0,0,x-2\nTres,BAR,0,0,x-1\n",
			[]string{"x-1", "x-2", "x-1"}, []bool{false, false, true},
			[]string{`line 4: id: venue id "x-1" is also on line 2`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, errs := ParseVenueCSV(strings.NewReader(tt.in), venueCSVCampaign())
			var ids []string
			var dups []bool
			for _, r := range rows {
				ids, dups = append(ids, r.Venue.ID), append(dups, r.Duplicate)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.String())
			}
			if !reflect.DeepEqual(ids, tt.ids) || !reflect.DeepEqual(dups, tt.duplicate) || !reflect.DeepEqual(got, tt.errs) {
				t.Fatalf("ids %q duplicates %v errors %q; want %q %v %q", ids, dups, got, tt.ids, tt.duplicate, tt.errs)
			}
		})
	}
}
