package planner

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"
	"strconv"
	"strings"
)

// BoxItem is what one box holds of one material.
type BoxItem struct {
	Material string
	Packs    int64
	Pieces   int64
}

// BoxRun is a run of consecutively numbered boxes with the same contents:
// boxes First..Last (1-based, inclusive) each hold Items. A shipment of a
// million full boxes of one material is one run, so a plan's packing stays
// as small as its lines however large the quantities.
type BoxRun struct {
	First, Last int64
	Items       []BoxItem // per box, sorted by material code
	WeightKg    *Decimal  // per box, exact; nil unless every material in it has piece_grams
}

// Count is the number of boxes in the run.
func (r BoxRun) Count() int64 { return r.Last - r.First + 1 }

// Mixed reports whether the run's boxes hold more than one material.
func (r BoxRun) Mixed() bool { return len(r.Items) > 1 }

// BoxCount is the number of boxes of a packing: the N of "box i of N".
func BoxCount(runs []BoxRun) int64 {
	var n int64
	for _, r := range runs {
		n += r.Count()
	}
	return n
}

// BoxAt returns the run holding box number no (1..BoxCount), so that a
// label or a receipt can show that one box's contents.
func BoxAt(runs []BoxRun, no int64) (BoxRun, bool) {
	i, found := slices.BinarySearchFunc(runs, no, func(r BoxRun, no int64) int {
		switch {
		case r.Last < no:
			return -1
		case r.First > no:
			return 1
		}
		return 0
	})
	if !found {
		return BoxRun{}, false
	}
	return runs[i], true
}

// PackBoxes packs a shipment's lines into boxes numbered 1..N
// (docs/planning.md#packing-boxes):
//
//  1. every material, in code order, fills as many full boxes as it can
//     (packs_per_box packs each);
//  2. what is left of each material, its remainder of fewer than
//     packs_per_box packs, is a partial box that fills rem/packs_per_box of
//     a box; the partial boxes are combined first-fit-decreasing on that
//     share (largest share first, ties by material code), a remainder
//     joining the first box opened so far that still has room for it
//     (shares summing to at most 1, compared exactly). A remainder is never
//     split, and packs never are.
//
// A remainder joins another box only when it fits, and each time it does
// the shipment needs one box less; so materials are mixed only when that
// saves a box, and N is never more than the one-material-per-box count
// Σ ceil(packs / packs_per_box). The result depends only on the lines and
// the materials: the same plan gives the same boxes. Lines with no packs
// take no box.
//
// Errors (EInvalid naming lines[i]): an unknown material or one listed
// twice, a material without a positive pack size or packs per box,
// negative packs, or pieces that are not packs × pack_size.
func PackBoxes(materials []Material, lines []ShipmentLine) ([]BoxRun, error) {
	return newBoxPacker(materials).pack(lines)
}

// boxPacker is what PackBoxes looks up about materials, built once so
// that a plan packing a shipment per city does not rebuild it (and parse
// every piece_grams again) per shipment.
type boxPacker struct {
	byCode map[string]*Material
	grams  map[string]*pieceGrams // materials with piece_grams
	// full caches the weight of a material's full box: every shipment's
	// full boxes of a material weigh the same.
	full map[string]*Decimal
	// Scratch reused from one shipment to the next (none of it ends up
	// in a result): a plan packs a shipment per city.
	order []int
	fulls []int64
	parts []partialBox
	ffd   ffdScratch
}

// ffdScratch is firstFitDecreasing's working memory, kept between calls.
type ffdScratch struct {
	order, boxOf []int32
	inBox        []partialBox
	fill         []float64
	counts       []int
}

// sized is s with length n, reusing its array when it is large enough;
// the elements are not cleared.
func sized[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

func newBoxPacker(materials []Material) *boxPacker {
	bp := &boxPacker{
		byCode: make(map[string]*Material, len(materials)),
		grams:  make(map[string]*pieceGrams, len(materials)),
		full:   make(map[string]*Decimal, len(materials)),
	}
	for i := range materials {
		bp.byCode[materials[i].Code] = &materials[i]
	}
	// Through byCode, so that a code listed twice weighs as it packs.
	for code, m := range bp.byCode {
		if m.PieceGrams != nil {
			bp.grams[code] = newPieceGrams(*m.PieceGrams)
		}
	}
	return bp
}

// pack is PackBoxes with the packer's materials.
func (bp *boxPacker) pack(lines []ShipmentLine) ([]BoxRun, error) {
	byCode := bp.byCode
	order := sized(bp.order, len(lines))
	bp.order = order
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(lines[a].Material, lines[b].Material) })
	// One backing array for the one-material runs' items: a national plan
	// packs thousands of shipments. The runs are made once the partial
	// boxes are known, with room for exactly the full runs and those boxes
	// (room for two runs a line was a tenth of a 2009 plan's bytes).
	items := make([]BoxItem, 0, len(lines))
	fulls := sized(bp.fulls, len(lines))[:0] // full boxes of items[i]
	parts := sized(bp.parts, len(lines))[:0]
	for n, i := range order {
		l := lines[i]
		m, err := packableLine(byCode, l, i)
		if err != nil {
			return nil, err
		}
		if n > 0 && lines[order[n-1]].Material == l.Material {
			// one line per material, or its remainder would be packed twice
			return nil, planInvalid(fmt.Sprintf("lines[%d].material", i), MsgListedTwice, "%q is listed twice", l.Material)
		}
		if l.Packs == 0 {
			continue
		}
		if full := l.Packs / m.PacksPerBox; full > 0 {
			items = append(items, BoxItem{Material: m.Code, Packs: m.PacksPerBox, Pieces: m.PacksPerBox * m.PackSize})
			fulls = append(fulls, full)
		}
		if rem := l.Packs % m.PacksPerBox; rem > 0 {
			parts = append(parts, partialBox{BoxItem{Material: m.Code, Packs: rem, Pieces: rem * m.PackSize}, m.PacksPerBox})
		}
	}
	bp.fulls, bp.parts = fulls[:0], parts[:0]
	boxes := firstFitDecreasing(parts, &bp.ffd)
	runs := make([]BoxRun, 0, len(fulls)+len(boxes))
	var next int64 = 1
	for i, full := range fulls {
		runs = append(runs, BoxRun{First: next, Last: next + full - 1, Items: items[i : i+1 : i+1]})
		next += full
	}
	fullRuns := len(runs) // one material each, packs_per_box packs a box
	for _, b := range boxes {
		runs = append(runs, BoxRun{First: next, Last: next, Items: b})
		next++
	}
	bp.weigh(runs, fullRuns)
	return runs, nil
}

// weigh sets every run's WeightKg (boxWeight of its items), the
// weights of a shipment in one allocation. The first fullRuns runs are
// full boxes of one material, weighed once per packer: every shipment's
// full boxes of a material weigh the same.
func (bp *boxPacker) weigh(runs []BoxRun, fullRuns int) {
	weights := make([]Decimal, len(runs))
	for i := range runs {
		var ok bool
		if i < fullRuns {
			code := runs[i].Items[0].Material
			w, seen := bp.full[code]
			if !seen {
				if v, ok := boxWeight(bp.grams, runs[i].Items); ok {
					w = &v
				}
				bp.full[code] = w
			}
			if ok = w != nil; ok {
				weights[i] = *w
			}
		} else {
			weights[i], ok = boxWeight(bp.grams, runs[i].Items)
		}
		if ok {
			runs[i].WeightKg = &weights[i]
		}
	}
}

// packableLine checks one line and returns its material.
func packableLine(byCode map[string]*Material, l ShipmentLine, i int) (*Material, error) {
	m, ok := byCode[l.Material]
	if ok && m.PackSize >= 1 && m.PacksPerBox >= 1 && l.Packs >= 0 &&
		l.Packs <= math.MaxInt64/m.PackSize && l.Pieces == l.Packs*m.PackSize {
		return m, nil // the usual case, without formatting a path nobody reads
	}
	path := fmt.Sprintf("lines[%d]", i)
	switch {
	case !ok:
		return nil, planInvalid(path+".material", MsgNotAMaterial, "%q is not a material of this campaign", l.Material)
	case m.PackSize < 1 || m.PacksPerBox < 1:
		return nil, planInvalid(path+".material", MsgPackPositive, "pack_size and packs_per_box of %q must be positive", l.Material)
	case l.Packs < 0:
		return nil, planInvalid(path+".packs", MsgNegative, "must not be negative")
	case l.Packs > math.MaxInt64/m.PackSize || l.Pieces != l.Packs*m.PackSize:
		return nil, planInvalid(path+".pieces", MsgMultipleOfPack, "must be the %d packs times the pack size of %q (%d)",
			l.Packs, m.Code, m.PackSize)
	}
	return m, nil
}

// partialBox is a material's remainder: item fills item.Packs/perBox of a box.
type partialBox struct {
	item   BoxItem
	perBox int64
}

// firstFitDecreasing combines the partial boxes and returns the boxes'
// contents in the order the boxes were opened, each sorted by material.
func firstFitDecreasing(parts []partialBox, s *ffdScratch) [][]BoxItem {
	if len(parts) == 0 {
		return nil
	}
	if s == nil {
		s = &ffdScratch{}
	}
	// Shares compare exactly by cross-multiplication: packs and packs per
	// box are at most MaxPacksPerBox, so the products fit in an int64.
	// Positions are sorted, not the parts (strings moved under write
	// barriers); the position breaks the last ties as a stable sort would.
	order := sized(s.order, len(parts))
	s.order = order
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		a, b := &parts[i], &parts[j]
		return cmp.Or(cmp.Compare(b.item.Packs*a.perBox, a.item.Packs*b.perBox),
			strings.Compare(a.item.Material, b.item.Material), cmp.Compare(i, j))
	})
	// Each part records its box; the parts already in a box are listed
	// (inBox) only for the rare exact test. The boxes' items then share
	// one backing array.
	boxOf := sized(s.boxOf, len(parts))
	s.boxOf = boxOf
	fill := s.fill[:0]
	inBox := sized(s.inBox, len(parts))[:0]
	s.inBox = inBox
	for _, i := range order {
		p := parts[i]
		share := float64(p.item.Packs) / float64(p.perBox)
		boxOf[i] = int32(len(fill))
		for j := range fill {
			inBox = inBox[:0]
			if sum := fill[j] + share; sum >= 1-1e-9 && sum <= 1+1e-9 {
				for _, k := range order { // those placed so far, in placing order
					if k == i {
						break
					}
					if boxOf[k] == int32(j) {
						inBox = append(inBox, parts[k])
					}
				}
			}
			if fits(fill[j], share, inBox, p) {
				boxOf[i], fill[j] = int32(j), fill[j]+share
				break
			}
		}
		if boxOf[i] == int32(len(fill)) {
			fill = append(fill, share)
		}
	}
	s.fill = fill
	counts := sized(s.counts, len(fill))
	s.counts = counts
	clear(counts)
	for _, j := range boxOf {
		counts[j]++
	}
	items := make([]BoxItem, len(parts))
	out := make([][]BoxItem, len(fill))
	at := 0
	for j, n := range counts {
		out[j], at = items[at:at:at+n], at+n
	}
	for _, i := range order {
		out[boxOf[i]] = append(out[boxOf[i]], parts[i].item)
	}
	for j := range out {
		slices.SortFunc(out[j], func(x, y BoxItem) int { return strings.Compare(x.Material, y.Material) })
	}
	return out
}

// fits reports whether p fits in a box already filled to fill by box.
// Shares are multiples of 1/packs_per_box ≥ 1/MaxPacksPerBox and a box
// holds a few of them, so the float sum is within 1e-12 of the exact one:
// only a sum that close to 1 is decided exactly.
func fits(fill, share float64, box []partialBox, p partialBox) bool {
	switch sum := fill + share; {
	case sum < 1-1e-9:
		return true
	case sum > 1+1e-9:
		return false
	}
	// Exactly: over a common multiple L of the packs per box, the shares
	// are integers and the box holds them when they sum to at most L.
	// Boxes mostly hold materials with the same packs per box, so L
	// stays small; big.Rat is for the rest.
	l := uint64(p.perBox)
	for _, q := range box {
		g := gcd(l, uint64(q.perBox))
		hi, lo := bits.Mul64(l/g, uint64(q.perBox))
		if hi != 0 || lo > math.MaxInt64 {
			return fitsRat(box, p)
		}
		l = lo
	}
	sum, ok := uint64(0), true
	add := func(q partialBox) {
		hi, share := bits.Mul64(uint64(q.item.Packs), l/uint64(q.perBox))
		var carry uint64
		sum, carry = bits.Add64(sum, share, 0)
		ok = ok && hi == 0 && carry == 0
	}
	add(p)
	for _, q := range box {
		add(q)
	}
	if !ok {
		return fitsRat(box, p)
	}
	return sum <= l
}

// fitsRat is fits' exact test in rationals.
func fitsRat(box []partialBox, p partialBox) bool {
	exact := big.NewRat(p.item.Packs, p.perBox)
	for _, q := range box {
		exact.Add(exact, big.NewRat(q.item.Packs, q.perBox))
	}
	return exact.Cmp(big.NewRat(1, 1)) <= 0
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// pieceGrams is a material's piece_grams, also as n / 10^d when it is
// written with at most 9 decimals and no exponent (every real campaign):
// then a box's weight is integer arithmetic, which is what makes packing a
// national plan cheap; big.Rat stays for the rest and for overflow.
type pieceGrams struct {
	dec   Decimal
	n     int64
	d     int
	small bool
}

func newPieceGrams(g Decimal) *pieceGrams {
	pg := &pieceGrams{dec: g}
	whole, frac, _ := strings.Cut(g.String(), ".")
	if len(frac) <= 9 && len(whole)+len(frac) <= 15 && strings.Trim(whole+frac, "0123456789") == "" {
		n, err := strconv.ParseInt(whole+frac, 10, 64)
		pg.n, pg.d, pg.small = n, len(frac), err == nil
	}
	return pg
}

// boxWeight is the exact weight of one box in kilograms; ok is false when
// a material in the box has no piece_grams.
func boxWeight(grams map[string]*pieceGrams, items []BoxItem) (Decimal, bool) {
	small := true
	d := 0
	for _, it := range items {
		pg := grams[it.Material]
		if pg == nil {
			return Decimal{}, false
		}
		small = small && pg.small
		d = max(d, pg.d)
	}
	if small {
		if w, ok := smallWeight(grams, items, d); ok {
			return w, true
		}
	}
	g := new(big.Rat)
	for _, it := range items {
		g.Add(g, new(big.Rat).Mul(grams[it.Material].dec.Rat(), new(big.Rat).SetInt64(it.Pieces)))
	}
	return exactDecimal(g.Quo(g, big.NewRat(1000, 1))), true
}

// smallWeight sums pieces × piece_grams in units of 10^-d grams; ok is
// false when a product or the sum would overflow.
func smallWeight(grams map[string]*pieceGrams, items []BoxItem, d int) (Decimal, bool) {
	var sum uint64
	for _, it := range items {
		pg := grams[it.Material]
		n := uint64(pg.n)
		for range d - pg.d {
			hi, lo := bits.Mul64(n, 10)
			if hi != 0 {
				return Decimal{}, false
			}
			n = lo
		}
		hi, lo := bits.Mul64(n, uint64(it.Pieces))
		var carry uint64
		sum, carry = bits.Add64(sum, lo, 0)
		if hi != 0 || carry != 0 || sum > math.MaxInt64 {
			return Decimal{}, false
		}
	}
	// sum / 10^(d+3) kilograms, written with exactly the digits it needs.
	digits := strconv.FormatUint(sum, 10)
	scale := d + 3
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	whole, frac := digits[:len(digits)-scale], strings.TrimRight(digits[len(digits)-scale:], "0")
	if frac == "" {
		return Decimal{s: whole}, true
	}
	return Decimal{s: whole + "." + frac}, true
}

// exactDecimal writes r, a product of decimals of at most 64 characters
// divided by 1000: 70 decimal places hold all the digits of any piece_grams
// a campaign file can hold without an exponent, and the trailing zeros go.
func exactDecimal(r *big.Rat) Decimal {
	s := r.FloatString(70)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return Decimal{s: s}
}

// FirstBoxOf returns the lowest-numbered run holding material: one of its
// full boxes when it fills any (they come first), else the box its
// remainder travels in. The manifest gives its weight as the material's
// weight per box.
func FirstBoxOf(runs []BoxRun, material string) (BoxRun, bool) {
	for _, r := range runs {
		for _, it := range r.Items {
			if it.Material == material {
				return r, true
			}
		}
	}
	return BoxRun{}, false
}
