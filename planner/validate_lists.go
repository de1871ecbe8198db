package planner

import (
	"math/big"
)

func (v *campaignValidator) materials(c *Campaign) {
	locked := v.lockedPieces(c)
	v.maxItems("materials", len(c.Materials), MaxMaterials)
	seen := map[string]bool{}
	for i, m := range c.Materials {
		p := IndexPath("materials", i)
		first := !seen[m.Code]
		v.code(p+".code", m.Code, seen)
		v.nonEmpty(p+".name", m.Name)
		v.maxLen(p+".name", m.Name, MaxNameLen)
		v.maxLen(p+".format", m.Format, MaxNameLen)
		v.maxLen(p+".audience", m.Audience, MaxNameLen)
		v.intIn(p+".printed", m.Printed, 0, MaxPrinted)
		reserveOK := v.decimal(p+".reserve_pct", m.ReservePct)
		if reserveOK {
			if r := m.ReservePct.Rat(); r.Sign() < 0 || r.Cmp(big.NewRat(MaxReservePct, 1)) > 0 {
				v.fail(p+".reserve_pct", MsgBetween, "must be between %d and %d", 0, MaxReservePct)
			}
		}
		v.intIn(p+".pack_size", m.PackSize, 1, MaxPackSize)
		v.intIn(p+".packs_per_box", m.PacksPerBox, 1, MaxPacksPerBox)
		if m.PieceGrams != nil && v.decimal(p+".piece_grams", *m.PieceGrams) {
			if m.PieceGrams.Sign() <= 0 {
				v.fail(p+".piece_grams", MsgPositive, "must be > 0")
			} else {
				v.decimalAtMost(p+".piece_grams", *m.PieceGrams, MaxPieceGrams)
			}
		}
		l, ok := locked[m.Code]
		if !first || !ok || !reserveOK || m.Printed < 0 {
			continue
		}
		stock := new(big.Int).Sub(big.NewInt(m.Printed), campaignReserve(m.Printed, m.ReservePct))
		if l.Cmp(stock) > 0 {
			v.fail(p, MsgLocksExceed, "locks of %q total %s pieces, more than printed minus reserve (%s)", m.Code, l, stock)
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
	v.maxItems("venue_categories", len(c.Categories), MaxCategories)
	seen := map[string]bool{}
	for i, k := range c.Categories {
		p := IndexPath("venue_categories", i)
		v.code(p+".code", k.Code, seen)
		v.nonEmpty(p+".name", k.Name)
		v.maxLen(p+".name", k.Name, MaxNameLen)
		v.maxLen(p+".group", k.Group, MaxNameLen)
	}
}

func (v *campaignValidator) targeting(c *Campaign) {
	type row struct{ material, category string }
	v.maxItems("targeting", len(c.Targeting), MaxTargeting)
	seen := map[row]bool{}
	for i, t := range c.Targeting {
		p := IndexPath("targeting", i)
		_, mok := v.materialByCode[t.Material]
		cok := v.categoryCodes[t.Category]
		v.ref(p+".material", "material", t.Material, mok)
		v.ref(p+".category", "category", t.Category, cok)
		v.intIn(p+".per_venue", t.PerVenue, 0, MaxPerVenue)
		r := row{t.Material, t.Category}
		if seen[r] {
			v.fail(p, MsgDupTargeting, "duplicate targeting row for material %q and category %q", t.Material, t.Category)
		}
		seen[r] = true
	}
}

func (v *campaignValidator) cities(c *Campaign) {
	v.maxItems("cities", len(c.Cities), MaxCities)
	seen := map[string]bool{}
	for i, k := range c.Cities {
		p := IndexPath("cities", i)
		v.code(p+".code", k.Code, seen)
		v.nonEmpty(p+".name", k.Name)
		v.maxLen(p+".name", k.Name, MaxNameLen)
		v.maxLen(p+".state", k.State, MaxCodeLen)
		v.maxLen(p+".note", k.Note, MaxTextLen)
		v.latLon(p, k.Lat, k.Lon)
		if k.Population != nil {
			v.intIn(p+".population", *k.Population, 0, MaxPopulation)
		}
		if v.decimal(p+".priority", k.Priority) {
			if k.Priority.Sign() <= 0 {
				v.fail(p+".priority", MsgPositive, "must be > 0")
			} else {
				v.decimalAtMost(p+".priority", k.Priority, MaxPriority)
			}
		}
		v.positiveAtMost(p+".radius_km", k.RadiusKm, MaxRadiusKm)
	}
}

func (v *campaignValidator) venueCounts(c *Campaign) {
	type cell struct{ city, category string }
	v.maxItems("venue_counts", len(c.VenueCounts), MaxVenueCounts)
	seen := map[cell]bool{}
	for i, n := range c.VenueCounts {
		p := IndexPath("venue_counts", i)
		kok, cok := v.cityCodes[n.City], v.categoryCodes[n.Category]
		v.ref(p+".city", "city", n.City, kok)
		v.ref(p+".category", "category", n.Category, cok)
		v.intIn(p+".count", n.Count, 0, MaxVenueCount)
		k := cell{n.City, n.Category}
		if seen[k] {
			v.fail(p, MsgDupVenueCount, "duplicate venue count for city %q and category %q", n.City, n.Category)
		}
		seen[k] = true
	}
}

func (v *campaignValidator) venues(c *Campaign) {
	v.maxItems("venues", len(c.Venues), MaxVenues)
	seen := make(map[string]bool, len(c.Venues))
	for i, x := range c.Venues {
		dup := seen[x.ID]
		seen[x.ID] = true
		if !dup && v.venueOK(x) {
			continue // the paths below are built only for a venue with an error: a million venues
		}
		p := IndexPath("venues", i)
		switch {
		case x.ID == "":
			v.fail(p+".id", MsgRequired, "must not be empty")
		case dup:
			v.fail(p+".id", MsgDupVenueID, "duplicate venue id %q", x.ID)
		}
		v.maxLen(p+".id", x.ID, MaxVenueIDLen)
		v.nonEmpty(p+".name", x.Name)
		v.maxLen(p+".name", x.Name, MaxNameLen)
		v.maxLen(p+".address", x.Address, MaxTextLen)
		v.ref(p+".category", "category", x.Category, v.categoryCodes[x.Category])
		v.latLon(p, x.Lat, x.Lon)
		if x.City != "" {
			v.ref(p+".city", "city", x.City, v.cityCodes[x.City])
		}
	}
}

// venueOK reports whether a venue passes every check of venues other than
// the uniqueness of its id (a byte length within a bound is a character
// length within it too).
func (v *campaignValidator) venueOK(x Venue) bool {
	return x.ID != "" && len(x.ID) <= MaxVenueIDLen && x.Name != "" && len(x.Name) <= MaxNameLen &&
		len(x.Address) <= MaxTextLen && x.Category != "" && v.categoryCodes[x.Category] &&
		x.Lat >= -90 && x.Lat <= 90 && x.Lon >= -180 && x.Lon <= 180 &&
		(x.City == "" || v.cityCodes[x.City])
}

func (v *campaignValidator) locks(c *Campaign) {
	v.maxItems("locks", len(c.Locks), MaxLocks)
	seen := map[CellKey]bool{}
	for i, l := range c.Locks {
		p := IndexPath("locks", i)
		m, mok := v.materialByCode[l.Material]
		kok, cok := v.cityCodes[l.City], v.categoryCodes[l.Category]
		v.ref(p+".material", "material", l.Material, mok)
		v.ref(p+".city", "city", l.City, kok)
		v.ref(p+".category", "category", l.Category, cok)
		switch {
		case l.Pieces < 0:
			v.fail(p+".pieces", MsgMin, "must be >= 0")
		case l.Pieces > MaxPrinted:
			v.fail(p+".pieces", MsgMax, "must be <= %d", MaxPrinted)
		case mok && m.PackSize >= 1 && l.Pieces%m.PackSize != 0:
			v.fail(p+".pieces", MsgMultipleOfPack, "must be a multiple of the pack size of %q (%d)", m.Code, m.PackSize)
		}
		k := CellKey{l.Material, l.City, l.Category}
		if seen[k] {
			v.fail(p, MsgDupLock, "duplicate lock for material %q, city %q and category %q", l.Material, l.City, l.Category)
		}
		seen[k] = true
	}
}
