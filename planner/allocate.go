package planner

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"
)

// cityWeight is a city's priority w as an exact integer W = w·Q, where Q is
// the common denominator of every priority in the campaign. Quotas only
// ever use ratios of weights, so scaling all of them by Q changes nothing
// and lets the allocation run on integers. Rank orders cities by priority
// (0 is the highest); equal priorities share a rank.
type cityWeight struct {
	code     string
	priority Decimal
	w        *big.Int
	rank     int
}

// materialInput is what one material's allocation works on: the material,
// its position in the campaign (for error paths), and its cells — every
// target cell (per_venue > 0 and n > 0) and every locked cell — sorted by
// city then category, each with its city's weight.
type materialInput struct {
	index   int
	m       Material
	surplus Surplus
	q       *big.Int // common denominator of priorities: λ = μ·Q
	cells   []Cell
	cityOf  []int32       // parallel to cells: the cell's city, an index in weights
	weights []cityWeight  // by city index (campaignIndex.weights)
	bigOnly bool          // skip the machine-word fast path (tests check both agree)
	scratch *allocScratch // a worker's reusable slices; nil: fresh ones
}

// weight is the weight of cell i's city.
func (in *materialInput) weight(i int) *cityWeight { return &in.weights[in.cityOf[i]] }

// allocScratch is working memory one allocation worker reuses from one
// material to the next: none of it is in a result, and fresh per material
// it was a tenth of the bytes of a 2009 plan.
type allocScratch struct {
	unlocked []int
	order    []packOrder
	small    []uint64
}

// quotas holds the exact quota of every unlocked cell with demand as
// e = d·coef/den, the form every mode of docs/planning.md#allocation-modes takes once
// priorities are integers: one denominator shared by all cells, one
// coefficient per priority rank.
type quotas struct {
	mode   CellMode
	den    *big.Int   // > 0
	coef   []*big.Int // by rank
	sumE   int64      // Σe, an integer: A, or D in reserve mode
	lambda *big.Rat   // water level (scarcity and no_stock modes)
	share  []*big.Int // spread mode, by rank: S·W, so the share is d·S·W/den
}

// allocateMaterial runs docs/planning.md#allocation-modes for one material: it fills Pieces,
// Packs and Why of in.cells in place and returns the material's totals.
// The only error is stock that locks and reserve already exceed (EInvalid
// naming materials[i]).
func allocateMaterial(in materialInput) (MaterialResult, error) {
	m := in.m
	path := fmt.Sprintf("materials[%d]", in.index)
	res := MaterialResult{Code: m.Code, Printed: m.Printed}
	reserve, err := reservePieces(m.Printed, m.ReservePct)
	if err != nil {
		return res, Invalid(Fieldf(path+".reserve_pct", MsgOutOfRange, "%v", err))
	}
	res.Reserve = reserve

	// Sized for every cell: grown one append at a time it was 5 % of the
	// bytes of a 2009 plan.
	var unlocked []int
	if in.scratch != nil {
		unlocked = sized(in.scratch.unlocked, len(in.cells))[:0]
		in.scratch.unlocked = unlocked
	} else {
		unlocked = make([]int, 0, len(in.cells))
	}
	var demand, locked int64
	for i := range in.cells {
		c := &in.cells[i]
		c.Why.Priority = in.weight(i).priority
		if demand, err = addInt64(demand, c.Demand); err != nil {
			return res, Invalid(Fieldf(path, MsgDemandTooLarge, "demand is too large"))
		}
		if c.Locked {
			c.Packs = c.Pieces / m.PackSize
			c.Why.Mode = ModeLocked
			c.Why.PacksFloor = c.Packs
			locked += c.Pieces
			continue
		}
		if c.Demand > 0 {
			unlocked = append(unlocked, i)
		}
	}
	res.Demand, res.Locked = demand, locked
	available := m.Printed - reserve - locked
	if available < 0 {
		return res, Invalid(Fieldf(path, MsgLocksReserveExceed,
			"locks (%d pieces) and reserve (%d pieces) exceed the %d printed pieces of %s",
			locked, reserve, m.Printed, m.Code))
	}

	if len(unlocked) > 0 {
		q := computeQuotas(in, unlocked, available)
		res.Scarce = q.mode == ModeScarcity || q.mode == ModeNoStock
		res.Lambda = q.lambda
		roundToPacks(in, unlocked, q)
	}
	summarise(&res, in.cells)
	return res, nil
}

// reservePieces is R = ceil(printed · reserve_pct / 100), exact.
func reservePieces(printed int64, pct Decimal) (int64, error) {
	r := pct.Rat()
	if r.Sign() < 0 || r.Cmp(big.NewRat(100, 1)) > 0 {
		return 0, fmt.Errorf("must be between 0 and 100")
	}
	num := new(big.Int).Mul(big.NewInt(printed), r.Num())
	den := new(big.Int).Mul(big.NewInt(100), r.Denom())
	num.Add(num, den).Sub(num, big.NewInt(1)) // ceil for num >= 0
	return num.Quo(num, den).Int64(), nil
}

// computeQuotas finds the exact quota form of docs/planning.md#allocation-modes for the
// unlocked cells with demand, given the available stock A.
func computeQuotas(in materialInput, unlocked []int, available int64) quotas {
	ranks := 0
	for _, i := range unlocked {
		ranks = max(ranks, in.weight(i).rank+1)
	}
	// Per rank: W, Σd and Σ W·d over the unlocked cells of that rank. All
	// cells of a rank share W, so Σ W·d = W·Σd: the sums stay machine
	// words (bounded by res.Demand) and only one product per rank is big.
	w := make([]*big.Int, ranks)
	sumDRank := make([]int64, ranks)
	var demand int64
	for _, i := range unlocked {
		cw := in.weight(i)
		w[cw.rank] = cw.w
		sumDRank[cw.rank] += in.cells[i].Demand // cannot overflow: bounded by res.Demand
		demand += in.cells[i].Demand
	}
	sumD := make([]*big.Int, ranks)
	sumWD := make([]*big.Int, ranks)
	for r := range ranks {
		sumD[r] = big.NewInt(sumDRank[r])
		sumWD[r] = new(big.Int)
		if w[r] != nil {
			sumWD[r].Mul(sumD[r], w[r])
		}
	}
	a := big.NewInt(available)
	q := quotas{coef: make([]*big.Int, ranks)}
	switch {
	case available >= demand && in.surplus == SurplusReserve:
		// e = d: the surplus stays at the depot.
		q.mode, q.den, q.sumE = ModeReserve, big.NewInt(1), demand
		for r := range q.coef {
			q.coef[r] = big.NewInt(1)
		}
	case available >= demand:
		// e = d + S·w·d/T = d·(T + S·W)/T with T = Σ W·d.
		t := new(big.Int)
		for _, s := range sumWD {
			t.Add(t, s)
		}
		s := big.NewInt(available - demand)
		q.mode, q.den, q.sumE = ModeSurplus, t, available
		q.share = make([]*big.Int, ranks)
		for r := range q.coef {
			if w[r] != nil {
				q.share[r] = new(big.Int).Mul(s, w[r])
				q.coef[r] = new(big.Int).Add(t, q.share[r])
			}
		}
	default:
		waterFill(&q, w, sumD, sumWD, a, in.q)
		q.sumE = available
	}
	return q
}

// waterFill solves Σ min(d, μ·W·d) = A for μ exactly (docs/planning.md#scarcity,
// scarcity). Cells saturate (e = d) once μ ≥ 1/W, so ranks are visited by
// 1/W ascending (W descending, which is rank order): the segment is the
// first rank j whose saturation point already reaches A,
//
//	f(1/W_j) = Σd[rank ≤ j] + Σ(W·d)[rank > j] / W_j ≥ A,
//
// and on it f(μ) = Dsat + μ·Rest with Dsat = Σd[rank < j] and
// Rest = Σ(W·d)[rank ≥ j], so μ = (A − Dsat)/Rest. Unsaturated cells get
// e = d·(A − Dsat)·W/Rest and saturated ones e = d = d·Rest/Rest; λ = μ·Q
// is the level in terms of the decimal priorities.
func waterFill(q *quotas, w, sumD, sumWD []*big.Int, a, scale *big.Int) {
	n := len(w)
	restAfter := make([]*big.Int, n+1) // Σ(W·d) over ranks ≥ j
	restAfter[n] = new(big.Int)
	for j := n - 1; j >= 0; j-- {
		restAfter[j] = new(big.Int).Add(restAfter[j+1], sumWD[j])
	}
	dsat := new(big.Int) // Σd over ranks < j
	j := 0
	for ; j < n; j++ {
		if w[j] == nil {
			continue
		}
		// f(1/W_j)·W_j = (dsat + sumD[j])·W_j + restAfter[j+1]
		f := new(big.Int).Add(dsat, sumD[j])
		f.Mul(f, w[j]).Add(f, restAfter[j+1])
		if f.Cmp(new(big.Int).Mul(a, w[j])) >= 0 {
			break
		}
		dsat.Add(dsat, sumD[j])
	}
	// A < D guarantees the loop stops at a rank with cells, so Rest > 0.
	rest := restAfter[j]
	level := new(big.Int).Sub(a, dsat)
	q.mode, q.den = ModeScarcity, rest
	if a.Sign() == 0 { // locks and reserve took everything: λ = 0, e = 0
		q.mode = ModeNoStock
	}
	for r := range q.coef {
		switch {
		case w[r] == nil:
		case r < j:
			q.coef[r] = rest
		default:
			q.coef[r] = new(big.Int).Mul(level, w[r])
		}
	}
	q.lambda = new(big.Rat).SetFrac(new(big.Int).Mul(level, scale), rest)
}

// summarise totals a material's cells: allocated pieces (locks included),
// leftover, fill range and cells rounded to nothing.
func summarise(res *MaterialResult, cells []Cell) {
	var allocated int64
	var minFill, maxFill float64
	haveFill := false
	for i := range cells {
		c := &cells[i]
		allocated += c.Pieces
		if c.Demand == 0 {
			continue
		}
		if !c.Locked && c.Packs == 0 {
			res.ZeroCells++
		}
		f, _ := c.Fill()
		// Kept in locals and boxed once below: a pointer per improvement
		// was an allocation per cell.
		if !haveFill || f < minFill {
			minFill = f
		}
		if !haveFill || f > maxFill {
			maxFill = f
		}
		haveFill = true
	}
	if haveFill {
		res.MinFill, res.MaxFill = &minFill, &maxFill
	}
	res.Allocated = allocated
	res.Leftover = res.Printed - res.Reserve - allocated
	// When every cell with demand is locked, U is empty but there is
	// demand: the material does have target venues then, so the flag
	// follows demand alone (docs/planning.md#no-target-venues).
	res.NoTargetVenues = res.Demand == 0
}

// roundToPacks is docs/planning.md#rounding-to-packs: q = e/P, every cell gets floor(q)
// packs and the r = floor(Σe/P) − Σfloor(q) cells with the largest
// fractional parts one more; ties go to the higher priority, then the
// lower city code, then the lower category code. All fractions share the
// denominator den·P, so fractional parts compare as integer remainders.
//
// The cells of a material come sorted by city code then category code
// (materialInputs), so the last two tie-breaks are the cell's position:
// the sort compares integers only, never strings.
func roundToPacks(in materialInput, unlocked []int, q quotas) {
	p := in.m.PackSize
	den := new(big.Int).Mul(q.den, big.NewInt(p))
	rems := divideQuotas(in, unlocked, q, den)

	var floors int64
	for _, i := range unlocked {
		floors += in.cells[i].Why.PacksFloor
	}
	extra := min(max(int(q.sumE/p-floors), 0), len(unlocked))
	var order []packOrder
	if in.scratch != nil {
		order = sized(in.scratch.order, len(unlocked))
		in.scratch.order = order
	} else {
		order = make([]packOrder, len(unlocked))
	}
	for k, i := range unlocked {
		order[k] = packOrder{rank: int32(in.weight(i).rank), pos: int32(k)}
		if rems.large == nil {
			order[k].rem = rems.small[k]
		}
	}
	if rems.large != nil {
		rankRemainders(order, rems.large)
	}
	// Only which cells come first matters, not their order among
	// themselves: a selection is linear where a sort was n log n, and the
	// order is strict (positions differ), so the set is the same.
	selectFirst(order, extra)
	for k, o := range order {
		c := &in.cells[unlocked[o.pos]]
		c.Why.ExtraPack = k < extra
		c.Packs = c.Why.PacksFloor
		if c.Why.ExtraPack {
			c.Packs++
		}
		c.Pieces = c.Packs * p
	}
}

// rankRemainders replaces big remainders by their rank among them
// (equal remainders, equal ranks; larger, higher), so that packOrder
// compares machine words whatever the size of the numbers.
func rankRemainders(order []packOrder, large []*big.Int) {
	byRem := make([]int, len(large))
	for i := range byRem {
		byRem[i] = i
	}
	slices.SortFunc(byRem, func(a, b int) int { return large[a].Cmp(large[b]) })
	var r uint64
	for n, i := range byRem {
		if n > 0 && large[i].Cmp(large[byRem[n-1]]) != 0 {
			r++
		}
		order[i].rem = r // order[i].pos == i: not yet reordered
	}
}

// before is the order of rounding to packs: larger remainder first, then
// higher priority (lower rank), then lower position (city, category).
func before(a, b *packOrder) bool {
	if a.rem != b.rem {
		return a.rem > b.rem
	}
	if a.rank != b.rank {
		return a.rank < b.rank
	}
	return a.pos < b.pos
}

// selectFirst reorders s so that s[:k] holds the k elements that come
// first under the strict total order before, in no particular order
// (quickselect, median-of-three pivots: deterministic, linear on average).
func selectFirst(s []packOrder, k int) {
	lo, hi := 0, len(s) // the boundary k lies in s[lo:hi]
	for hi-lo > 1 && k > lo && k < hi {
		// Median of three to s[hi-1], then Lomuto partition around it.
		mid := lo + (hi-lo)/2
		if before(&s[mid], &s[lo]) {
			s[mid], s[lo] = s[lo], s[mid]
		}
		if before(&s[hi-1], &s[lo]) {
			s[hi-1], s[lo] = s[lo], s[hi-1]
		}
		if before(&s[mid], &s[hi-1]) {
			s[mid], s[hi-1] = s[hi-1], s[mid]
		}
		pivot := s[hi-1]
		store := lo
		for i := lo; i < hi-1; i++ {
			if before(&s[i], &pivot) {
				s[i], s[store] = s[store], s[i]
				store++
			}
		}
		s[store], s[hi-1] = s[hi-1], s[store]
		// s[lo:store] come before the pivot at store, s[store+1:hi] after.
		switch {
		case k <= store:
			hi = store
		default:
			lo = store + 1
		}
	}
}

// packOrder is one unlocked cell as roundToPacks orders them: its
// remainder (machine-word case), priority rank and position in unlocked.
type packOrder struct {
	rem       uint64
	rank, pos int32 // ranks < cities, positions < MaxPlanCells: 16 bytes a cell
}

// remainders are the numerators of the fractional parts q − floor(q) of
// the unlocked cells, over the shared denominator: machine words when
// everything fits (the usual case), big integers otherwise.
type remainders struct {
	small []uint64
	large []*big.Int
}

// divideQuotas computes every unlocked cell's exact quota e = d·coef/q.den
// and floor(e/P) with its remainder over den = q.den·P, and fills the
// cell's explanation. When den and the coefficients fit in 64 bits the
// 128-bit product d·coef and its division by den are exact in machine
// words (bits.Mul64, bits.Div64): the quotient is at most Σe/P, which fits,
// so Div64 cannot overflow. Otherwise it falls back to big.Int. The
// explanation keeps the rank's coefficients, not their product with d
// (Cell.Quota multiplies when asked).
func divideQuotas(in materialInput, unlocked []int, q quotas, den *big.Int) remainders {
	fast := den.IsUint64() && !in.bigOnly
	for _, c := range q.coef {
		fast = fast && (c == nil || c.IsUint64())
	}
	var rems remainders
	if fast {
		if in.scratch != nil {
			rems.small = sized(in.scratch.small, len(unlocked))
			in.scratch.small = rems.small
		} else {
			rems.small = make([]uint64, len(unlocked))
		}
	} else {
		rems.large = make([]*big.Int, len(unlocked))
	}
	denU := den.Uint64()
	coefs := make([]quotaCoefs, len(q.coef)) // by rank, shared by its cells' explanations
	for r := range coefs {
		coefs[r] = quotaCoefs{quota: q.coef[r], den: q.den}
		if q.share != nil {
			coefs[r].share = q.share[r]
		}
	}
	for k, i := range unlocked {
		c := &in.cells[i]
		rank := in.weight(i).rank
		coef := q.coef[rank]
		if fast {
			hi, lo := bits.Mul64(uint64(c.Demand), coef.Uint64())
			quo, rem := bits.Div64(hi, lo, denU)
			c.Why.PacksFloor, rems.small[k] = int64(quo), rem
		} else {
			num := new(big.Int).Mul(big.NewInt(c.Demand), coef)
			quo, rem := new(big.Int).QuoRem(num, den, new(big.Int))
			c.Why.PacksFloor, rems.large[k] = quo.Int64(), rem
		}
		c.Why.Mode = q.mode
		c.Why.coefs = &coefs[rank]
		c.Why.Lambda = q.lambda
	}
	return rems
}

// addInt64 adds non-negative counts, failing rather than wrapping around.
func addInt64(a, b int64) (int64, error) {
	if b < 0 || a > math.MaxInt64-b {
		return 0, fmt.Errorf("overflow")
	}
	return a + b, nil
}

// mulInt64 multiplies non-negative counts, failing rather than wrapping around.
func mulInt64(a, b int64) (int64, error) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if a < 0 || b < 0 || hi != 0 || lo > math.MaxInt64 {
		return 0, fmt.Errorf("overflow")
	}
	return int64(lo), nil
}
