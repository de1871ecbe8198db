package planio

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/reparto/reparto/planner"
)

// streamFile is a valid campaign file whose venues are given one per line
// (n of them) and then whatever tail says; rest closes the file.
func streamFile(n int, tail, rest string) string {
	var b strings.Builder
	b.WriteString(`{"campaign": {"name": "N", "start": "2009-01-12", "deadline": "2009-03-31",
 "depot": {"name": "D", "lat": 19, "lon": -99}, "dispatch": {"boxes_per_day": 10}},
"venue_categories": [{"code": "BAR", "name": "Bares"}],
"cities": [{"code": "TAP", "name": "Tapachula", "lat": 14.9, "lon": -92.26}],
"venues": [
`)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"id": "v%d", "name": "Bar %d", "category": "BAR", "lat": 14.9, "lon": -92.26}`, i, i)
	}
	b.WriteString(tail)
	b.WriteString(rest)
	return b.String()
}

// TestParseCampaignStreamSyntaxErrors checks that a syntax error deep in a
// long list, read one element at a time, still gets its exact byte, line
// and column and the path of the element.
func TestParseCampaignStreamSyntaxErrors(t *testing.T) {
	tests := []struct {
		name, text, bad, path, msg string
	}{
		{"bad value in the last venue", streamFile(3000, `,
{"id": "x", "name": "Bar", "category": "BAR", "lat": 14.9, "lon": -92.26x}`, "]}"),
			"x}]}", "venues[3000]", "invalid character 'x' after object key:value pair"},
		{"missing comma between venues", streamFile(2500, `
{"id": "x"}`, "]}"), "{\"id\": \"x\"}", "venues[2500]", "invalid character '{' after array element"},
		{"missing value", streamFile(1200, `,
{"id": , "name": "Bar"}`, "]}"), `, "name"`, "venues[1200].id", "invalid character ','"},
		{"bad after the list", streamFile(2000, "", "] x}"), "x}", "", "invalid character 'x'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseString(t, tt.text)
			off := strings.LastIndex(tt.text, tt.bad)
			line := strings.Count(tt.text[:off], "\n") + 1
			col := off - strings.LastIndex(tt.text[:off], "\n")
			want := fmt.Sprintf("invalid JSON at byte %d (line %d, column %d): %s", off, line, col, tt.msg)
			wantFirstError(t, err, tt.path, want)
		})
	}
}

// TestParseCampaignStreamEndOfInput cuts a long file in the middle of a venue.
func TestParseCampaignStreamEndOfInput(t *testing.T) {
	text := streamFile(2000, `, {"id": "x", "na`, "")
	_, err := parseString(t, text)
	want := fmt.Sprintf("invalid JSON at byte %d (line %d, column %d): unexpected end of input",
		len(text), strings.Count(text, "\n")+1, len(text)-strings.LastIndex(text, "\n"))
	wantFirstError(t, err, "venues[2000]", want)
}

// TestParseCampaignStreamFieldErrors checks the paths, and the document
// order, of errors inside list elements, whose offsets are kept compactly.
func TestParseCampaignStreamFieldErrors(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"semantic error after an unknown key", streamFile(1500, `,
{"id": "x", "bogus": 1, "name": "Bar", "category": "BAR", "lat": 99, "lon": -92.26}`, "]}"),
			[]string{"venues[1500].bogus: unknown field", "venues[1500].lat: must be between -90 and 90"}},
		{"semantic error before an unknown key", streamFile(1500, `,
{"id": "x", "name": "Bar", "category": "NONE", "lat": 14.9, "lon": -92.26, "bogus": 1}`, "]}"),
			[]string{`venues[1500].category: unknown category "NONE"`, "venues[1500].bogus: unknown field"}},
		{"missing key and a type error", streamFile(10, `,
{"id": "x", "name": 5, "lat": 14.9, "lon": -92.26}`, "]}"),
			[]string{"venues[10].name: must be a string", "venues[10].category: is required"}},
		{"element that is not an object", streamFile(10, `, 7`, "]}"),
			[]string{"venues[10]: must be an object"}},
		{"list repeated", streamFile(3, "", `], "venues": [{"bogus": 1}]}`),
			[]string{"venues: duplicate key"}},
		{"list not an array, then repeated", `{"venues": {}, "venues": [{"bogus": 1}], "campaign": 1}`,
			[]string{"venues: must be an array", "venues: duplicate key", "campaign: must be an object"}},
		{"bad text in a venue", streamFile(1000, ",\n{\"id\": \"x\", \"name\": \"caf\xe9\"}", "]}"),
			[]string{"venues[1000].name: " + planner.BadTextMessage}},
		{"NUL in a venue", streamFile(1000, ",\n{\"id\": \"x\", \"name\": \"a\\u0000\"}", "]}"),
			[]string{"venues[1000].name: " + planner.BadTextMessage}},
		{"bad text in a key", "{\"campaign\": {\"n\xffm\": 1}}",
			[]string{"campaign[\"n\uFFFDm\"]: " + planner.BadTextMessage}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseString(t, tt.text)
			if err == nil {
				t.Fatal("want an error")
			}
			var got []string
			for _, f := range planner.ErrorFields(err) {
				got = append(got, f.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestParseCampaignStreamLongFile reads a valid file of many venues.
func TestParseCampaignStreamLongFile(t *testing.T) {
	c := mustParse(t, streamFile(5000, "", "]}"))
	if len(c.Venues) != 5000 || c.Venues[4999] != (planner.Venue{ID: "v4999", Name: "Bar 4999", Category: "BAR", Lat: 14.9, Lon: -92.26}) {
		t.Fatalf("venues: %d, last %+v", len(c.Venues), c.Venues[len(c.Venues)-1])
	}
}
