package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func runGeodata(t *testing.T, args ...string) (code int, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, errb.String()
}

// TestBuildFromSample runs the command on the hand-made fixtures and checks
// what the shipped files promise: the states kept, renamed and sorted,
// outlines closed, rounded and counter-clockwise, and the places filtered,
// mapped to states and sorted.
func TestBuildFromSample(t *testing.T) {
	out := t.TempDir()
	code, errs := runGeodata(t, "--admin1", "testdata/ne_admin1_sample.geojson",
		"--places", "testdata/geonames_sample.txt", "--out", out, "--states", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}

	data, err := os.ReadFile(filepath.Join(out, "mx_states.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte(`{"type":"FeatureCollection", "features": [`+"\n")) || !bytes.HasSuffix(data, []byte("}}\n]}")) {
		t.Errorf("layout differs from the shipped file's:\n%.200s", data)
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ code, name, hasc, admin1, kind string }{
		{"MX-CHP", "Chiapas", "MX.CP", "05", "Polygon"},
		{"MX-CMX", "Ciudad de México", "MX.DF", "09", "Polygon"},
		{"MX-JAL", "Jalisco", "MX.JA", "14", "Polygon"}, // its island vanished at 4 decimals
	}
	if len(fc.Features) != len(want) {
		t.Fatalf("%d features, want %d", len(fc.Features), len(want))
	}
	for i, w := range want {
		f := fc.Features[i]
		p := f.Properties
		if p.MustString("code") != w.code || p.MustString("name") != w.name || p.MustString("hasc") != w.hasc ||
			p.MustString("geonames_admin1") != w.admin1 || f.Geometry.GeoJSONType() != w.kind {
			t.Errorf("feature %d: %v %s, want %+v", i, p, f.Geometry.GeoJSONType(), w)
		}
		poly, _ := f.Geometry.(orb.Polygon)
		for j, r := range poly {
			if len(r) < 4 || r[0] != r[len(r)-1] {
				t.Errorf("%s ring %d not closed or too short: %v", w.code, j, r)
			}
			if outer := j == 0; (r.Orientation() == orb.CCW) != outer {
				t.Errorf("%s ring %d: orientation %v (RFC 7946: outer rings counter-clockwise, holes clockwise)", w.code, j, r.Orientation())
			}
		}
	}
	jal, _ := fc.Features[2].Geometry.(orb.Polygon)
	if len(jal) != 2 {
		t.Errorf("Jalisco has %d rings, want its outline and its hole", len(jal))
	}
	for _, frag := range []string{"-93.0123,15.5", "-91.9877,15.5", "16.1235"} {
		if !bytes.Contains(data, []byte(frag)) {
			t.Errorf("rounded coordinate %s missing:\n%s", frag, data)
		}
	}
	if bytes.Contains(data, []byte("-93.012345")) || bytes.Contains(data, []byte("Texas")) || bytes.Contains(data, []byte("X01")) {
		t.Errorf("unrounded coordinates or a feature that should be left out:\n%s", data)
	}
	cmx, _ := fc.Features[1].Geometry.(orb.Polygon)
	if n := len(cmx[0]); n >= 13 || n < 4 {
		t.Errorf("Mexico City's ring has %d points: the collinear ones should be simplified away, the shape kept", n)
	}

	places, err := os.ReadFile(filepath.Join(out, "mx_places.csv"))
	if err != nil {
		t.Fatal(err)
	}
	const wantPlaces = `geonames_id,name,state_code,state_name,lat,lon,population
3530597,Mexico City,MX-CMX,Ciudad de México,19.42847,-99.12766,12294193
4005539,Guadalajara,MX-JAL,Jalisco,20.66682,-103.39182,1495182
3516266,Tapachula,MX-CHP,Chiapas,14.9,-92.26667,202672
9999001,"San Pedro, El Alto",MX-CHP,Chiapas,16.5,-92.4,202672
`
	if string(places) != wantPlaces {
		t.Errorf("mx_places.csv:\n%s\nwant:\n%s", places, wantPlaces)
	}
}

func TestBuildRefusesWrongSources(t *testing.T) {
	dir := t.TempDir()
	texasOnly := filepath.Join(dir, "texas.geojson")
	os.WriteFile(texasOnly, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"adm0_a3":"USA"},"geometry":{"type":"Point","coordinates":[0,0]}}]}`), 0o644)
	wrongISO := filepath.Join(dir, "iso.geojson")
	os.WriteFile(wrongISO, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"adm0_a3":"MEX","code_hasc":"MX.JA","iso_3166_2":"MX-XXX"},"geometry":{"type":"Point","coordinates":[0,0]}}]}`), 0o644)
	csvPlaces := filepath.Join(dir, "places.csv")
	os.WriteFile(csvPlaces, []byte("geonames_id,name\n1,x\n"), 0o644)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no flags", nil, 2, "--admin1 and --places are required"},
		{"bad keep", []string{"--admin1", "a", "--places", "p", "--keep", "0"}, 2, "--keep"},
		{"missing file", []string{"--admin1", filepath.Join(dir, "none"), "--places", "p"}, 1, "no such file"},
		{"no Mexican states", []string{"--admin1", texasOnly, "--places", "p"}, 1, "found 0 Mexican states"},
		{"ISO mismatch", []string{"--admin1", wrongISO, "--places", "p", "--states", "1"}, 1, `ISO code "MX-XXX"`},
		{"not GeoNames", []string{"--admin1", "testdata/ne_admin1_sample.geojson", "--places", csvPlaces, "--states", "3"}, 1, "is this a GeoNames table?"},
		{"state count", []string{"--admin1", "testdata/ne_admin1_sample.geojson", "--places", "p"}, 1, "found 3 Mexican states"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, errs := runGeodata(t, append(tt.args, "--out", out)...)
			if code != tt.code || !strings.Contains(errs, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tt.code, tt.stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was created although the build failed", out)
			}
		})
	}
}

// TestPlacesReproduceTheShippedFile feeds the places writer the shipped
// rows as a GeoNames table (admin1 codes from the shipped states, plus rows
// it must leave out) and expects the shipped mx_places.csv back byte for
// byte: filter, state mapping, order and number format are those of the
// build that made it.
func TestPlacesReproduceTheShippedFile(t *testing.T) {
	shippedCSV, err := os.ReadFile("../../assets/geo/mx_places.csv")
	if err != nil {
		t.Fatal(err)
	}
	shippedStates, err := os.ReadFile("../../assets/geo/mx_states.geojson")
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(shippedStates)
	if err != nil {
		t.Fatal(err)
	}
	var states []state
	admin1 := map[string]string{}
	for _, f := range fc.Features {
		s := state{code: f.Properties.MustString("code"), name: f.Properties.MustString("name"),
			admin1: f.Properties.MustString("geonames_admin1")}
		states = append(states, s)
		admin1[s.code] = s.admin1
	}
	rows, err := csv.NewReader(bytes.NewReader(shippedCSV)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var table strings.Builder
	line := func(id, name, lat, lon, class, country, a1, pop string) {
		f := make([]string, gnColumns)
		f[gnID], f[gnName], f[gnLat], f[gnLon], f[gnClass], f[gnCountry], f[gnAdmin1], f[gnPopulation] =
			id, name, lat, lon, class, country, a1, pop
		table.WriteString(strings.Join(f, "\t") + "\n")
	}
	// The table is written in reverse so that the order has to be rebuilt.
	for i := len(rows) - 1; i >= 1; i-- {
		r := rows[i] // geonames_id,name,state_code,state_name,lat,lon,population
		line(r[0], r[1], r[4], r[5], "P", "MX", admin1[r[2]], r[6])
	}
	line("1", "Not a place", "19", "-99", "T", "MX", "09", "5000")
	line("2", "Too small", "19", "-99", "P", "MX", "09", "999")
	line("3", "Elsewhere", "19", "-99", "P", "GT", "09", "5000")

	got, skipped, err := readPlaces(strings.NewReader(table.String()), states)
	if err != nil || skipped != 0 {
		t.Fatalf("readPlaces: %v (%d skipped)", err, skipped)
	}
	if b := encodePlaces(got); !bytes.Equal(b, shippedCSV) {
		gl, wl := strings.Split(string(b), "\n"), strings.Split(string(shippedCSV), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("line %d differs:\n got %s\nwant %s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%d lines, want %d", len(gl), len(wl))
	}
}

// TestStatesReproduceTheShippedFile turns the shipped states back into a
// Natural Earth-shaped file (their codes and properties in Natural Earth's
// keys) and builds it with no simplification: the outlines are already
// rounded and oriented, so the shipped mx_states.geojson must come back
// byte for byte, which pins the properties, order and layout.
func TestStatesReproduceTheShippedFile(t *testing.T) {
	shipped, err := os.ReadFile("../../assets/geo/mx_states.geojson")
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(shipped)
	if err != nil {
		t.Fatal(err)
	}
	ne := geojson.NewFeatureCollection()
	for i := len(fc.Features) - 1; i >= 0; i-- { // reversed: the order must be rebuilt
		f := fc.Features[i]
		iso := f.Properties.MustString("code")
		if iso == "MX-CMX" {
			iso = "MX-DIF"
		}
		g := geojson.NewFeature(f.Geometry)
		g.Properties = geojson.Properties{"adm0_a3": "MEX", "code_hasc": f.Properties.MustString("hasc"),
			"iso_3166_2": iso, "name": "as Natural Earth has it", "gn_a1_code": "MX." + f.Properties.MustString("geonames_admin1")}
		ne.Append(g)
	}
	island := geojson.NewFeature(orb.Polygon{{{-89.7, 22.4}, {-89.6, 22.4}, {-89.6, 22.5}, {-89.7, 22.4}}})
	island.Properties = geojson.Properties{"adm0_a3": "MEX", "code_hasc": "MX.X01~", "iso_3166_2": "MX-X01~"}
	ne.Append(island)
	data, err := ne.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	states, err := readStates(bytes.NewReader(data), options{keep: 1, decimals: 4, wantStates: 32})
	if err != nil {
		t.Fatal(err)
	}
	got, vertices := encodeStates(states)
	if !bytes.Equal(got, shipped) {
		for i := range min(len(got), len(shipped)) {
			if got[i] != shipped[i] {
				t.Fatalf("first difference at byte %d:\n got %.120s\nwant %.120s", i, got[max(0, i-40):], shipped[max(0, i-40):])
			}
		}
		t.Fatalf("%d bytes, want %d", len(got), len(shipped))
	}
	if vertices != 12446 {
		t.Errorf("%d vertices, want the 12,446 of the shipped file", vertices)
	}
}
