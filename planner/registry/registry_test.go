package registry

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/geo"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/planio"
)

const denueFixture = "testdata/denue_inegi_07_.csv"

var (
	statesOnce sync.Once
	states     *geo.StateIndex
)

func testStates(t testing.TB) *geo.StateIndex {
	t.Helper()
	statesOnce.Do(func() {
		f, err := assets.FS.Open(geo.StatesFile)
		if err != nil {
			panic(err)
		}
		defer f.Close()
		if states, err = geo.LoadStates(f); err != nil {
			panic(err)
		}
	})
	return states
}

// testCampaign has the categories of the demo campaign the fixture's rows
// map to, except ESC-PRIM (a row of it is "category missing"), and one
// city: Tapachula.
func testCampaign() *planner.Campaign {
	c := &planner.Campaign{Cities: []planner.City{{Code: "TAP", Name: "Tapachula", Lat: 14.9039, Lon: -92.2575, RadiusKm: 15}}}
	for _, code := range []string{"BAR", "DISCO", "NOCTURNO", "ONG-ALBERGUE", "MP", "CENTRAL-AUTOBUS", "HOTEL", "HOSPITAL", "CLINICA"} {
		c.Categories = append(c.Categories, planner.VenueCategory{Code: code, Name: code, Sensitive: code == "ONG-ALBERGUE"})
	}
	return c
}

func defaultMapping(t testing.TB) *Mapping {
	t.Helper()
	rules, err := LoadDefaultRules(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	return NewMapping(rules)
}

func readAll(t *testing.T, r Reader) []Record {
	t.Helper()
	var out []Record
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rec)
	}
}

func TestDENUEFixtureFields(t *testing.T) {
	f, err := os.Open(denueFixture)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewDENUEReader(f, "denue_inegi_07_.csv")
	if err != nil {
		t.Fatal(err)
	}
	recs := readAll(t, r)
	if len(recs) != 15 {
		t.Fatalf("%d rows, want 15", len(recs))
	}
	if r.Encoding() != EncodingWindows1252 {
		t.Errorf("encoding %s, want %s", r.Encoding(), EncodingWindows1252)
	}
	first := recs[0]
	want := Record{Line: 2, SourceID: "1001", Name: "BAR EL PASO, S.A.", Activity: "722412", State: "07", County: "089",
		PostalCode: "30700", Address: "CALLE 8A. NORTE 12, COLONIA CENTRO, Tapachula de Córdova y Ordóñez",
		Lat: 14.9061, Lon: -92.2623, HasCoords: true}
	if first != want {
		t.Errorf("first row\n got %+v\nwant %+v", first, want)
	}
	if got := recs[2].Name; got != "CENTRO NOCTURNO EL ÑANDÚ" {
		t.Errorf("Latin-1 name read as %q", got)
	}
	if recs[7].HasCoords {
		t.Errorf("row without coordinates has them: %+v", recs[7])
	}
	if got := recs[14].Address; got != "CALLE 8A. NORTE, COLONIA CENTRO, Tapachula de Córdova y Ordóñez" {
		t.Errorf("number 0 kept in the address: %q", got)
	}
}

func TestEncodingSniffer(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
		enc  Encoding
		err  error
	}{
		{"ascii", []byte("id,a\n1,b\n"), "id,a\n1,b\n", EncodingASCII, nil},
		{"utf-8", []byte("a,Peñón\n"), "a,Peñón\n", EncodingUTF8, nil},
		{"utf-8 with BOM", []byte("\xEF\xBB\xBFa,é\n"), "a,é\n", EncodingUTF8, nil},
		{"latin-1", []byte("a,Pe\xF1\xF3n\n"), "a,Peñón\n", EncodingWindows1252, nil},
		{"windows-1252 quotes", []byte("\x93Bar\x94"), "“Bar”", EncodingWindows1252, nil},
		{"latin-1 high byte last", []byte("abc\xE9"), "abcé", EncodingWindows1252, nil},
		{"utf-8 then latin-1", []byte("Peñón,Pe\xF1a"), "", EncodingUTF8, ErrMixedEncoding},
	}
	for _, tt := range tests {
		for _, one := range []bool{false, true} { // one byte at a time: every split of a sequence
			var src io.Reader = bytes.NewReader(tt.in)
			if one {
				src = iotest.OneByteReader(src)
			}
			d := newDecodingReader(src)
			got, err := io.ReadAll(d)
			if !errors.Is(err, tt.err) {
				t.Errorf("%s (one byte %v): err %v, want %v", tt.name, one, err, tt.err)
				continue
			}
			if err == nil && string(got) != tt.want {
				t.Errorf("%s (one byte %v): %q, want %q", tt.name, one, got, tt.want)
			}
			if d.Encoding() != tt.enc {
				t.Errorf("%s (one byte %v): encoding %s, want %s", tt.name, one, d.Encoding(), tt.enc)
			}
		}
	}
}

func TestDENUEBadFiles(t *testing.T) {
	header := strings.Join(denueColumns, ",")
	row := strings.Repeat("x,", len(denueColumns)-1) + "x"
	tests := []struct {
		name, file, want string
	}{
		{"empty", "", "f.csv: line 1: empty file"},
		{"another CSV", "a,b,c\n1,2,3\n", "f.csv: line 1: not a DENUE file"},
		{"missing column", strings.Replace(header, ",codigo_act,", ",codigo,", 1) + "\n", "f.csv: line 1: column codigo_act: missing column"},
		{"short row", header + "\n" + row + "\n1,2\n", "f.csv: line 3: "},
		{"stray quote", header + "\n" + strings.Replace(row, "x", `a"b`, 1) + "\n", "f.csv: line 2: "},
	}
	for _, tt := range tests {
		r, err := NewDENUEReader(strings.NewReader(tt.file), "f.csv")
		if err == nil {
			for err == nil {
				_, err = r.Next()
			}
		}
		var fe *FileError
		if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want a FileError starting %q", tt.name, err, tt.want)
		}
	}
}

func TestOpenDENUEZipPicksTheData(t *testing.T) {
	data, err := os.ReadFile(denueFixture)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range []struct{ name, body string }{
		{"diccionario_de_datos/diccionario_datos_denue_2023.csv", "campo,descripcion\nid,Identificador\n"},
		{"metadatos/metadatos_denue.txt", "INEGI"},
		{"conjunto_de_datos/denue_inegi_07_.csv", string(data)},
	} {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, f.body)
	}
	zw.Close()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	rc, name, err := OpenDENUEZip(zr, "denue_07_csv.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if name != "conjunto_de_datos/denue_inegi_07_.csv" {
		t.Errorf("picked %s", name)
	}
	r, err := NewDENUEReader(rc, name)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(readAll(t, r)); n != 15 {
		t.Errorf("%d rows, want 15", n)
	}
	if _, _, err := OpenDENUEZip(&zip.Reader{}, "x.zip"); err == nil {
		t.Error("a zip without a CSV was accepted")
	}
}

// TestDecideEveryDropReason runs the DENUE fixture through the shipped
// mapping: one row for each drop reason (DENUE has no closed rows; see
// TestCLUES), the second row of a bus station as a duplicate.
func TestDecideEveryDropReason(t *testing.T) {
	f, err := os.Open(denueFixture)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewDENUEReader(f, "f.csv")
	if err != nil {
		t.Fatal(err)
	}
	im := NewImporter(SourceDENUE, testCampaign(), defaultMapping(t), testStates(t))
	var kept []Venue
	if err := im.Kept(r, func(v Venue) error { kept = append(kept, v); return nil }); err != nil {
		t.Fatal(err)
	}
	s := im.Summary()
	wantKept := map[string]int{"BAR": 1, "DISCO": 1, "NOCTURNO": 1, "ONG-ALBERGUE": 1, "MP": 1, "CENTRAL-AUTOBUS": 1, "HOTEL": 1}
	wantDropped := map[Reason]int{DropUnmapped: 1, DropCategoryMissing: 1, DropNoCoordinates: 1, DropOutsideMexico: 1,
		DropNoCity: 1, DropDuplicate: 2, DropNoID: 1}
	if s.Read != 15 || !maps.Equal(s.Kept, wantKept) || !maps.Equal(s.Dropped, wantDropped) {
		t.Fatalf("summary read %d kept %v dropped %v\nwant 15, %v, %v", s.Read, s.Kept, s.Dropped, wantKept, wantDropped)
	}
	if got := s.Examples[DropDuplicate]; len(got) != 2 || got[0] != 12 || got[1] != 14 {
		t.Errorf("duplicate lines %v, want [12 14]", got)
	}
	if s.Encoding != EncodingWindows1252 {
		t.Errorf("encoding %s", s.Encoding)
	}
	byID := map[string]Venue{}
	for _, v := range kept {
		byID[v.ID] = v
		if v.City != "TAP" {
			t.Errorf("%s: city %q, want TAP", v.ID, v.City)
		}
	}
	if v := byID["denue-1004"]; !v.Confidential || v.Category != "ONG-ALBERGUE" {
		t.Errorf("shelter %+v, want confidential ONG-ALBERGUE", v)
	}
	if v := byID["denue-1001"]; v.Confidential || v.Name != "BAR EL PASO, S.A." || v.SourceID != "1001" {
		t.Errorf("bar %+v", v)
	}
	station := byID["denue-cc-07089-CENTRAL-DE-AUTOBUSES-OCC"]
	if station.Name != "CENTRAL DE AUTOBUSES OCC" || station.Category != "CENTRAL-AUTOBUS" ||
		station.SourceID != "cc-07089-CENTRAL DE AUTOBUSES OCC" {
		t.Errorf("bus station from tipoCenCom: %+v (kept %v)", station, kept)
	}
}

func TestMappingPrecedence(t *testing.T) {
	m := NewMapping([]Rule{
		{Source: SourceDENUE, Name: "FISCALIA", Category: "MP"},
		{Source: SourceDENUE, Activity: "722411", Category: "NOCTURNO"},
		{Source: SourceDENUE, Activity: "722411", Name: "DISCO", Category: "DISCO"},
		{Source: SourceDENUE, Activity: "722412", Category: "BAR"},
		{Source: SourceDENUE, Center: "CENTRAL CAMIONERA", Category: "CENTRAL-AUTOBUS"},
		{Source: SourceCLUES, Activity: "DE HOSPITALIZACIÓN", Category: "HOSPITAL"},
	})
	tests := []struct {
		name     string
		src      Source
		rec      Record
		want     string
		byCenter bool
	}{
		{"activity alone", SourceDENUE, Record{Activity: "722411", Name: "EL SOTANO"}, "NOCTURNO", false},
		{"activity and name beat activity", SourceDENUE, Record{Activity: "722411", Name: "Disco Ritmo"}, "DISCO", false},
		{"a mapped code beats a name", SourceDENUE, Record{Activity: "722412", Name: "BAR LA FISCALIA"}, "BAR", false},
		{"name without accents or case", SourceDENUE, Record{Activity: "931210", Name: "Fiscalía Regional"}, "MP", false},
		{"centre", SourceDENUE, Record{Activity: "722517", Center: "central camionera"}, "CENTRAL-AUTOBUS", true},
		{"the digits inside clee are not the activity", SourceDENUE, Record{Activity: "461110", Name: "ABARROTES"}, "", false},
		{"CLUES type folded", SourceCLUES, Record{Activity: "DE HOSPITALIZACION"}, "HOSPITAL", false},
		{"another source's rule", SourceCLUES, Record{Activity: "722412"}, "", false},
	}
	for _, tt := range tests {
		got, byCenter := m.Match(tt.src, &tt.rec)
		if got != tt.want || byCenter != tt.byCenter {
			t.Errorf("%s: %q %v, want %q %v", tt.name, got, byCenter, tt.want, tt.byCenter)
		}
	}
}

func TestValidateRules(t *testing.T) {
	cats := testCampaign().Categories
	tests := []struct {
		name string
		rule Rule
		path string
	}{
		{"ok", Rule{Source: SourceDENUE, Activity: "722412", Category: "BAR"}, ""},
		{"unknown source", Rule{Source: "sat", Activity: "722412", Category: "BAR"}, "rules[0].source"},
		{"no condition", Rule{Source: SourceDENUE, Category: "BAR"}, "rules[0].activity"},
		{"not a SCIAN class", Rule{Source: SourceDENUE, Activity: "7224", Category: "BAR"}, "rules[0].activity"},
		{"unknown category", Rule{Source: SourceDENUE, Activity: "722412", Category: "ESC-PRIM"}, "rules[0].category"},
		{"long name", Rule{Source: SourceDENUE, Name: strings.Repeat("A", planner.MaxNameLen+1), Category: "BAR"}, "rules[0].name"},
	}
	for _, tt := range tests {
		err := ValidateRules([]Rule{tt.rule}, cats)
		var pe *planner.Error
		switch {
		case tt.path == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.path != "" && (!errors.As(err, &pe) || pe.Fields[0].Path != tt.path || pe.Fields[0].ID == ""):
			t.Errorf("%s: %v, want an invalid %s with a message id", tt.name, err, tt.path)
		}
	}
	dup := []Rule{{Source: SourceDENUE, Activity: "722412", Category: "BAR"}, {Source: SourceDENUE, Activity: "722412", Category: "MP"}}
	if err := ValidateRules(dup, cats); err == nil {
		t.Error("the same condition twice was accepted")
	}
}

// TestDefaultRulesFitTheDemo checks the shipped mapping against the demo
// campaign: every category it names exists there.
func TestDefaultRulesFitTheDemo(t *testing.T) {
	rules, err := LoadDefaultRules(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	f, err := assets.FS.Open("data/campaign-2009.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := planio.ParseCampaign(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateRules(rules, c.Categories); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"624221", "624222", "623991", "623992"} {
		if !sensitiveActivities[code] {
			t.Errorf("%s is not confidential", code)
		}
	}
}

// TestWithinCacheAgreesWithTheExactTest: the "in Mexico" cell cache gives
// the exact test's answer for points along the northern border, the
// coasts and far away.
func TestWithinCacheAgreesWithTheExactTest(t *testing.T) {
	st := testStates(t)
	im := NewImporter(SourceDENUE, testCampaign(), defaultMapping(t), st)
	rng := rand.New(rand.NewPCG(11, 1))
	centres := [][2]float64{{32.53, -117.03}, {31.74, -106.48}, {25.87, -97.50}, {18.14, -94.45}, {21.16, -86.85},
		{14.68, -92.15}, {23.0, -102.0}, {29.5, -111.0}, {33.0, -97.0}}
	for _, c := range centres {
		for range 400 {
			lat, lon := c[0]+(rng.Float64()-0.5)*1.2, c[1]+(rng.Float64()-0.5)*1.2
			if got, want := im.within(lat, lon), st.Within(lat, lon, BorderToleranceKm); got != want {
				t.Fatalf("(%f, %f): cached %v, exact %v", lat, lon, got, want)
			}
		}
	}
}

// TestEveryReasonHasALabel: the preview page names each drop reason from
// the data catalogues, in both languages.
func TestEveryReasonHasALabel(t *testing.T) {
	for _, lang := range []string{"es", "en"} {
		data, err := fs.ReadFile(assets.FS, "i18n/data."+lang+".json")
		if err != nil {
			t.Fatal(err)
		}
		var cat map[string]string
		if err := json.Unmarshal(data, &cat); err != nil {
			t.Fatal(err)
		}
		for _, r := range Reasons {
			if cat["data.registry.reason."+string(r)] == "" {
				t.Errorf("%s: no label data.registry.reason.%s", lang, r)
			}
		}
	}
}

// TestDefaultRulesCheckedCodes pins the shipped rows whose codes were
// checked against copies of the SCIAN catalogue (docs/registries.md, "The
// shipped mapping"): the code maps to its category and the file's
// description starts with the catalogue's title of the class. Libraries
// have one code per edition: 519121/519122 in SCIAN 2018, 519211/519212 in
// SCIAN 2023.
func TestDefaultRulesCheckedCodes(t *testing.T) {
	rules, err := LoadDefaultRules(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	m := NewMapping(rules)
	data, err := fs.ReadFile(assets.FS, DefaultRulesFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ code, category, title string }{
		{"713998", "SALON-BAILE", "Otros servicios recreativos prestados por el sector privado"},
		{"519121", "BIBLIOTECA", "Bibliotecas y archivos del sector privado"},
		{"519122", "BIBLIOTECA", "Bibliotecas y archivos del sector público"},
		{"519211", "BIBLIOTECA", "Bibliotecas y archivos del sector privado"},
		{"519212", "BIBLIOTECA", "Bibliotecas y archivos del sector público"},
	} {
		if got, _ := m.Match(SourceDENUE, &Record{Activity: c.code, Name: "X"}); got != c.category {
			t.Errorf("%s maps to %q, want %q", c.code, got, c.category)
		}
		if row := "denue," + c.code + ",,," + c.category + ",\"" + c.title; !strings.Contains(string(data), row) {
			t.Errorf("%s: no row starting %s in %s", c.code, row, DefaultRulesFile)
		}
	}
}
