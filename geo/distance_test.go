package geo

import (
	"math"
	"testing"
)

// TestDistanceKm checks haversine against distances known from geometry
// alone: arcs along a meridian or the equator are R·Δθ, a quarter meridian
// is R·π/2 and antipodes are R·π apart. Values are worked out by hand with
// R = 6371.0088 km.
func TestDistanceKm(t *testing.T) {
	const r = 6371.0088
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want                   float64
	}{
		{"same point", 19.4326, -99.1332, 19.4326, -99.1332, 0},
		{"one degree of latitude", 0, 0, 1, 0, r * math.Pi / 180},
		{"one degree of longitude at the equator", 0, -99, 0, -98, r * math.Pi / 180},
		{"one degree along a meridian in Mexico", 19, -99, 20, -99, 111.19508}, // R·π/180 to 0.01 m
		{"equator to pole", 0, 0, 90, 0, r * math.Pi / 2},
		{"quarter of the equator", 0, 0, 0, 90, r * math.Pi / 2},
		{"antipodes", 0, 0, 0, 180, r * math.Pi},
		{"antipodes off the equator", 19.4326, -99.1332, -19.4326, 80.8668, r * math.Pi},
		{"across the antimeridian", 0, 179.5, 0, -179.5, r * math.Pi / 180},
		// Two points on the parallel 60°N one degree apart: the chord of the
		// parallel (radius R·cos60° = R/2) is R·sin(0.5°) = 2R·sin(θ/2), so the central
		// angle is 2·asin(sin(0.5°)/2) — a little less than the 55.6 km
		// walked along the parallel.
		{"one degree of longitude at 60N", 60, 10, 60, 11, 2 * r * math.Asin(math.Sin(0.5*math.Pi/180)/2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DistanceKm(tt.lat1, tt.lon1, tt.lat2, tt.lon2)
			if math.Abs(got-tt.want) > 1e-4 { // 0.1 m
				t.Errorf("DistanceKm(%v,%v,%v,%v) = %.6f, want %.6f", tt.lat1, tt.lon1, tt.lat2, tt.lon2, got, tt.want)
			}
			back := DistanceKm(tt.lat2, tt.lon2, tt.lat1, tt.lon1)
			if back != got {
				t.Errorf("not symmetric: %v vs %v", got, back)
			}
		})
	}
}

// TestDistanceKmLawOfCosines compares with the spherical law of cosines, an
// independent formula that agrees with haversine for points that are not
// very close together.
func TestDistanceKmLawOfCosines(t *testing.T) {
	pts := [][2]float64{
		{19.4326, -99.1332},   // Mexico City depot
		{14.9039, -92.2575},   // Tapachula
		{32.5027, -117.00371}, // Tijuana
		{21.16056, -86.8475},  // Cancún
		{25.67507, -100.31847},
	}
	for i, a := range pts {
		for j, b := range pts {
			if i == j {
				continue
			}
			p1, p2 := a[0]*math.Pi/180, b[0]*math.Pi/180
			dl := (b[1] - a[1]) * math.Pi / 180
			want := 6371.0088 * math.Acos(math.Sin(p1)*math.Sin(p2)+math.Cos(p1)*math.Cos(p2)*math.Cos(dl))
			if got := DistanceKm(a[0], a[1], b[0], b[1]); math.Abs(got-want) > 1e-6 {
				t.Errorf("%v→%v: haversine %.9f, law of cosines %.9f", a, b, got, want)
			}
		}
	}
}
