package planner

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"slices"
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
// Errors (EInvalid naming lines[i]): an unknown material, a material
// without a positive pack size or packs per box, negative packs, or pieces
// that are not packs × pack_size.
func PackBoxes(materials []Material, lines []ShipmentLine) ([]BoxRun, error) {
	byCode := make(map[string]*Material, len(materials))
	for i := range materials {
		byCode[materials[i].Code] = &materials[i]
	}
	order := make([]int, len(lines))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(lines[a].Material, lines[b].Material) })
	var runs []BoxRun
	var parts []partialBox
	var next int64 = 1
	for _, i := range order {
		l := lines[i]
		m, err := packableLine(byCode, l, i)
		if err != nil {
			return nil, err
		}
		if l.Packs == 0 {
			continue
		}
		if full := l.Packs / m.PacksPerBox; full > 0 {
			it := BoxItem{Material: m.Code, Packs: m.PacksPerBox, Pieces: m.PacksPerBox * m.PackSize}
			runs = append(runs, BoxRun{First: next, Last: next + full - 1, Items: []BoxItem{it}})
			next += full
		}
		if rem := l.Packs % m.PacksPerBox; rem > 0 {
			parts = append(parts, partialBox{BoxItem{Material: m.Code, Packs: rem, Pieces: rem * m.PackSize}, m.PacksPerBox})
		}
	}
	for _, b := range firstFitDecreasing(parts) {
		runs = append(runs, BoxRun{First: next, Last: next, Items: b})
		next++
	}
	for i := range runs {
		runs[i].WeightKg = boxWeightKg(byCode, runs[i].Items)
	}
	return runs, nil
}

// packableLine checks one line and returns its material.
func packableLine(byCode map[string]*Material, l ShipmentLine, i int) (*Material, error) {
	path := fmt.Sprintf("lines[%d]", i)
	m, ok := byCode[l.Material]
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
func firstFitDecreasing(parts []partialBox) [][]BoxItem {
	if len(parts) == 0 {
		return nil
	}
	// Shares compare exactly by cross-multiplication: packs and packs per
	// box are at most MaxPacksPerBox, so the products fit in an int64.
	slices.SortStableFunc(parts, func(a, b partialBox) int {
		return cmp.Or(cmp.Compare(b.item.Packs*a.perBox, a.item.Packs*b.perBox),
			strings.Compare(a.item.Material, b.item.Material))
	})
	var boxes [][]BoxItem
	var fill []*big.Rat
	one := big.NewRat(1, 1)
	for _, p := range parts {
		share := big.NewRat(p.item.Packs, p.perBox)
		placed := false
		for j := range boxes {
			if sum := new(big.Rat).Add(fill[j], share); sum.Cmp(one) <= 0 {
				boxes[j], fill[j], placed = append(boxes[j], p.item), sum, true
				break
			}
		}
		if !placed {
			boxes, fill = append(boxes, []BoxItem{p.item}), append(fill, share)
		}
	}
	for _, b := range boxes {
		slices.SortFunc(b, func(x, y BoxItem) int { return strings.Compare(x.Material, y.Material) })
	}
	return boxes
}

// boxWeightKg is the exact weight of one box, or nil when a material in it
// has no piece_grams.
func boxWeightKg(byCode map[string]*Material, items []BoxItem) *Decimal {
	g := new(big.Rat)
	for _, it := range items {
		m := byCode[it.Material]
		if m.PieceGrams == nil {
			return nil
		}
		g.Add(g, new(big.Rat).Mul(m.PieceGrams.Rat(), new(big.Rat).SetInt64(it.Pieces)))
	}
	d := exactDecimal(g.Quo(g, big.NewRat(1000, 1)))
	return &d
}

// exactDecimal writes r, whose denominator has no prime factor but 2 and
// 5 (a product of decimals), with exactly the digits it needs.
func exactDecimal(r *big.Rat) Decimal {
	den := new(big.Int).Set(r.Denom())
	digits := 0
	ten, two, five := big.NewInt(10), big.NewInt(2), big.NewInt(5)
	mod := new(big.Int)
	for den.Cmp(big.NewInt(1)) != 0 && digits < 64 {
		switch {
		case mod.Mod(den, ten).Sign() == 0:
			den.Quo(den, ten)
		case mod.Mod(den, two).Sign() == 0:
			den.Quo(den, two)
		case mod.Mod(den, five).Sign() == 0:
			den.Quo(den, five)
		default:
			digits = 64 // not a finite decimal: cannot come from decimal inputs
			continue
		}
		digits++
	}
	s := r.FloatString(digits)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
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
