package geo

import "math"

// siteGrid buckets site indices into square lat/lon cells over the sites'
// bounding box, in compressed-row form (cell c holds
// items[start[c]:start[c+1]]). Flat arrays rather than a tree: radii are
// similar across a campaign, so one cell size fits every query, and a
// query allocates nothing.
type siteGrid struct {
	minLat, minLon float64
	cell           float64 // cell side in degrees
	rows, cols     int
	start          []int32
	items          []int32
}

// kmPerDegLat is the length of one degree along a meridian.
const kmPerDegLat = EarthRadiusKm * degToRad

// newSiteGrid indexes points (lat, lon degrees; lon within [-180, 180]).
// The cell side is about the largest search radius so that a query box
// touches few cells, enlarged when that would make far more cells than
// sites (sites spread over a continent with tiny radii).
func newSiteGrid(lat, lon []float64, maxRadiusKm float64) siteGrid {
	g := siteGrid{minLat: 90, minLon: 180, rows: 1, cols: 1, cell: 1}
	maxLat, maxLon := -90.0, -180.0
	for i := range lat {
		g.minLat, maxLat = math.Min(g.minLat, lat[i]), math.Max(maxLat, lat[i])
		g.minLon, maxLon = math.Min(g.minLon, lon[i]), math.Max(maxLon, lon[i])
	}
	if len(lat) > 0 {
		spanLat, spanLon := maxLat-g.minLat, maxLon-g.minLon
		g.cell = math.Max(maxRadiusKm/kmPerDegLat, 0.01)
		if math.IsInf(g.cell, 0) || math.IsNaN(g.cell) {
			g.cell = 360
		}
		limit := 4*float64(len(lat)) + 16
		if cells := (spanLat/g.cell + 1) * (spanLon/g.cell + 1); cells > limit {
			g.cell *= math.Sqrt(cells / limit)
		}
		g.rows = int(spanLat/g.cell) + 1
		g.cols = int(spanLon/g.cell) + 1
	}
	g.start = make([]int32, g.rows*g.cols+1)
	cellOf := make([]int32, len(lat))
	for i := range lat {
		c := g.row(lat[i])*g.cols + g.col(lon[i])
		cellOf[i] = int32(c)
		g.start[c+1]++
	}
	for c := 1; c < len(g.start); c++ {
		g.start[c] += g.start[c-1]
	}
	g.items = make([]int32, len(lat))
	fill := append([]int32(nil), g.start[:len(g.start)-1]...)
	for i, c := range cellOf { // ascending i: each cell lists sites in input order
		g.items[fill[c]] = int32(i)
		fill[c]++
	}
	return g
}

func (g *siteGrid) row(lat float64) int {
	return clampInt(int(math.Floor((lat-g.minLat)/g.cell)), 0, g.rows-1)
}

func (g *siteGrid) col(lon float64) int {
	return clampInt(int(math.Floor((lon-g.minLon)/g.cell)), 0, g.cols-1)
}

func clampInt(v, lo, hi int) int {
	return max(lo, min(v, hi))
}

// visitWithin calls f with every site index in the cells that may hold a
// point within radiusKm of (lat, lon) — a superset of the sites within
// that great-circle distance. The box is the exact bound of the spherical
// cap (latitude ± δ; longitude ± asin(sin δ / cos φ), every longitude when
// the cap holds a pole; δ = radius / R) widened a little against rounding,
// and split in two when it crosses the antimeridian.
func (g *siteGrid) visitWithin(lat, lon, radiusKm float64, f func(i int32)) {
	if len(g.items) == 0 || !(radiusKm >= 0) {
		return
	}
	delta := radiusKm/EarthRadiusKm*(1+1e-9) + 1e-12 // radians
	if delta >= math.Pi/2 {
		g.visitRect(0, g.rows-1, 0, g.cols-1, f)
		return
	}
	phi := lat * degToRad
	latLo, latHi := (phi-delta)/degToRad, (phi+delta)/degToRad
	r0, r1 := int(math.Floor((latLo-g.minLat)/g.cell)), int(math.Floor((latHi-g.minLat)/g.cell))
	if r1 < 0 || r0 >= g.rows {
		return
	}
	r0, r1 = clampInt(r0, 0, g.rows-1), clampInt(r1, 0, g.rows-1)
	if latLo <= -90 || latHi >= 90 {
		g.visitRect(r0, r1, 0, g.cols-1, f)
		return
	}
	dLon := math.Asin(math.Min(1, math.Sin(delta)/math.Cos(phi)))/degToRad + 1e-9
	lo, hi := lon-dLon, lon+dLon
	if hi-lo >= 360 {
		g.visitRect(r0, r1, 0, g.cols-1, f)
		return
	}
	// Shift the interval so that it starts in [-180, 180), then visit it
	// and, when it runs past 180, its wrapped part from -180.
	shift := math.Floor((lo+180)/360) * 360
	lo, hi = lo-shift, hi-shift
	g.visitLon(r0, r1, lo, math.Min(hi, 180), f)
	if hi > 180 {
		g.visitLon(r0, r1, -180, hi-360, f)
	}
}

// visitLon visits the rows r0..r1 of the cells overlapping [lo, hi] in
// longitude.
func (g *siteGrid) visitLon(r0, r1 int, lo, hi float64, f func(i int32)) {
	c0, c1 := int(math.Floor((lo-g.minLon)/g.cell)), int(math.Floor((hi-g.minLon)/g.cell))
	if c1 < 0 || c0 >= g.cols {
		return
	}
	g.visitRect(r0, r1, clampInt(c0, 0, g.cols-1), clampInt(c1, 0, g.cols-1), f)
}

func (g *siteGrid) visitRect(r0, r1, c0, c1 int, f func(i int32)) {
	for r := r0; r <= r1; r++ {
		base := r * g.cols
		for _, i := range g.items[g.start[base+c0]:g.start[base+c1+1]] {
			f(i)
		}
	}
}

// anyNear returns the index of some site close to (lat, lon): the first
// site found scanning rings of cells outward from the point's (clamped)
// cell. It only seeds NearestAny's exact search; -1 when there are none.
func (g *siteGrid) anyNear(lat, lon float64) int32 {
	if len(g.items) == 0 {
		return -1
	}
	r, c := g.row(lat), g.col(lon)
	for k := 0; ; k++ {
		r0, r1, c0, c1 := r-k, r+k, c-k, c+k
		if r0 < 0 && c0 < 0 && r1 >= g.rows && c1 >= g.cols {
			return -1 // unreachable with len(items) > 0
		}
		for rr := max(r0, 0); rr <= min(r1, g.rows-1); rr++ {
			for cc := max(c0, 0); cc <= min(c1, g.cols-1); cc++ {
				if rr != r0 && rr != r1 && cc != c0 && cc != c1 {
					continue // inner cells were scanned in earlier rings
				}
				if cell := rr*g.cols + cc; g.start[cell] < g.start[cell+1] {
					return g.items[g.start[cell]]
				}
			}
		}
	}
}
