package planner

import (
	"cmp"
	"maps"
	"slices"
)

// ReplanOptions are the choices a planner makes when re-planning mid-campaign.
type ReplanOptions struct {
	// ReleaseReserve sets every material's reserve to 0 so that the stock
	// kept at the depot can cover cities still to be served.
	ReleaseReserve bool
	// ReservePct overrides the reserve percentage of the named materials
	// (0..50); it wins over ReleaseReserve.
	ReservePct map[string]Decimal
}

// ReplanInput returns a copy of campaign c ready for Compute after part of
// the committed plan has left the depot. Every cell of a city whose
// shipment has been dispatched (or is further along; cancelled shipments do
// not count) is locked at its committed pieces, so that the new plan cannot
// change what is already on the road: the locks replace any lock the user
// set on those cities, and cells the committed plan did not have (a
// targeted category that gained venues since) are locked at 0. Locks of
// other cities are kept. Compute then re-allocates only the rest.
//
// The committed pieces are the plan's, also for a short dispatch: the boxes
// left behind stay assigned to the city until someone changes its locks.
// Rejected and lost pieces are not given back to the stock; Progress
// reports them as losses.
//
// Errors: EInvalid naming reserve_pct.CODE for an unknown material or a
// percentage outside 0..50; EConflict when a dispatched shipment does not
// match the committed plan (it was dispatched from another version).
func ReplanInput(c *Campaign, committed *Plan, shipments []ShipmentRecord, opts ReplanOptions) (*Campaign, error) {
	if err := validateReplanOptions(c, opts); err != nil {
		return nil, err
	}
	frozen, err := frozenCities(committed, shipments)
	if err != nil {
		return nil, err
	}
	out := replanCopy(c)
	if opts.ReleaseReserve {
		for i := range out.Materials {
			out.Materials[i].ReservePct = Decimal{}
		}
	}
	for i, m := range out.Materials {
		if pct, ok := opts.ReservePct[m.Code]; ok {
			out.Materials[i].ReservePct = pct
		}
	}
	out.Locks = replanLocks(c, committed, frozen)
	return out, nil
}

func validateReplanOptions(c *Campaign, opts ReplanOptions) error {
	var fields []FieldError
	for _, code := range slices.Sorted(maps.Keys(opts.ReservePct)) {
		path := "reserve_pct." + code
		pct := opts.ReservePct[code]
		switch {
		case !replanHasMaterial(c, code):
			fields = append(fields, Fieldf(path, MsgNotAMaterial, "%q is not a material of this campaign", code))
		case pct.Sign() < 0 || pct.Cmp(DecimalInt(50)) > 0:
			fields = append(fields, Fieldf(path, MsgBetween, "must be between %d and %d", 0, MaxReservePct))
		}
	}
	if len(fields) > 0 {
		return Invalid(fields...)
	}
	return nil
}

func replanHasMaterial(c *Campaign, code string) bool {
	_, ok := c.Material(code)
	return ok
}

// frozenCities returns the cities whose shipment has left, checking that
// what left is what the committed plan says.
func frozenCities(committed *Plan, shipments []ShipmentRecord) (map[string]bool, error) {
	frozen := map[string]bool{}
	for i := range shipments {
		s := &shipments[i]
		if !s.State().Stage.Dispatched() {
			continue
		}
		if committed == nil {
			return nil, Errorm(EConflict, MsgReplanNoPlan, "shipment %d to %s was dispatched but there is no committed plan to re-plan from", s.ID, s.City)
		}
		planned := map[string]int64{}
		for _, cell := range committed.Cells {
			if cell.City == s.City {
				planned[cell.Material] += cell.Pieces
			}
		}
		for _, l := range s.Lines {
			if planned[l.Material] != l.Pieces {
				e := Errorf(EConflict, "shipment %d to %s left with %d pieces of %s but the committed plan gives %d; re-plan from version %d",
					s.ID, s.City, l.Pieces, l.Material, planned[l.Material], s.PlanVersion)
				e.ID, e.Args = MsgReplanPieces, map[string]any{"A": s.ID, "B": s.City, "C": l.Pieces, "D": l.Material,
					"E": planned[l.Material], "F": s.PlanVersion} // one more than msgArgs names
				return nil, e
			}
			delete(planned, l.Material)
		}
		for m, n := range planned {
			if n != 0 {
				return nil, Errorm(EConflict, MsgReplanMissing, "shipment %d to %s left without %s but the committed plan gives %d; re-plan from version %d",
					s.ID, s.City, m, n, s.PlanVersion)
			}
		}
		frozen[s.City] = true
	}
	return frozen, nil
}

// replanLocks keeps the locks of cities still to be served and locks every
// cell of a frozen city at its committed pieces.
func replanLocks(c *Campaign, committed *Plan, frozen map[string]bool) []Lock {
	locks := map[CellKey]int64{}
	for _, l := range c.Locks {
		if !frozen[l.City] {
			locks[CellKey{l.Material, l.City, l.Category}] = l.Pieces
		}
	}
	for city := range frozen {
		for _, cell := range committed.Cells {
			if cell.City == city {
				locks[CellKey{cell.Material, cell.City, cell.Category}] = cell.Pieces
			}
		}
		for _, t := range c.Targeting {
			k := CellKey{t.Material, city, t.Category}
			if _, ok := locks[k]; !ok && t.PerVenue > 0 && mayHaveVenues(c, city, t.Category) {
				locks[k] = 0
			}
		}
	}
	out := make([]Lock, 0, len(locks))
	for k, n := range locks {
		out = append(out, Lock{Material: k.Material, City: k.City, Category: k.Category, Pieces: n})
	}
	slices.SortFunc(out, func(a, b Lock) int {
		return cmp.Or(cmp.Compare(a.Material, b.Material), cmp.Compare(a.City, b.City), cmp.Compare(a.Category, b.Category))
	})
	return out
}

// mayHaveVenues reports whether a city could have demand in a category: a
// venue_counts row with venues, or a registered venue of that category in
// the city or not yet assigned to any city.
func mayHaveVenues(c *Campaign, city, category string) bool {
	for _, vc := range c.VenueCounts {
		if vc.City == city && vc.Category == category {
			return vc.Count > 0
		}
	}
	for _, v := range c.Venues {
		if v.Category == category && (v.City == city || v.City == "") {
			return true
		}
	}
	return false
}

// replanCopy copies c deeply enough that editing the copy's lists never
// touches c.
func replanCopy(c *Campaign) *Campaign {
	out := *c
	if c.AsOf != nil {
		d := *c.AsOf
		out.AsOf = &d
	}
	out.Dispatch.WorkDays = slices.Clone(c.Dispatch.WorkDays)
	out.Dispatch.Holidays = slices.Clone(c.Dispatch.Holidays)
	out.Materials = slices.Clone(c.Materials)
	out.Categories = slices.Clone(c.Categories)
	out.Targeting = slices.Clone(c.Targeting)
	out.Cities = slices.Clone(c.Cities)
	out.VenueCounts = slices.Clone(c.VenueCounts)
	out.Venues = slices.Clone(c.Venues)
	out.Locks = slices.Clone(c.Locks)
	return &out
}
