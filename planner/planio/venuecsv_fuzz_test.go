package planio

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// venueCSVErrorPath is the shape of every error path of ParseVenueCSV:
// a line number, optionally a column.
var venueCSVErrorPath = regexp.MustCompile(`^line [1-9][0-9]*(: [a-z]+)?$`)

// FuzzParseVenueCSV checks that no upload makes ParseVenueCSV panic, that
// every error names a line, and that the rows it accepts (with or without
// errors elsewhere) are valid venues of the campaign whose assignment
// agrees with OutOfRadius.
func FuzzParseVenueCSV(f *testing.F) {
	f.Add([]byte("name,category,lat,lon,city,address,confidential\nBar,BAR,0,0.05,,Calle 1,no\n"))
	f.Add([]byte("\uFEFFname;category;lat;lon\nx;ONG;0,5;1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := venueCSVCampaign()
		rows, errs := ParseVenueCSV(strings.NewReader(string(data)), c)
		if len(errs) > maxVenueImportErrors+1 {
			t.Fatalf("%d errors", len(errs))
		}
		for _, e := range errs {
			if !venueCSVErrorPath.MatchString(e.Path) || e.Message == "" {
				t.Fatalf("error without a line: %q", e.String())
			}
		}
		if len(rows) == 0 && len(errs) == 0 {
			t.Fatal("no rows and no errors")
		}
		prev := 1
		for i, r := range rows {
			if r.Line <= prev {
				t.Fatalf("row %d: line %d after line %d", i, r.Line, prev)
			}
			prev = r.Line
			if (r.AssignedCity == "") != r.OutOfRadius {
				t.Fatalf("row %d: assigned %q, out of radius %v", i, r.AssignedCity, r.OutOfRadius)
			}
			v := r.Venue
			v.ID = fmt.Sprintf("imp-%d", i+1)
			c.Venues = append(c.Venues, v)
		}
		for _, e := range c.FieldErrors() { // the test campaign has no header: only venues count
			if strings.HasPrefix(e.Path, "venues[") {
				t.Fatalf("accepted rows are not valid venues: %v", e)
			}
		}
	})
}
