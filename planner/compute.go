package planner

import (
	"context"
	"fmt"
	"math/big"
	"runtime"
	"sort"
	"sync"

	"github.com/reparto/reparto/geo"
)

// Compute runs the whole planner over a campaign (docs/planning.md): venue
// counts, the allocation of every material and the dispatch schedule. The
// result does not depend on the order of any list in the campaign.
//
// Compute expects a validated campaign but does not trust it blindly:
// references it cannot resolve, duplicates that would make the result
// depend on input order, and values that would divide by zero come back as
// EInvalid errors with the JSON path. Locks and reserve exceeding a
// material's stock come back as EInvalid naming `materials[i]`.
func Compute(c *Campaign) (*Plan, error) { return ComputeContext(context.Background(), c) }

// ComputeContext is Compute for a caller that may stop waiting: once ctx
// ends, it stops at the next venue chunk or material and returns ctx's
// error, so a plan nobody waits for no longer uses a CPU.
func ComputeContext(ctx context.Context, c *Campaign) (*Plan, error) {
	ix, err := indexCampaign(c)
	if err != nil {
		return nil, err
	}
	vc, err := countVenues(ctx, c, ix)
	if err != nil {
		return nil, err
	}
	plan := &Plan{UnassignedVenues: vc.unassigned, VenueCity: vc.venueCity}

	inputs, cells, cityOf, err := materialInputs(c, ix, vc)
	if err != nil {
		return nil, err
	}
	plan.Cells = cells
	if plan.Materials, err = allocateAll(ctx, inputs); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := schedule(c, ix, plan, cityOf); err != nil {
		return nil, err
	}
	return plan, nil
}

// allocateAll allocates every material, several at a time: materials are
// independent (docs/planning.md#demand) and each writes only its own window of cells, so the
// result does not depend on scheduling. Errors are reported for the first
// failing material in code order, as a sequential run would.
func allocateAll(ctx context.Context, inputs []materialInput) ([]MaterialResult, error) {
	results := make([]MaterialResult, len(inputs))
	errs := make([]error, len(inputs))
	next := make(chan int, len(inputs))
	for i := range inputs {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(inputs)) {
		wg.Go(func() {
			scratch := &allocScratch{}
			for i := range next {
				if errs[i] = ctx.Err(); errs[i] == nil {
					in := inputs[i]
					in.scratch = scratch
					results[i], errs[i] = allocateMaterial(in)
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return results, nil
}

// campaignIndex gives cities and categories dense indexes in code order,
// so that counts are arrays and every iteration is already sorted.
type campaignIndex struct {
	cities     []City // sorted by code
	cityIdx    map[string]int
	categories []VenueCategory // sorted by code
	catIdx     map[string]int
	weights    []cityWeight // by city index
	q          *big.Int     // common denominator of all priorities
}

func indexCampaign(c *Campaign) (*campaignIndex, error) {
	ix := &campaignIndex{
		cities:     append([]City(nil), c.Cities...),
		categories: append([]VenueCategory(nil), c.Categories...),
		cityIdx:    make(map[string]int, len(c.Cities)),
		catIdx:     make(map[string]int, len(c.Categories)),
	}
	sort.Slice(ix.cities, func(i, j int) bool { return ix.cities[i].Code < ix.cities[j].Code })
	sort.Slice(ix.categories, func(i, j int) bool { return ix.categories[i].Code < ix.categories[j].Code })
	for i, k := range ix.cities {
		if _, dup := ix.cityIdx[k.Code]; dup {
			return nil, planInvalid("cities", MsgDuplicateCode, "duplicate city code %q", k.Code)
		}
		ix.cityIdx[k.Code] = i
	}
	for i, v := range ix.categories {
		if _, dup := ix.catIdx[v.Code]; dup {
			return nil, planInvalid("venue_categories", MsgDuplicateCode, "duplicate category code %q", v.Code)
		}
		ix.catIdx[v.Code] = i
	}
	for i, m := range c.Materials {
		if m.PackSize < 1 || m.PacksPerBox < 1 || m.Printed < 0 {
			return nil, planInvalid(fmt.Sprintf("materials[%d]", i), MsgPackPositive, "printed, pack_size and packs_per_box must be positive")
		}
	}
	return ix, ix.weigh()
}

// weigh turns the decimal priorities into integers W = priority·Q over
// their common denominator Q, and ranks them (0 = highest priority).
func (ix *campaignIndex) weigh() error {
	rats := make([]*big.Rat, len(ix.cities))
	ix.q = big.NewInt(1)
	for i, k := range ix.cities {
		rats[i] = k.Priority.Rat()
		if rats[i].Sign() <= 0 {
			return planInvalid("cities", MsgPriorityPositive, "priority of %s must be > 0", k.Code)
		}
		d := rats[i].Denom()
		g := new(big.Int).GCD(nil, nil, ix.q, d)
		ix.q.Mul(ix.q, new(big.Int).Quo(d, g))
	}
	ix.weights = make([]cityWeight, len(ix.cities))
	byPriority := make([]int, len(ix.cities))
	for i, k := range ix.cities {
		w := new(big.Int).Mul(rats[i].Num(), ix.q)
		ix.weights[i] = cityWeight{code: k.Code, priority: k.Priority, w: w.Quo(w, rats[i].Denom())}
		byPriority[i] = i
	}
	sort.SliceStable(byPriority, func(a, b int) bool {
		return ix.weights[byPriority[a]].w.Cmp(ix.weights[byPriority[b]].w) > 0
	})
	rank := 0
	for n, i := range byPriority {
		if n > 0 && ix.weights[i].w.Cmp(ix.weights[byPriority[n-1]].w) != 0 {
			rank++
		}
		ix.weights[i].rank = rank
	}
	return nil
}

// venueCounts is the outcome of docs/planning.md#venue-counts: n(k,c) for every city and
// category, whether it came from a venue_counts row, and where each
// registered venue went.
type venueCounts struct {
	nCats      int
	n          []int64 // [city*nCats + category]
	fromCount  []bool
	venueCity  *VenueCities
	unassigned []string
}

func (vc *venueCounts) at(k, c int) int { return k*vc.nCats + c }

// countVenues assigns registered venues to cities (their own city when
// given, else the nearest city within its radius, ties to the lower code)
// and counts them; a venue_counts row replaces the registry's count.
func countVenues(ctx context.Context, c *Campaign, ix *campaignIndex) (*venueCounts, error) {
	vc := &venueCounts{
		nCats:     len(ix.categories),
		n:         make([]int64, len(ix.cities)*len(ix.categories)),
		fromCount: make([]bool, len(ix.cities)*len(ix.categories)),
	}
	// Venues in strictly ascending id order have no repeated id and are
	// searched by halving: no map of a million ids to build.
	sorted := true
	for i := 1; i < len(c.Venues) && sorted; i++ {
		sorted = c.Venues[i-1].ID < c.Venues[i].ID
	}
	var byID map[string]string
	var ids []string
	var cityOf []int32
	if sorted {
		ids, cityOf = make([]string, len(c.Venues)), make([]int32, len(c.Venues))
	} else {
		byID = make(map[string]string, len(c.Venues))
	}
	nearest := nearestCities(ctx, ix, c.Venues)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i, v := range c.Venues {
		cat, ok := ix.catIdx[v.Category]
		if !ok {
			return nil, planInvalid(fmt.Sprintf("venues[%d].category", i), MsgUnknownRef, "unknown %s %q", "category", v.Category)
		}
		k, ok := int(nearest[i]), nearest[i] >= 0
		if v.City != "" { // a map look-up only for venues that name their city
			if k, ok = ix.cityIdx[v.City]; !ok {
				return nil, planInvalid(fmt.Sprintf("venues[%d].city", i), MsgUnknownRef, "unknown %s %q", "city", v.City)
			}
		}
		if sorted {
			ids[i], cityOf[i] = v.ID, -1
			if ok {
				cityOf[i] = int32(k)
			}
		} else {
			city := "" // unassigned; removed from the map below
			if ok {
				city = ix.cities[k].Code
			}
			// One map operation per venue: a repeated id does not grow the map.
			before := len(byID)
			byID[v.ID] = city
			if len(byID) == before {
				return nil, planInvalid(fmt.Sprintf("venues[%d].id", i), MsgDupVenueID, "duplicate venue id %q", v.ID)
			}
		}
		if !ok {
			vc.unassigned = append(vc.unassigned, v.ID)
			continue
		}
		vc.n[vc.at(k, cat)]++
	}
	if sorted {
		codes := make([]string, len(ix.cities))
		for k := range ix.cities {
			codes[k] = ix.cities[k].Code
		}
		vc.venueCity = &VenueCities{ids: ids, city: cityOf, codes: codes, n: len(ids) - len(vc.unassigned)}
	} else {
		for _, id := range vc.unassigned {
			delete(byID, id) // kept until now to catch duplicate ids
		}
		vc.venueCity = NewVenueCities(byID)
	}
	sort.Strings(vc.unassigned)
	for i, r := range c.VenueCounts {
		k, okK := ix.cityIdx[r.City]
		cat, okC := ix.catIdx[r.Category]
		if !okK || !okC || r.Count < 0 {
			return nil, planInvalid(fmt.Sprintf("venue_counts[%d]", i), MsgBadVenueCount, "unknown city or category, or negative count")
		}
		if vc.fromCount[vc.at(k, cat)] {
			return nil, planInvalid(fmt.Sprintf("venue_counts[%d]", i), MsgDupVenueCount, "more than one row for %s/%s", r.City, r.Category)
		}
		vc.n[vc.at(k, cat)], vc.fromCount[vc.at(k, cat)] = r.Count, true
	}
	return vc, nil
}

// nearestCities returns, for each venue given only by coordinates, the
// index of its city (the nearest within its radius) or -1. Lookups run on
// every CPU: the SiteIndex is read-only and each worker writes its own
// elements, so the result does not depend on scheduling. When ctx ends the
// workers stop early and the result is incomplete: callers check ctx.
func nearestCities(ctx context.Context, ix *campaignIndex, venues []Venue) []int32 {
	out := make([]int32, len(venues))
	todo := 0
	for _, v := range venues {
		if v.City == "" {
			todo++
		}
	}
	if todo == 0 {
		return out
	}
	sites := make([]geo.Site, len(ix.cities))
	for i, k := range ix.cities {
		sites[i] = geo.Site{Code: k.Code, Lat: k.Lat, Lon: k.Lon, RadiusKm: k.RadiusKm}
	}
	index := geo.NewSiteIndex(sites)
	// Workers take contiguous ranges of venues (no list of positions to
	// build: a national registry gives every venue by coordinates).
	workers := min(runtime.GOMAXPROCS(0), (todo+4095)/4096)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := len(venues)*w/workers, len(venues)*(w+1)/workers
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				if (i-lo)%4096 == 0 && ctx.Err() != nil {
					return // the caller checks ctx and drops the result
				}
				if venues[i].City != "" {
					continue
				}
				k, ok := index.Nearest(venues[i].Lat, venues[i].Lon)
				out[i] = -1
				if ok {
					out[i] = int32(k)
				}
			}
		})
	}
	wg.Wait()
	return out
}

// planInvalid is an EInvalid error about one path.
func planInvalid(path string, id MsgID, format string, args ...any) *Error {
	return Invalid(Fieldf(path, id, format, args...))
}

// materialInputs builds, for every material in code order, its cells:
// every (city, category) with per_venue > 0 and n > 0, plus every locked
// cell, already sorted by city then category. It also returns all cells
// in plan order, each input's cells a window of that slice, and each
// cell's city index (the schedule groups cells by city without looking
// their codes up).
func materialInputs(c *Campaign, ix *campaignIndex, vc *venueCounts) ([]materialInput, []Cell, []int32, error) {
	order := make([]int, len(c.Materials))
	matIdx := make(map[string]int, len(c.Materials))
	for i, m := range c.Materials {
		if _, dup := matIdx[m.Code]; dup {
			return nil, nil, nil, planInvalid(fmt.Sprintf("materials[%d].code", i), MsgDuplicateCode, "duplicate material code %q", m.Code)
		}
		matIdx[m.Code], order[i] = i, i
	}
	sort.Slice(order, func(a, b int) bool { return c.Materials[order[a]].Code < c.Materials[order[b]].Code })

	nCats := len(ix.categories)
	perVenue := make([][]int64, len(c.Materials)) // [material][category]
	for i := range perVenue {
		perVenue[i] = make([]int64, nCats)
	}
	seen := make(map[[2]int]bool, len(c.Targeting))
	for i, t := range c.Targeting {
		m, okM := matIdx[t.Material]
		cat, okC := ix.catIdx[t.Category]
		key := [2]int{m, cat}
		if !okM || !okC || t.PerVenue < 0 || seen[key] {
			return nil, nil, nil, planInvalid(fmt.Sprintf("targeting[%d]", i), MsgBadTargeting, "unknown or duplicate material/category, or negative per_venue")
		}
		seen[key], perVenue[m][cat] = true, t.PerVenue
	}
	locks := make([]map[int]int64, len(c.Materials)) // [material][city*nCats+category]
	for i, l := range c.Locks {
		m, okM := matIdx[l.Material]
		k, okK := ix.cityIdx[l.City]
		cat, okC := ix.catIdx[l.Category]
		if !okM || !okK || !okC {
			return nil, nil, nil, planInvalid(fmt.Sprintf("locks[%d]", i), MsgBadLock, "unknown material, city or category")
		}
		if l.Pieces < 0 || l.Pieces%c.Materials[m].PackSize != 0 {
			return nil, nil, nil, planInvalid(fmt.Sprintf("locks[%d].pieces", i), MsgMultipleOfPack, "must be a multiple of the pack size of %q (%d)", c.Materials[m].Code, c.Materials[m].PackSize)
		}
		if locks[m] == nil {
			locks[m] = map[int]int64{}
		}
		if _, dup := locks[m][vc.at(k, cat)]; dup {
			return nil, nil, nil, planInvalid(fmt.Sprintf("locks[%d]", i), MsgDupLock, "more than one lock for %s/%s/%s", l.Material, l.City, l.Category)
		}
		locks[m][vc.at(k, cat)] = l.Pieces
	}

	// Every cell of every material lives in one slice, in plan order, so
	// that no cell is copied after it is built: the plan keeps the slice.
	withVenues := make([]int, nCats) // cities with n > 0, per category
	for at, n := range vc.n {
		if n > 0 {
			withVenues[at%nCats]++
		}
	}
	total := 0
	for mi := range c.Materials {
		for cat, pv := range perVenue[mi] {
			if pv > 0 {
				total += withVenues[cat]
			}
		}
		for at := range locks[mi] {
			if perVenue[mi][at%nCats] == 0 || vc.n[at] == 0 {
				total++
			}
		}
	}
	if total > MaxPlanCells {
		return nil, nil, nil, planInvalid("targeting", MsgTooManyCells, "the plan would have %d cells (material, city and category with demand or a lock), more than %d", total, MaxPlanCells)
	}
	all := make([]Cell, 0, total)
	// City indexes, not pointers to weights: no pointers for the
	// collector to scan or write barriers to pass.
	cityOf := make([]int32, 0, total)
	inputs := make([]materialInput, 0, len(order))
	allCats := make([]int, nCats)
	for cat := range allCats {
		allCats[cat] = cat
	}
	targeted := make([]int, 0, nCats)
	for _, mi := range order {
		m := c.Materials[mi]
		start := len(all)
		// Without locks, only the categories the material targets can
		// have cells: the 2009 materials each target a few of the 27
		// categories, and visiting every (city, category) pair was a
		// tenth of a plan's instructions.
		cats := allCats
		if locks[mi] == nil {
			targeted = targeted[:0]
			for cat, pv := range perVenue[mi] {
				if pv > 0 {
					targeted = append(targeted, cat)
				}
			}
			cats = targeted
		}
		for k := range ix.cities {
			for _, cat := range cats {
				at := vc.at(k, cat)
				pv, n := perVenue[mi][cat], vc.n[at]
				var lock int64
				var locked bool
				if locks[mi] != nil {
					lock, locked = locks[mi][at]
				}
				if !locked && (pv == 0 || n == 0) {
					continue
				}
				d, err := mulInt64(pv, n)
				if err != nil {
					return nil, nil, nil, planInvalid(fmt.Sprintf("materials[%d]", mi), MsgDemandTooLarge, "demand is too large")
				}
				// Written in place (all has room for every cell): a cell
				// built aside and appended was copied once more, under
				// write barriers, a tenth of a 2009 plan.
				all = all[:len(all)+1]
				cell := &all[len(all)-1]
				cell.Material, cell.City, cell.Category = m.Code, ix.cities[k].Code, ix.categories[cat].Code
				cell.Venues, cell.PerVenue, cell.Demand, cell.Locked, cell.Pieces = n, pv, d, locked, lock
				cell.Why.VenueSource = SourceRegistry
				if vc.fromCount[at] {
					cell.Why.VenueSource = SourceCount
				}
				cityOf = append(cityOf, int32(k))
			}
		}
		end := len(all)
		inputs = append(inputs, materialInput{index: mi, m: m, surplus: c.Surplus, q: ix.q,
			cells: all[start:end:end], cityOf: cityOf[start:end:end], weights: ix.weights})
	}
	return inputs, all, cityOf, nil
}
