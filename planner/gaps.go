package planner

import (
	"cmp"
	"math"
	"slices"

	"github.com/reparto/reparto/geo"
)

// DefaultGapKm is the default cut-off of the coverage report: a populated
// place farther than this (great-circle) from every campaign city counts as
// uncovered. 50 km is about an hour by road, the reach of a city's local
// distribution.
const DefaultGapKm = 50.0

// Gaps is the coverage-gap report of a plan (gaps.json of `reparto plan`):
// who and what the campaign does not reach. It holds no venue names, so
// that it can be shared without exposing confidential venues or venues in
// sensitive categories. Lists come sorted most severe first, ties by code.
type Gaps struct {
	GapKm float64 `json:"gap_km"`
	// Population of the places taken into account and the part of it
	// farther than GapKm from every campaign city (Mexico City counted
	// once, see geo.UncoveredPopulation); UncoveredShare = Uncovered /
	// Population with 4 decimals, null without population data.
	Population     int64    `json:"population"`
	Uncovered      int64    `json:"uncovered"`
	UncoveredShare *float64 `json:"uncovered_share"`

	UnassignedVenues  []UnassignedVenue `json:"unassigned_venues"`   // by venue id
	StatesWithoutCity []StateGap        `json:"states_without_city"` // by population, descending
	States            []StateGap        `json:"states"`              // by uncovered population, descending
	Fill              []CellFill        `json:"fill"`                // by fill ratio, ascending
	Unserved          []CellFill        `json:"unserved"`            // demand but nothing allocated; by demand, descending
}

// UnassignedVenue is a venue within no city's radius (docs/planning.md#venue-assignment),
// with what it would take to reach it: the nearest city and how far it is.
// Confidential is true when the venue is confidential or its category is
// sensitive: consumers that show the report beyond the planning team must
// hide or blur its coordinates.
type UnassignedVenue struct {
	ID            string  `json:"id"`
	Category      string  `json:"category"`
	Lat           float64 `json:"lat"`
	Lon           float64 `json:"lon"`
	State         string  `json:"state"`
	NearestCity   string  `json:"nearest_city"`
	NearestCityKm float64 `json:"nearest_city_km"` // 1 decimal
	Confidential  bool    `json:"confidential"`
}

// StateGap is one state's coverage: its campaign cities (by the polygon
// containing each city's point) and its population within and beyond
// GapKm of every campaign city.
type StateGap struct {
	State           string   `json:"state"`
	Name            string   `json:"name"`
	Cities          []string `json:"cities"` // codes, sorted
	Population      int64    `json:"population"`
	Uncovered       int64    `json:"uncovered"`
	UncoveredShare  *float64 `json:"uncovered_share"` // 4 decimals; null without population
	Places          int      `json:"places"`
	UncoveredPlaces int      `json:"uncovered_places"`
}

// CellFill is the fill of one (city, category) pair over all materials:
// Fill = Allocated / Demand summed over the cells with demand (locks
// included, locks on cells without demand left out).
type CellFill struct {
	City      string   `json:"city"`
	Category  string   `json:"category"`
	Materials []string `json:"materials"` // with demand here, sorted
	Demand    int64    `json:"demand"`
	Allocated int64    `json:"allocated"`
	Fill      float64  `json:"fill"` // 4 decimals
}

// ComputeGaps reports the coverage gaps of plan p of campaign c: unassigned
// venues, states with no campaign city, population farther than maxKm
// (DefaultGapKm when maxKm <= 0) from every city per state, and the fill of
// every (city, category) with demand. states and places are the geodata
// (geo.LoadStates, geo.LoadPlaces); with a nil states index the state
// sections are empty, with no places the populations are 0. It does not
// fail: everything it needs was validated when p was computed.
func ComputeGaps(c *Campaign, p *Plan, states *geo.StateIndex, places []geo.Place, maxKm float64) *Gaps {
	if !(maxKm > 0) {
		maxKm = DefaultGapKm
	}
	sites := make([]geo.Site, len(c.Cities))
	for i, k := range c.Cities {
		sites[i] = geo.Site{Code: k.Code, Lat: k.Lat, Lon: k.Lon, RadiusKm: k.RadiusKm}
	}
	cities := geo.NewSiteIndex(sites)
	g := &Gaps{
		GapKm:            maxKm,
		UnassignedVenues: unassignedVenues(c, p, cities, states),
		Fill:             []CellFill{},
		Unserved:         []CellFill{},
	}
	g.States, g.StatesWithoutCity = stateGaps(c, states, places, cities, maxKm)
	for _, s := range g.States {
		g.Population += s.Population
		g.Uncovered += s.Uncovered
	}
	g.UncoveredShare = gapShare(g.Uncovered, g.Population)
	fills, byCode := cellFills(p)
	var unserved []int32
	for _, i := range byCode {
		if fills[i].Allocated == 0 {
			unserved = append(unserved, i)
		}
	}
	// Demand > 0 here, so its negation orders by demand descending.
	g.Unserved = stableOrder(fills, unserved, func(f *CellFill) int64 { return -f.Demand })
	// Last, as it reorders fills where they are: byCode lists every fill,
	// so the fill order is a permutation of them, not a copy.
	order := stableRanks(fills, byCode, func(f *CellFill) float64 { return f.Fill })
	for n, r := range order {
		order[n] = byCode[r]
	}
	permute(fills, order)
	g.Fill = fills
	return g
}

// stableOrder returns the fills listed in among (indexes into fills),
// stably sorted by key ascending. It sorts (key, rank in among) pairs and
// copies each fill once: a stable sort of the fills themselves moved each
// of them (strings and a slice, under write barriers) O(log n) times, and
// a comparison through the fills was an indirect call and two loads per
// step.
func stableOrder[K cmp.Ordered](fills []CellFill, among []int32, key func(*CellFill) K) []CellFill {
	order := stableRanks(fills, among, key)
	out := make([]CellFill, len(among))
	for n, r := range order {
		out[n] = fills[among[r]]
	}
	return out
}

// permute reorders fills so that the n-th is the one at from[n], following
// the permutation's cycles: no second slice of fills. from is used up.
func permute(fills []CellFill, from []int32) {
	for start := range from {
		if from[start] < 0 || int(from[start]) == start {
			continue
		}
		held, j := fills[start], start
		for {
			k := int(from[j])
			from[j] = -1
			if k == start {
				fills[j] = held
				break
			}
			fills[j], j = fills[k], k
		}
	}
}

// stableRanks is the order of stableOrder: the n-th fill is
// fills[among[r[n]]].
func stableRanks[K cmp.Ordered](fills []CellFill, among []int32, key func(*CellFill) K) []int32 {
	type keyed struct {
		k K
		r int32
	}
	order := make([]keyed, len(among))
	for r, i := range among {
		order[r] = keyed{key(&fills[i]), int32(r)}
	}
	// Plain comparisons: keys are fill ratios and demands, never NaN.
	slices.SortFunc(order, func(a, b keyed) int {
		switch {
		case a.k < b.k:
			return -1
		case a.k > b.k:
			return 1
		}
		return cmp.Compare(a.r, b.r)
	})
	ranks := make([]int32, len(order))
	for n, o := range order {
		ranks[n] = o.r
	}
	return ranks
}

// unassignedVenues describes p.UnassignedVenues, in that (id) order.
func unassignedVenues(c *Campaign, p *Plan, cities *geo.SiteIndex, states *geo.StateIndex) []UnassignedVenue {
	found := unassignedByID(c.Venues, p.UnassignedVenues)
	sensitive := make(map[string]bool)
	for _, cat := range c.Categories {
		sensitive[cat.Code] = cat.Sensitive
	}
	out := make([]UnassignedVenue, 0, len(p.UnassignedVenues))
	for _, v := range found {
		if v.ID == "" {
			continue // not in this campaign: nothing to say about it
		}
		u := UnassignedVenue{
			ID: v.ID, Category: v.Category, Lat: v.Lat, Lon: v.Lon,
			Confidential: v.Confidential || sensitive[v.Category],
		}
		if states != nil {
			u.State, _ = states.LocateUncached(v.Lat, v.Lon)
		}
		if i, km := cities.NearestAny(v.Lat, v.Lon); i >= 0 {
			u.NearestCity = cities.Site(i).Code
			u.NearestCityKm = gapRound(km, 1)
		}
		out = append(out, u)
	}
	return out
}

// unassignedByID returns, for each id of ids (Plan.UnassignedVenues),
// its venue among venues, or the zero Venue when none has it. When the
// venues come sorted by id with no repeats (as a registry import or
// gendemo writes them) and ids are sorted, one merge walk finds them with
// string comparisons only; otherwise it indexes only the unassigned ids
// (a national registry has a million venues and a few per cent
// unassigned) and looks every venue up, a repeated id resolving to its
// last venue.
func unassignedByID(venues []Venue, ids []string) []Venue {
	out := make([]Venue, len(ids))
	sorted := slices.IsSorted(ids)
	for i := 1; i < len(venues) && sorted; i++ {
		sorted = venues[i-1].ID < venues[i].ID
	}
	if sorted {
		j := 0
		for n, id := range ids {
			for j < len(venues) && venues[j].ID < id {
				j++
			}
			if j < len(venues) && venues[j].ID == id {
				out[n] = venues[j]
			}
		}
		return out
	}
	byID := make(map[string]int, len(ids))
	for _, id := range ids {
		byID[id] = -1
	}
	for i, v := range venues {
		if _, ok := byID[v.ID]; ok {
			byID[v.ID] = i
		}
	}
	for n, id := range ids {
		if i := byID[id]; i >= 0 {
			out[n] = venues[i]
		}
	}
	return out
}

// stateGaps returns every state of the index with its cities and
// population coverage, and the states without a city.
func stateGaps(c *Campaign, states *geo.StateIndex, places []geo.Place, cities *geo.SiteIndex, maxKm float64) (all, empty []StateGap) {
	all, empty = []StateGap{}, []StateGap{}
	if states == nil {
		return all, empty
	}
	cityCodes := make(map[string][]string)
	for _, k := range c.Cities {
		code, _ := states.Locate(k.Lat, k.Lon)
		cityCodes[code] = append(cityCodes[code], k.Code)
	}
	unc := geo.UncoveredPopulation(places, cities, maxKm)
	for _, s := range states.States() {
		u := unc[s.Code]
		codes := cityCodes[s.Code]
		slices.Sort(codes)
		if codes == nil {
			codes = []string{}
		}
		sg := StateGap{
			State: s.Code, Name: s.Name, Cities: codes,
			Population: u.Population, Uncovered: u.Uncovered, UncoveredShare: gapShare(u.Uncovered, u.Population),
			Places: u.Places, UncoveredPlaces: u.UncoveredPlaces,
		}
		all = append(all, sg)
		if len(codes) == 0 {
			empty = append(empty, sg)
		}
	}
	// States() is sorted by code, so stable sorts leave ties by code.
	slices.SortStableFunc(all, func(a, b StateGap) int { return cmp.Compare(b.Uncovered, a.Uncovered) })
	slices.SortStableFunc(empty, func(a, b StateGap) int { return cmp.Compare(b.Population, a.Population) })
	return all, empty
}

// cellFills sums p.Cells with demand per (city, category); byCode lists
// the fills' indexes sorted by city then category. Cities and categories
// get dense indexes (in code order) so that the sums live in a grid: no
// map of string pairs per cell, and the grid read in order is already
// sorted. Materials lists share one backing array.
func cellFills(p *Plan) (fills []CellFill, byCode []int32) {
	cityAt, catAt, cities, cats := denseCellCodes(p.Cells)
	nc := int32(len(cats))
	at := make([]int32, len(cities)*len(cats)) // grid position → 1 + index in out, 0: none yet
	out := make([]CellFill, 0, min(len(at), len(p.Cells)))
	counts := make([]int, 0, cap(out)) // materials per fill, to size the shared backing array
	for n := range p.Cells {
		cell := &p.Cells[n]
		if cell.Demand <= 0 {
			continue
		}
		g := cityAt[n]*nc + catAt[n]
		if at[g] == 0 {
			out = append(out, CellFill{City: cell.City, Category: cell.Category})
			counts = append(counts, 0)
			at[g] = int32(len(out))
		}
		i := at[g] - 1
		out[i].Demand += cell.Demand
		out[i].Allocated += cell.Pieces
		counts[i]++
	}
	backing := make([]string, 0, len(p.Cells))
	for i, k := range counts {
		backing = backing[:len(backing)+k]
		out[i].Materials = backing[len(backing)-k : len(backing)-k : len(backing)]
	}
	// Cells come grouped by material in ascending code order (Plan.Cells):
	// then every fill's list comes out sorted, and a repeat can only be the
	// last one added. Anything else is sorted afterwards.
	ordered := true
	var lastMaterial string
	for n := range p.Cells {
		cell := &p.Cells[n]
		if cell.Material != lastMaterial {
			ordered = ordered && (n == 0 || lastMaterial < cell.Material)
			lastMaterial = cell.Material
		}
		if cell.Demand > 0 {
			f := &out[at[cityAt[n]*nc+catAt[n]]-1]
			if k := len(f.Materials); k == 0 || f.Materials[k-1] != cell.Material {
				f.Materials = append(f.Materials, cell.Material)
			}
		}
	}
	for i := range out {
		if !ordered {
			slices.Sort(out[i].Materials)
			out[i].Materials = slices.Compact(out[i].Materials)
		}
		out[i].Fill = gapRound(float64(out[i].Allocated)/float64(out[i].Demand), 4)
	}
	// (city, category) pairs are unique: reading the grid in code order
	// gives the one sorted order.
	byCode = make([]int32, 0, len(out))
	for _, k := range cities {
		for _, c := range cats {
			if i := at[k.at*nc+c.at]; i > 0 {
				byCode = append(byCode, i-1)
			}
		}
	}
	return out, byCode
}

// denseCode is a distinct code and its index in first-seen order.
type denseCode struct {
	code string
	at   int32
}

// denseCellCodes numbers the distinct cities and categories of the cells
// by first appearance (cityAt[n] and catAt[n] are cell n's) and returns
// them sorted by code, in one pass over the cells.
func denseCellCodes(cells []Cell) (cityAt, catAt []int32, cities, cats []denseCode) {
	both := make([]int32, 2*len(cells))
	cityAt, catAt = both[:len(cells):len(cells)], both[len(cells):]
	var cityCodes, catCodes denseCodes
	cityCodes.init()
	catCodes.init()
	for n := range cells {
		cityAt[n] = cityCodes.number(cells[n].City)
		catAt[n] = catCodes.number(cells[n].Category)
	}
	return cityAt, catAt, cityCodes.sorted(), catCodes.sorted()
}

// denseCodes numbers distinct codes in first-seen order. Plan cells come
// sorted by material, city and category, so a cell's city is mostly the
// previous cell's and its category mostly the one first seen after the
// previous cell's: those two guesses, checked by comparing the code,
// answer most cells without hashing; a small direct-mapped cache on a
// cheap hash of the code, then the map, answer the rest.
type denseCodes struct {
	seen   []denseCode // by number
	index  map[string]int32
	recent [64]denseCode
	prev   int32 // the previous code's number, -1 before the first
}

func (d *denseCodes) init() {
	d.index, d.prev = map[string]int32{}, -1
	for i := range d.recent {
		d.recent[i].at = -1
	}
}

// number is s's number, given it one if s is new.
func (d *denseCodes) number(s string) int32 {
	if p := d.prev; p >= 0 {
		if d.seen[p].code == s {
			return p
		}
		if int(p)+1 < len(d.seen) && d.seen[p+1].code == s {
			d.prev = p + 1
			return p + 1
		}
	}
	h := 0
	if len(s) > 0 {
		h = (len(s)*31 + int(s[len(s)-1])*7 + int(s[len(s)/2])) & 63
	}
	if r := &d.recent[h]; r.at >= 0 && r.code == s {
		d.prev = r.at
		return r.at
	}
	i, ok := d.index[s]
	if !ok {
		i = int32(len(d.seen))
		d.index[s] = i
		d.seen = append(d.seen, denseCode{s, i})
	}
	d.recent[h] = denseCode{s, i}
	d.prev = i
	return i
}

// sorted returns the codes sorted, each with its number; it reorders
// seen, so number must not be called after it.
func (d *denseCodes) sorted() []denseCode {
	slices.SortFunc(d.seen, func(a, b denseCode) int { return cmp.Compare(a.code, b.code) })
	return d.seen
}

// gapShare is part/whole rounded to 4 decimals, nil when whole is 0.
func gapShare(part, whole int64) *float64 {
	if whole <= 0 {
		return nil
	}
	s := gapRound(float64(part)/float64(whole), 4)
	return &s
}

// gapRound rounds x to the given number of decimals, for stable, readable
// JSON.
func gapRound(x float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(x*p) / p
}
