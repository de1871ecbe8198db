package geo

import (
	"math"
	"sync"
	"sync/atomic"
)

// Site is a campaign city as a venue-assignment target: venues within
// RadiusKm of the city's point may be assigned to it (docs/planning.md#venue-assignment).
type Site struct {
	Code     string
	Lat, Lon float64
	RadiusKm float64
}

// SiteIndex finds the campaign city a venue belongs to without comparing
// every venue with every city: sites are bucketed in a lat/lon grid and a
// query looks only at the cells that the largest radius can reach, then
// measures exact haversine distances (the same numbers as DistanceKm).
// It is read-only after NewSiteIndex and safe for concurrent use.
type SiteIndex struct {
	sites  []Site
	lon    []float64    // sites' longitudes wrapped into [-180, 180]
	cosLat []float64    // cos of each site's latitude, for haversineKm
	unit   [][3]float64 // each site as a unit vector, for the chord pre-filter
	chord2 []float64    // squared chord of each site's radius, widened against rounding
	inside []float64    // squared chord of each site's radius, narrowed: surely within below it
	maxR   float64      // largest RadiusKm; negative when no site can match
	grid   siteGrid

	// own is the raster of the sites' own caps (RadiusKm each), built
	// once Nearest has been asked more than rasterAfter times: assigning
	// a million venues then reads one cell each instead of searching the
	// cells the largest radius reaches, while a campaign with a few
	// venues by coordinates, or an index that never assigns (coverage,
	// nearest city of a gap), does not pay for building it. nil until
	// then, and when the raster cannot be used; Nearest searches grid.
	ownOnce    sync.Once
	own        atomic.Pointer[capRaster]
	ownQueries atomic.Int64
}

// rasterAfter is the number of Nearest queries after which building the
// raster pays off: building it costs about what a few grid searches per
// site do, and every query after it saves most of one.
func (ix *SiteIndex) rasterAfter() int64 { return 4*int64(len(ix.sites)) + 1024 }

// ownRaster returns the raster of the sites' own caps once enough
// queries were made, building it once; nil before and when unusable.
func (ix *SiteIndex) ownRaster() *capRaster {
	if r := ix.own.Load(); r != nil {
		return r
	}
	if ix.ownQueries.Add(1) <= ix.rasterAfter() {
		return nil
	}
	ix.buildOwnRaster()
	return ix.own.Load()
}

func (ix *SiteIndex) buildOwnRaster() {
	ix.ownOnce.Do(func() {
		// Cells an eighth of the largest radius: small enough that a cell
		// lies well inside the caps of the cities near it, so that
		// pruneDominated can drop the cities that never win there; at most
		// 512 cells a site keeps the raster to a few megabytes.
		r, ok := newCapRaster(ix, func(i int) float64 { return ix.sites[i].RadiusKm },
			ix.maxR/8, 512*len(ix.sites)+1024)
		if ok {
			r.pruneDominated(ix)
			ix.own.Store(r)
		}
	})
}

// NewSiteIndex indexes sites. Indices returned by Nearest and NearestAny
// are positions in sites. The slice is copied. A site whose radius is
// negative or NaN never matches Nearest.
func NewSiteIndex(sites []Site) *SiteIndex {
	ix := &SiteIndex{
		sites:  append([]Site(nil), sites...),
		lon:    make([]float64, len(sites)),
		cosLat: make([]float64, len(sites)),
		unit:   make([][3]float64, len(sites)),
		chord2: make([]float64, len(sites)),
		inside: make([]float64, len(sites)),
		maxR:   -1,
	}
	lat := make([]float64, len(sites))
	for i, s := range sites {
		lat[i] = math.Max(-90, math.Min(90, s.Lat))
		ix.lon[i] = wrapLon(s.Lon)
		ix.cosLat[i] = math.Cos(s.Lat * degToRad)
		ix.unit[i] = unitVector(s.Lat, s.Lon)
		ix.chord2[i] = chord2Within(s.RadiusKm)
		ix.inside[i] = chord2Inside(s.RadiusKm)
		if s.RadiusKm > ix.maxR { // false for NaN
			ix.maxR = s.RadiusKm
		}
	}
	ix.grid = newSiteGrid(lat, ix.lon, math.Max(ix.maxR, 0))
	return ix
}

// unitVector is the point on the unit sphere at (lat, lon) degrees.
// Only the chord pre-filters use it, with margins far above rounding,
// so Sincos (one argument reduction for both) serves.
func unitVector(lat, lon float64) [3]float64 {
	sinPhi, cosPhi := math.Sincos(lat * degToRad)
	sinLambda, cosLambda := math.Sincos(lon * degToRad)
	return [3]float64{cosPhi * cosLambda, cosPhi * sinLambda, sinPhi}
}

// chord2Inside is chord2Within's counterpart: a squared chord at or below
// it is surely within km by haversine too, the margins as wide. -1 for
// NaN and negative radii (nothing is surely within them).
func chord2Inside(km float64) float64 {
	if !(km >= 0) {
		return -1
	}
	half := math.Min(km/EarthRadiusKm/2, math.Pi/2)
	c := 2 * math.Sin(half)
	return c*c*(1-1e-6) - 1e-12
}

// chord2Within is the squared chord length of a great-circle distance of
// km on the unit sphere, widened by a relative and an absolute margin far
// above float64 rounding, so the pre-filter never drops a site that the
// exact haversine comparison would keep. NaN and negative radii give -1
// (nothing passes).
func chord2Within(km float64) float64 {
	if !(km >= 0) {
		return -1
	}
	half := math.Min(km/EarthRadiusKm/2, math.Pi/2)
	c := 2 * math.Sin(half)
	return c*c*(1+1e-6) + 1e-12
}

// wrapLon brings a longitude into [-180, 180], leaving valid ones as is.
func wrapLon(lon float64) float64 {
	if lon >= -180 && lon <= 180 {
		return lon
	}
	return lon - 360*math.Floor((lon+180)/360)
}

// Len is the number of indexed sites.
func (ix *SiteIndex) Len() int { return len(ix.sites) }

// Site returns the i-th site as given to NewSiteIndex.
func (ix *SiteIndex) Site(i int) Site { return ix.sites[i] }

// Nearest returns the index of the nearest site whose own RadiusKm is at
// least its great-circle distance to (lat, lon), ties going to the lower
// Code in byte order (then to the lower index); ok is false when the point
// is within no site's radius. This is docs/planning.md#venue-assignment.
func (ix *SiteIndex) Nearest(lat, lon float64) (i int, ok bool) {
	if math.IsNaN(lat) || math.IsNaN(lon) || ix.maxR < 0 {
		return -1, false
	}
	n := nearestSearch{best: -1, bestKm: math.Inf(1), bestC2: math.Inf(1)}
	if r := ix.ownRaster(); r != nil {
		if sites, ok := r.candidates(lat, lon); ok {
			if j, ok := ix.clearNearest(r, sites, lat, lon, &n); ok {
				return j, j >= 0
			}
			for _, j := range sites {
				if r.boxes[j].holds(lat, lon) {
					n.visit(ix, lat, lon, j)
				}
			}
			return n.best, n.best >= 0
		}
	}
	ix.grid.visitWithin(lat, lon, ix.maxR, func(j int32) { n.visit(ix, lat, lon, j) })
	return n.best, n.best >= 0
}

// clearNearest settles Nearest from chords alone when the answer is
// clear, as it is for most venues: every site whose radius holds the
// point is listed in its raster cell (its box rules out most of the
// others for free), the nearest by chord is surely within its radius
// (chord2Inside) and every other candidate is clearly farther, by the
// same margin Nearest uses to skip sites farther than its best. That site
// is then the nearest within its radius, ties impossible, with no
// haversine at all. ok is false when it is not clear (two sites about as
// near, a point near a radius); n then has the query's unit vector and
// Nearest decides on haversine distances as before. j is -1 when no site
// can hold the point.
func (ix *SiteIndex) clearNearest(r *capRaster, sites []int32, lat, lon float64, n *nearestSearch) (j int, ok bool) {
	first, c2First, c2Second := -1, math.Inf(1), math.Inf(1)
	for _, j := range sites {
		if !r.boxes[j].holds(lat, lon) {
			continue
		}
		if !n.started {
			n.started, n.cosLat, n.q = true, math.Cos(lat*degToRad), unitVector(lat, lon)
		}
		u := &ix.unit[j]
		dx, dy, dz := n.q[0]-u[0], n.q[1]-u[1], n.q[2]-u[2]
		c2 := dx*dx + dy*dy + dz*dz
		switch {
		case c2 > ix.chord2[j]: // surely beyond its radius
		case c2 < c2First:
			first, c2First, c2Second = int(j), c2, c2First
		case c2 < c2Second: // (no NaN here: the raster holds finite sites and points)
			c2Second = c2
		}
	}
	if first < 0 {
		return -1, true
	}
	if c2First <= ix.inside[first] && c2Second > c2First*(1+1e-6)+1e-12 {
		return first, true
	}
	return -1, false
}

// nearestSearch is Nearest's state: the best site so far, its distance
// and chord, and the query's cosine and unit vector, computed on the
// first site visited (a venue far from every city then costs no
// trigonometry).
type nearestSearch struct {
	started bool
	cosLat  float64
	q       [3]float64
	best    int
	bestKm  float64
	bestC2  float64
}

// visit considers site j. The result does not depend on the order in
// which sites are visited, only on visiting every site within its radius.
func (n *nearestSearch) visit(ix *SiteIndex, lat, lon float64, j int32) {
	if !n.started {
		n.started, n.cosLat, n.q = true, math.Cos(lat*degToRad), unitVector(lat, lon)
	}
	s := &ix.sites[j]
	// The straight-line (chord) distance between unit vectors grows
	// with the great-circle distance and costs three multiplications,
	// so it skips the trigonometry for sites clearly out of reach and
	// for sites clearly farther than the best so far. Both bounds are
	// widened far beyond float rounding: every decision that matters
	// (within the radius, nearer, a tie) is made on haversine distances.
	u := &ix.unit[j]
	dx, dy, dz := n.q[0]-u[0], n.q[1]-u[1], n.q[2]-u[2]
	c2 := dx*dx + dy*dy + dz*dz
	if c2 > ix.chord2[j] || c2 > n.bestC2*(1+1e-6)+1e-12 {
		return
	}
	d := haversineKm(lat, lon, n.cosLat, s.Lat, s.Lon, ix.cosLat[j])
	if d <= s.RadiusKm && ix.better(int(j), d, n.best, n.bestKm) {
		n.best, n.bestKm, n.bestC2 = int(j), d, c2
	}
}

// NearestAny returns the index of the nearest site and its distance in km,
// whatever the radii (how far an uncovered place is from the campaign),
// ties as in Nearest; i is -1 and km +Inf when the index is empty or a
// coordinate is NaN.
func (ix *SiteIndex) NearestAny(lat, lon float64) (i int, km float64) {
	seed := ix.grid.anyNear(lat, lon)
	if seed < 0 || math.IsNaN(lat) || math.IsNaN(lon) {
		return -1, math.Inf(1)
	}
	cosLat := math.Cos(lat * degToRad)
	s := &ix.sites[seed]
	best := int(seed)
	bestKm := haversineKm(lat, lon, cosLat, s.Lat, s.Lon, ix.cosLat[seed])
	// Every site nearer than the seed lies in the cap of radius bestKm.
	ix.grid.visitWithin(lat, lon, bestKm, func(j int32) {
		s := &ix.sites[j]
		if math.Abs(s.Lat-lat)*kmPerDegLat > bestKm*(1+1e-9)+1e-9 {
			return
		}
		d := haversineKm(lat, lon, cosLat, s.Lat, s.Lon, ix.cosLat[j])
		if ix.better(int(j), d, best, bestKm) {
			best, bestKm = int(j), d
		}
	})
	return best, bestKm
}

// AnyWithin reports whether some site lies within km (great-circle, as
// DistanceKm) of (lat, lon), whatever the sites' own radii. It searches only
// the cells km can reach, so it costs far less than NearestAny for points
// far from every site.
func (ix *SiteIndex) AnyWithin(lat, lon, km float64) bool {
	hint := int32(-1)
	return ix.anyWithin(lat, lon, km, &hint)
}

// anyWithin is AnyWithin trying site *hint first (when >= 0) and leaving
// in *hint the site it found. Neighbouring points are mostly covered by
// the same site: coverage walks thousands of places and this spares most
// of them the grid search. The answer is the same: the grid search visits
// every site within km, and a site is tested by the same two steps.
func (ix *SiteIndex) anyWithin(lat, lon, km float64, hint *int32) bool {
	if math.IsNaN(lat) || math.IsNaN(lon) || !(km >= 0) {
		return false
	}
	cosLat := math.Cos(lat * degToRad)
	q := unitVector(lat, lon)
	limit := chord2Within(km)
	within := func(j int32) bool {
		u := &ix.unit[j]
		dx, dy, dz := q[0]-u[0], q[1]-u[1], q[2]-u[2]
		if dx*dx+dy*dy+dz*dz > limit {
			return false
		}
		s := &ix.sites[j]
		return haversineKm(lat, lon, cosLat, s.Lat, s.Lon, ix.cosLat[j]) <= km
	}
	if h := *hint; h >= 0 && int(h) < len(ix.sites) && within(h) {
		return true
	}
	found := false
	ix.grid.visitWithin(lat, lon, km, func(j int32) {
		if !found && within(j) {
			found, *hint = true, j
		}
	})
	return found
}

// better reports whether site j at distance d beats the current best:
// nearer, or as near with a lower code, or the same code and a lower index.
func (ix *SiteIndex) better(j int, d float64, best int, bestKm float64) bool {
	switch {
	case best < 0 || d < bestKm:
		return true
	case d > bestKm:
		return false
	case ix.sites[j].Code != ix.sites[best].Code:
		return ix.sites[j].Code < ix.sites[best].Code
	default:
		return j < best
	}
}
