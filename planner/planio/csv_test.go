package planio

import (
	"bytes"
	"encoding/csv"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/reparto/reparto/planner"
)

func TestCSVOutWritesBOMCRLFAndQuotes(t *testing.T) {
	var buf bytes.Buffer
	o := NewSpreadsheetCSV(&buf)
	o.Header("material", "name")
	o.Text("CAR-ALTO").Text(`Cartel: "Alto", ya`).End()
	if err := o.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFmaterial,name\r\nCAR-ALTO,\"Cartel: \"\"Alto\"\", ya\"\r\n"
	if got := buf.String(); got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatal("no UTF-8 byte-order mark")
	}
}

func TestCSVOutGuardsTextButNotNumbers(t *testing.T) {
	tests := []struct {
		name  string
		write func(o *CSV)
		want  string
	}{
		{"formula", func(o *CSV) { o.Text("=1+2") }, "'=1+2"},
		{"plus", func(o *CSV) { o.Text("+52 55") }, "'+52 55"},
		{"minus text", func(o *CSV) { o.Text("-x") }, "'-x"},
		{"at", func(o *CSV) { o.Text("@SUM(A1)") }, "'@SUM(A1)"},
		{"tab", func(o *CSV) { o.Text("\tx") }, "'\tx"},
		{"negative text that looks numeric", func(o *CSV) { o.Text("-120") }, "'-120"},
		{"plain text", func(o *CSV) { o.Text("Tapachula") }, "Tapachula"},
		{"formula later in text", func(o *CSV) { o.Text("a=1") }, "a=1"},
		{"empty text", func(o *CSV) { o.Text("") }, ""},
		{"negative int", func(o *CSV) { o.Int(-120) }, "-120"},
		{"big int, no grouping", func(o *CSV) { o.Int(7800000) }, "7800000"},
		{"negative float", func(o *CSV) { o.Float(-0.5, 4) }, "-0.5000"},
		{"float rounding", func(o *CSV) { o.Float(2.0/3, 4) }, "0.6667"},
		{"nil float", func(o *CSV) { o.FloatPtr(nil, 3) }, ""},
		{"rat", func(o *CSV) { o.Rat(big.NewRat(-1234567, 1000), 3) }, "-1234.567"},
		{"rat rounds", func(o *CSV) { o.Rat(big.NewRat(1, 3), 3) }, "0.333"},
		{"nil rat", func(o *CSV) { o.Rat(nil, 3) }, ""},
		{"number", func(o *CSV) { o.Number("-120.5000") }, "-120.5000"},
		{"number that is a formula", func(o *CSV) { o.Number("=1+2") }, "'=1+2"},
		{"empty number", func(o *CSV) { o.Number("") }, ""},
		{"bool", func(o *CSV) { o.Bool(true) }, "true"},
		{"date", func(o *CSV) { o.Date(planner.NewDate(2009, 3, 20)) }, "2009-03-20"},
		{"zero date", func(o *CSV) { o.Date(planner.Date{}) }, ""},
		{"nil date", func(o *CSV) { o.DatePtr(nil) }, ""},
		{"id", func(o *CSV) { o.ID(42) }, "42"},
		{"no id", func(o *CSV) { o.ID(0) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			o := NewSpreadsheetCSV(&buf)
			tt.write(o)
			o.Text("end").End()
			if err := o.Flush(); err != nil {
				t.Fatal(err)
			}
			rows := parseExport(t, buf.Bytes())
			if len(rows) != 1 || len(rows[0]) != 2 {
				t.Fatalf("got rows %q", rows)
			}
			if rows[0][0] != tt.want {
				t.Fatalf("cell = %q, want %q", rows[0][0], tt.want)
			}
		})
	}
}

// A carriage return at the start of a text is guarded too. In CRLF mode
// encoding/csv drops a lone CR inside a field (so that line ends stay
// CRLF), which leaves the apostrophe in front of what follows.
func TestCSVOutGuardsCarriageReturn(t *testing.T) {
	if got := GuardFormula("\r=1+2"); got != "'\r=1+2" {
		t.Fatalf("guardFormula = %q", got)
	}
	var buf bytes.Buffer
	o := NewSpreadsheetCSV(&buf)
	o.Text("\r=1+2").End()
	if err := o.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := "\uFEFF\"'=1+2\"\r\n"; buf.String() != want {
		t.Fatalf("got %q, want %q", buf.String(), want)
	}
}

func TestCSVOutRowsAreIndependent(t *testing.T) {
	var buf bytes.Buffer
	o := NewSpreadsheetCSV(&buf)
	o.Int(1).Int(2).End()
	o.Int(3).End()
	if err := o.Flush(); err != nil {
		t.Fatal(err)
	}
	got := parseExport(t, buf.Bytes())
	want := [][]string{{"1", "2"}, {"3"}}
	if len(got) != len(want) || !slices.Equal(got[0], want[0]) || !slices.Equal(got[1], want[1]) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// parseExport checks the byte-order mark, strips it and parses the rest
// with encoding/csv, allowing rows of different lengths.
func parseExport(t *testing.T, b []byte) [][]string {
	t.Helper()
	s, ok := strings.CutPrefix(string(b), "\uFEFF")
	if !ok {
		t.Fatalf("export does not start with the UTF-8 BOM: %q", string(b[:min(len(b), 20)]))
	}
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parse export: %v", err)
	}
	return rows
}
