package planner

import (
	"math/big"
)

func (v *campaignValidator) materials(c *Campaign) {
	locked := v.lockedPieces(c)
	seen := map[string]bool{}
	for i, m := range c.Materials {
		p := indexPath("materials", i)
		first := !seen[m.Code]
		v.code(p+".code", m.Code, seen)
		v.nonEmpty(p+".name", m.Name)
		v.atLeast(p+".printed", m.Printed, 0)
		reserveOK := v.decimal(p+".reserve_pct", m.ReservePct)
		if reserveOK {
			if r := m.ReservePct.Rat(); r.Sign() < 0 || r.Cmp(big.NewRat(maxReservePct, 1)) > 0 {
				v.fail(p+".reserve_pct", "must be between 0 and %d", maxReservePct)
			}
		}
		v.atLeast(p+".pack_size", m.PackSize, 1)
		v.atLeast(p+".packs_per_box", m.PacksPerBox, 1)
		if m.PieceGrams != nil && v.decimal(p+".piece_grams", *m.PieceGrams) && m.PieceGrams.Sign() <= 0 {
			v.fail(p+".piece_grams", "must be > 0")
		}
		l, ok := locked[m.Code]
		if !first || !ok || !reserveOK || m.Printed < 0 {
			continue
		}
		stock := new(big.Int).Sub(big.NewInt(m.Printed), campaignReserve(m.Printed, m.ReservePct))
		if l.Cmp(stock) > 0 {
			v.fail(p, "locks of %q total %s pieces, more than printed minus reserve (%s)", m.Code, l, stock)
		}
	}
}

// campaignReserve is the pieces of a material kept at the depot:
// ceil(printed * reservePct / 100), exactly (docs/planning.md#reserve).
func campaignReserve(printed int64, reservePct Decimal) *big.Int {
	q := new(big.Rat).Mul(new(big.Rat).SetInt64(printed), reservePct.Rat())
	q.Quo(q, big.NewRat(100, 1))
	return ratCeil(q)
}

// ratCeil returns the smallest integer >= q.
func ratCeil(q *big.Rat) *big.Int {
	n, m := new(big.Int), new(big.Int)
	n.DivMod(q.Num(), q.Denom(), m) // Euclidean: floor for a positive denominator
	if m.Sign() != 0 {
		n.Add(n, big.NewInt(1))
	}
	return n
}

// lockedPieces sums the locked pieces of each material over the locks that
// name an existing material.
func (v *campaignValidator) lockedPieces(c *Campaign) map[string]*big.Int {
	sums := map[string]*big.Int{}
	for _, l := range c.Locks {
		if _, ok := v.materialByCode[l.Material]; !ok {
			continue
		}
		if sums[l.Material] == nil {
			sums[l.Material] = new(big.Int)
		}
		sums[l.Material].Add(sums[l.Material], big.NewInt(l.Pieces))
	}
	return sums
}

func (v *campaignValidator) categories(c *Campaign) {
	seen := map[string]bool{}
	for i, k := range c.Categories {
		p := indexPath("venue_categories", i)
		v.code(p+".code", k.Code, seen)
		v.nonEmpty(p+".name", k.Name)
	}
}

func (v *campaignValidator) targeting(c *Campaign) {
	type row struct{ material, category string }
	seen := map[row]bool{}
	for i, t := range c.Targeting {
		p := indexPath("targeting", i)
		_, mok := v.materialByCode[t.Material]
		cok := v.categoryCodes[t.Category]
		v.ref(p+".material", "material", t.Material, mok)
		v.ref(p+".category", "category", t.Category, cok)
		v.atLeast(p+".per_venue", t.PerVenue, 0)
		r := row{t.Material, t.Category}
		if seen[r] {
			v.fail(p, "duplicate targeting row for material %q and category %q", t.Material, t.Category)
		}
		seen[r] = true
	}
}

func (v *campaignValidator) cities(c *Campaign) {
	seen := map[string]bool{}
	for i, k := range c.Cities {
		p := indexPath("cities", i)
		v.code(p+".code", k.Code, seen)
		v.nonEmpty(p+".name", k.Name)
		v.latLon(p, k.Lat, k.Lon)
		if k.Population != nil {
			v.atLeast(p+".population", *k.Population, 0)
		}
		if v.decimal(p+".priority", k.Priority) && k.Priority.Sign() <= 0 {
			v.fail(p+".priority", "must be > 0")
		}
		v.positive(p+".radius_km", k.RadiusKm)
	}
}

func (v *campaignValidator) venueCounts(c *Campaign) {
	type cell struct{ city, category string }
	seen := map[cell]bool{}
	for i, n := range c.VenueCounts {
		p := indexPath("venue_counts", i)
		kok, cok := v.cityCodes[n.City], v.categoryCodes[n.Category]
		v.ref(p+".city", "city", n.City, kok)
		v.ref(p+".category", "category", n.Category, cok)
		v.atLeast(p+".count", n.Count, 0)
		k := cell{n.City, n.Category}
		if seen[k] {
			v.fail(p, "duplicate venue count for city %q and category %q", n.City, n.Category)
		}
		seen[k] = true
	}
}

func (v *campaignValidator) venues(c *Campaign) {
	seen := map[string]bool{}
	for i, x := range c.Venues {
		p := indexPath("venues", i)
		switch {
		case x.ID == "":
			v.fail(p+".id", "must not be empty")
		case seen[x.ID]:
			v.fail(p+".id", "duplicate venue id %q", x.ID)
		}
		seen[x.ID] = true
		v.nonEmpty(p+".name", x.Name)
		v.ref(p+".category", "category", x.Category, v.categoryCodes[x.Category])
		v.latLon(p, x.Lat, x.Lon)
		if x.City != "" {
			v.ref(p+".city", "city", x.City, v.cityCodes[x.City])
		}
	}
}

func (v *campaignValidator) locks(c *Campaign) {
	seen := map[CellKey]bool{}
	for i, l := range c.Locks {
		p := indexPath("locks", i)
		m, mok := v.materialByCode[l.Material]
		kok, cok := v.cityCodes[l.City], v.categoryCodes[l.Category]
		v.ref(p+".material", "material", l.Material, mok)
		v.ref(p+".city", "city", l.City, kok)
		v.ref(p+".category", "category", l.Category, cok)
		switch {
		case l.Pieces < 0:
			v.fail(p+".pieces", "must be >= 0")
		case mok && m.PackSize >= 1 && l.Pieces%m.PackSize != 0:
			v.fail(p+".pieces", "must be a multiple of the pack size of %q (%d)", m.Code, m.PackSize)
		}
		k := CellKey{l.Material, l.City, l.Category}
		if seen[k] {
			v.fail(p, "duplicate lock for material %q, city %q and category %q", l.Material, l.City, l.Category)
		}
		seen[k] = true
	}
}
