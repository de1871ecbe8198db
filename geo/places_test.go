package geo

import (
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/reparto/reparto/assets"
)

var loadMXPlaces = sync.OnceValues(func() ([]Place, error) {
	states, err := loadMXStates()
	if err != nil {
		return nil, err
	}
	f, err := assets.FS.Open("geo/mx_places.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return LoadPlaces(f, states)
})

func mxPlaces(t testing.TB) []Place {
	t.Helper()
	places, err := loadMXPlaces()
	if err != nil {
		t.Fatalf("load assets/geo/mx_places.csv: %v", err)
	}
	return places
}

func TestLoadPlacesMexico(t *testing.T) {
	places := mxPlaces(t)
	if len(places) != 8715 {
		t.Fatalf("got %d places, want 8715 (data README)", len(places))
	}
	// First row of the file (sorted by population).
	want := Place{GeonamesID: 3530597, Name: "Mexico City", State: "MX-CMX", Lat: 19.42847, Lon: -99.12766, Population: 12294193, GeonamesState: "MX-CMX"}
	if places[0] != want {
		t.Errorf("places[0] = %+v, want %+v", places[0], want)
	}
	for _, p := range places {
		if p.State == "" {
			t.Errorf("%d %s has no state", p.GeonamesID, p.Name)
		}
	}
}

// TestLoadPlacesFixesGeonamesStates checks every admin1_likely_wrong row of
// the check file (testdata/README.md): LoadPlaces must give the polygon's
// state, not GeoNames'. Rows outside all polygons get the nearest outline,
// which is their GeoNames state (all are within 2.3 km of it, per the data
// README) except for La Gloria, Chiapas (3816757) on the Mar Muerto coast:
// it is 2.12 km from Chiapas' outline but 1.86 km from Oaxaca's (checked
// with an independent script sampling every nearby edge by haversine).
func TestLoadPlacesFixesGeonamesStates(t *testing.T) {
	nearerOther := map[int64]string{3816757: "MX-OAX"}
	byID := make(map[int64]Place)
	for _, p := range mxPlaces(t) {
		byID[p.GeonamesID] = p
	}
	rows := readCheckFile(t)
	var wrong, outside int
	for _, r := range rows {
		id, _ := strconv.ParseInt(r["geonames_id"], 10, 64)
		p, ok := byID[id]
		if !ok {
			t.Errorf("%d %s missing from places", id, r["name"])
			continue
		}
		var want string
		switch r["verdict"] {
		case "admin1_likely_wrong":
			wrong++
			want = r["polygon_state_code"]
		case "outside_all_polygons":
			outside++
			want = r["state_code"]
			if other, ok := nearerOther[id]; ok {
				want = other
			}
		default:
			continue
		}
		if p.State != want {
			t.Errorf("%d %s (%s): State = %s, want %s", id, p.Name, r["verdict"], p.State, want)
		}
		if p.GeonamesState != r["state_code"] {
			t.Errorf("%d %s: GeonamesState = %s, want %s", id, p.Name, p.GeonamesState, r["state_code"])
		}
	}
	if wrong != 135 || outside != 36 {
		t.Errorf("check file has %d admin1_likely_wrong and %d outside_all_polygons rows, want 135 and 36", wrong, outside)
	}
}

// readCheckFile reads testdata/mx_places_state_check.csv as maps keyed by
// column name.
func readCheckFile(t *testing.T) []map[string]string {
	t.Helper()
	f, err := os.Open("testdata/mx_places_state_check.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		row := make(map[string]string, len(rec))
		for i, v := range rec {
			row[recs[0][i]] = v
		}
		rows = append(rows, row)
	}
	return rows
}

func TestLoadPlacesErrors(t *testing.T) {
	states, err := LoadStates(strings.NewReader(twoSquares))
	if err != nil {
		t.Fatal(err)
	}
	const header = "geonames_id,name,state_code,state_name,lat,lon,population\n"
	tests := []struct {
		name, in, wantErr string
	}{
		{"empty", "", "header"},
		{"missing column", "geonames_id,name,state_code,lat,lon\n", "missing column population"},
		{"bad id", header + "x,A,A,Ay,0.5,0.5,1000\n", "line 2: geonames_id"},
		{"bad lat", header + "1,A,A,Ay,91,0.5,1000\n", "line 2: lat"},
		{"NaN lon", header + "1,A,A,Ay,0.5,NaN,1000\n", "line 2: lon"},
		{"negative population", header + "1,A,A,Ay,0.5,0.5,-1\n", "line 2: population"},
		{"duplicate", header + "1,A,A,Ay,0.5,0.5,1\n1,B,B,Bee,0.5,1.5,1\n", "line 3: duplicate geonames_id 1"},
		{"short row", header + "1,A,A\n", "load places"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadPlaces(strings.NewReader(tt.in), states)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("LoadPlaces error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
	if _, err := LoadPlaces(strings.NewReader(header), nil); err == nil {
		t.Error("LoadPlaces with nil states: want an error")
	}
}

func TestLoadPlacesColumnOrder(t *testing.T) {
	states, err := LoadStates(strings.NewReader(twoSquares))
	if err != nil {
		t.Fatal(err)
	}
	in := "population,lon,lat,name,geonames_id,state_code\n2500,1.5,0.5,Villa B,7,A\n"
	got, err := LoadPlaces(strings.NewReader(in), states)
	if err != nil {
		t.Fatal(err)
	}
	want := Place{GeonamesID: 7, Name: "Villa B", State: "B", Lat: 0.5, Lon: 1.5, Population: 2500, GeonamesState: "A"}
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %+v, want [%+v]", got, want)
	}
}
