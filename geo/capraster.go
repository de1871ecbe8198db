package geo

import "math"

// capRaster lists, for each cell of a lat/lon grid, the sites whose cap
// (the points within a given radius of the site) may reach the cell: the
// cap's bounding box, as visitWithin computes it and widened once more,
// overlaps the cell. Every point within a site's radius therefore finds
// that site in its own cell's list, and a query reads one cell instead of
// searching the cells of the largest radius around it: with 2,500 cities
// of 10 to 25 km, a venue meets a handful of candidates, most ruled out
// by their box before any trigonometry.
type capRaster struct {
	minLat, minLon float64
	maxLat, maxLon float64
	cell           float64 // degrees
	rows, cols     int
	start, items   []int32  // cell c lists sites items[start[c]:start[c+1]], ascending
	boxes          []capBox // by site; sites that never match have none
}

// capBox bounds, in degrees, the points within a site's radius.
type capBox struct{ lat0, lat1, lon0, lon1 float64 }

func (b *capBox) holds(lat, lon float64) bool {
	return lat >= b.lat0 && lat <= b.lat1 && lon >= b.lon0 && lon <= b.lon1
}

// newCapRaster builds the raster of ix's sites with radius(i) km each;
// sites with a negative or NaN radius are left out (nothing lies within
// them). ok is false when a cap reaches a pole or crosses the
// antimeridian (boxes would need wrapping; the callers' grid searches
// handle those), or a site's coordinate is NaN. cellKm is the cell side;
// the raster is coarsened to at most maxCells cells.
func newCapRaster(ix *SiteIndex, radius func(i int) float64, cellKm float64, maxCells int) (r *capRaster, ok bool) {
	r = &capRaster{boxes: make([]capBox, len(ix.sites))}
	r.minLat, r.minLon, r.maxLat, r.maxLon = 90, 180, -90, -180
	any := false
	for i, s := range ix.sites {
		if math.IsNaN(s.Lat) || math.IsNaN(s.Lon) {
			return nil, false
		}
		km := radius(i)
		if !(km >= 0) {
			r.boxes[i] = capBox{1, -1, 1, -1} // holds nothing
			continue
		}
		delta := km/EarthRadiusKm*(1+1e-9) + 1e-12 // radians, as visitWithin
		if delta >= math.Pi/2 {
			return nil, false
		}
		lat := math.Max(-90, math.Min(90, s.Lat))
		dLat := delta/degToRad*(1+1e-6) + 1e-6
		sinRatio := math.Sin(delta) / math.Cos(lat*degToRad)
		if lat-dLat <= -90 || lat+dLat >= 90 || !(sinRatio < 1) {
			return nil, false // the cap holds a pole: every longitude
		}
		dLon := math.Asin(sinRatio)/degToRad*(1+1e-6) + 1e-6
		lon := ix.lon[i]
		if lon-dLon < -180 || lon+dLon > 180 {
			return nil, false
		}
		b := capBox{lat - dLat, lat + dLat, lon - dLon, lon + dLon}
		r.boxes[i], any = b, true
		r.minLat, r.maxLat = math.Min(r.minLat, b.lat0), math.Max(r.maxLat, b.lat1)
		r.minLon, r.maxLon = math.Min(r.minLon, b.lon0), math.Max(r.maxLon, b.lon1)
	}
	if !any {
		r.minLat, r.maxLat, r.minLon, r.maxLon = 1, -1, 1, -1 // no cell holds anything
		r.rows, r.cols, r.cell, r.start = 1, 1, 1, make([]int32, 2)
		return r, true
	}
	spanLat, spanLon := r.maxLat-r.minLat, r.maxLon-r.minLon
	r.cell = math.Max(cellKm/kmPerDegLat, 1e-6)
	if cells := (spanLat/r.cell + 1) * (spanLon/r.cell + 1); cells > float64(maxCells) {
		r.cell *= math.Sqrt(cells / float64(maxCells))
	}
	r.rows, r.cols = int(spanLat/r.cell)+1, int(spanLon/r.cell)+1
	r.start = make([]int32, r.rows*r.cols+1)
	r.eachCell(func(c, _ int) { r.start[c+1]++ })
	for c := 1; c < len(r.start); c++ {
		r.start[c] += r.start[c-1]
	}
	r.items = make([]int32, r.start[len(r.start)-1])
	fill := append([]int32(nil), r.start[:len(r.start)-1]...)
	r.eachCell(func(c, site int) {
		r.items[fill[c]] = int32(site)
		fill[c]++
	})
	return r, true
}

// eachCell calls f with every (cell, site) pair whose box overlaps the
// cell, sites ascending.
func (r *capRaster) eachCell(f func(cell, site int)) {
	for i := range r.boxes {
		b := &r.boxes[i]
		if b.lat0 > b.lat1 {
			continue
		}
		r0, r1 := r.row(b.lat0), r.row(b.lat1)
		c0, c1 := r.col(b.lon0), r.col(b.lon1)
		for row := r0; row <= r1; row++ {
			for c := c0; c <= c1; c++ {
				f(row*r.cols+c, i)
			}
		}
	}
}

// row and col use one formula for building and for looking up, so a
// point inside a box always lands in a cell that lists the box's site.
func (r *capRaster) row(lat float64) int {
	return clampInt(int(math.Floor((lat-r.minLat)/r.cell)), 0, r.rows-1)
}

func (r *capRaster) col(lon float64) int {
	return clampInt(int(math.Floor((lon-r.minLon)/r.cell)), 0, r.cols-1)
}

// candidates returns the sites whose box may hold (lat, lon): a superset
// of the sites whose cap does. ok is false for a NaN or out-of-range
// coordinate (unwrapped longitudes included), which the caller must
// search otherwise.
func (r *capRaster) candidates(lat, lon float64) (sites []int32, ok bool) {
	c, ok := r.cellAt(lat, lon)
	if c < 0 {
		return nil, ok
	}
	return r.items[r.start[c]:r.start[c+1]], true
}

// cellAt is the raster cell holding the point, -1 outside the raster (no
// candidates); ok is false, as for candidates, for impossible coordinates.
func (r *capRaster) cellAt(lat, lon float64) (c int, ok bool) {
	if !(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90) {
		return -1, false
	}
	if lat < r.minLat || lat > r.maxLat || lon < r.minLon || lon > r.maxLon {
		return -1, true
	}
	return r.row(lat)*r.cols + r.col(lon), true
}

// pruneDominated drops from each cell the sites that can never be
// Nearest's answer for a point of that cell. Where some site k surely
// covers the whole cell (every point within k's radius, by the margins
// of chord2Inside), a site j whose chord to every point of the cell
// clearly exceeds k's (by the margin with which Nearest skips sites
// farther than its best) is farther than k from each point, never as
// near: k, or a site nearer still, always beats it. Chords are Euclidean,
// so the triangle inequality bounds them over the cell from its centre:
// a point of the cell is within rho of the centre (along a meridian, then
// a parallel). In a city with dozens of places as campaign cities, a venue
// then meets a few candidates instead of all of them.
func (r *capRaster) pruneDominated(ix *SiteIndex) {
	centres := r.cellCentres()
	rho := centres.rho
	start := make([]int32, len(r.start))
	kept := r.items[:0] // compacted in place: never ahead of the reading
	var chords []float64
	for c := range len(r.start) - 1 {
		start[c] = int32(len(kept))
		list := r.items[r.start[c]:r.start[c+1]]
		if len(list) < 2 {
			kept = append(kept, list...)
			continue
		}
		centre := centres.at(c)
		best := math.Inf(1) // the farthest chord from the cell of the best surely covering site
		chords = chords[:0]
		for _, j := range list {
			u := &ix.unit[j]
			dx, dy, dz := centre[0]-u[0], centre[1]-u[1], centre[2]-u[2]
			ch := math.Sqrt(dx*dx + dy*dy + dz*dz)
			chords = append(chords, ch)
			if in := ix.inside[j]; in >= 0 && ch+rho <= math.Sqrt(in)-1e-9 {
				best = math.Min(best, ch+rho)
			}
		}
		limit := best*(1+1e-6) + 1e-9
		for n, j := range list {
			if chords[n]-rho <= limit {
				kept = append(kept, j)
			}
		}
	}
	start[len(start)-1] = int32(len(kept))
	r.start, r.items = start, kept
}

// cellCentres gives the unit vector of each cell's centre, from the sines
// and cosines of the rows' and columns' centres (no trigonometry per
// cell), and rho, a bound on the chord from a cell's centre to any of its
// points: at most half a cell along a meridian, then half a cell along a
// parallel (shorter than the same angle along the equator), widened.
type cellCentres struct {
	cols                           int
	rowSin, rowCos, colSin, colCos []float64
	rho                            float64
}

func (r *capRaster) cellCentres() cellCentres {
	cc := cellCentres{cols: r.cols, rho: r.cell*degToRad*(1+1e-6) + 1e-12}
	cc.rowSin, cc.rowCos = make([]float64, r.rows), make([]float64, r.rows)
	for row := range r.rows {
		cc.rowSin[row], cc.rowCos[row] = math.Sincos((r.minLat + (float64(row)+0.5)*r.cell) * degToRad)
	}
	cc.colSin, cc.colCos = make([]float64, r.cols), make([]float64, r.cols)
	for c := range r.cols {
		cc.colSin[c], cc.colCos[c] = math.Sincos((r.minLon + (float64(c)+0.5)*r.cell) * degToRad)
	}
	return cc
}

func (cc *cellCentres) at(cell int) [3]float64 {
	row, col := cell/cc.cols, cell%cc.cols
	return [3]float64{cc.rowCos[row] * cc.colCos[col], cc.rowCos[row] * cc.colSin[col], cc.rowSin[row]}
}

// chord is the straight-line distance between two unit vectors.
func chord(a, b *[3]float64) float64 {
	dx, dy, dz := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return math.Sqrt(dx*dx + dy*dy + dz*dz)
}
