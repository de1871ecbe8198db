package geo

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// State is one federal entity: its ISO 3166-2 code (e.g. "MX-CHP"), its
// short Spanish name and its outline in WGS84 lon/lat.
type State struct {
	Code     string
	Name     string
	Geometry orb.MultiPolygon
}

// StateIndex answers "which state is this point in?" for the state
// polygons it was loaded with. It is read-only after LoadStates and safe
// for concurrent use.
type StateIndex struct {
	states []State          // sorted by code
	bounds []orb.Bound      // bounds[i] is the bound of states[i]
	rings  [][][]*ringIndex // rings[i][j][k] indexes ring k of polygon j of states[i]

	// located remembers answers of Locate: the index lives as long as the
	// server and every plan of a campaign locates the same cities again,
	// each a walk of thousands of outline points. Bounded by maxLocated.
	located  sync.Map // [2]float64{lat, lon} -> located
	nLocated atomic.Int64
}

type located struct {
	code   string
	inside bool
}

const maxLocated = 1 << 16

// stateProps are the feature properties LoadStates needs; others (hasc,
// geonames_admin1) are ignored.
type stateProps struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// LoadStates reads a GeoJSON FeatureCollection of state outlines such as
// assets/geo/mx_states.geojson: every feature needs the string properties
// "code" and "name" and a Polygon or MultiPolygon geometry. It fails on
// malformed JSON, an empty collection, a missing code or name, a duplicate
// code or any other geometry type, naming the feature at fault.
func LoadStates(r io.Reader) (*StateIndex, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read states: %w", err)
	}
	var fc geojson.FeatureCollectionOf[stateProps]
	if err := fc.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("parse states: %w", err)
	}
	if len(fc.Features) == 0 {
		return nil, fmt.Errorf("parse states: no features")
	}
	ix := &StateIndex{}
	seen := make(map[string]bool, len(fc.Features))
	for i, f := range fc.Features {
		code, name := f.Properties.Code, f.Properties.Name
		switch {
		case code == "":
			return nil, fmt.Errorf("parse states: features[%d]: missing property code", i)
		case name == "":
			return nil, fmt.Errorf("parse states: features[%d] (%s): missing property name", i, code)
		case seen[code]:
			return nil, fmt.Errorf("parse states: features[%d]: duplicate code %s", i, code)
		}
		seen[code] = true
		var mp orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		default:
			return nil, fmt.Errorf("parse states: features[%d] (%s): geometry must be Polygon or MultiPolygon, got %T", i, code, f.Geometry)
		}
		if len(mp) == 0 {
			return nil, fmt.Errorf("parse states: features[%d] (%s): empty geometry", i, code)
		}
		ix.states = append(ix.states, State{Code: code, Name: name, Geometry: mp})
	}
	slices.SortFunc(ix.states, func(a, b State) int { return cmp.Compare(a.Code, b.Code) })
	ix.bounds = make([]orb.Bound, len(ix.states))
	ix.rings = make([][][]*ringIndex, len(ix.states))
	for i, s := range ix.states {
		ix.bounds[i] = s.Geometry.Bound()
		ix.rings[i] = make([][]*ringIndex, len(s.Geometry))
		for j, p := range s.Geometry {
			for _, r := range p {
				ix.rings[i][j] = append(ix.rings[i][j], newRingIndex(r, r.Bound()))
			}
		}
	}
	return ix, nil
}

// contains is planar.MultiPolygonContains(ix.states[i].Geometry, pt)
// with each ring's bound computed once (a state has dozens of island
// polygons, and computing their bounds per point was most of the cost of
// placing a city) and its edges bucketed by longitude (ringIndex), so a
// point tests a handful of edges instead of the whole outline.
func (ix *StateIndex) contains(i int, pt orb.Point) bool {
	for j, p := range ix.states[i].Geometry {
		if len(p) == 0 || !ix.rings[i][j][0].contains(pt) {
			continue
		}
		inHole := false
		for k := 1; k < len(p) && !inHole; k++ {
			inHole = ix.rings[i][j][k].contains(pt)
		}
		if !inHole {
			return true
		}
	}
	return false
}

// States returns the states sorted by code. The slice is a copy; the
// geometries are shared and must not be modified.
func (ix *StateIndex) States() []State {
	return slices.Clone(ix.states)
}

// Locate returns the code of the state whose polygon contains the point
// (inside = true). Natural Earth's 1:10m outlines are generalised by a few
// km, so coastal and border towns (Coatzacoalcos, Ciudad del Carmen) can
// fall outside every polygon; those get the state whose outline is nearest
// (inside = false) rather than no state at all. Points on a shared border,
// or in the slivers where two generalised outlines overlap, go to the lower
// state code. code is "" only for an empty index or a NaN coordinate.
func (ix *StateIndex) Locate(lat, lon float64) (code string, inside bool) {
	key := [2]float64{lat, lon}
	if v, ok := ix.located.Load(key); ok {
		l := v.(located)
		return l.code, l.inside
	}
	code, inside = ix.locate(lat, lon)
	if !math.IsNaN(lat) && !math.IsNaN(lon) && ix.nLocated.Add(1) <= maxLocated {
		ix.located.Store(key, located{code, inside})
	}
	return code, inside
}

// LocateUncached is Locate without its memo, for points that will not be
// asked again (a plan's unassigned venues, by the hundred thousand): the
// same answer, without a memo look-up per point or tens of thousands of
// entries that only crowd out the cities the memo is for.
func (ix *StateIndex) LocateUncached(lat, lon float64) (code string, inside bool) {
	return ix.locate(lat, lon)
}

func (ix *StateIndex) locate(lat, lon float64) (code string, inside bool) {
	pt := orb.Point{lon, lat}
	for i, s := range ix.states {
		if ix.bounds[i].Contains(pt) && ix.contains(i, pt) {
			return s.Code, true
		}
	}
	best, bestKm := -1, math.Inf(1)
	for i := range ix.states {
		// The distance to the bound box is a lower bound of the distance
		// to the outline: skip states that cannot beat the best so far.
		if boundDistanceKm(ix.bounds[i], lat, lon) >= bestKm {
			continue
		}
		if d := ix.outlineDistanceKm(i, lat, lon, bestKm); d < bestKm {
			best, bestKm = i, d
		}
	}
	if best < 0 {
		return "", false
	}
	return ix.states[best].Code, false
}

// Within reports whether the point is inside a state's polygon or at most
// km from one's outline: the test for "in Mexico" of a registry row, with
// a tolerance for the few kilometres by which the generalised outlines
// miss coastal and border venues. A NaN coordinate is never within.
func (ix *StateIndex) Within(lat, lon, km float64) bool {
	if lat != lat || lon != lon {
		return false
	}
	pt := orb.Point{lon, lat}
	for i := range ix.states {
		if ix.bounds[i].Contains(pt) && ix.contains(i, pt) {
			return true
		}
	}
	for i, s := range ix.states {
		if boundDistanceKm(ix.bounds[i], lat, lon) <= km && multiPolygonDistanceKm(s.Geometry, lat, lon) <= km {
			return true
		}
	}
	return false
}

// outlineDistanceKm is multiPolygonDistanceKm(ix.states[i].Geometry, lat,
// lon) when that is below best, and some value at least best otherwise:
// rings whose bound is already at best or farther are skipped, as locate
// skips whole states, since none of their edges can come nearer. A coastal
// venue just off the outline then measures a few rings, not every island.
func (ix *StateIndex) outlineDistanceKm(i int, lat, lon, best float64) float64 {
	p := newLocalPlane(lat, lon)
	d := math.Inf(1)
	for j, poly := range ix.states[i].Geometry {
		for k, ring := range poly {
			if boundDistanceKm(ix.rings[i][j][k].bound, lat, lon) >= math.Min(best, d) {
				continue
			}
			for n := 0; n+1 < len(ring); n++ {
				d = math.Min(d, p.segmentDistance(ring[n], ring[n+1]))
			}
			if n := len(ring); n > 1 && ring[0] != ring[n-1] {
				d = math.Min(d, p.segmentDistance(ring[n-1], ring[0]))
			}
		}
	}
	return d
}
