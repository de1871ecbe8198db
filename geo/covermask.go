package geo

import "math"

// coverMask answers AnyWithin for one distance km over many points (the
// places of a gap report) from a lat/lon raster: each cell lists the
// sites whose cap of radius km (its bounding box, widened as
// visitWithin's) overlaps the cell. A point in an empty cell, or outside
// the raster, is farther than km from every site, with no trigonometry:
// half the places of the 2009 campaign are far from all its cities. For
// the rest only the sites whose box holds the point are measured, with
// the same haversine distance, so answers do not change; per-point grid
// searches were most of the cost of a plan's gap report.
type coverMask struct {
	all            bool // the mask cannot answer (poles, antimeridian, odd input)
	ix             *SiteIndex
	km             float64
	minLat, minLon float64
	maxLat, maxLon float64
	cell           float64 // degrees
	rows, cols     int
	start, items   []int32 // cell c lists sites items[start[c]:start[c+1]]
	boxes          []capBox
}

// capBox bounds the points within km of a site, in degrees.
type capBox struct{ lat0, lat1, lon0, lon1 float64 }

// maxMaskCells bounds the raster (a megabyte) whatever the radius.
const maxMaskCells = 1 << 20

func newCoverMask(ix *SiteIndex, km float64) *coverMask {
	m := &coverMask{all: true, ix: ix, km: km}
	if ix == nil || !(km >= 0) || math.IsInf(km, 0) || len(ix.sites) == 0 {
		return m
	}
	// The cap's bound as visitWithin computes it, widened once more.
	delta := km/EarthRadiusKm*(1+1e-9) + 1e-12
	if delta >= math.Pi/2 {
		return m
	}
	boxes := make([]capBox, len(ix.sites))
	m.minLat, m.minLon, m.maxLat, m.maxLon = 90, 180, -90, -180
	for i, s := range ix.sites {
		if math.IsNaN(s.Lat) || math.IsNaN(s.Lon) {
			return m
		}
		lat := math.Max(-90, math.Min(90, s.Lat))
		phi := lat * degToRad
		dLat := delta/degToRad*(1+1e-6) + 1e-6
		sinRatio := math.Sin(delta) / math.Cos(phi)
		if lat-dLat <= -90 || lat+dLat >= 90 || !(sinRatio < 1) {
			return m // the cap reaches a pole: every longitude
		}
		dLon := math.Asin(sinRatio)/degToRad*(1+1e-6) + 1e-6
		lon := ix.lon[i]
		if lon-dLon < -180 || lon+dLon > 180 {
			return m // crosses the antimeridian
		}
		b := capBox{lat - dLat, lat + dLat, lon - dLon, lon + dLon}
		boxes[i] = b
		m.minLat, m.maxLat = math.Min(m.minLat, b.lat0), math.Max(m.maxLat, b.lat1)
		m.minLon, m.maxLon = math.Min(m.minLon, b.lon0), math.Max(m.maxLon, b.lon1)
	}
	spanLat, spanLon := m.maxLat-m.minLat, m.maxLon-m.minLon
	// A quarter of the cap's height per cell keeps the marked area close
	// to the caps' own.
	m.cell = math.Max(delta/degToRad/4, 1e-6)
	if cells := (spanLat/m.cell + 1) * (spanLon/m.cell + 1); cells > maxMaskCells {
		m.cell *= math.Sqrt(cells / maxMaskCells)
	}
	m.rows, m.cols = int(spanLat/m.cell)+1, int(spanLon/m.cell)+1
	m.start = make([]int32, m.rows*m.cols+1)
	m.eachCell(boxes, func(c, _ int) { m.start[c+1]++ })
	for c := 1; c < len(m.start); c++ {
		m.start[c] += m.start[c-1]
	}
	m.items = make([]int32, m.start[len(m.start)-1])
	fill := append([]int32(nil), m.start[:len(m.start)-1]...)
	m.eachCell(boxes, func(c, site int) { // ascending sites: each cell lists them in index order
		m.items[fill[c]] = int32(site)
		fill[c]++
	})
	m.boxes, m.all = boxes, false
	return m
}

// eachCell calls f with every (cell, site) pair whose box overlaps the cell.
func (m *coverMask) eachCell(boxes []capBox, f func(cell, site int)) {
	for i, b := range boxes {
		r0, r1 := m.row(b.lat0), m.row(b.lat1)
		c0, c1 := m.col(b.lon0), m.col(b.lon1)
		for r := r0; r <= r1; r++ {
			for c := c0; c <= c1; c++ {
				f(r*m.cols+c, i)
			}
		}
	}
}

// row and col use one formula for marking and for looking up, so a point
// inside a box always lands in a cell the box marked.
func (m *coverMask) row(lat float64) int {
	return clampInt(int(math.Floor((lat-m.minLat)/m.cell)), 0, m.rows-1)
}

func (m *coverMask) col(lon float64) int {
	return clampInt(int(math.Floor((lon-m.minLon)/m.cell)), 0, m.cols-1)
}

// anyWithin is SiteIndex.AnyWithin(lat, lon, km) for the mask's km; ok
// is false when the mask cannot answer and the caller must ask the index.
// A site within km (by haversine) has the point inside its box, so the
// point's cell lists it; the box test only spares the distance of sites
// clearly too far.
func (m *coverMask) anyWithin(lat, lon float64) (within, ok bool) {
	if m.all || !(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90) {
		return false, false // NaN and unwrapped longitudes go to the index
	}
	if lat < m.minLat || lat > m.maxLat || lon < m.minLon || lon > m.maxLon {
		return false, true
	}
	c := m.row(lat)*m.cols + m.col(lon)
	cosLat := math.NaN() // computed for the first site whose box holds the point
	for _, j := range m.items[m.start[c]:m.start[c+1]] {
		b := &m.boxes[j]
		if lat < b.lat0 || lat > b.lat1 || lon < b.lon0 || lon > b.lon1 {
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
