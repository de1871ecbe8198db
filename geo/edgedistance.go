package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// localPlane projects lon/lat degrees onto a plane tangent at (lat0, lon0)
// in km (equirectangular: x scaled by cos(lat0)). Over the few tens of km
// that matter for the nearest-state fallback its error is far below the
// few-km generalisation of the outlines themselves.
type localPlane struct{ lat0, lon0, kx, ky float64 }

func newLocalPlane(lat0, lon0 float64) localPlane {
	ky := EarthRadiusKm * degToRad
	return localPlane{lat0: lat0, lon0: lon0, kx: ky * math.Cos(lat0*degToRad), ky: ky}
}

func (p localPlane) xy(pt orb.Point) (x, y float64) {
	return (pt[0] - p.lon0) * p.kx, (pt[1] - p.lat0) * p.ky
}

// segmentDistance is the distance in km from the plane's origin to the
// segment a-b.
func (p localPlane) segmentDistance(a, b orb.Point) float64 {
	ax, ay := p.xy(a)
	bx, by := p.xy(b)
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l2))
	}
	return math.Hypot(ax+t*dx, ay+t*dy)
}

// multiPolygonDistanceKm is the distance in km from a point to the nearest
// edge of mp (outer rings and holes alike).
func multiPolygonDistanceKm(mp orb.MultiPolygon, lat, lon float64) float64 {
	p := newLocalPlane(lat, lon)
	best := math.Inf(1)
	for _, poly := range mp {
		for _, ring := range poly {
			for i := 0; i+1 < len(ring); i++ {
				best = math.Min(best, p.segmentDistance(ring[i], ring[i+1]))
			}
			if n := len(ring); n > 1 && ring[0] != ring[n-1] {
				best = math.Min(best, p.segmentDistance(ring[n-1], ring[0]))
			}
		}
	}
	return best
}

// boundDistanceKm is a lower bound, in the same local plane, of the
// distance from a point to anything inside b (0 when the point is in b).
func boundDistanceKm(b orb.Bound, lat, lon float64) float64 {
	p := newLocalPlane(lat, lon)
	nearest := orb.Point{
		math.Max(b.Min[0], math.Min(lon, b.Max[0])),
		math.Max(b.Min[1], math.Min(lat, b.Max[1])),
	}
	x, y := p.xy(nearest)
	return math.Hypot(x, y)
}
