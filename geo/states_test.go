package geo

import (
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/reparto/reparto/assets"
)

// loadMXStates loads the real state outlines shipped in assets, once per
// test binary.
var loadMXStates = sync.OnceValues(func() (*StateIndex, error) {
	f, err := assets.FS.Open("geo/mx_states.geojson")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return LoadStates(f)
})

func mxStates(t testing.TB) *StateIndex {
	t.Helper()
	ix, err := loadMXStates()
	if err != nil {
		t.Fatalf("load assets/geo/mx_states.geojson: %v", err)
	}
	return ix
}

func TestLoadStatesMexico(t *testing.T) {
	states := mxStates(t).States()
	if len(states) != 32 {
		t.Fatalf("got %d states, want 32", len(states))
	}
	for i := 1; i < len(states); i++ {
		if states[i-1].Code >= states[i].Code {
			t.Errorf("States not sorted by code: %s before %s", states[i-1].Code, states[i].Code)
		}
	}
	// Spot checks against the code table of the data README.
	want := map[string]string{"MX-AGU": "Aguascalientes", "MX-CMX": "Ciudad de México", "MX-MEX": "México", "MX-ZAC": "Zacatecas"}
	for _, s := range states {
		if name, ok := want[s.Code]; ok && s.Name != name {
			t.Errorf("%s name = %q, want %q", s.Code, s.Name, name)
		}
		if len(s.Geometry) == 0 {
			t.Errorf("%s has no geometry", s.Code)
		}
	}
}

// TestLocateMexico uses places whose state is documented in
// mx_places_state_check.csv and the data README.
func TestLocateMexico(t *testing.T) {
	ix := mxStates(t)
	tests := []struct {
		name       string
		lat, lon   float64
		wantCode   string
		wantInside bool
	}{
		{"Tapachula", 14.90385, -92.25749, "MX-CHP", true},
		{"Tuxtla Gutiérrez", 16.75973, -93.11308, "MX-CHP", true},
		{"Mexico City depot", 19.4326, -99.1332, "MX-CMX", true},
		// Azcapotzalco is a CDMX alcaldía, but the generalised 1:10m border
		// puts its point 1.2 km inside the State of Mexico polygon
		// (near_border in the check file). Locate reports the polygon.
		{"Azcapotzalco", 19.48698, -99.18594, "MX-MEX", true},
		// Outside every polygon (coast generalised away): nearest state.
		{"Coatzacoalcos", 18.14905, -94.4447, "MX-VER", false},
		// Toluca valley town GeoNames codes MX-MOR (admin1_likely_wrong).
		{"San Pablo Autopan", 19.35638, -99.65724, "MX-MEX", true},
		// Michoacán town GeoNames codes MX-MEX (admin1_likely_wrong).
		{"Jacona de Plancarte", 19.95232, -102.30781, "MX-MIC", true},
		// Guerrero Negro: coded Baja California, south of the 28th parallel.
		{"Guerrero Negro", 27.96891, -114.04427, "MX-BCS", true},
		{"Tijuana", 32.5027, -117.00371, "MX-BCN", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, inside := ix.Locate(tt.lat, tt.lon)
			if code != tt.wantCode || inside != tt.wantInside {
				t.Errorf("Locate(%v, %v) = %s, %v; want %s, %v", tt.lat, tt.lon, code, inside, tt.wantCode, tt.wantInside)
			}
		})
	}
}

// Two unit squares side by side, A=[0,1]x[0,1] and B=[1,2]x[0,1] in lon/lat,
// sharing the edge lon=1; B is a MultiPolygon with a second square far away.
const twoSquares = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"B","name":"Bee"},"geometry":{"type":"MultiPolygon","coordinates":[
  [[[1,0],[2,0],[2,1],[1,1],[1,0]]],
  [[[10,10],[11,10],[11,11],[10,11],[10,10]]]]}},
{"type":"Feature","properties":{"code":"A","name":"Ay","extra":1},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}
]}`

func TestLocateSynthetic(t *testing.T) {
	ix, err := LoadStates(strings.NewReader(twoSquares))
	if err != nil {
		t.Fatal(err)
	}
	if got := ix.States(); len(got) != 2 || got[0].Code != "A" || got[1].Code != "B" {
		t.Fatalf("States() = %+v, want A then B", got)
	}
	tests := []struct {
		name       string
		lat, lon   float64
		wantCode   string
		wantInside bool
	}{
		{"inside A", 0.5, 0.5, "A", true},
		{"inside B", 0.5, 1.5, "B", true},
		{"second part of B", 10.5, 10.5, "B", true},
		{"on the shared edge goes to the lower code", 0.5, 1, "A", true},
		// West of A by 0.1° of longitude at lat 0.5 (≈ 11.1 km): nearest is A.
		{"outside, nearest A", 0.5, -0.1, "A", false},
		// East of B by 0.1°: nearest is B (A is 1.1° away).
		{"outside, nearest B", 0.5, 2.1, "B", false},
		// Near B's far square: B again, through its second polygon.
		{"outside, nearest far B", 12, 12, "B", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, inside := ix.Locate(tt.lat, tt.lon)
			if code != tt.wantCode || inside != tt.wantInside {
				t.Errorf("Locate(%v, %v) = %s, %v; want %s, %v", tt.lat, tt.lon, code, inside, tt.wantCode, tt.wantInside)
			}
		})
	}
}

func TestLocateNaN(t *testing.T) {
	ix := mxStates(t)
	if code, inside := ix.Locate(math.NaN(), -99); code != "" || inside {
		t.Errorf("Locate(NaN, -99) = %q, %v; want \"\", false", code, inside)
	}
}

func TestMultiPolygonDistanceKm(t *testing.T) {
	ix, err := LoadStates(strings.NewReader(twoSquares))
	if err != nil {
		t.Fatal(err)
	}
	a := ix.States()[0].Geometry
	// 0.1° of longitude at latitude 0.5° is R·π/180·0.1·cos(0.5°) = 11.1191 km;
	// 0.1° of latitude below the square is 11.1195 km.
	tests := []struct {
		lat, lon, want float64
	}{
		{0.5, -0.1, 11.1191},
		{-0.1, 0.5, 11.1195},
		// Inside: the nearest edges are the meridians 0.5° of longitude away,
		// 55.5975·cos(0.5°) = 55.5954 km (the parallels are 55.5975 km away).
		{0.5, 0.5, 55.5954},
	}
	for _, tt := range tests {
		got := multiPolygonDistanceKm(a, tt.lat, tt.lon)
		if d := got - tt.want; d > 0.001 || d < -0.001 {
			t.Errorf("distance from (%v,%v) = %.4f km, want %.4f", tt.lat, tt.lon, got, tt.want)
		}
	}
}

func TestLoadStatesErrors(t *testing.T) {
	poly := `"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}`
	tests := []struct {
		name, in, wantErr string
	}{
		{"not json", `{`, "parse states"},
		{"not a collection", `{"type":"Feature"}`, "not a feature collection"},
		{"empty", `{"type":"FeatureCollection","features":[]}`, "no features"},
		{"missing code", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},` + poly + `}]}`, "features[0]: missing property code"},
		{"missing name", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"X"},` + poly + `}]}`, "features[0] (X): missing property name"},
		{"duplicate", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"X","name":"x"},` + poly + `},{"type":"Feature","properties":{"code":"X","name":"y"},` + poly + `}]}`, "features[1]: duplicate code X"},
		{"point", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"X","name":"x"},"geometry":{"type":"Point","coordinates":[0,0]}}]}`, "must be Polygon or MultiPolygon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadStates(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("LoadStates error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func BenchmarkLocate(b *testing.B) {
	ix := mxStates(b)
	for b.Loop() {
		ix.Locate(19.35638, -99.65724)
	}
}

func TestWithin(t *testing.T) {
	ix, err := LoadStates(strings.NewReader(twoSquares))
	if err != nil {
		t.Fatal(err)
	}
	// One degree of latitude is about 111 km.
	tests := []struct {
		name     string
		lat, lon float64
		km       float64
		want     bool
	}{
		{"inside A", 0.5, 0.5, 0, true},
		{"inside B's second polygon", 10.5, 10.5, 0, true},
		{"5 km south of A, tolerance 10", -0.045, 0.5, 10, true},
		{"5 km south of A, tolerance 2", -0.045, 0.5, 2, false},
		{"far away", 5, 5, 10, false},
		{"NaN", math.NaN(), 0.5, 10, false},
	}
	for _, tt := range tests {
		if got := ix.Within(tt.lat, tt.lon, tt.km); got != tt.want {
			t.Errorf("%s: Within = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestContainsMatchesOrb pins StateIndex.contains, which Locate and Within
// use instead of planar.MultiPolygonContains for speed, to orb's answer on
// points spread over Mexico's outlines, islands and lakes included.
func TestContainsMatchesOrb(t *testing.T) {
	ix := mxStates(t)
	rng := rand.New(rand.NewPCG(13, 2009))
	for n := 0; n < 6000; n++ {
		pt := orb.Point{-118 + 32*rng.Float64(), 14 + 19*rng.Float64()}
		if n%3 > 0 {
			// A vertex, or a point on a vertex's meridian: the cases
			// where rayIntersect finds the point on an edge or nudges it.
			s := ix.states[rng.IntN(len(ix.states))]
			p := s.Geometry[rng.IntN(len(s.Geometry))]
			r := p[rng.IntN(len(p))]
			pt = r[rng.IntN(len(r))]
			if n%3 == 2 {
				pt[1] += (rng.Float64() - 0.5) * 0.2
			}
		}
		for i, s := range ix.states {
			if got, want := ix.contains(i, pt), planar.MultiPolygonContains(s.Geometry, pt); got != want {
				t.Fatalf("contains(%s, %v) = %v, orb says %v", s.Code, pt, got, want)
			}
		}
	}
}

// BenchmarkWithin: the "in Mexico" test of every registry row.
func BenchmarkWithin(b *testing.B) {
	ix := mxStates(b)
	for b.Loop() {
		ix.Within(16.75, -93.12, 5) // Tuxtla Gutiérrez, in the 27th state of 32
	}
}

// TestOutlineDistanceMatches pins locate's pruned distance to the outline
// to multiPolygonDistanceKm: the same value whenever it is below the best
// so far, and never below the best otherwise.
func TestOutlineDistanceMatches(t *testing.T) {
	ix := mxStates(t)
	rng := rand.New(rand.NewPCG(17, 2009))
	for n := 0; n < 300; n++ {
		lat, lon := 13+21*rng.Float64(), -119+34*rng.Float64()
		best := math.Inf(1)
		if n%2 == 1 {
			best = 200 * rng.Float64()
		}
		for i, s := range ix.states {
			want := multiPolygonDistanceKm(s.Geometry, lat, lon)
			got := ix.outlineDistanceKm(i, lat, lon, best)
			if (want < best && got != want) || (want >= best && got < best) {
				t.Fatalf("%s at (%v, %v), best %v: %v, want %v", s.Code, lat, lon, best, got, want)
			}
		}
	}
}
