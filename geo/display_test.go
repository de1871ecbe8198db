package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func vertices(mp orb.MultiPolygon) (n int) {
	for _, p := range mp {
		for _, r := range p {
			n += len(r)
		}
	}
	return n
}

// The simplified outlines must still look like the states (their boxes
// within a couple of tolerances of the full ones), be far lighter to draw,
// and leave the full outlines that Locate uses untouched.
func TestDisplayStatesMexico(t *testing.T) {
	ix := mxStates(t)
	full := ix.States()
	before := make([]int, len(full))
	for i, s := range full {
		before[i] = vertices(s.Geometry)
	}
	disp := ix.DisplayStates(DisplayTolerance)
	if len(disp) != len(full) {
		t.Fatalf("DisplayStates: %d states, want %d", len(disp), len(full))
	}
	var nFull, nDisp int
	for i, d := range disp {
		f := full[i]
		if d.Code != f.Code || d.Name != f.Name {
			t.Errorf("state %d: %s %q, want %s %q", i, d.Code, d.Name, f.Code, f.Name)
		}
		if got := vertices(f.Geometry); got != before[i] {
			t.Errorf("%s: full outline changed from %d to %d points", f.Code, before[i], got)
		}
		fb, db := f.Geometry.Bound(), d.Geometry.Bound()
		for _, pair := range [][2]float64{{fb.Min[0], db.Min[0]}, {fb.Min[1], db.Min[1]}, {fb.Max[0], db.Max[0]}, {fb.Max[1], db.Max[1]}} {
			if math.Abs(pair[0]-pair[1]) > 2*DisplayTolerance {
				t.Errorf("%s: bound %v moved to %v (more than %g°)", f.Code, fb, db, 2*DisplayTolerance)
				break
			}
		}
		for j, p := range d.Geometry {
			for k, r := range p {
				if len(r) < 4 || !r.Closed() {
					t.Errorf("%s: polygon %d ring %d: %d points, closed %v", d.Code, j, k, len(r), r.Closed())
				}
			}
		}
		nFull += before[i]
		nDisp += vertices(d.Geometry)
	}
	t.Logf("vertices: %d full, %d for display", nFull, nDisp)
	// Natural Earth's 1:10m outlines are already generalised: about 40 %
	// of their points are more than 1 km off a straight line.
	if nDisp*2 > nFull {
		t.Errorf("display outlines keep %d of %d points, want at most half", nDisp, nFull)
	}
	// Locate still answers from the full outlines: a point that only the
	// simplified outline would move stays where it was.
	if code, inside := ix.Locate(21.1619, -86.8515); code != "MX-ROO" || !inside { // Cancún
		t.Errorf("Locate(Cancún) = %s, %v after DisplayStates", code, inside)
	}
}

func TestSimplifyForDisplay(t *testing.T) {
	square := func(x, y, side float64) orb.Ring {
		return orb.Ring{{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}, {x, y}}
	}
	// A square edge with a wiggle much smaller than the tolerance.
	wiggly := orb.Ring{{0, 0}, {0.5, 0.001}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	tests := []struct {
		name     string
		in       orb.MultiPolygon
		polygons int
		rings    []int // rings of each polygon kept
		points   []int // points of each ring kept, in order
	}{
		{"wiggle removed", orb.MultiPolygon{{wiggly}}, 1, []int{1}, []int{5}},
		{"tiny island dropped", orb.MultiPolygon{{square(0, 0, 1)}, {square(5, 5, 0.001)}}, 1, []int{1}, []int{5}},
		{"tiny hole dropped", orb.MultiPolygon{{square(0, 0, 1), square(0.5, 0.5, 0.001)}}, 1, []int{1}, []int{5}},
		{"island with its hole dropped", orb.MultiPolygon{{square(0, 0, 0.005), square(0.001, 0.001, 0.001)}}, 0, nil, nil},
		{"large hole kept", orb.MultiPolygon{{square(0, 0, 1), square(0.25, 0.25, 0.5)}}, 1, []int{2}, []int{5, 5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := orb.Clone(tc.in).(orb.MultiPolygon)
			got := SimplifyForDisplay(in, 0.01)
			if !orb.Equal(in, tc.in) {
				t.Errorf("input modified: %v", in)
			}
			if len(got) != tc.polygons {
				t.Fatalf("%d polygons, want %d: %v", len(got), tc.polygons, got)
			}
			var pts []int
			for i, p := range got {
				if len(p) != tc.rings[i] {
					t.Errorf("polygon %d: %d rings, want %d", i, len(p), tc.rings[i])
				}
				for _, r := range p {
					pts = append(pts, len(r))
				}
			}
			if len(pts) != len(tc.points) {
				t.Fatalf("ring sizes %v, want %v", pts, tc.points)
			}
			for i := range pts {
				if pts[i] != tc.points[i] {
					t.Errorf("ring sizes %v, want %v", pts, tc.points)
					break
				}
			}
		})
	}
}
