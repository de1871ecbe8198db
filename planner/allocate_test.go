package planner

import (
	"cmp"
	"math/big"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// oneMaterial is a campaign with material M (pack size pack) targeting
// category X at one piece per venue, and the given cities with their
// priorities and X-venue counts.
func oneMaterial(printed int64, reservePct string, pack int64, surplus Surplus, cities ...cityCount) *Campaign {
	c := testCampaign().withCategory("X").withMaterial("M", printed, reservePct, pack, 10).withTarget("M", "X", 1)
	c.Surplus = surplus
	for _, k := range cities {
		c.withCity(k.code, k.priority, 0)
		c.withCount(k.code, "X", k.venues)
	}
	return c
}

type cityCount struct {
	code, priority string
	venues         int64
}

// TestAllocateHandWorked checks docs/planning.md#allocation-modes on cases worked out by hand; each
// comment shows the arithmetic.
func TestAllocateHandWorked(t *testing.T) {
	tests := []struct {
		name     string
		campaign *Campaign
		want     map[string]int64 // "city/category" -> pieces
		leftover int64
	}{
		{
			// D = 700, S = 300, T = 700: e = d·10/7 → A 214.29, B 357.14, C 428.57;
			// q = 2.14, 3.57, 4.29; floors 9, r = 10 − 9 = 1 → B (largest fraction).
			name: "spread, extra pack to the largest fraction",
			campaign: oneMaterial(1000, "0", 100, SurplusSpread,
				cityCount{"A", "1", 150}, cityCount{"B", "1", 250}, cityCount{"C", "1", 300}),
			want: map[string]int64{"A/X": 200, "B/X": 400, "C/X": 400},
		},
		{
			// reserve mode, e = d: q = 1.6 and 1.5, r = floor(3.1) − 2 = 1 →
			// A: its fraction 0.6 beats B's 0.5 although B has priority 2.
			name:     "fraction beats priority",
			campaign: oneMaterial(1000, "0", 100, SurplusReserve, cityCount{"A", "1", 160}, cityCount{"B", "2", 150}),
			want:     map[string]int64{"A/X": 200, "B/X": 100},
			leftover: 700,
		},
		{
			// w·d = 0.3·100 = 0.1·300 = 30, T = 60, S = 550 − 400 = 150:
			// e = 100 + 75, 300 + 75 → q = 1.75, 3.75, exactly tied;
			// r = floor(5.5) − 4 = 1 → A, the higher priority.
			name:     "exact fraction tie goes to the higher priority",
			campaign: oneMaterial(550, "0", 100, SurplusSpread, cityCount{"A", "0.3", 100}, cityCount{"B", "0.1", 300}),
			want:     map[string]int64{"A/X": 200, "B/X": 300},
			leftover: 50,
		},
		{
			// q = 1.5 each, same priority 1.10 = 1.1; r = 3 − 2 = 1 → city A.
			name:     "then the lower city code",
			campaign: oneMaterial(1000, "0", 100, SurplusReserve, cityCount{"B", "1.1", 150}, cityCount{"A", "1.10", 150}),
			want:     map[string]int64{"A/X": 200, "B/X": 100},
			leftover: 700,
		},
		{
			// reserve mode, e = d: q = 0.3, 0.4, 0.5; r = floor(1.2) − 0 = 1 → C;
			// A and B are rounded to nothing.
			name: "cells rounded to zero packs",
			campaign: oneMaterial(1000, "0", 100, SurplusReserve,
				cityCount{"A", "1", 30}, cityCount{"B", "1", 40}, cityCount{"C", "1", 50}),
			want:     map[string]int64{"A/X": 0, "B/X": 0, "C/X": 100},
			leftover: 900,
		},
		{
			// R = ceil(1001·2.5/100) = ceil(25.025) = 26, A = 975 ≥ D = 500;
			// spread S = 475 equally: e = 487.5 each, q = 48.75; floors 96,
			// r = floor(97.5) − 96 = 1 → A.
			name:     "decimal reserve rounds up",
			campaign: oneMaterial(1001, "2.5", 10, SurplusSpread, cityCount{"A", "1", 250}, cityCount{"B", "1", 250}),
			want:     map[string]int64{"A/X": 490, "B/X": 480},
			leftover: 5,
		},
		{
			// w = 2, 1; d = 300, 500; A = 555 < 800. A saturates at λ = 1/2:
			// f(1/2) = 300 + 250 = 550 < 555, so 300 + 500λ = 555, λ = 0.51;
			// e_B = 255, q = 25.5; r = 55 − 55 = 0.
			name:     "scarcity, the higher priority saturates",
			campaign: oneMaterial(555, "0", 10, SurplusSpread, cityCount{"A", "2", 300}, cityCount{"B", "1", 500}),
			want:     map[string]int64{"A/X": 300, "B/X": 250},
			leftover: 5,
		},
		{
			// w = 1.5, 1, 0.5; d = 100, 200, 400; A = 330. f(1/1.5) = 100 +
			// (2/3)(200 + 200) > 330, so no one saturates: λ(150 + 200 + 200) = 330,
			// λ = 0.6; e = 90, 120, 120; q (P = 7) = 12 6/7, 17 1/7, 17 1/7;
			// r = floor(330/7) − 46 = 1 → A.
			name: "scarcity, nobody saturated",
			campaign: oneMaterial(330, "0", 7, SurplusReserve,
				cityCount{"A", "1.5", 100}, cityCount{"B", "1", 200}, cityCount{"C", "0.5", 400}),
			want:     map[string]int64{"A/X": 91, "B/X": 119, "C/X": 119},
			leftover: 1,
		},
		{
			// same cities, A = 500: f(1) = 100 + 200 + 0.5·400 = 500 exactly,
			// λ = 1 at a breakpoint: e = 100, 200, 200.
			name: "scarcity, λ at a breakpoint",
			campaign: oneMaterial(500, "0", 10, SurplusSpread,
				cityCount{"A", "1.5", 100}, cityCount{"B", "1", 200}, cityCount{"C", "0.5", 400}),
			want: map[string]int64{"A/X": 100, "B/X": 200, "C/X": 200},
		},
		{
			// A = 600: 300 + 0.5·400·λ = 600, λ = 1.5, e_C = 300.
			name: "scarcity, two cities saturated",
			campaign: oneMaterial(600, "0", 10, SurplusSpread,
				cityCount{"A", "1.5", 100}, cityCount{"B", "1", 200}, cityCount{"C", "0.5", 400}),
			want: map[string]int64{"A/X": 100, "B/X": 200, "C/X": 300},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustCompute(t, tt.campaign)
			if got := piecesOf(p, "M"); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("pieces = %v, want %v", got, tt.want)
			}
			if got := materialOf(t, p, "M").Leftover; got != tt.leftover {
				t.Errorf("leftover = %d, want %d", got, tt.leftover)
			}
		})
	}
}

// TestAllocateCategoryTieBreak: one city, two categories with equal
// fractions (q = 1.5 each, reserve mode): the extra pack goes to X.
func TestAllocateCategoryTieBreak(t *testing.T) {
	c := testCampaign().withCategory("Y", "X").withCity("A", "1", 0).
		withMaterial("M", 1000, "0", 100, 10).withTarget("M", "Y", 1).withTarget("M", "X", 1).
		withCount("A", "Y", 150).withCount("A", "X", 150)
	c.Surplus = SurplusReserve
	p := mustCompute(t, c)
	want := map[string]int64{"A/X": 200, "A/Y": 100}
	if got := piecesOf(p, "M"); !reflect.DeepEqual(got, want) {
		t.Errorf("pieces = %v, want %v", got, want)
	}
}

func TestReservePieces(t *testing.T) {
	tests := []struct {
		printed int64
		pct     string
		want    int64
	}{
		{1000, "2.5", 25}, // exactly 25
		{1001, "2.5", 26}, // 25.025 → 26
		{999, "2", 20},    // 19.98 → 20
		{900000, "2", 18000},
		{1000, "0", 0},
		{0, "50", 0},
		{3, "33.3", 1}, // 0.999 → 1
		{7, "1e1", 1},  // 0.7 → 1
	}
	for _, tt := range tests {
		got, err := reservePieces(tt.printed, MustDecimal(tt.pct))
		if err != nil || got != tt.want {
			t.Errorf("reservePieces(%d, %s) = %d, %v; want %d", tt.printed, tt.pct, got, err, tt.want)
		}
	}
}

// TestAllocateLocks covers locks: they take their pieces first, may sit
// on a cell without demand, may consume the whole stock, and may not
// exceed it.
func TestAllocateLocks(t *testing.T) {
	base := func() *Campaign {
		c := testCampaign().withCategory("X", "Y").withCity("A", "1", 0).withCity("B", "1", 0).
			withMaterial("N", 10, "0", 1, 1). // at index 0, so M is materials[1]
			withMaterial("M", 1000, "0", 100, 10).withTarget("M", "X", 1).
			withCount("A", "X", 300).withCount("B", "X", 200)
		return c
	}
	t.Run("lock on a cell with no demand", func(t *testing.T) {
		// The lock takes 200 → A = 800 ≥ D = 500, S = 300 shared 3:2 →
		// e = 480, 320; q = 4.8, 3.2; r = 8 − 7 = 1 → A/X.
		p := mustCompute(t, base().withLock("M", "A", "Y", 200))
		want := map[string]int64{"A/X": 500, "A/Y": 200, "B/X": 300}
		if got := piecesOf(p, "M"); !reflect.DeepEqual(got, want) {
			t.Errorf("pieces = %v, want %v", got, want)
		}
		cell := cellOf(t, p, "M", "A", "Y")
		if !cell.Locked || cell.Demand != 0 || cell.Packs != 2 || cell.Why.Mode != ModeLocked {
			t.Errorf("locked cell = %+v", cell)
		}
		if _, ok := cell.Fill(); ok {
			t.Error("a cell without demand has a fill")
		}
		m := materialOf(t, p, "M")
		if m.Locked != 200 || m.Allocated != 1000 || m.Demand != 500 || m.Leftover != 0 {
			t.Errorf("totals = %+v", m)
		}
	})
	t.Run("locks consume all stock", func(t *testing.T) {
		p := mustCompute(t, base().withLock("M", "A", "X", 1000))
		b := cellOf(t, p, "M", "B", "X")
		if b.Pieces != 0 || b.Why.Mode != ModeNoStock || b.Why.Lambda.Sign() != 0 {
			t.Errorf("B/X = %+v", b)
		}
		m := materialOf(t, p, "M")
		if m.Allocated != 1000 || m.Leftover != 0 || m.ZeroCells != 1 || !m.Scarce {
			t.Errorf("totals = %+v", m)
		}
		if *m.MinFill != 0 || *m.MaxFill != 1000.0/300 {
			t.Errorf("fills = %v, %v", *m.MinFill, *m.MaxFill)
		}
	})
	t.Run("locks beyond stock", func(t *testing.T) {
		c := base().withLock("M", "A", "X", 1000)
		c.Materials[1].ReservePct = MustDecimal("0.1") // R = 1, A = −1
		_, err := Compute(c)
		if ErrorCode(err) != EInvalid {
			t.Fatalf("err = %v, want invalid", err)
		}
		if f := ErrorFields(err); len(f) != 1 || f[0].Path != "materials[1]" {
			t.Errorf("fields = %v, want materials[1]", f)
		}
	})
}

// TestAllocateNoTargetVenues: a material with no targeting, and one whose
// targeted category has no venues, allocate nothing and say so.
func TestAllocateNoTargetVenues(t *testing.T) {
	c := testCampaign().withCategory("X", "Y").withCity("A", "1", 0).
		withMaterial("M", 1000, "10", 100, 10).withMaterial("N", 500, "0", 10, 10).
		withTarget("N", "Y", 5).withCount("A", "X", 10)
	p := mustCompute(t, c)
	if len(p.Cells) != 0 {
		t.Errorf("cells = %v, want none", p.Cells)
	}
	for _, want := range []MaterialResult{
		{Code: "M", Printed: 1000, Reserve: 100, Leftover: 900, NoTargetVenues: true},
		{Code: "N", Printed: 500, Leftover: 500, NoTargetVenues: true},
	} {
		if got := materialOf(t, p, want.Code); !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %+v, want %+v", want.Code, got, want)
		}
	}
}

// TestAllocateExplanation checks every field of the explanation on the
// spread and scarcity cases worked out above.
func TestAllocateExplanation(t *testing.T) {
	t.Run("spread", func(t *testing.T) {
		p := mustCompute(t, oneMaterial(1000, "0", 100, SurplusSpread,
			cityCount{"A", "1", 150}, cityCount{"B", "1", 250}, cityCount{"C", "1", 300}))
		b := cellOf(t, p, "M", "B", "X")
		// e = 250·10/7 = 2500/7, share = 2500/7 − 250 = 750/7.
		want := withQuota(Explanation{Mode: ModeSurplus, Priority: MustDecimal("1"),
			PacksFloor: 3, ExtraPack: true, VenueSource: SourceCount}, big.NewRat(2500, 7), big.NewRat(750, 7))
		if !reflect.DeepEqual(fingerprintWhy(b), fingerprintWhy(want)) {
			t.Errorf("why = %s, want %s", fingerprintWhy(b), fingerprintWhy(want))
		}
	})
	t.Run("scarcity", func(t *testing.T) {
		p := mustCompute(t, oneMaterial(555, "0", 10, SurplusSpread, cityCount{"A", "2", 300}, cityCount{"B", "1", 500}))
		b := cellOf(t, p, "M", "B", "X")
		want := withQuota(Explanation{Mode: ModeScarcity, Priority: MustDecimal("1"),
			Lambda: big.NewRat(51, 100), PacksFloor: 25, VenueSource: SourceCount}, big.NewRat(255, 1), nil)
		if fingerprintWhy(b) != fingerprintWhy(want) {
			t.Errorf("why = %s, want %s", fingerprintWhy(b), fingerprintWhy(want))
		}
		m := materialOf(t, p, "M")
		if !m.Scarce || m.Lambda.Cmp(big.NewRat(51, 100)) != 0 {
			t.Errorf("material = %+v", m)
		}
	})
}

// withQuota is a cell with explanation e and the exact quota (and surplus
// share) stored the way allocation stores them: numerators over one
// common denominator.
func withQuota(e Explanation, quota, share *big.Rat) Cell {
	c := &quotaCoefs{den: new(big.Int).Set(quota.Denom()), quota: new(big.Int).Set(quota.Num())}
	if share != nil {
		c.den.Mul(c.den, share.Denom())
		c.quota.Mul(c.quota, share.Denom())
		c.share = new(big.Int).Mul(share.Num(), quota.Denom())
	}
	e.coefs = c
	return Cell{Demand: 1, Why: e} // the coefficients above are the numerators themselves
}

// fingerprintWhy is fingerprintCells of the cell's explanation alone.
func fingerprintWhy(c Cell) string {
	p := &Plan{Cells: []Cell{{Demand: c.Demand, Why: c.Why}}}
	return fingerprintCells(p)
}

// TestSelectFirstMatchesSort: roundToPacks' selection picks the same
// cells as sorting them all and taking the first k, on keys with many
// equal remainders and ranks (positions break every tie).
func TestSelectFirstMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 13))
	for n := range 2000 {
		s := make([]packOrder, rng.IntN(60))
		for i := range s {
			s[i] = packOrder{rem: uint64(rng.IntN(5)), rank: int32(rng.IntN(3)), pos: int32(i)}
		}
		rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
		k := rng.IntN(len(s) + 1)
		sorted := slices.Clone(s)
		slices.SortFunc(sorted, func(a, b packOrder) int {
			if before(&a, &b) {
				return -1
			}
			return 1
		})
		selectFirst(s, k)
		got := slices.SortedFunc(slices.Values(s[:k]), func(a, b packOrder) int { return cmp.Compare(a.pos, b.pos) })
		want := slices.SortedFunc(slices.Values(sorted[:k]), func(a, b packOrder) int { return cmp.Compare(a.pos, b.pos) })
		if !slices.Equal(got, want) {
			t.Fatalf("case %d (k=%d): got %v, want %v", n, k, got, want)
		}
	}
}
