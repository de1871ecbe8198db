package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// ringIndex answers planar.RingContains for one ring by testing only the
// edges that can matter. RingContains casts a ray from the point and
// counts the edges it crosses (or finds the point on one); an edge whose
// longitude span does not include the point's longitude neither crosses
// nor holds it (rayIntersect answers false, false), so the ring's edges
// are bucketed into longitude bands and a point tests only its band's.
// A state outline has thousands of edges and a band a handful; the parity
// and the on-edge answer do not depend on the order of the edges, so the
// answer is RingContains' own (TestContainsMatchesOrb).
type ringIndex struct {
	ring       orb.Ring
	bound      orb.Bound
	minX, band float64 // band width in degrees
	start      []int32 // band b holds edges edges[start[b]:start[b+1]]
	edges      []int32 // edge i: ring[i]→ring[i+1]; edge n-1: ring[0]→ring[n-1] (RingContains' first)
}

func newRingIndex(r orb.Ring, bound orb.Bound) *ringIndex {
	ri := &ringIndex{ring: r, bound: bound, minX: bound.Min[0]}
	n := len(r)
	bands := max(1, n/4)
	ri.band = (bound.Max[0] - bound.Min[0]) / float64(bands)
	if !(ri.band > 0) {
		bands, ri.band = 1, 1
	}
	ri.start = make([]int32, bands+1)
	each := func(f func(band int, edge int32)) {
		for i := range n {
			s, e := ri.edge(i)
			b0, b1 := ri.bandOf(math.Min(s[0], e[0]), bands), ri.bandOf(math.Max(s[0], e[0]), bands)
			if math.IsNaN(s[0]) || math.IsNaN(e[0]) {
				b0, b1 = 0, bands-1 // rayIntersect's comparisons all fail: it may count anywhere
			}
			for b := b0; b <= b1; b++ {
				f(b, int32(i))
			}
		}
	}
	each(func(b int, _ int32) { ri.start[b+1]++ })
	for b := 1; b < len(ri.start); b++ {
		ri.start[b] += ri.start[b-1]
	}
	ri.edges = make([]int32, ri.start[bands])
	fill := append([]int32(nil), ri.start[:bands]...)
	each(func(b int, i int32) {
		ri.edges[fill[b]] = i
		fill[b]++
	})
	return ri
}

// edge returns edge i's endpoints in the order RingContains passes them.
func (ri *ringIndex) edge(i int) (s, e orb.Point) {
	if i == len(ri.ring)-1 {
		return ri.ring[0], ri.ring[i]
	}
	return ri.ring[i], ri.ring[i+1]
}

// bandOf is the band of longitude x: one formula for building and for
// looking up, so an edge spanning x is in x's band.
func (ri *ringIndex) bandOf(x float64, bands int) int {
	return clampInt(int(math.Floor((x-ri.minX)/ri.band)), 0, bands-1)
}

// contains is planar.RingContains(ri.ring, pt).
func (ri *ringIndex) contains(pt orb.Point) bool {
	if !ri.bound.Contains(pt) {
		return false
	}
	b := ri.bandOf(pt[0], len(ri.start)-1)
	c := false
	for _, i := range ri.edges[ri.start[b]:ri.start[b+1]] {
		s, e := ri.edge(int(i))
		inter, on := rayIntersect(pt, s, e)
		if on {
			return true
		}
		if inter {
			c = !c
		}
	}
	return c
}

// rayIntersect is orb/planar's (github.com/paulmach/orb, MIT licence),
// copied as is because it is unexported: RingContains' answers depend on
// its every comparison, so ringIndex must make the same ones.
func rayIntersect(p, s, e orb.Point) (intersects, on bool) {
	if s[0] > e[0] {
		s, e = e, s
	}

	switch p[0] {
	case s[0]:
		if p[1] == s[1] {
			// p == start
			return false, true
		} else if s[0] == e[0] {
			// vertical segment (s -> e)
			// return true if within the line, check to see if start or end is greater.
			if s[1] > e[1] && s[1] >= p[1] && p[1] >= e[1] {
				return false, true
			}

			if e[1] > s[1] && e[1] >= p[1] && p[1] >= s[1] {
				return false, true
			}
		}

		// Move the y coordinate to deal with degenerate case
		p[0] = math.Nextafter(p[0], math.Inf(1))
	case e[0]:
		if p[1] == e[1] {
			// matching the end point
			return false, true
		}

		p[0] = math.Nextafter(p[0], math.Inf(1))
	}

	if p[0] < s[0] || p[0] > e[0] {
		return false, false
	}

	if s[1] > e[1] {
		if p[1] > s[1] {
			return false, false
		} else if p[1] < e[1] {
			return true, false
		}
	} else {
		if p[1] > e[1] {
			return false, false
		} else if p[1] < s[1] {
			return true, false
		}
	}

	rs := (p[1] - s[1]) / (p[0] - s[0])
	ds := (e[1] - s[1]) / (e[0] - s[0])

	if rs == ds {
		return false, true
	}

	return rs <= ds, false
}
