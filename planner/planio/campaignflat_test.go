package planio

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/reparto/reparto/planner"
)

// parseBothWays parses data with the flat scanner and with the decoder
// alone, and fails unless both give the same campaign and the same error,
// word for word.
func parseBothWays(t *testing.T, data []byte, wrap func(io.Reader) io.Reader) {
	t.Helper()
	parse := func(flat bool) (*planner.Campaign, error) {
		defer func(old bool) { flatLists = old }(flatLists)
		flatLists = flat
		return ParseCampaign(wrap(bytes.NewReader(data)))
	}
	want, wantErr := parse(false)
	got, gotErr := parse(true)
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(planner.ErrorFields(gotErr), planner.ErrorFields(wantErr)) {
		t.Fatalf("flat scanner error:\n%v\n%#v\ndecoder error:\n%v\n%#v", gotErr, planner.ErrorFields(gotErr), wantErr, planner.ErrorFields(wantErr))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("flat scanner read\n%+v\ndecoder read\n%+v", got, want)
	}
}

// flatCases are list elements (after 1,200 good venues) that the flat
// scanner must read, or leave to the decoder, exactly as the decoder does.
var flatCases = []string{
	``, `,`, `, `, `,]`, `,7`, `,"x"`, `,null`, `,[]`, `,{}`, `, { } `, `,{`, `,{"`, `,{"id"`, `,{"id":`,
	`,{"id":"x"`, `,{"id":"x",}`, `,{"id" "x"}`, `,{"id":"x" "name":"y"}`, `,{,"id":"x"}`,
	`,{"id":"x","lat":1.5e3,"lon":-0.0,"name":"n","category":"BAR"}`,
	`,{"id":"x","lat":01}`, `,{"id":"x","lat":1.}`, `,{"id":"x","lat":.5}`, `,{"id":"x","lat":-}`,
	`,{"id":"x","lat":1e}`, `,{"id":"x","lat":1e+}`, `,{"id":"x","lat":1E-7}`, `,{"id":"x","lat":1x}`,
	`,{"id":"x","lat":"1"}`, `,{"id":"x","lat":true}`, `,{"id":"x","lat":tru}`, `,{"id":"x","lat":truex}`,
	`,{"id":"x","lat":nul}`, `,{"id":"x","lat":null}`, `,{"id":"x","lat":falsey}`, `,{"id":"x","lat":1e400}`,
	`,{"id":"x","confidential":false,"confidential":true}`, `,{"id":"x","bogus":{"a":[1,2]}}`,
	`,{"id":"x","bogus":[1,2]}`, `,{"id":"x","id":"y"}`, `,{"i\u0064":"x"}`, `,{"id":"a\"b\\c\/d\n\u00e9\ud83d\ude00"}`,
	`,{"id":"\ud800"}`, `,{"id":"\x"}`, `,{"id":"\u12"}`, `,{"id":"a\u0000"}`, `,{"a\u0000":"x"}`,
	",{\"id\":\"tab\there\"}", ",{\"id\":\"caf\xe9\"}", ",{\"id\":\"caf\xc3\xa9\"}", ",{\"caf\xe9\":1}",
	",{\"id\":\"x\"}\xff", ",\n\t\r {\n\"id\"\n:\n\"x\"\n}\n", `,{"id":"x"}]`, `,{"id":"x"} x`,
	`,{"id":"x","name":"Bar","category":"BAR","lat":14.9,"lon":-92.26,"city":"TAP","address":"A & B <c>","confidential":true}`,
}

// TestParseCampaignFlatMatchesDecoder reads each case as the last venue,
// whole and cut short within it, and through a reader that gives one byte
// at a time and one that fails.
func TestParseCampaignFlatMatchesDecoder(t *testing.T) {
	readers := map[string]func(io.Reader) io.Reader{
		"whole":    func(r io.Reader) io.Reader { return r },
		"one byte": iotest.OneByteReader,
	}
	for _, tail := range flatCases {
		for _, rest := range []string{"]}", `], "locks": [{"material": "L3"}]}`} {
			text := streamFile(800, tail, rest) // past the first 64 KB read
			cut := strings.LastIndex(text, tail)
			t.Run(fmt.Sprintf("%q%s", tail, rest[:min(3, len(rest))]), func(t *testing.T) {
				for name, wrap := range readers {
					parseBothWays(t, []byte(text), wrap)
					for i := cut; i <= len(text) && name == "whole"; i += max(1, (len(text)-cut)/5) {
						parseBothWays(t, []byte(text[:i]), wrap)
					}
				}
			})
		}
	}
	t.Run("read error", func(t *testing.T) {
		text := []byte(streamFile(3000, "", "]}"))
		parseBothWays(t, text, func(r io.Reader) io.Reader {
			return io.MultiReader(io.LimitReader(r, int64(len(text)/2)), iotest.ErrReader(io.ErrClosedPipe))
		})
	})
	t.Run("every list", func(t *testing.T) {
		parseBothWays(t, []byte(baseCampaign), func(r io.Reader) io.Reader { return r })
		parseBothWays(t, []byte(planningExample), func(r io.Reader) io.Reader { return r })
	})
}

// FuzzParseCampaignFlat checks that the flat scanner and the decoder
// alone read every input the same way.
func FuzzParseCampaignFlat(f *testing.F) {
	f.Add([]byte(baseCampaign))
	f.Add([]byte(planningExample))
	for _, tail := range flatCases[:12] {
		f.Add([]byte(streamFile(3, tail, "]}")))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		parseBothWays(t, data, func(r io.Reader) io.Reader { return r })
	})
}

// readVenueList reads the venues list of text (`{"venues": [...]...`)
// with streamList and returns every element as read, offsets included,
// and the error, located.
func readVenueList(text string, flat bool) string {
	defer func(old bool) { flatLists = old }(flatLists)
	flatLists = flat
	jr := newJSONReader(strings.NewReader(text))
	jr.checkText = true
	var out strings.Builder
	record := func(v *jsonValue, i int) { fmt.Fprintf(&out, "%d: %s\n", i, dumpValue(v)) }
	_, _, err := jr.token("")
	if err == nil {
		_, _, err = jr.key("")
	}
	if err == nil {
		var off int64
		if _, off, err = jr.token("venues"); err == nil {
			_, err = newFileReader().streamList(jr, "venues", off, record)
		}
	}
	if err == nil {
		if err = jr.close(""); err == nil {
			err = jr.end()
		}
	}
	fmt.Fprintf(&out, "error: %#v", jr.located(err))
	return out.String()
}

func dumpValue(v *jsonValue) string {
	s := fmt.Sprintf("{%d %d-%d %v %q", v.kind, v.offset, v.end, v.boolean, v.text)
	for _, m := range v.members {
		s += fmt.Sprintf(" %q@%d:%s", m.key, m.offset, dumpValue(m.value))
	}
	for _, e := range v.elems {
		s += " " + dumpValue(e)
	}
	return s + "}"
}

// TestFlatListOffsets checks that the flat scanner gives every value the
// offsets (and the text) the decoder gives it, and leaves every error to it.
func TestFlatListOffsets(t *testing.T) {
	var venues strings.Builder
	for i := range 800 {
		if i > 0 {
			venues.WriteString(",\n")
		}
		fmt.Fprintf(&venues, `{"id": "v%d" , "name":"Bar %d","lat": 14.9 ,"confidential" :false, "x": null}`, i, i)
	}
	for _, tail := range flatCases {
		for _, text := range []string{
			`{"venues": [` + venues.String() + tail + `]}`,
			`{"venues":[ ` + strings.TrimPrefix(tail, ",") + ` ], "x": 1}`,
		} {
			want := readVenueList(text, false)
			if got := readVenueList(text, true); got != want {
				t.Fatalf("%q: flat scanner read\n%s\ndecoder read\n%s", tail, lastLines(got), lastLines(want))
			}
		}
	}
}

func lastLines(s string) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-3):], "\n")
}
