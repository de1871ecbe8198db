package geo

import (
	"math"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// randomCity scatters n points around a city centre: a normal spread of
// sigmaKm, and now and then a point exactly on another or on the start, as
// registries do list two venues at one address.
func randomCity(rng *rand.Rand, n int, sigmaKm float64) (TourPoint, []TourPoint) {
	start := TourPoint{Lat: 14 + rng.Float64()*18, Lon: -117 + rng.Float64()*30}
	pts := make([]TourPoint, n)
	for i := range pts {
		switch {
		case i > 0 && rng.Intn(10) == 0:
			pts[i] = pts[rng.Intn(i)]
		case rng.Intn(20) == 0:
			pts[i] = start
		default:
			pts[i] = TourPoint{
				Lat: start.Lat + rng.NormFloat64()*sigmaKm/111.2,
				Lon: start.Lon + rng.NormFloat64()*sigmaKm/(111.2*math.Cos(start.Lat*degToRad)),
			}
		}
	}
	return start, pts
}

// optimalKm is the shortest open route from the start through every point,
// by depth-first search over every order, cut when the partial route is
// already no shorter than the best found.
func optimalKm(start TourPoint, pts []TourPoint) float64 {
	g := newTourGraph(start, pts)
	n := len(pts)
	used := make([]bool, n+1)
	best := math.Inf(1)
	var walk func(cur int32, depth int, km float64)
	walk = func(cur int32, depth int, km float64) {
		if km >= best {
			return
		}
		if depth == n {
			best = km
			return
		}
		for next := int32(1); next <= int32(n); next++ {
			if !used[next] {
				used[next] = true
				walk(next, depth+1, km+g.dist(cur, next))
				used[next] = false
			}
		}
	}
	walk(0, 0, 0)
	return best
}

// checkRoute fails unless t visits every point exactly once and its
// lengths add up.
func checkRoute(t *testing.T, start TourPoint, pts []TourPoint, tour Tour) {
	t.Helper()
	if len(tour.Stops) != len(pts) {
		t.Fatalf("%d stops for %d points", len(tour.Stops), len(pts))
	}
	seen := make([]bool, len(pts))
	prev, at := start, 0.0
	for _, s := range tour.Stops {
		if seen[s.Index] {
			t.Fatalf("point %d visited twice", s.Index)
		}
		seen[s.Index] = true
		p := pts[s.Index]
		if leg := DistanceKm(prev.Lat, prev.Lon, p.Lat, p.Lon); math.Abs(leg-s.LegKm) > 1e-9 {
			t.Fatalf("stop %d: leg %v, want %v", s.Index, s.LegKm, leg)
		}
		at += s.LegKm
		prev = p
	}
	if math.Abs(at-tour.Km) > 1e-6 {
		t.Fatalf("legs add up to %v, Km is %v", at, tour.Km)
	}
}

// TestPlanTourNearOptimal is the promise of docs/planning.md#visiting-order
// on random small cities: never longer than the nearest-neighbour route,
// and within 10 % of the best route found by trying every order.
func TestPlanTourNearOptimal(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	worst := 1.0
	for trial := range 600 {
		n := rng.Intn(10) // 0 to 9 points
		spread := []float64{0.5, 5, 30, 200}[rng.Intn(4)]
		start, pts := randomCity(rng, n, spread)
		tour, err := PlanTour(start, pts, TourOptions{})
		if err != nil {
			t.Fatal(err)
		}
		checkRoute(t, start, pts, tour)
		if tour.Km > tour.NearestNeighbourKm {
			t.Errorf("trial %d: %v km, longer than nearest neighbour's %v", trial, tour.Km, tour.NearestNeighbourKm)
		}
		g := newTourGraph(start, pts)
		if nn := g.length(g.nearestNeighbour()); nn != tour.NearestNeighbourKm {
			t.Errorf("trial %d: NearestNeighbourKm %v, the nearest-neighbour route is %v", trial, tour.NearestNeighbourKm, nn)
		}
		opt := optimalKm(start, pts)
		if tour.Km > opt*1.10+1e-9 {
			t.Errorf("trial %d (%d points, %v km spread): %v km, optimum %v (+%.1f %%)",
				trial, n, spread, tour.Km, opt, 100*(tour.Km/opt-1))
		}
		if opt > 0 {
			worst = max(worst, tour.Km/opt)
		}
	}
	t.Logf("worst ratio to the optimum: %.4f", worst)
}

// TestImproveLeavesNoTwoOptMove checks the move bookkeeping of the open
// route: on small instances (where every node is every node's neighbour)
// no reversal of any stretch, the tail included, may still gain.
func TestImproveLeavesNoTwoOptMove(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for trial := range 300 {
		start, pts := randomCity(rng, 2+rng.Intn(9), 10) // up to 10 stops: complete neighbour lists
		g := newTourGraph(start, pts)
		route := g.nearestNeighbour()
		tracked := g.improve(route)
		if route[0] != 0 {
			t.Fatalf("trial %d: the route starts at node %d", trial, route[0])
		}
		km := g.length(route)
		if math.Abs(tracked-km) > 1e-6 {
			t.Fatalf("trial %d: improve kept %v km, the route is %v", trial, tracked, km)
		}
		for i := 1; i < len(route); i++ {
			for j := i + 1; j < len(route); j++ {
				r := slices.Clone(route)
				slices.Reverse(r[i : j+1])
				if g.length(r) < km-1e-6 {
					t.Fatalf("trial %d: reversing %d..%d still gains (%v < %v)", trial, i, j, g.length(r), km)
				}
			}
		}
	}
}

func TestPlanTourEdgeCases(t *testing.T) {
	start := TourPoint{Lat: 19.4326, Lon: -99.1332}
	near := TourPoint{Lat: 19.44, Lon: -99.14}
	far := TourPoint{Lat: 19.5, Lon: -99.2}
	tests := []struct {
		name  string
		pts   []TourPoint
		order []int
	}{
		{"no venue", nil, []int{}},
		{"one venue", []TourPoint{far}, []int{0}},
		{"one venue on the start", []TourPoint{start}, []int{0}},
		{"all at one address: index order", []TourPoint{far, far, far}, []int{0, 1, 2}},
		{"duplicates are visited together", []TourPoint{far, near, far, near}, []int{1, 3, 0, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tour, err := PlanTour(start, tt.pts, TourOptions{MaxStopsPerDay: 2})
			if err != nil {
				t.Fatal(err)
			}
			checkRoute(t, start, tt.pts, tour)
			got := []int{}
			for _, s := range tour.Stops {
				got = append(got, s.Index)
			}
			if !slices.Equal(got, tt.order) {
				t.Errorf("order %v, want %v", got, tt.order)
			}
			if want := (len(tt.pts) + 1) / 2; len(tour.Days) != want {
				t.Errorf("%d days, want %d", len(tour.Days), want)
			}
		})
	}
}

func TestPlanTourRejectsBadInput(t *testing.T) {
	ok := TourPoint{Lat: 19, Lon: -99}
	tests := []struct {
		name  string
		start TourPoint
		pts   []TourPoint
		opt   TourOptions
		want  string
	}{
		{"negative stops", ok, nil, TourOptions{MaxStopsPerDay: -1}, "max_stops_per_day"},
		{"negative km", ok, nil, TourOptions{MaxKmPerDay: -5}, "max_km_per_day"},
		{"NaN km", ok, nil, TourOptions{MaxKmPerDay: math.NaN()}, "max_km_per_day"},
		{"infinite km", ok, nil, TourOptions{MaxKmPerDay: math.Inf(1)}, "max_km_per_day"},
		{"bad start", TourPoint{Lat: 91}, nil, TourOptions{}, "start"},
		{"NaN point", ok, []TourPoint{ok, {Lat: math.NaN()}}, TourOptions{}, "points[1]"},
		{"longitude beyond 180", ok, []TourPoint{{Lon: 181}}, TourOptions{}, "points[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PlanTour(tt.start, tt.pts, tt.opt)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %v, want one about %s", err, tt.want)
			}
		})
	}
}

// TestSplitDays cuts a fixed route of legs 3, 4, 5, 1, 9, 2 km.
func TestSplitDays(t *testing.T) {
	legs := []float64{3, 4, 5, 1, 9, 2}
	tests := []struct {
		name   string
		opt    TourOptions
		days   []int // day of each stop
		km     []float64
		overKm []bool
	}{
		{"no limit: one day", TourOptions{}, []int{1, 1, 1, 1, 1, 1}, []float64{24}, []bool{false}},
		{"two stops a day", TourOptions{MaxStopsPerDay: 2}, []int{1, 1, 2, 2, 3, 3}, []float64{7, 6, 11}, nil},
		{"ten km a day", TourOptions{MaxKmPerDay: 10}, []int{1, 1, 2, 2, 3, 4}, []float64{7, 6, 9, 2}, nil},
		{"both, stops first", TourOptions{MaxStopsPerDay: 2, MaxKmPerDay: 20}, []int{1, 1, 2, 2, 3, 3}, []float64{7, 6, 11}, nil},
		{"both, km first", TourOptions{MaxStopsPerDay: 3, MaxKmPerDay: 8}, []int{1, 1, 2, 2, 3, 4}, []float64{7, 6, 9, 2}, []bool{false, false, true, false}},
		{"a leg longer than a day is a day of its own", TourOptions{MaxKmPerDay: 4}, []int{1, 2, 3, 4, 5, 6}, []float64{3, 4, 5, 1, 9, 2}, []bool{false, false, true, false, true, false}},
		{"exactly the limit fits", TourOptions{MaxKmPerDay: 12}, []int{1, 1, 1, 2, 2, 2}, []float64{12, 12}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stops := make([]TourStop, len(legs))
			for i, l := range legs {
				stops[i] = TourStop{Index: i, LegKm: l}
			}
			days := SplitDays(stops, tt.opt)
			var got []int
			for _, s := range stops {
				got = append(got, s.Day)
			}
			if !slices.Equal(got, tt.days) {
				t.Errorf("days %v, want %v", got, tt.days)
			}
			var km []float64
			var over []bool
			for i, d := range days {
				km = append(km, d.Km)
				over = append(over, d.OverKm)
				if d.Day != i+1 || stops[d.First].Day != d.Day || stops[d.Last].Day != d.Day {
					t.Errorf("day %d: %+v does not match its stops", i+1, d)
				}
			}
			if !slices.Equal(km, tt.km) {
				t.Errorf("km %v, want %v", km, tt.km)
			}
			if tt.overKm != nil && !slices.Equal(over, tt.overKm) {
				t.Errorf("over %v, want %v", over, tt.overKm)
			}
		})
	}
}

// TestPlanTourDeterministic: the same input gives the same route, and a
// large city (neighbour lists shorter than the city) still visits all.
func TestPlanTourDeterministic(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	start, pts := randomCity(rng, 300, 6)
	a, err := PlanTour(start, pts, TourOptions{MaxKmPerDay: 25})
	if err != nil {
		t.Fatal(err)
	}
	checkRoute(t, start, pts, a)
	b, _ := PlanTour(start, slices.Clone(pts), TourOptions{MaxKmPerDay: 25})
	if !slices.Equal(a.Stops, b.Stops) || !slices.Equal(a.Days, b.Days) {
		t.Error("two runs over the same points differ")
	}
	if a.Km > a.NearestNeighbourKm {
		t.Errorf("%v km, nearest neighbour %v", a.Km, a.NearestNeighbourKm)
	}
	t.Logf("300 stops: %.1f km, nearest neighbour %.1f km, %d days", a.Km, a.NearestNeighbourKm, len(a.Days))
}

// BenchmarkPlanTour2000 orders 2,000 venues of one city (σ = 6 km) with
// days of 40 km.
func BenchmarkPlanTour2000(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	start, pts := randomCity(rng, 2000, 6)
	b.ReportAllocs()
	var km, nn float64
	for b.Loop() {
		t, err := PlanTour(start, pts, TourOptions{MaxKmPerDay: 40})
		if err != nil {
			b.Fatal(err)
		}
		km, nn = t.Km, t.NearestNeighbourKm
	}
	b.ReportMetric(km, "km")
	b.ReportMetric(100*(1-km/nn), "%shorter")
}

// TestPlanTourDocExample checks the example of
// docs/planning.md#visiting-order: three venues on a meridian.
func TestPlanTourDocExample(t *testing.T) {
	start := TourPoint{Lat: 19.00, Lon: -99}
	pts := []TourPoint{{Lat: 19.01, Lon: -99}, {Lat: 18.98, Lon: -99}, {Lat: 19.04, Lon: -99}} // a, b, c
	tests := []struct {
		opt  TourOptions
		days []float64
	}{
		{TourOptions{MaxStopsPerDay: 2}, []float64{5.560, 3.336}},
		{TourOptions{MaxKmPerDay: 5}, []float64{2.224, 3.336, 3.336}},
	}
	for _, tt := range tests {
		tour, err := PlanTour(start, pts, tt.opt)
		if err != nil {
			t.Fatal(err)
		}
		var order []int
		for _, s := range tour.Stops {
			order = append(order, s.Index)
		}
		if !slices.Equal(order, []int{1, 0, 2}) {
			t.Errorf("order %v, want b, a, c", order)
		}
		round := func(km float64) float64 { return math.Round(km*1000) / 1000 }
		if round(tour.NearestNeighbourKm) != 11.120 || round(tour.Km) != 8.896 {
			t.Errorf("%.3f km, nearest neighbour %.3f km; want 8.896 and 11.120", tour.Km, tour.NearestNeighbourKm)
		}
		var days []float64
		for _, d := range tour.Days {
			days = append(days, round(d.Km))
		}
		if !slices.Equal(days, tt.days) {
			t.Errorf("%+v: days of %v km, want %v", tt.opt, days, tt.days)
		}
	}
}

// BenchmarkPlanTour10000 shows how the route scales past the 2,000 of the
// target: finding each venue's neighbours compares every pair.
func BenchmarkPlanTour10000(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	start, pts := randomCity(rng, 10_000, 10)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PlanTour(start, pts, TourOptions{MaxStopsPerDay: 40}); err != nil {
			b.Fatal(err)
		}
	}
}
