package planner

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"

	"github.com/reparto/reparto/geo"
)

// VenueShare is what one registered venue receives of one cell
// (docs/planning.md#per-venue-allocation).
type VenueShare struct {
	VenueID   string
	Packs     int64
	Pieces    int64
	ExtraPack bool // one of the cell's largest-remainder packs
}

// VenueCell is one plan cell divided among the registered venues of its
// category assigned to its city, and the venues counted for the cell but
// not registered (docs/planning.md#per-venue-allocation). The shares and
// the unregistered part add up to the cell's Packs and Pieces exactly.
type VenueCell struct {
	Material, City, Category string
	Packs, Pieces            int64 // the cell's, as the plan has them
	Counted                  int64 // n(k,c), the venues the cell's demand was computed for
	Venues                   []VenueShare
	// Unregistered is how many of the counted venues are not registered
	// yet, max(0, Counted − len(Venues)): "N venues not yet registered".
	// Their part stays with the city team, who hand it out as they find
	// them. With no venue at all (a lock on a cell without venues) every
	// piece is in that part and Unregistered is 0.
	Unregistered       int64
	UnregisteredPacks  int64
	UnregisteredPieces int64
	UnregisteredExtra  bool // the unregistered part got a largest-remainder pack
}

// AllocateVenues divides every cell of p among the registered venues of
// the cell's category that belong to the cell's city
// (docs/planning.md#per-venue-allocation), in p.Cells order; within a
// cell venues are sorted by id. A venue's city is p.VenueCity's when the
// plan has that map (a plan just computed), else the planner's assignment
// of the campaign's venues now (AssignedCities). The plan is not changed.
// An error (EInvalid) names a cell whose material is not in the campaign or
// whose pieces are not whole packs.
func AllocateVenues(c *Campaign, p *Plan) ([]VenueCell, error) {
	packSize := make(map[string]int64, len(c.Materials))
	for _, m := range c.Materials {
		packSize[m.Code] = m.PackSize
	}
	venueCity := p.VenueCity
	if venueCity == nil {
		cities := AssignedCities(c.Cities, c.Venues)
		m := make(map[string]string, len(c.Venues))
		for i, v := range c.Venues {
			m[v.ID] = cities[i]
		}
		venueCity = NewVenueCities(m)
	}
	type place struct{ city, category string }
	registered := map[place][]string{}
	for i, v := range c.Venues {
		if k, _ := venueCity.CityAt(i, v.ID); k != "" {
			at := place{k, v.Category}
			registered[at] = append(registered[at], v.ID)
		}
	}
	for _, ids := range registered {
		slices.Sort(ids)
	}
	out := make([]VenueCell, len(p.Cells))
	for i, cell := range p.Cells {
		size, ok := packSize[cell.Material]
		if !ok || size < 1 {
			return nil, planInvalid(fmt.Sprintf("cells[%d].material", i), MsgUnknownRef, "unknown %s %q", "material", cell.Material)
		}
		if cell.Pieces != cell.Packs*size {
			return nil, planInvalid(fmt.Sprintf("cells[%d].pieces", i), MsgMultipleOfPack,
				"must be a multiple of the pack size of %q (%d)", cell.Material, size)
		}
		out[i] = divideCell(cell, size, registered[place{cell.City, cell.Category}])
	}
	return out, nil
}

// divideCell is docs/planning.md#per-venue-allocation for one cell: the
// parties are each registered venue (weight 1) and the unregistered venues
// together (weight U); T packs are shared in proportion by the largest
// remainder method, ties to the registered venues by id, then to the
// unregistered part.
func divideCell(cell Cell, size int64, ids []string) VenueCell {
	vc := VenueCell{Material: cell.Material, City: cell.City, Category: cell.Category,
		Packs: cell.Packs, Pieces: cell.Pieces, Counted: cell.Venues,
		Unregistered: max(0, cell.Venues-int64(len(ids)))}
	total := cell.Packs
	w := uint64(len(ids)) + uint64(vc.Unregistered)
	if w == 0 {
		vc.UnregisteredPacks, vc.UnregisteredPieces = total, cell.Pieces
		return vc
	}
	// A registered venue's quota is T/W packs: floor T÷W, remainder T mod W.
	// The unregistered part's is T·U/W; the 128-bit product cannot make the
	// quotient overflow since U ≤ W.
	each, rem := uint64(total)/w, uint64(total)%w
	hi, lo := bits.Mul64(uint64(total), uint64(vc.Unregistered))
	poolFloor, poolRem := bits.Div64(hi, lo, w)
	// The packs left are fewer than the parties with a remainder (the
	// remainders add up to left·W): each gets at most one.
	left := uint64(total) - each*uint64(len(ids)) - poolFloor
	// Every registered venue has the same remainder, so the order is: the
	// unregistered part first when its remainder is strictly larger, then
	// the venues by id, then the unregistered part.
	poolFirst := vc.Unregistered > 0 && poolRem > rem
	if poolFirst && left > 0 {
		vc.UnregisteredExtra = true
		left--
	}
	vc.Venues = make([]VenueShare, len(ids))
	for k, id := range ids {
		s := VenueShare{VenueID: id, Packs: int64(each)}
		if left > 0 && rem > 0 {
			s.Packs++
			s.ExtraPack = true
			left--
		}
		s.Pieces = s.Packs * size
		vc.Venues[k] = s
	}
	if left > 0 && !poolFirst && vc.Unregistered > 0 {
		vc.UnregisteredExtra = true // the last pack left
	}
	vc.UnregisteredPacks = int64(poolFloor)
	if vc.UnregisteredExtra {
		vc.UnregisteredPacks++
	}
	vc.UnregisteredPieces = vc.UnregisteredPacks * size
	return vc
}

// VenueLine is one material a venue receives.
type VenueLine struct {
	Material string
	Packs    int64
	Pieces   int64
}

// VenueLoad is everything one registered venue receives, by material code.
type VenueLoad struct {
	Venue Venue
	// Confidential is set when the venue is confidential or its category
	// is sensitive: lists then show its ConfidentialRef, never its id,
	// name or address.
	Confidential bool
	Lines        []VenueLine
}

// UnregisteredLoad is what a city keeps for the venues of a category that
// are counted but not registered yet, for one material.
type UnregisteredLoad struct {
	Category string
	Material string
	Venues   int64 // "N venues not yet registered"
	Packs    int64
	Pieces   int64
}

// CityLoads is a city's distribution list before it is put in visiting
// order: each registered venue that receives something (by id) and what
// is kept for unregistered venues (by category, then material).
type CityLoads struct {
	City         string
	Venues       []VenueLoad
	Unregistered []UnregisteredLoad
}

// LoadsByCity regroups AllocateVenues' cells by city (sorted by code),
// keeping only what is more than zero pieces. Venues the campaign does not
// have are skipped.
func LoadsByCity(c *Campaign, cells []VenueCell) []CityLoads {
	venues := make(map[string]Venue, len(c.Venues))
	for _, v := range c.Venues {
		venues[v.ID] = v
	}
	sensitive := map[string]bool{}
	for _, k := range c.Categories {
		sensitive[k.Code] = k.Sensitive
	}
	type cityAcc struct {
		venues map[string]*VenueLoad
		unreg  []UnregisteredLoad
	}
	byCity := map[string]*cityAcc{}
	acc := func(city string) *cityAcc {
		a := byCity[city]
		if a == nil {
			a = &cityAcc{venues: map[string]*VenueLoad{}}
			byCity[city] = a
		}
		return a
	}
	for _, cell := range cells {
		for _, s := range cell.Venues {
			v, ok := venues[s.VenueID]
			if !ok || s.Pieces == 0 {
				continue
			}
			a := acc(cell.City)
			load := a.venues[s.VenueID]
			if load == nil {
				load = &VenueLoad{Venue: v, Confidential: v.Confidential || sensitive[v.Category]}
				a.venues[s.VenueID] = load
			}
			load.Lines = append(load.Lines, VenueLine{Material: cell.Material, Packs: s.Packs, Pieces: s.Pieces})
		}
		if cell.UnregisteredPieces > 0 {
			a := acc(cell.City)
			a.unreg = append(a.unreg, UnregisteredLoad{Category: cell.Category, Material: cell.Material,
				Venues: cell.Unregistered, Packs: cell.UnregisteredPacks, Pieces: cell.UnregisteredPieces})
		}
	}
	out := make([]CityLoads, 0, len(byCity))
	for city, a := range byCity {
		cl := CityLoads{City: city, Venues: make([]VenueLoad, 0, len(a.venues)), Unregistered: a.unreg}
		for _, load := range a.venues {
			slices.SortFunc(load.Lines, func(x, y VenueLine) int { return cmp.Compare(x.Material, y.Material) })
			cl.Venues = append(cl.Venues, *load)
		}
		slices.SortFunc(cl.Venues, func(x, y VenueLoad) int { return cmp.Compare(x.Venue.ID, y.Venue.ID) })
		slices.SortFunc(cl.Unregistered, func(x, y UnregisteredLoad) int {
			return cmp.Or(cmp.Compare(x.Category, y.Category), cmp.Compare(x.Material, y.Material))
		})
		out = append(out, cl)
	}
	slices.SortFunc(out, func(x, y CityLoads) int { return cmp.Compare(x.City, y.City) })
	return out
}

// RouteOptions says how a city's route is cut into days
// (docs/planning.md#visiting-order); zero means no limit.
type RouteOptions = geo.TourOptions

// CheckRouteOptions validates route options as a form sends them: an error
// (EInvalid) names max_stops_per_day or max_km_per_day.
func CheckRouteOptions(opt RouteOptions) error {
	var fields []FieldError
	if opt.MaxStopsPerDay < 0 {
		fields = append(fields, Fieldf("max_stops_per_day", MsgMin, "must be at least %d", 0))
	}
	if !(opt.MaxKmPerDay >= 0) || opt.MaxKmPerDay > maxRouteKmPerDay {
		fields = append(fields, Fieldf("max_km_per_day", MsgBetween, "must be a number between %d and %d", 0, maxRouteKmPerDay))
	}
	if len(fields) > 0 {
		return Invalid(fields...)
	}
	return nil
}

// maxRouteKmPerDay bounds a day's kilometres: more than a truck drives in
// a day is a typing error, not a plan.
const maxRouteKmPerDay = 2000

// RouteCity puts a city's venues in visiting order from the city's point
// (its receiving point), cut into days (docs/planning.md#visiting-order).
// The tour's stop indexes refer to venues. Bad options come back as
// CheckRouteOptions' error; a venue with impossible coordinates as an
// EInvalid error naming it.
func RouteCity(city City, venues []VenueLoad, opt RouteOptions) (geo.Tour, error) {
	if err := CheckRouteOptions(opt); err != nil {
		return geo.Tour{}, err
	}
	pts := make([]geo.TourPoint, len(venues))
	for i, v := range venues {
		pts[i] = geo.TourPoint{Lat: v.Venue.Lat, Lon: v.Venue.Lon}
	}
	t, err := geo.PlanTour(geo.TourPoint{Lat: city.Lat, Lon: city.Lon}, pts, opt)
	if err != nil {
		return geo.Tour{}, planInvalid("venues", MsgOutOfRange, "%v", err)
	}
	return t, nil
}
