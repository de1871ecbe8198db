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
	ix     *SiteIndex
	km     float64
	raster *capRaster // nil: the mask cannot answer (poles, antimeridian, odd input)
}

func newCoverMask(ix *SiteIndex, km float64) *coverMask {
	m := &coverMask{ix: ix, km: km}
	if ix == nil || !(km >= 0) || math.IsInf(km, 0) || len(ix.sites) == 0 {
		return m
	}
	// Cells half the cap's height: each point meets a few candidate
	// sites, each ruled out by its box before any trigonometry, and the
	// raster stays small (tens of thousands of cells for Mexico).
	if r, ok := newCapRaster(ix, func(int) float64 { return km }, km/2, 1<<18); ok {
		m.raster = r
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
	sites, ok := m.raster.candidates(lat, lon)
	if !ok {
		return false, false
	}
	cosLat := math.NaN() // computed for the first site whose box holds the point
	for _, j := range sites {
		if !m.raster.boxes[j].holds(lat, lon) {
			continue
		}
		if math.IsNaN(cosLat) {
			cosLat = math.Cos(lat * degToRad)
		}
		s := &m.ix.sites[j]
		if haversineKm(lat, lon, cosLat, s.Lat, s.Lon, m.ix.cosLat[j]) <= m.km {
			return true, true
		}
	}
	return false, true
}
