package planner

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// testCampaign is a small campaign with the depot at (0, 0): cities put on
// the equator at longitude x are 111.19508·x km away, which makes transit
// days easy to work out by hand with circuity 1 and 100 road km a day.
func testCampaign() *Campaign {
	return &Campaign{
		Name:     "test",
		Start:    NewDate(2009, 1, 12), // a Monday
		Deadline: NewDate(2009, 3, 31),
		Depot:    Depot{Name: "DEPOT"},
		Dispatch: Dispatch{BoxesPerDay: 400, WorkDays: []time.Weekday{
			time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}},
		Transport:             Transport{RoadKmPerDay: 100, Circuity: 1, HandlingDays: 1},
		LocalDistributionDays: 5,
		Surplus:               SurplusSpread,
	}
}

// Builders keep test tables short; each returns the campaign for chaining.

func (c *Campaign) withCity(code, priority string, lon float64) *Campaign {
	c.Cities = append(c.Cities, City{Code: code, Name: code, Lon: lon, Priority: MustDecimal(priority), RadiusKm: 15})
	return c
}

func (c *Campaign) withCategory(codes ...string) *Campaign {
	for _, code := range codes {
		c.Categories = append(c.Categories, VenueCategory{Code: code, Name: code})
	}
	return c
}

func (c *Campaign) withMaterial(code string, printed int64, reservePct string, pack, perBox int64) *Campaign {
	c.Materials = append(c.Materials, Material{Code: code, Name: code, Printed: printed,
		ReservePct: MustDecimal(reservePct), PackSize: pack, PacksPerBox: perBox})
	return c
}

func (c *Campaign) withTarget(material, category string, perVenue int64) *Campaign {
	c.Targeting = append(c.Targeting, TargetingRule{Material: material, Category: category, PerVenue: perVenue})
	return c
}

func (c *Campaign) withCount(city, category string, n int64) *Campaign {
	c.VenueCounts = append(c.VenueCounts, VenueCount{City: city, Category: category, Count: n})
	return c
}

func (c *Campaign) withLock(material, city, category string, pieces int64) *Campaign {
	c.Locks = append(c.Locks, Lock{Material: material, City: city, Category: category, Pieces: pieces})
	return c
}

// mustCompute runs Compute and fails the test on error.
func mustCompute(t testing.TB, c *Campaign) *Plan {
	t.Helper()
	p, err := Compute(c)
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	return p
}

// cellOf returns the plan's cell for material/city/category.
func cellOf(t testing.TB, p *Plan, material, city, category string) Cell {
	t.Helper()
	for _, c := range p.Cells {
		if c.Material == material && c.City == city && c.Category == category {
			return c
		}
	}
	t.Fatalf("no cell %s/%s/%s", material, city, category)
	return Cell{}
}

// materialOf returns the plan's totals for one material.
func materialOf(t testing.TB, p *Plan, code string) MaterialResult {
	t.Helper()
	for _, m := range p.Materials {
		if m.Code == code {
			return m
		}
	}
	t.Fatalf("no material %s", code)
	return MaterialResult{}
}

// piecesOf maps "city/category" to pieces for one material.
func piecesOf(p *Plan, material string) map[string]int64 {
	out := map[string]int64{}
	for _, c := range p.Cells {
		if c.Material == material {
			out[c.City+"/"+c.Category] = c.Pieces
		}
	}
	return out
}

// fingerprint renders everything a plan says, exact explanations
// included, so that two plans can be compared as text.
func fingerprint(t testing.TB, p *Plan) string {
	t.Helper()
	var b bytes.Buffer
	// What the output files say (planio writes them; planner cannot import it).
	for _, c := range p.Cells {
		fmt.Fprintf(&b, "%s %s %s %d %d %d %v %s\n", c.Material, c.City, c.Category, c.Demand, c.Pieces, c.Packs, c.Locked, c.FillText())
	}
	for _, s := range p.Shipments {
		fmt.Fprintf(&b, "%s %d %.1f %d %s %s %s %s %s %d\n", s.City, s.Boxes, s.RoadKm, s.TransitDays, s.LatestDispatch,
			s.FirstDispatch, s.Dispatch, s.Arrival, s.Due, s.LateDays)
	}
	for _, m := range p.Materials {
		fmt.Fprintf(&b, "%s %d %d %d %d %d %d %s %s %v\n", m.Code, m.Printed, m.Reserve, m.Locked, m.Allocated, m.Leftover,
			m.Demand, fillString(m.MinFill), fillString(m.MaxFill), m.NoTargetVenues)
	}
	fmt.Fprintf(&b, "%v %d %s %s\n", p.UnassignedVenues, p.TotalBoxes, floatString(p.TotalWeightKg), intString(p.RequiredBoxesPerDay))
	b.WriteString(fingerprintCells(p))
	for _, m := range p.Materials {
		fmt.Fprintf(&b, "%s %v %s %d\n", m.Code, m.Scarce, ratString(m.Lambda), m.ZeroCells)
	}
	for _, s := range p.Shipments {
		fmt.Fprintf(&b, "%+v %v\n", s.Lines, s.WeightKg)
	}
	fmt.Fprintf(&b, "%v\n", p.VenueCity.Map())
	return b.String()
}

// fingerprintCells renders the cells with their exact explanations.
func fingerprintCells(p *Plan) string {
	var b strings.Builder
	for _, c := range p.Cells {
		y := c.Why
		fmt.Fprintf(&b, "%s/%s/%s %d %s %s %s %s %s %d %v %s\n", c.Material, c.City, c.Category, c.Venues,
			y.Mode, y.Priority, ratString(c.Quota()), ratString(y.Lambda), ratString(c.SurplusShare()),
			y.PacksFloor, y.ExtraPack, y.VenueSource)
	}
	return b.String()
}

func ratString(r *big.Rat) string {
	if r == nil {
		return "-"
	}
	return r.RatString()
}

// randomCampaign draws a campaign with awkward numbers: decimal
// priorities and reserve percentages, odd pack sizes, locks, both surplus
// modes, stock from far below to far above demand.
func randomCampaign(rng *rand.Rand) *Campaign {
	c := testCampaign()
	if rng.Intn(2) == 0 {
		c.Surplus = SurplusReserve
	}
	priorities := []string{"1", "2", "0.5", "1.1", "3.7", "0.25", "1.10", "7"}
	for i := range 3 + rng.Intn(8) {
		c.withCity(fmt.Sprintf("K%02d", i), priorities[rng.Intn(len(priorities))], rng.Float64()*3)
	}
	for i := range 2 + rng.Intn(4) {
		c.withCategory(fmt.Sprintf("C%d", i))
	}
	pcts := []string{"0", "2.5", "10", "0.1", "33.3"}
	for i := range 1 + rng.Intn(4) {
		code := fmt.Sprintf("M%d", i)
		pack := []int64{1, 7, 10, 25, 100}[rng.Intn(5)]
		c.withMaterial(code, 0, pcts[rng.Intn(len(pcts))], pack, 1+rng.Int63n(20))
		var demand int64
		for _, cat := range c.Categories {
			if rng.Intn(3) > 0 {
				pv := rng.Int63n(300)
				c.withTarget(code, cat.Code, pv)
				demand += pv * 20 * int64(len(c.Cities))
			}
		}
		c.Materials[i].Printed = rng.Int63n(demand*2 + 1000)
	}
	for _, k := range c.Cities {
		for _, cat := range c.Categories {
			if rng.Intn(4) > 0 {
				c.withCount(k.Code, cat.Code, rng.Int63n(40))
			}
		}
	}
	locked := map[string]bool{}
	for _, m := range c.Materials {
		for range rng.Intn(3) {
			k, cat := c.Cities[rng.Intn(len(c.Cities))], c.Categories[rng.Intn(len(c.Categories))]
			if key := m.Code + "/" + k.Code + "/" + cat.Code; !locked[key] {
				locked[key] = true
				c.withLock(m.Code, k.Code, cat.Code, m.PackSize*rng.Int63n(m.Printed/m.PackSize/3+1))
			}
		}
	}
	return c
}

// shuffled returns a copy of c with every list in a random order.
func shuffled(c *Campaign, rng *rand.Rand) *Campaign {
	s := *c
	s.Materials = shuffle(rng, c.Materials)
	s.Categories = shuffle(rng, c.Categories)
	s.Targeting = shuffle(rng, c.Targeting)
	s.Cities = shuffle(rng, c.Cities)
	s.VenueCounts = shuffle(rng, c.VenueCounts)
	s.Venues = shuffle(rng, c.Venues)
	s.Locks = shuffle(rng, c.Locks)
	return &s
}

func shuffle[T any](rng *rand.Rand, in []T) []T {
	out := append([]T(nil), in...)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// TestComputeProperties checks random campaigns against an oracle written
// straight from docs/planning.md#allocation-modes with big.Rat: the exact quotas (for
// scarcity, λ must solve Σ min(d, λ·w·d) = A, which has one root), the
// largest-remainder choice, and the consequences docs/planning.md#rounding-to-packs lists.
func TestComputeProperties(t *testing.T) {
	for seed := int64(1); seed <= 400; seed++ {
		c := randomCampaign(rand.New(rand.NewSource(seed)))
		p, err := Compute(c)
		if err != nil {
			checkStockError(t, seed, c, err)
			continue
		}
		for i, m := range c.Materials {
			checkMaterial(t, seed, c, i, p)
			_ = m
		}
	}
}

// checkStockError accepts an error only when some material's locks and
// reserve really exceed its stock, and the error names it.
func checkStockError(t *testing.T, seed int64, c *Campaign, err error) {
	t.Helper()
	fields := ErrorFields(err)
	if ErrorCode(err) != EInvalid || len(fields) != 1 {
		t.Fatalf("seed %d: unexpected error %v", seed, err)
	}
	for i, m := range c.Materials {
		if fields[0].Path == fmt.Sprintf("materials[%d]", i) {
			if available(c, m) >= 0 {
				t.Fatalf("seed %d: %v but stock suffices", seed, err)
			}
			return
		}
	}
	t.Fatalf("seed %d: error %v names no material", seed, err)
}

// oracleReserve is ceil(printed·pct/100) by big.Rat.
func oracleReserve(m Material) int64 {
	r := new(big.Rat).Mul(new(big.Rat).SetInt64(m.Printed), m.ReservePct.Rat())
	r.Quo(r, big.NewRat(100, 1))
	q := new(big.Int).Quo(r.Num(), r.Denom())
	if !r.IsInt() {
		q.Add(q, big.NewInt(1))
	}
	return q.Int64()
}

func available(c *Campaign, m Material) int64 {
	a := m.Printed - oracleReserve(m)
	for _, l := range c.Locks {
		if l.Material == m.Code {
			a -= l.Pieces
		}
	}
	return a
}

func checkMaterial(t *testing.T, seed int64, c *Campaign, mi int, p *Plan) {
	t.Helper()
	m := c.Materials[mi]
	res := materialOf(t, p, m.Code)
	a := available(c, m)
	prio := map[string]*big.Rat{}
	for _, k := range c.Cities {
		prio[k.Code] = k.Priority.Rat()
	}
	var cells []Cell // unlocked, with demand
	var demand, locks, sumX int64
	for _, cell := range p.Cells {
		if cell.Material != m.Code {
			continue
		}
		if cell.Locked {
			locks += cell.Pieces
			continue
		}
		cells = append(cells, cell)
		demand += cell.Demand
		sumX += cell.Pieces
	}
	if res.Reserve != oracleReserve(m) || res.Locked != locks || res.Allocated != locks+sumX ||
		res.Allocated+res.Reserve+res.Leftover != m.Printed {
		t.Fatalf("seed %d %s: totals %+v (locks %d, sum x %d)", seed, m.Code, res, locks, sumX)
	}
	if sumX+locks > m.Printed-res.Reserve {
		t.Fatalf("seed %d %s: allocated beyond stock", seed, m.Code)
	}
	reserveSurplus := c.Surplus == SurplusReserve && a > demand
	if len(cells) > 0 && !reserveSurplus && res.Leftover >= m.PackSize {
		t.Fatalf("seed %d %s: leftover %d >= pack %d", seed, m.Code, res.Leftover, m.PackSize)
	}
	if len(cells) == 0 {
		return
	}
	quota := oracleQuotas(t, seed, c, m, cells, a, demand, prio)
	checkRounding(t, seed, m, cells, quota, prio)
}

// oracleQuotas returns e for each cell, straight from docs/planning.md#allocation-modes.
func oracleQuotas(t *testing.T, seed int64, c *Campaign, m Material, cells []Cell, a, demand int64, prio map[string]*big.Rat) []*big.Rat {
	t.Helper()
	rat := func(n int64) *big.Rat { return new(big.Rat).SetInt64(n) }
	e := make([]*big.Rat, len(cells))
	sum := new(big.Rat)
	switch {
	case a >= demand:
		wd := new(big.Rat)
		for _, cell := range cells {
			wd.Add(wd, new(big.Rat).Mul(prio[cell.City], rat(cell.Demand)))
		}
		s := rat(a - demand)
		if c.Surplus == SurplusReserve {
			s = rat(0)
		}
		for i, cell := range cells {
			share := new(big.Rat).Mul(s, new(big.Rat).Mul(prio[cell.City], rat(cell.Demand)))
			e[i] = share.Quo(share, wd).Add(share, rat(cell.Demand))
		}
	default:
		lambda := cells[0].Why.Lambda
		if lambda == nil || lambda.Sign() < 0 {
			t.Fatalf("seed %d %s: scarcity without λ", seed, m.Code)
		}
		for i, cell := range cells {
			v := new(big.Rat).Mul(lambda, new(big.Rat).Mul(prio[cell.City], rat(cell.Demand)))
			if v.Cmp(rat(cell.Demand)) > 0 {
				v = rat(cell.Demand)
			}
			e[i] = v
		}
	}
	for i, cell := range cells {
		sum.Add(sum, e[i])
		if q := cell.Quota(); q == nil || q.Cmp(e[i]) != 0 {
			t.Fatalf("seed %d %s %s/%s: quota %v, want %v", seed, m.Code, cell.City, cell.Category, cell.Quota(), e[i])
		}
		diff := new(big.Rat).Sub(rat(cell.Pieces), e[i])
		if new(big.Rat).Abs(diff).Cmp(rat(m.PackSize)) >= 0 {
			t.Fatalf("seed %d %s: cell more than a pack from its quota", seed, m.Code)
		}
	}
	want := rat(a)
	if a >= demand && c.Surplus == SurplusReserve {
		want = rat(demand)
	}
	if sum.Cmp(want) != 0 {
		t.Fatalf("seed %d %s: Σe = %v, want %v", seed, m.Code, sum, want)
	}
	return e
}

// checkRounding sorts the cells by the key of docs/planning.md#rounding-to-packs itself and checks that the
// r first ones, and only they, got an extra pack.
func checkRounding(t *testing.T, seed int64, m Material, cells []Cell, e []*big.Rat, prio map[string]*big.Rat) {
	t.Helper()
	p := new(big.Rat).SetInt64(m.PackSize)
	frac := make([]*big.Rat, len(cells))
	sumE, floors := new(big.Rat), int64(0)
	for i := range cells {
		q := new(big.Rat).Quo(e[i], p)
		fl := new(big.Int).Quo(q.Num(), q.Denom())
		floors += fl.Int64()
		frac[i] = q.Sub(q, new(big.Rat).SetInt(fl))
		sumE.Add(sumE, e[i])
		if cells[i].Why.PacksFloor != fl.Int64() {
			t.Fatalf("seed %d: floor %d, want %d", seed, cells[i].Why.PacksFloor, fl.Int64())
		}
	}
	sumE.Quo(sumE, p)
	r := new(big.Int).Quo(sumE.Num(), sumE.Denom()).Int64() - floors
	before := func(i, j int) bool { // does cell i rank before cell j?
		if c := frac[i].Cmp(frac[j]); c != 0 {
			return c > 0
		}
		if c := prio[cells[i].City].Cmp(prio[cells[j].City]); c != 0 {
			return c > 0
		}
		if cells[i].City != cells[j].City {
			return cells[i].City < cells[j].City
		}
		return cells[i].Category < cells[j].Category
	}
	var extras int64
	for i := range cells {
		want := cells[i].Why.PacksFloor
		if cells[i].Why.ExtraPack {
			want++
			extras++
			for j := range cells {
				if !cells[j].Why.ExtraPack && before(j, i) {
					t.Fatalf("seed %d %s: %s/%s got the extra pack before %s/%s", seed, m.Code,
						cells[i].City, cells[i].Category, cells[j].City, cells[j].Category)
				}
			}
		}
		if cells[i].Packs != want || cells[i].Pieces != want*m.PackSize {
			t.Fatalf("seed %d: packs %d, want %d", seed, cells[i].Packs, want)
		}
	}
	if extras != r {
		t.Fatalf("seed %d %s: %d extra packs, want %d", seed, m.Code, extras, r)
	}
}

// TestComputeOrderIndependent shuffles every list of random campaigns and
// expects the very same plan, explanations included.
func TestComputeOrderIndependent(t *testing.T) {
	for seed := int64(1); seed <= 100; seed++ {
		rng := rand.New(rand.NewSource(seed))
		c := randomCampaign(rng)
		p, err := Compute(c)
		if err != nil {
			continue
		}
		want := fingerprint(t, p)
		for range 3 {
			if got := fingerprint(t, mustCompute(t, shuffled(c, rng))); got != want {
				t.Fatalf("seed %d: shuffled campaign gives another plan:\n%s\nwant\n%s", seed, got, want)
			}
		}
	}
}

// TestQuotaPathsAgree runs every material of random campaigns through the
// machine-word path and the big.Int path and expects identical cells.
func TestQuotaPathsAgree(t *testing.T) {
	for seed := int64(1); seed <= 200; seed++ {
		c := randomCampaign(rand.New(rand.NewSource(seed)))
		run := func(bigOnly bool) string {
			ix, err := indexCampaign(c)
			if err != nil {
				t.Fatal(err)
			}
			vc, err := countVenues(context.Background(), c, ix)
			if err != nil {
				t.Fatal(err)
			}
			inputs, _, _, err := materialInputs(c, ix, vc)
			if err != nil {
				t.Fatal(err)
			}
			p := &Plan{}
			for _, in := range inputs {
				in.bigOnly = bigOnly
				res, err := allocateMaterial(in)
				if err != nil {
					return err.Error()
				}
				p.Materials = append(p.Materials, res)
				p.Cells = append(p.Cells, in.cells...)
			}
			return fingerprint(t, p)
		}
		if fast, slow := run(false), run(true); fast != slow {
			t.Fatalf("seed %d: paths disagree:\n%s\nvs\n%s", seed, fast, slow)
		}
	}
}

// TestComputeVenueCounts covers docs/planning.md#venue-counts: a venue's own city wins, others go to
// the nearest city within its radius (an exact tie to the lower code),
// venues within no radius are unassigned, and a venue_counts row replaces
// the registry's count. B (−0.1°) and A (+0.1°) are 22.24 km apart with
// radius 15: a venue at 0° is 11.12 km from both.
func TestComputeVenueCounts(t *testing.T) {
	c := testCampaign().withCategory("X", "Y").withCity("B", "1", -0.1).withCity("A", "1", 0.1).
		withMaterial("M", 10000, "0", 1, 1).withTarget("M", "X", 10).withTarget("M", "Y", 10).
		withCount("A", "Y", 7)
	c.Surplus = SurplusReserve
	c.Venues = []Venue{
		{ID: "v3", Category: "X", Lon: 1},                 // 100 km from A: unassigned
		{ID: "v1", Category: "X", Lon: 0.15},              // 5.6 km from A
		{ID: "v2", Category: "X", Lon: 0},                 // tie → A
		{ID: "v4", Category: "X", Lon: 5, City: "B"},      // its own city, however far
		{ID: "v5", Category: "Y", Lon: 0.1},               // A, but the count row says 7
		{ID: "v6", Category: "Y", Lon: -0.1 - 16.0/111.2}, // 16 km west of B: unassigned
	}
	p := mustCompute(t, c)
	if want := []string{"v3", "v6"}; !reflect.DeepEqual(p.UnassignedVenues, want) {
		t.Errorf("unassigned = %v, want %v", p.UnassignedVenues, want)
	}
	if want := map[string]string{"v1": "A", "v2": "A", "v4": "B", "v5": "A"}; !reflect.DeepEqual(p.VenueCity.Map(), want) {
		t.Errorf("venue city = %v, want %v", p.VenueCity, want)
	}
	for _, tt := range []struct {
		city, category string
		venues         int64
		source         string
	}{{"A", "X", 2, "registry"}, {"A", "Y", 7, "count"}, {"B", "X", 1, "registry"}} {
		cell := cellOf(t, p, "M", tt.city, tt.category)
		if cell.Venues != tt.venues || cell.Demand != 10*tt.venues || cell.Why.VenueSource.String() != tt.source {
			t.Errorf("%s/%s = %d venues from %s, demand %d; want %d from %s",
				tt.city, tt.category, cell.Venues, cell.Why.VenueSource, cell.Demand, tt.venues, tt.source)
		}
	}
	if len(p.Cells) != 3 {
		t.Errorf("cells = %d, want 3 (B/Y has no venues)", len(p.Cells))
	}
}

// TestComputeRejectsBrokenReferences: Compute does not trust its input to
// be validated; it names the path instead of panicking or guessing.
func TestComputeRejectsBrokenReferences(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(c *Campaign)
		path  string
	}{
		{"unknown lock city", func(c *Campaign) { c.withLock("M", "ZZZ", "X", 1) }, "locks[0]"},
		{"duplicate lock", func(c *Campaign) { c.withLock("M", "A", "X", 1).withLock("M", "A", "X", 2) }, "locks[1]"},
		{"duplicate count", func(c *Campaign) { c.withCount("A", "X", 3) }, "venue_counts[1]"},
		{"duplicate targeting", func(c *Campaign) { c.withTarget("M", "X", 3) }, "targeting[1]"},
		{"unknown venue city", func(c *Campaign) { c.Venues = []Venue{{ID: "v", Category: "X", City: "Q"}} }, "venues[0].city"},
		{"duplicate venue id", func(c *Campaign) {
			c.Venues = []Venue{{ID: "v", Category: "X", Lon: 9}, {ID: "v", Category: "X", Lon: 9}}
		}, "venues[1].id"},
		{"zero pack size", func(c *Campaign) { c.Materials[0].PackSize = 0 }, "materials[0]"},
		{"no work days", func(c *Campaign) { c.Dispatch.WorkDays = nil }, "campaign.dispatch.work_days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCampaign().withCategory("X").withCity("A", "1", 0).withMaterial("M", 100, "0", 1, 1).
				withTarget("M", "X", 1).withCount("A", "X", 2)
			tt.spoil(c)
			_, err := Compute(c)
			if f := ErrorFields(err); ErrorCode(err) != EInvalid || len(f) != 1 || f[0].Path != tt.path {
				t.Errorf("err = %v (%v), want invalid at %s", err, f, tt.path)
			}
		})
	}
}

func fillString(f *float64) string {
	if f == nil {
		return "null"
	}
	return formatFill(*f)
}

func floatString(f *float64) string {
	if f == nil {
		return "null"
	}
	return fmt.Sprint(*f)
}

func intString(n *int64) string {
	if n == nil {
		return "null"
	}
	return fmt.Sprint(*n)
}

// TestMaterialInputsCells pins the cells materialInputs builds (only the
// targeted categories visited for a material without locks) to the plain
// rule of docs/planning.md#demand: every (city, category) in code order
// with per_venue > 0 and n > 0, plus every locked one.
func TestMaterialInputsCells(t *testing.T) {
	for seed := int64(1); seed <= 200; seed++ {
		c := randomCampaign(rand.New(rand.NewSource(seed)))
		ix, err := indexCampaign(c)
		if err != nil {
			t.Fatal(err)
		}
		vc, err := countVenues(context.Background(), c, ix)
		if err != nil {
			t.Fatal(err)
		}
		_, cells, cityOf, err := materialInputs(c, ix, vc)
		if err != nil {
			t.Fatal(err)
		}
		for i, k := range cityOf {
			if ix.cities[k].Code != cells[i].City {
				t.Fatalf("seed %d: cell %d of %s has city index %d (%s)", seed, i, cells[i].City, k, ix.cities[k].Code)
			}
		}
		var want []string
		mats := slices.Clone(c.Materials)
		slices.SortFunc(mats, func(a, b Material) int { return strings.Compare(a.Code, b.Code) })
		for _, m := range mats {
			for k, city := range ix.cities {
				for cat, category := range ix.categories {
					var pv int64
					for _, tg := range c.Targeting {
						if tg.Material == m.Code && tg.Category == category.Code {
							pv = tg.PerVenue
						}
					}
					lock, locked := int64(0), false
					for _, l := range c.Locks {
						if l.Material == m.Code && l.City == city.Code && l.Category == category.Code {
							lock, locked = l.Pieces, true
						}
					}
					n := vc.n[vc.at(k, cat)]
					if !locked && (pv == 0 || n == 0) {
						continue
					}
					want = append(want, fmt.Sprintf("%s/%s/%s n=%d pv=%d locked=%v pieces=%d %v", m.Code, city.Code,
						category.Code, n, pv, locked, lock, vc.fromCount[vc.at(k, cat)]))
				}
			}
		}
		got := make([]string, len(cells))
		for i, cell := range cells {
			got[i] = fmt.Sprintf("%s/%s/%s n=%d pv=%d locked=%v pieces=%d %v", cell.Material, cell.City, cell.Category,
				cell.Venues, cell.PerVenue, cell.Locked, cell.Pieces, cell.Why.VenueSource == SourceCount)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d: cells\n%s\nwant\n%s", seed, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestShipmentsCityIndexes pins buildShipments given each cell's city
// index (as Compute gives it) to the lookup of cities by code (as a
// re-plan's schedule does), on random campaigns.
func TestShipmentsCityIndexes(t *testing.T) {
	shipped := 0
	for seed := int64(1); seed <= 100; seed++ {
		c := randomCampaign(rand.New(rand.NewSource(seed)))
		ix, err := indexCampaign(c)
		if err != nil {
			t.Fatal(err)
		}
		vc, err := countVenues(context.Background(), c, ix)
		if err != nil {
			t.Fatal(err)
		}
		inputs, cells, cityOf, err := materialInputs(c, ix, vc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := allocateAll(context.Background(), inputs); err != nil {
			continue // locks and reserve over the stock: nothing to ship
		}
		withIndexes, ranks, err := buildShipments(c, ix, cells, cityOf)
		if err != nil {
			t.Fatal(err)
		}
		byCode, ranksByCode, err := buildShipments(c, ix, cells, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(withIndexes, byCode) || !slices.Equal(ranks, ranksByCode) {
			t.Fatalf("seed %d: %d shipments with city indexes, %d by code", seed, len(withIndexes), len(byCode))
		}
		if len(byCode) > 0 {
			shipped++
		}
	}
	if shipped < 50 {
		t.Errorf("only %d of 100 campaigns ship anything", shipped)
	}
}
