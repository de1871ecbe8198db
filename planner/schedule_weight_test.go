package planner

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestTotalWeightSmallMatchesRat pins the integer path of totalWeight to
// the exact big.Rat sums it replaces: the same float64 for every shipment
// and for the total, on random piece_grams with up to 9 decimals.
func TestTotalWeightSmallMatchesRat(t *testing.T) {
	rng := rand.New(rand.NewPCG(2009, 13))
	checked := 0
	for n := range 500 {
		c := &Campaign{}
		for i := range 1 + rng.IntN(6) {
			d := rng.IntN(10)
			g := fmt.Sprintf("%d", 1+rng.IntN(100_000))
			if d > 0 {
				g = fmt.Sprintf("%d.%0*d", rng.IntN(1000), d, rng.IntN(1_000_000_000)%pow10Int(d))
			}
			gd := MustDecimal(g)
			c.Materials = append(c.Materials, Material{Code: fmt.Sprintf("M%d", i), PieceGrams: &gd})
		}
		var ships []Shipment
		for range 1 + rng.IntN(5) {
			var s Shipment
			for _, m := range c.Materials {
				s.Lines = append(s.Lines, ShipmentLine{Material: m.Code, Pieces: rng.Int64N(1 << uint(4+rng.IntN(20)))})
			}
			ships = append(ships, s)
		}
		small := cloneShips(ships)
		got, ok := totalWeightSmall(c, small)
		if !ok {
			continue
		}
		checked++
		want := new(big.Rat)
		for i, s := range ships {
			g := new(big.Rat)
			for _, l := range s.Lines {
				m := c.Materials[0]
				for _, mm := range c.Materials {
					if mm.Code == l.Material {
						m = mm
					}
				}
				g.Add(g, new(big.Rat).Mul(m.PieceGrams.Rat(), new(big.Rat).SetInt64(l.Pieces)))
			}
			want.Add(want, g)
			kg, _ := new(big.Rat).Quo(g, big.NewRat(1000, 1)).Float64()
			if *small[i].WeightKg != kg {
				t.Fatalf("case %d shipment %d: %v kg, want %v", n, i, *small[i].WeightKg, kg)
			}
		}
		if kg, _ := want.Quo(want, big.NewRat(1000, 1)).Float64(); *got != kg {
			t.Fatalf("case %d total: %v kg, want %v", n, *got, kg)
		}
	}
	if checked < 100 {
		t.Errorf("only %d of 500 cases took the integer path", checked)
	}
}

func pow10Int(d int) int {
	p := 1
	for range d {
		p *= 10
	}
	return p
}

func cloneShips(ships []Shipment) []Shipment {
	out := make([]Shipment, len(ships))
	copy(out, ships)
	return out
}
