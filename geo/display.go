package geo

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// DisplayTolerance is the Douglas–Peucker tolerance, in degrees (about
// 1 km), of the outlines drawn on maps: at the zoom levels of a country
// map a kilometre is under a pixel or two, while the full outlines cost a
// phone about half a second of drawing. Point-in-polygon decisions never
// use the simplified outlines (see StateIndex.Locate).
const DisplayTolerance = 0.01

// SimplifyForDisplay returns a copy of mp simplified with Douglas–Peucker
// at tolerance (degrees); mp is left as it is. A ring that collapses below
// 4 points (a closed ring needs 3 distinct corners) is dropped, and with
// an outer ring goes its polygon, holes and all: tiny islands stay only
// if they survive. The result may be empty when every polygon collapses.
func SimplifyForDisplay(mp orb.MultiPolygon, tolerance float64) orb.MultiPolygon {
	dp := simplify.DouglasPeucker(tolerance)
	out := make(orb.MultiPolygon, 0, len(mp))
	for _, p := range mp {
		var sp orb.Polygon
		for j, r := range p {
			// Ring simplifies in place, hence the clone.
			sr := dp.Ring(r.Clone())
			if len(sr) < 4 {
				if j == 0 {
					break
				}
				continue
			}
			sp = append(sp, sr)
		}
		if len(sp) > 0 {
			out = append(out, sp)
		}
	}
	return out
}

// DisplayStates returns the states with outlines simplified for drawing
// (SimplifyForDisplay at tolerance), sorted by code like States. A state
// whose outline would vanish altogether keeps its full outline, so that
// no state is ever missing from a map.
func (ix *StateIndex) DisplayStates(tolerance float64) []State {
	out := ix.States()
	for i := range out {
		if g := SimplifyForDisplay(out[i].Geometry, tolerance); len(g) > 0 {
			out[i].Geometry = g
		}
	}
	return out
}
