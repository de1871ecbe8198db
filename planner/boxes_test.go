package planner

import (
	"fmt"
	"math/big"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func grams(s string) *Decimal { d := MustDecimal(s); return &d }

// boxMaterials are the materials of the worked example in
// docs/planning.md#packing-boxes.
var boxMaterials = []Material{
	{Code: "A", PackSize: 50, PacksPerBox: 10, PieceGrams: grams("5")},
	{Code: "B", PackSize: 100, PacksPerBox: 4, PieceGrams: grams("2.5")},
	{Code: "C", PackSize: 25, PacksPerBox: 8, PieceGrams: grams("10")},
	{Code: "D", PackSize: 10, PacksPerBox: 5, PieceGrams: grams("1.2")},
	{Code: "N", PackSize: 10, PacksPerBox: 5}, // no piece_grams
}

func line(m string, packs int64) ShipmentLine {
	for _, x := range boxMaterials {
		if x.Code == m {
			return ShipmentLine{Material: m, Packs: packs, Pieces: packs * x.PackSize}
		}
	}
	panic(m)
}

// boxText writes runs compactly: "1-2:A10/500@2.5" is boxes 1 to 2 each
// holding 10 packs (500 pieces) of A and weighing 2.5 kg; "-" is no weight.
func boxText(runs []BoxRun) string {
	var parts []string
	for _, r := range runs {
		var items []string
		for _, it := range r.Items {
			items = append(items, fmt.Sprintf("%s%d/%d", it.Material, it.Packs, it.Pieces))
		}
		w := "-"
		if r.WeightKg != nil {
			w = r.WeightKg.String()
		}
		parts = append(parts, fmt.Sprintf("%d-%d:%s@%s", r.First, r.Last, strings.Join(items, "+"), w))
	}
	return strings.Join(parts, " ")
}

func TestPackBoxes(t *testing.T) {
	tests := []struct {
		name  string
		lines []ShipmentLine
		want  string
	}{
		{
			// docs/planning.md#packing-boxes: one material per box would
			// take 3 + 2 + 1 + 2 = 8 boxes; A's and B's remainders share box 7.
			name:  "worked example",
			lines: []ShipmentLine{line("A", 23), line("B", 6), line("C", 6), line("D", 10)},
			want:  "1-2:A10/500@2.5 3-3:B4/400@1 4-5:D5/50@0.06 6-6:C6/150@1.5 7-7:A3/150+B2/200@1.25",
		},
		{
			name:  "lines in any order pack the same",
			lines: []ShipmentLine{line("D", 10), line("C", 6), line("A", 23), line("B", 6)},
			want:  "1-2:A10/500@2.5 3-3:B4/400@1 4-5:D5/50@0.06 6-6:C6/150@1.5 7-7:A3/150+B2/200@1.25",
		},
		{
			name:  "whole boxes only",
			lines: []ShipmentLine{line("A", 30)},
			want:  "1-3:A10/500@2.5",
		},
		{
			name:  "remainders that do not fit together stay apart",
			lines: []ShipmentLine{line("A", 6), line("B", 3)}, // 0.6 + 0.75 > 1
			want:  "1-1:B3/300@0.75 2-2:A6/300@1.5",
		},
		{
			name:  "shares summing to exactly one box share it",
			lines: []ShipmentLine{line("A", 5), line("B", 2), line("D", 1)}, // 0.5 + 0.5, then 0.2 alone
			want:  "1-1:A5/250+B2/200@1.75 2-2:D1/10@0.012",
		},
		{
			name:  "a box with a material without piece_grams has no weight",
			lines: []ShipmentLine{line("A", 12), line("N", 2)},
			want:  "1-1:A10/500@2.5 2-2:A2/100+N2/20@-",
		},
		{
			name:  "lines without packs take no box",
			lines: []ShipmentLine{line("A", 0), line("B", 1)},
			want:  "1-1:B1/100@0.25",
		},
		{name: "no lines", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runs, err := PackBoxes(boxMaterials, tt.lines)
			if err != nil {
				t.Fatal(err)
			}
			if got := boxText(runs); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestPackBoxesRefusesBadLines(t *testing.T) {
	tests := []struct {
		name  string
		lines []ShipmentLine
		field string
	}{
		{"unknown material", []ShipmentLine{line("A", 1), {Material: "Z", Packs: 1, Pieces: 1}}, "lines[1].material"},
		{"material listed twice", []ShipmentLine{line("B", 1), line("A", 2), line("B", 3)}, "lines[2].material"},
		{"negative packs", []ShipmentLine{{Material: "A", Packs: -1, Pieces: -50}}, "lines[0].packs"},
		{"pieces not packs times pack size", []ShipmentLine{{Material: "A", Packs: 2, Pieces: 99}}, "lines[0].pieces"},
		{"overflowing pieces", []ShipmentLine{{Material: "A", Packs: 1 << 62, Pieces: 0}}, "lines[0].pieces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PackBoxes(boxMaterials, tt.lines)
			if ErrorCode(err) != EInvalid || !strings.HasPrefix(err.Error(), tt.field) {
				t.Fatalf("err = %v, want EInvalid naming %s", err, tt.field)
			}
		})
	}
	bad := []Material{{Code: "Z", PackSize: 0, PacksPerBox: 1}}
	if _, err := PackBoxes(bad, []ShipmentLine{{Material: "Z"}}); ErrorCode(err) != EInvalid {
		t.Fatalf("pack size 0: err = %v, want EInvalid", err)
	}
}

func TestBoxAt(t *testing.T) {
	runs, err := PackBoxes(boxMaterials, []ShipmentLine{line("A", 23), line("B", 6), line("C", 6), line("D", 10)})
	if err != nil {
		t.Fatal(err)
	}
	if n := BoxCount(runs); n != 7 {
		t.Fatalf("BoxCount = %d, want 7", n)
	}
	tests := []struct {
		no    int64
		first int64 // 0: no such box
	}{{1, 1}, {2, 1}, {3, 3}, {5, 4}, {7, 7}, {0, 0}, {8, 0}}
	for _, tt := range tests {
		r, ok := BoxAt(runs, tt.no)
		if ok != (tt.first != 0) || r.First != tt.first {
			t.Errorf("BoxAt(%d) = run from %d, %v; want run from %d", tt.no, r.First, ok, tt.first)
		}
	}
}

// TestPackBoxesProperties packs random shipments and checks the rules of
// docs/planning.md#packing-boxes on each.
func TestPackBoxesProperties(t *testing.T) {
	for seed := int64(1); seed <= 500; seed++ {
		rng := rand.New(rand.NewSource(seed))
		var mats []Material
		var lines []ShipmentLine
		for i := range 1 + rng.Intn(8) {
			m := Material{Code: fmt.Sprintf("M%02d", i), PackSize: 1 + rng.Int63n(100), PacksPerBox: 1 + rng.Int63n(12)}
			switch rng.Intn(4) {
			case 0: // unknown
			case 1: // written with an exponent: the big.Rat path
				m.PieceGrams = grams(fmt.Sprintf("%de-%d", 1+rng.Intn(5000), rng.Intn(4)))
			default:
				m.PieceGrams = grams(fmt.Sprintf("%d.%d", rng.Intn(50), rng.Intn(100)))
			}
			mats = append(mats, m)
			if rng.Intn(5) > 0 {
				packs := rng.Int63n(4 * m.PacksPerBox)
				lines = append(lines, ShipmentLine{Material: m.Code, Packs: packs, Pieces: packs * m.PackSize})
			}
		}
		rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
		t.Run(fmt.Sprint(seed), func(t *testing.T) { checkPacking(t, mats, lines, rng) })
	}
}

func checkPacking(t *testing.T, mats []Material, lines []ShipmentLine, rng *rand.Rand) {
	runs, err := PackBoxes(mats, lines)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]Material{}
	for _, m := range mats {
		byCode[m.Code] = m
	}
	// Deterministic, whatever the order of the lines.
	again := slices.Clone(lines)
	rng.Shuffle(len(again), func(i, j int) { again[i], again[j] = again[j], again[i] })
	if runs2, _ := PackBoxes(mats, again); !reflect.DeepEqual(runs, runs2) {
		t.Fatalf("packing depends on line order:\n%s\n%s", boxText(runs), boxText(runs2))
	}
	pieces, holding := map[string]int64{}, map[string]int64{}
	var unmixed, next int64 = 0, 1
	var mixedAway int64 // boxes saved: items beyond the first of each box
	partial := map[string]int{}
	for _, r := range runs {
		if r.First != next || r.Last < r.First {
			t.Fatalf("run %d-%d does not continue the numbering at %d: %s", r.First, r.Last, next, boxText(runs))
		}
		next = r.Last + 1
		if r.Mixed() && r.Count() != 1 {
			t.Fatalf("mixed run of %d boxes: %s", r.Count(), boxText(runs))
		}
		share, kg := new(big.Rat), new(big.Rat)
		weighed := true
		for _, it := range r.Items {
			m := byCode[it.Material]
			if it.Packs < 1 || it.Pieces != it.Packs*m.PackSize {
				t.Fatalf("box %d holds %d pieces in %d packs of %s (pack %d): %s", r.First, it.Pieces, it.Packs, m.Code, m.PackSize, boxText(runs))
			}
			if it.Packs < m.PacksPerBox {
				partial[m.Code]++
			}
			share.Add(share, big.NewRat(it.Packs, m.PacksPerBox))
			pieces[it.Material] += it.Pieces * r.Count()
			holding[it.Material] += r.Count()
			weighed = weighed && m.PieceGrams != nil
			if m.PieceGrams != nil {
				kg.Add(kg, new(big.Rat).Mul(m.PieceGrams.Rat(), big.NewRat(it.Pieces, 1000)))
			}
		}
		if weighed && r.WeightKg != nil && r.WeightKg.Rat().Cmp(kg) != 0 {
			t.Fatalf("box %d weighs %s kg, want exactly %s", r.First, r.WeightKg, kg.RatString())
		}
		if share.Cmp(big.NewRat(1, 1)) > 0 {
			t.Fatalf("box %d is over capacity (%s of a box): %s", r.First, share.RatString(), boxText(runs))
		}
		if weighed != (r.WeightKg != nil) {
			t.Fatalf("box %d weight %v, want one exactly when every material has piece_grams", r.First, r.WeightKg)
		}
		mixedAway += int64(len(r.Items) - 1)
	}
	for _, l := range lines {
		m := byCode[l.Material]
		own := (l.Packs + m.PacksPerBox - 1) / m.PacksPerBox
		unmixed += own
		if holding[l.Material] != own {
			t.Fatalf("%s is in %d boxes, want the %d it fills on its own: %s", l.Material, holding[l.Material], own, boxText(runs))
		}
		if pieces[l.Material] != l.Pieces {
			t.Fatalf("%s: %d pieces in boxes, %d in the line: %s", l.Material, pieces[l.Material], l.Pieces, boxText(runs))
		}
		if partial[l.Material] > 1 {
			t.Fatalf("%s's remainder is split over %d boxes: %s", l.Material, partial[l.Material], boxText(runs))
		}
	}
	n := BoxCount(runs)
	if n > unmixed || n != unmixed-mixedAway {
		t.Fatalf("%d boxes, one material per box takes %d and %d remainders joined another box: %s", n, unmixed, mixedAway, boxText(runs))
	}
}

// TestScheduleKeepsOneMaterialBoxes checks that a shipment carries its
// packing (two remainders of half a box travel in one box) while the
// schedule still counts one material per box, as the planning rule says:
// the dock reserves for 4 boxes and the truck carries 3 labelled ones.
func TestScheduleKeepsOneMaterialBoxes(t *testing.T) {
	c := testCampaign().withCategory("X").withMaterial("M", 1000, "0", 1, 10).withMaterial("P", 1000, "0", 1, 10).
		withTarget("M", "X", 1).withTarget("P", "X", 1).withCity("K", "1", 1).withCount("K", "X", 15)
	c.Surplus = SurplusReserve
	p, err := Compute(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Shipments) != 1 {
		t.Fatalf("%d shipments, want 1", len(p.Shipments))
	}
	s := p.Shipments[0]
	if got, want := boxText(s.Packing), "1-1:M10/10@- 2-2:P10/10@- 3-3:M5/5+P5/5@-"; got != want {
		t.Errorf("packing %s, want %s", got, want)
	}
	if s.Boxes != 4 || p.TotalBoxes != 4 || s.Lines[0].Boxes+s.Lines[1].Boxes != 4 || BoxCount(s.Packing) != 3 {
		t.Errorf("boxes %d, total %d, lines %d+%d, packed %d; want 4 scheduled (2+2 on their own) and 3 packed",
			s.Boxes, p.TotalBoxes, s.Lines[0].Boxes, s.Lines[1].Boxes, BoxCount(s.Packing))
	}
	if rec := ShipmentsFromPlan(p, 1)[0]; !reflect.DeepEqual(rec.Packing, s.Packing) {
		t.Errorf("shipment record packing %s, want the plan's", boxText(rec.Packing))
	}
}

// BenchmarkPackBoxes packs a shipment of 19 materials, every one leaving a
// remainder: the worst case of the first-fit-decreasing step.
func BenchmarkPackBoxes(b *testing.B) {
	var mats []Material
	var lines []ShipmentLine
	for i := range 19 {
		m := Material{Code: fmt.Sprintf("M%02d", i), PackSize: 50, PacksPerBox: int64(7 + i), PieceGrams: grams("6.5")}
		mats = append(mats, m)
		packs := int64(100*i + 3)
		lines = append(lines, ShipmentLine{Material: m.Code, Packs: packs, Pieces: packs * m.PackSize})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PackBoxes(mats, lines); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFitsMatchesRat pins the integer test of a full box to the exact
// rational one, on boxes right at the limit and with mixed packs per box.
func TestFitsMatchesRat(t *testing.T) {
	rng := rand.New(rand.NewSource(20))
	perBox := []int64{1, 2, 3, 7, 20, 24, 9_973, 10_000}
	for n := range 20_000 {
		var box []partialBox
		for range rng.Intn(5) {
			pb := perBox[rng.Intn(len(perBox))]
			box = append(box, partialBox{BoxItem{Packs: rng.Int63n(pb)}, pb})
		}
		pb := perBox[rng.Intn(len(perBox))]
		p := partialBox{BoxItem{Packs: rng.Int63n(pb)}, pb}
		if got, want := fits(0.5, 0.5, box, p), fitsRat(box, p); got != want { // fill+share = 1: the exact test
			t.Fatalf("case %d: fits(%v + %v) = %v, rationals say %v", n, box, p, got, want)
		}
	}
}
