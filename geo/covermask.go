package geo

import "math"

// coverMask is a coarse raster of where some site may lie within km: a
// lat/lon grid whose marked cells cover every site's cap of radius km
// (its bounding box, widened as visitWithin's). A point in an unmarked
// cell, or outside the grid, is farther than km from every site, so
// UncoveredPopulation can say so without trigonometry: most places of a
// campaign with few cities are far from all of them, and the exact search
// (anyWithin) was most of the cost of a plan's gap report. Points the mask
// cannot rule out still get the exact search, so answers do not change.
type coverMask struct {
	all            bool // the mask rules nothing out (poles, antimeridian, odd input)
	minLat, minLon float64
	maxLat, maxLon float64
	cell           float64 // degrees
	rows, cols     int
	marked         []bool
}

// maxMaskCells bounds the raster (a megabyte) whatever the radius.
const maxMaskCells = 1 << 20

func newCoverMask(ix *SiteIndex, km float64) *coverMask {
	m := &coverMask{all: true}
	if ix == nil || !(km >= 0) || math.IsInf(km, 0) || len(ix.sites) == 0 {
		return m
	}
	// The cap's bound as visitWithin computes it, widened once more.
	delta := km/EarthRadiusKm*(1+1e-9) + 1e-12
	if delta >= math.Pi/2 {
		return m
	}
	type box struct{ lat0, lat1, lon0, lon1 float64 }
	boxes := make([]box, len(ix.sites))
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
		b := box{lat - dLat, lat + dLat, lon - dLon, lon + dLon}
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
	m.marked = make([]bool, m.rows*m.cols)
	for _, b := range boxes {
		r0, r1 := m.row(b.lat0), m.row(b.lat1)
		c0, c1 := m.col(b.lon0), m.col(b.lon1)
		for r := r0; r <= r1; r++ {
			row := m.marked[r*m.cols : (r+1)*m.cols]
			for c := c0; c <= c1; c++ {
				row[c] = true
			}
		}
	}
	m.all = false
	return m
}

// row and col use one formula for marking and for looking up, so a point
// inside a box always lands in a cell the box marked.
func (m *coverMask) row(lat float64) int {
	return clampInt(int(math.Floor((lat-m.minLat)/m.cell)), 0, m.rows-1)
}

func (m *coverMask) col(lon float64) int {
	return clampInt(int(math.Floor((lon-m.minLon)/m.cell)), 0, m.cols-1)
}

// mayCover reports whether some site may lie within km of (lat, lon);
// false means certainly none does.
func (m *coverMask) mayCover(lat, lon float64) bool {
	if m.all || !(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90) {
		return true // NaN and unwrapped longitudes go to the exact search
	}
	if lat < m.minLat || lat > m.maxLat || lon < m.minLon || lon > m.maxLon {
		return false
	}
	return m.marked[m.row(lat)*m.cols+m.col(lon)]
}
