package geo

import (
	"fmt"
	"math"
	"slices"
)

// TourPoint is a place on a tour, in WGS84 degrees.
type TourPoint struct{ Lat, Lon float64 }

// TourOptions split a tour into working days (docs/planning.md#visiting-order).
// Zero means no limit; with both limits a day ends at whichever is reached
// first.
type TourOptions struct {
	MaxStopsPerDay int     // stops a team visits in a day
	MaxKmPerDay    float64 // great-circle km a team covers in a day
}

// TourStop is one stop of a tour.
type TourStop struct {
	Index int     // position of the point in the slice given to PlanTour
	Day   int     // 1, 2, …
	LegKm float64 // from the previous stop; from the start for the first
	AtKm  float64 // from the start along the route, this stop included
}

// TourDay is one working day of a tour: Stops[First:Last+1].
type TourDay struct {
	Day         int
	First, Last int     // positions in Tour.Stops
	Km          float64 // legs walked that day, the first from where the day before ended
	// OverKm says the day's only stop is farther than MaxKmPerDay from the
	// previous one: a day always visits at least one stop, so the route
	// never stalls, and the list shows the team that the day is long.
	OverKm bool
}

// Tour is a visiting order from a start point through every point once,
// without returning (docs/planning.md#visiting-order).
type Tour struct {
	Stops []TourStop
	Days  []TourDay
	Km    float64 // length of the route
	// NearestNeighbourKm is the length of the nearest-neighbour route the
	// improvement starts from; Km is never more.
	NearestNeighbourKm float64
}

// tourEpsilonKm is the least gain a move must bring: without it, moves
// that gain only rounding noise could undo each other for ever.
const tourEpsilonKm = 1e-7

// tourNeighbours is how many nearest points each point considers when
// looking for a better route: the moves that matter join near points,
// and looking further makes a 2,000-stop city slow for no gain.
const tourNeighbours = 10

// PlanTour orders pts as a route from start (docs/planning.md#visiting-order): the
// nearest-neighbour route, improved by 2-opt and Or-opt moves and
// shake-ups (see improve), on haversine distances. The route is open (it ends
// at its last stop) and is cut into days by opt. The result depends only
// on the input (ties go to the lower index), never on timing or maps. An
// error names the first invalid point or option.
func PlanTour(start TourPoint, pts []TourPoint, opt TourOptions) (Tour, error) {
	if err := checkTourInput(start, pts, opt); err != nil {
		return Tour{}, err
	}
	g := newTourGraph(start, pts)
	nn := g.nearestNeighbour()
	order := slices.Clone(nn)
	g.improve(order)
	nnKm, km := g.length(nn), g.length(order)
	if km > nnKm {
		// Cannot happen by construction (only moves that shorten the route
		// are made), but summing in another order could in principle differ
		// in the last bit; the promise "never longer" is kept regardless.
		order, km = nn, nnKm
	}
	t := Tour{Km: km, NearestNeighbourKm: nnKm, Stops: make([]TourStop, len(pts))}
	at := 0.0
	for p := 1; p < len(order); p++ {
		leg := g.dist(order[p-1], order[p])
		at += leg
		t.Stops[p-1] = TourStop{Index: int(order[p]) - 1, LegKm: leg, AtKm: at}
	}
	t.Days = SplitDays(t.Stops, opt)
	return t, nil
}

func checkTourInput(start TourPoint, pts []TourPoint, opt TourOptions) error {
	if opt.MaxStopsPerDay < 0 {
		return fmt.Errorf("max_stops_per_day: must be at least 0, got %d", opt.MaxStopsPerDay)
	}
	if !(opt.MaxKmPerDay >= 0) || math.IsInf(opt.MaxKmPerDay, 0) {
		return fmt.Errorf("max_km_per_day: must be a number at least 0, got %v", opt.MaxKmPerDay)
	}
	if !validPoint(start) {
		return fmt.Errorf("start: %v is not a latitude and longitude", start)
	}
	for i, p := range pts {
		if !validPoint(p) {
			return fmt.Errorf("points[%d]: %v is not a latitude and longitude", i, p)
		}
	}
	return nil
}

func validPoint(p TourPoint) bool {
	return p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180
}

// SplitDays cuts a route into days, in order: a stop joins the current day
// unless the day already has MaxStopsPerDay stops or its leg would take
// the day beyond MaxKmPerDay; then a new day starts with it. The first leg
// of a day is counted in that day: the team resumes where it stopped the
// day before. Cutting greedily gives the fewest days possible for the
// route. It sets each stop's Day and returns the days.
func SplitDays(stops []TourStop, opt TourOptions) []TourDay {
	var days []TourDay
	for p := range stops {
		leg := stops[p].LegKm
		if len(days) > 0 {
			d := &days[len(days)-1]
			n := d.Last - d.First + 1
			fits := (opt.MaxStopsPerDay == 0 || n < opt.MaxStopsPerDay) &&
				(opt.MaxKmPerDay == 0 || d.Km+leg <= opt.MaxKmPerDay)
			if fits {
				d.Last, d.Km = p, d.Km+leg
				stops[p].Day = d.Day
				continue
			}
		}
		day := TourDay{Day: len(days) + 1, First: p, Last: p, Km: leg,
			OverKm: opt.MaxKmPerDay > 0 && leg > opt.MaxKmPerDay}
		days = append(days, day)
		stops[p].Day = day.Day
	}
	return days
}

// tourGraph holds the nodes of a tour problem: node 0 is the start, node
// i+1 the point i. Routes are slices of nodes that begin with 0.
type tourGraph struct {
	lat, lon, cos []float64
	unit          [][3]float64 // unit vectors: chord length orders points as great-circle distance does
	neigh         [][]int32    // nearest nodes of each node, nearest first
	// matrix holds every distance when there are few nodes: trigonometry
	// is most of the cost of improving a route.
	matrix []float64
}

// tourMatrixNodes is the largest problem whose distances are all kept
// (600² distances are under 3 MB).
const tourMatrixNodes = 600

func newTourGraph(start TourPoint, pts []TourPoint) *tourGraph {
	n := len(pts) + 1
	g := &tourGraph{lat: make([]float64, n), lon: make([]float64, n), cos: make([]float64, n), unit: make([][3]float64, n)}
	for i := range n {
		p := start
		if i > 0 {
			p = pts[i-1]
		}
		g.lat[i], g.lon[i], g.cos[i] = p.Lat, p.Lon, math.Cos(p.Lat*degToRad)
		g.unit[i] = unitVector(p.Lat, p.Lon)
	}
	if n <= tourMatrixNodes {
		m := make([]float64, n*n)
		for a := range n {
			for b := range a {
				d := g.dist(int32(a), int32(b))
				m[a*n+b], m[b*n+a] = d, d
			}
		}
		g.matrix = m
	}
	return g
}

func (g *tourGraph) dist(a, b int32) float64 {
	if g.matrix != nil {
		return g.matrix[int(a)*len(g.lat)+int(b)]
	}
	return haversineKm(g.lat[a], g.lon[a], g.cos[a], g.lat[b], g.lon[b], g.cos[b])
}

func (g *tourGraph) chord2(a, b int32) float64 {
	u, v := &g.unit[a], &g.unit[b]
	x, y, z := u[0]-v[0], u[1]-v[1], u[2]-v[2]
	return x*x + y*y + z*z
}

func (g *tourGraph) length(route []int32) float64 {
	km := 0.0
	for p := 1; p < len(route); p++ {
		km += g.dist(route[p-1], route[p])
	}
	return km
}

// nearestNeighbour is the route that always goes on to the nearest point
// not yet visited, the lower index on a tie. Great-circle distance grows
// with chord length, so chords (cheap, no trigonometry) pick the same
// point.
func (g *tourGraph) nearestNeighbour() []int32 {
	n := int32(len(g.lat))
	route := make([]int32, 0, n)
	left := make([]int32, 0, n-1) // unvisited, by index
	for i := int32(1); i < n; i++ {
		left = append(left, i)
	}
	cur := int32(0)
	route = append(route, cur)
	for len(left) > 0 {
		best := 0
		bestD := g.chord2(cur, left[0])
		for k := 1; k < len(left); k++ {
			if d := g.chord2(cur, left[k]); d < bestD {
				best, bestD = k, d
			}
		}
		cur = left[best]
		route = append(route, cur)
		// Removing keeps the order by index, so ties still go to the lower one.
		left = slices.Delete(left, best, best+1)
	}
	return route
}

// neighbours fills g.neigh with the tourNeighbours nearest nodes of each
// node (by chord, ties to the lower index).
func (g *tourGraph) neighbours() {
	n := len(g.lat)
	k := min(tourNeighbours, n-1)
	g.neigh = make([][]int32, n)
	buf := make([]int32, n*k)
	dist := make([]float64, k)
	for a := range n {
		list := buf[a*k : a*k : (a+1)*k]
		for b := range n {
			if a == b {
				continue
			}
			d := g.chord2(int32(a), int32(b))
			if len(list) == k && d >= dist[k-1] {
				continue
			}
			// Insertion into the short sorted list; equal distances stay
			// in index order because b grows.
			p := len(list)
			if p < k {
				list = list[:p+1]
			} else {
				p = k - 1
			}
			for p > 0 && dist[p-1] > d {
				list[p], dist[p] = list[p-1], dist[p-1]
				p--
			}
			list[p], dist[p] = int32(b), d
		}
		g.neigh[a] = list
	}
}

// improver applies 2-opt and Or-opt moves to a route in place.
type improver struct {
	g      *tourGraph
	route  []int32
	pos    []int32 // position of each node in route
	queue  []int32 // nodes whose surroundings changed ("don't look" bits off)
	queued []bool
	km     float64 // length of route, kept up to date by every move
}

// improve shortens route (which starts at node 0 and keeps it first) by
// 2-opt moves (reverse a stretch) and Or-opt moves (move one to three
// consecutive stops elsewhere, either way round) among near neighbours,
// until no move gains more than tourEpsilonKm. Such a route can still be
// some 15 % longer than the best one, so it then tries tourKicks local
// "double bridge" shake-ups (swap two short neighbouring stretches, a
// change that one 2-opt or Or-opt move seldom undoes), improves again, and
// keeps the result only when it is shorter (iterated local search). The
// shake-ups come from a fixed-seed generator: the route depends on the
// input alone.
//
// It returns the length it kept track of (the tests compare it with a
// fresh sum).
func (g *tourGraph) improve(route []int32) float64 {
	if len(route) < 3 {
		return g.length(route) // a single stop has one order
	}
	g.neighbours()
	im := &improver{g: g, route: route, pos: make([]int32, len(route)), queued: make([]bool, len(route))}
	for p, node := range route {
		im.pos[node] = int32(p)
	}
	im.km = g.length(route)
	im.search(true)
	stops := len(route) - 1
	if stops < 4 {
		return im.km
	}
	best := slices.Clone(route)
	bestKm := im.km
	rng := splitMix(uint64(stops))
	for range tourKicks(stops) {
		im.kick(&rng)
		im.search(false)
		if im.km < bestKm-tourEpsilonKm {
			copy(best, route)
			bestKm = im.km
		} else {
			copy(route, best)
			im.km = bestKm
			for p, node := range route {
				im.pos[node] = int32(p)
			}
		}
	}
	im.search(true)
	return im.km
}

// tourKicks is how many shake-ups a route of n stops gets: enough that
// small routes come out within a few per cent of the best (the test
// checks 10 %), few enough that 2,000 stops take a fraction of a second.
func tourKicks(n int) int { return min(20*n, 300) }

// search makes moves until the queue is empty. Nodes are looked at again
// only when an edge at them changed ("don't look" bits), which is what
// makes it fast; but a reversal elsewhere can turn a stretch around and
// open a move at a node nobody pushed, so a full search follows a quiet
// queue with a pass over all nodes, until one finds nothing.
func (im *improver) search(full bool) {
	for {
		if full {
			for _, node := range im.route {
				im.push(node)
			}
		}
		moved := false
		for len(im.queue) > 0 {
			a := im.queue[0]
			im.queue = im.queue[1:]
			im.queued[a] = false
			if im.twoOpt(a) || im.orOpt(a) {
				im.push(a)
				moved = true
			}
		}
		if !moved || !full {
			return
		}
	}
}

// kick swaps two neighbouring stretches B and C of the route A B C D
// (into A C B D), each of one to 30 stops; D may be empty.
func (im *improver) kick(rng *splitMix) {
	n := int32(len(im.route)) // positions 1..n-1 are stops
	const maxLen = 30
	p1 := 1 + int32(rng.intn(uint64(n-3)))
	p2 := p1 + 1 + int32(rng.intn(uint64(min(maxLen, n-2-p1))))
	p3 := p2 + 1 + int32(rng.intn(uint64(min(maxLen, n-1-p2+1))))
	r := im.route
	im.km += im.d(r[p1-1], r[p2]) + im.d(r[p3-1], r[p1]) + im.d(r[p2-1], im.at(p3)) -
		im.d(r[p1-1], r[p1]) - im.d(r[p2-1], r[p2]) - im.d(r[p3-1], im.at(p3))
	b := slices.Clone(im.route[p1:p2])
	copy(im.route[p1:], im.route[p2:p3])
	copy(im.route[p1+p3-p2:], b)
	for p := p1; p < p3; p++ {
		im.pos[im.route[p]] = p
	}
	im.push(im.route[p1-1], im.route[p1], im.route[p1+p3-p2-1], im.route[p1+p3-p2], im.route[p3-1], im.at(p3))
}

// splitMix is the SplitMix64 generator: a few lines, so the shake-ups
// (and so the routes) stay the same whatever Go's own generators do.
type splitMix uint64

func (s *splitMix) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n); the tiny bias of a modulus does not
// matter for shake-ups.
func (s *splitMix) intn(n uint64) uint64 { return s.next() % n }

func (im *improver) push(nodes ...int32) {
	for _, a := range nodes {
		if a >= 0 && !im.queued[a] {
			im.queued[a] = true
			im.queue = append(im.queue, a)
		}
	}
}

// at returns the node at position p, or -1 past the end of the route.
func (im *improver) at(p int32) int32 {
	if p < 0 || int(p) >= len(im.route) {
		return -1
	}
	return im.route[p]
}

// d is the distance between two nodes; -1 stands for "nothing" (the
// open end of the route) and costs nothing.
func (im *improver) d(a, b int32) float64 {
	if a < 0 || b < 0 {
		return 0
	}
	return im.g.dist(a, b)
}

// reverse reverses route[i..j].
func (im *improver) reverse(i, j int32) {
	for ; i < j; i, j = i+1, j-1 {
		im.route[i], im.route[j] = im.route[j], im.route[i]
		im.pos[im.route[i]], im.pos[im.route[j]] = i, j
	}
	if i == j {
		im.pos[im.route[i]] = i
	}
}

// twoOpt tries to join a to one of its near neighbours c by reversing a
// stretch of the route, on either side of a; it makes the first move that
// gains and reports whether it did. A new edge (a,c) can only help if it is
// shorter than the edge of a it replaces, so neighbours are tried nearest
// first until that fails.
func (im *improver) twoOpt(a int32) bool {
	i := im.pos[a]
	last := int32(len(im.route) - 1)
	if i < last { // replace (a, b) by (a, c)
		b := im.route[i+1]
		dab := im.d(a, b)
		for _, c := range im.g.neigh[a] {
			dac := im.d(a, c)
			if dac >= dab {
				break
			}
			j := im.pos[c]
			switch {
			case j > i+1: // a b … c sc → a c … b sc
				sc := im.at(j + 1)
				if delta := dac + im.d(b, sc) - dab - im.d(c, sc); delta < -tourEpsilonKm {
					im.km += delta
					im.reverse(i+1, j)
					im.push(a, b, c, sc)
					return true
				}
			case j < i-1: // c sc … a b → c a … sc b
				sc := im.route[j+1]
				if delta := dac + im.d(sc, b) - dab - im.d(c, sc); delta < -tourEpsilonKm {
					im.km += delta
					im.reverse(j+1, i)
					im.push(a, b, c, sc)
					return true
				}
			}
		}
	}
	if i > 0 { // replace (p, a) by (c, a)
		p := im.route[i-1]
		dap := im.d(a, p)
		for _, c := range im.g.neigh[a] {
			dac := im.d(a, c)
			if dac >= dap {
				break
			}
			j := im.pos[c]
			switch {
			case j >= 1 && j < i-1: // pc c … p a → pc p … c a
				pc := im.route[j-1]
				if delta := dac + im.d(pc, p) - dap - im.d(pc, c); delta < -tourEpsilonKm {
					im.km += delta
					im.reverse(j, i-1)
					im.push(a, p, c, pc)
					return true
				}
			case j > i+1: // p a … pc c → p pc … a c
				pc := im.route[j-1]
				if delta := dac + im.d(p, pc) - dap - im.d(pc, c); delta < -tourEpsilonKm {
					im.km += delta
					im.reverse(i, j-1)
					im.push(a, p, c, pc)
					return true
				}
			}
		}
	}
	return false
}

// orOpt tries to move the stretch of one to three stops that begins at a
// next to one of the near neighbours of its ends, either way round; it
// makes the first move that gains and reports whether it did.
func (im *improver) orOpt(a int32) bool {
	i := im.pos[a]
	if i == 0 {
		return false // the start stays first
	}
	last := int32(len(im.route) - 1)
	for l := int32(1); l <= 3 && i+l-1 <= last; l++ {
		s1, sl := a, im.route[i+l-1]
		p, nx := im.route[i-1], im.at(i+l)
		gain := im.d(p, s1) + im.d(sl, nx) - im.d(p, nx)
		if gain <= tourEpsilonKm {
			continue
		}
		for _, end := range [2]int32{s1, sl} {
			for _, c := range im.g.neigh[end] {
				// Nearest first: once the new edge at the stretch's end is
				// as long as what taking the stretch out gains, moving it
				// next to c (or anything farther) is unlikely to pay.
				if im.d(end, c) >= gain {
					break
				}
				k := im.pos[c]
				if k >= i && k < i+l {
					continue // inside the stretch
				}
				// The two edges at c: (c, next) and (previous, c).
				for _, u := range [2]int32{k, k - 1} {
					if u < 0 || u == i-1 || (u >= i && u < i+l) {
						continue // before the start, or the stretch's own place
					}
					un, vn := im.route[u], im.at(u+1)
					base := im.d(un, vn)
					fwd := im.d(un, s1) + im.d(sl, vn) - base
					rev := im.d(un, sl) + im.d(s1, vn) - base
					cost, reversed := fwd, false
					if rev < fwd {
						cost, reversed = rev, true
					}
					if delta := cost - gain; delta < -tourEpsilonKm {
						im.km += delta
						im.move(i, l, u, reversed)
						im.push(p, nx, s1, sl, un, vn)
						return true
					}
				}
			}
		}
	}
	return false
}

// move takes route[i..i+l-1] out and puts it back between the nodes at
// positions u and u+1 of the route as it was, reversed if asked.
func (im *improver) move(i, l, u int32, reversed bool) {
	var seg [3]int32
	copy(seg[:l], im.route[i:i+l])
	if reversed {
		slices.Reverse(seg[:l])
	}
	var from, to int32 // positions whose node changed
	if u >= i+l {
		copy(im.route[i:], im.route[i+l:u+1])
		copy(im.route[u-l+1:u+1], seg[:l])
		from, to = i, u
	} else {
		copy(im.route[u+1+l:], im.route[u+1:i])
		copy(im.route[u+1:u+1+l], seg[:l])
		from, to = u+1, i+l-1
	}
	for p := from; p <= to; p++ {
		im.pos[im.route[p]] = p
	}
}
