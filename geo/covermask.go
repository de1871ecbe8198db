package geo

import "math"

// coverMask answers AnyWithin for one distance km over many points (the
// places of a gap report) from a capRaster of the sites' caps of radius
// km. A point in an empty cell, or outside the raster, is farther than
// km from every site, with no trigonometry: half the places of the 2009
// campaign are far from all its cities. For the rest only the sites whose
// box holds the point are measured, with the same haversine distance, so
// answers do not change; per-point grid searches were most of the cost of
// a plan's gap report.
type coverMask struct {
	ix             *SiteIndex
	km             float64
	within, inside float64    // chord2Within(km), chord2Inside(km)
	raster         *capRaster // nil: the mask cannot answer (poles, antimeridian, odd input)
	sure           []bool     // by cell: some site is surely within km of every point of it
}

func newCoverMask(ix *SiteIndex, km float64) *coverMask {
	m := &coverMask{ix: ix, km: km, within: chord2Within(km), inside: chord2Inside(km)}
	if ix == nil || !(km >= 0) || math.IsInf(km, 0) || len(ix.sites) == 0 {
		return m
	}
	// Cells half the cap's height, and at most 64 a site: each point
	// meets a few candidate sites, each ruled out by its box before any
	// trigonometry; cells near a site lie wholly within km of it (sure);
	// and the raster, which is scanned whole to mark those, stays small
	// (a few thousand cells for the 2009 campaign's 70 cities).
	r, ok := newCapRaster(ix, func(int) float64 { return km }, km/2, 64*len(ix.sites)+4096)
	if !ok {
		return m
	}
	m.raster, m.sure = r, make([]bool, len(r.start)-1)
	centres := r.cellCentres()
	// A point of the cell is within rho of its centre (chords), so when
	// the centre is within sqrt(chord2Inside(km)) - rho of a site, by
	// the triangle inequality every point is surely within km of it.
	limit := math.Sqrt(math.Max(chord2Inside(km), 0)) - centres.rho - 1e-9
	for c := range m.sure {
		sites := r.items[r.start[c]:r.start[c+1]]
		if len(sites) == 0 || limit <= 0 {
			continue
		}
		centre := centres.at(c)
		for _, j := range sites {
			if chord(&centre, &ix.unit[j]) <= limit {
				m.sure[c] = true
				break
			}
		}
	}
	return m
}

// anyWithin is SiteIndex.AnyWithin(lat, lon, km) for the mask's km; ok
// is false when the mask cannot answer and the caller must ask the index.
// A site within km (by haversine) has the point inside its box, so the
// point's cell lists it; the box test only spares the distance of sites
// clearly too far.
func (m *coverMask) anyWithin(lat, lon float64) (within, ok bool) {
	if m.raster == nil {
		return false, false
	}
	// The cell once, for its candidates and its sure flag.
	c, ok := m.raster.cellAt(lat, lon)
	if !ok {
		return false, false
	}
	if c < 0 {
		return false, true
	}
	sites := m.raster.items[m.raster.start[c]:m.raster.start[c+1]]
	if len(sites) > 0 && m.sure[c] {
		return true, true
	}
	// Chords (the point's unit vector computed for the first site whose
	// box holds it) settle most sites: surely within km, or surely beyond,
	// by the margins AnyWithin's own pre-filter uses; haversine decides
	// the few in between.
	started := false
	var q [3]float64
	for _, j := range sites {
		if !m.raster.boxes[j].holds(lat, lon) {
			continue
		}
		if !started {
			started, q = true, unitVector(lat, lon)
		}
		u := &m.ix.unit[j]
		dx, dy, dz := q[0]-u[0], q[1]-u[1], q[2]-u[2]
		switch c2 := dx*dx + dy*dy + dz*dz; {
		case c2 <= m.inside:
			return true, true
		case c2 > m.within:
			continue
		}
		s := &m.ix.sites[j]
		if haversineKm(lat, lon, math.Cos(lat*degToRad), s.Lat, s.Lon, m.ix.cosLat[j]) <= m.km {
			return true, true
		}
	}
	return false, true
}
