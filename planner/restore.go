package planner

import (
	"cmp"
	"slices"
)

// Restore computes the plan that brings back the quantities of an earlier
// version, under the rules of every commit (Replan): each cell of a city
// still to dispatch is locked at its pieces in that version (cells the
// version did not have at 0), dispatched cities keep what they loaded, and
// the schedule is computed again — from today once a shipment has left.
//
// Errors: EInvalid when the campaign data no longer admits the version
// (a material, city or category removed, a pack size changed, stock
// below it), naming what; those of Replan.
func Restore(c *Campaign, version, committed *Plan, shipments []ShipmentRecord, today Date) (*Plan, error) {
	out := replanCopy(c)
	locks := map[CellKey]int64{}
	for _, cell := range version.Cells {
		locks[CellKey{cell.Material, cell.City, cell.Category}] = cell.Pieces
	}
	for _, k := range c.Cities {
		for _, t := range c.Targeting {
			key := CellKey{t.Material, k.Code, t.Category}
			if _, ok := locks[key]; !ok && t.PerVenue > 0 && mayHaveVenues(c, k.Code, t.Category) {
				locks[key] = 0
			}
		}
	}
	out.Locks = make([]Lock, 0, len(locks))
	for k, n := range locks {
		out.Locks = append(out.Locks, Lock{Material: k.Material, City: k.City, Category: k.Category, Pieces: n})
	}
	slices.SortFunc(out.Locks, func(a, b Lock) int {
		return cmp.Or(cmp.Compare(a.Material, b.Material), cmp.Compare(a.City, b.City), cmp.Compare(a.Category, b.Category))
	})
	if err := restorable(c, out.Locks); err != nil {
		return nil, err
	}
	return Replan(out, committed, shipments, ReplanOptions{}, today)
}

// restorable checks that the campaign still has every material, city and
// category of the locks, and that each lock is whole packs.
func restorable(c *Campaign, locks []Lock) error {
	cities := map[string]bool{}
	for _, k := range c.Cities {
		cities[k.Code] = true
	}
	var fields []FieldError
	add := func(id MsgID, format string, args ...any) {
		if len(fields) < 10 {
			fields = append(fields, Fieldf("version", id, format, args...))
		}
	}
	for _, l := range locks {
		m, ok := c.Material(l.Material)
		switch {
		case !ok:
			add(MsgRestoreMaterialGone, "material %s is no longer in the campaign", l.Material)
		case !cities[l.City]:
			add(MsgRestoreCityGone, "city %s is no longer in the campaign", l.City)
		case !hasCategory(c, l.Category):
			add(MsgRestoreCategoryGone, "venue category %s is no longer in the campaign", l.Category)
		case m.PackSize > 0 && l.Pieces%m.PackSize != 0:
			add(MsgRestoreNotWholePacks, "%d pieces of %s for %s are not whole packs of %d any more", l.Pieces, l.Material, l.City, m.PackSize)
		}
	}
	if len(fields) > 0 {
		return Invalid(fields...)
	}
	return nil
}

func hasCategory(c *Campaign, code string) bool {
	_, ok := c.Category(code)
	return ok
}
