package planner

import (
	"cmp"
	"slices"
)

// DistributedLines sums what the shipments handed out, over their logs
// with corrections applied: one line per material, category and venue
// (VenueID "" for pieces handed to a category's unregistered venues),
// sorted by material, category, venue, zero lines left out. Only
// distribution events and their corrections are read, so a log holding
// nothing else gives the same answer (the store reads no more). The
// caller chooses the shipments: a campaign's, a city's, or as they stood
// on a day (ShipmentRecord.AsOfDay).
func DistributedLines(shipments []ShipmentRecord) []DistributionLine {
	var all []DistributionLine
	for i := range shipments {
		eff, _ := shipments[i].effectiveEvents()
		for _, e := range eff {
			if e.Kind == EventDistributed {
				all = append(all, e.Distribution...)
			}
		}
	}
	return mergeDistribution(all)
}

// mergeDistribution sums lines of the same material, category and venue.
func mergeDistribution(in []DistributionLine) []DistributionLine {
	in = slices.Clone(in)
	slices.SortFunc(in, func(a, b DistributionLine) int {
		return cmp.Or(cmp.Compare(a.Material, b.Material), cmp.Compare(a.Category, b.Category), cmp.Compare(a.VenueID, b.VenueID))
	})
	out := []DistributionLine{}
	for _, l := range in {
		if n := len(out); n > 0 && out[n-1].Material == l.Material && out[n-1].Category == l.Category && out[n-1].VenueID == l.VenueID {
			out[n-1].Pieces = addPieces(out[n-1].Pieces, l.Pieces)
			continue
		}
		out = append(out, l)
	}
	return slices.DeleteFunc(out, func(l DistributionLine) bool { return l.Pieces <= 0 })
}

// CoverageCount is how many registered venues a plan targets and how many
// of them were reached (docs/tracking.md#coverage-by-venue). State is the
// ISO 3166-2 code of the venues' city ("" for every state, or a city
// without one); Category is "" for every category.
type CoverageCount struct {
	State    string `json:"state"`
	Category string `json:"category"`
	Targeted int64  `json:"targeted"`
	Reached  int64  `json:"reached"` // targeted venues that received at least one piece
	// Untargeted counts venues that received pieces although the plan
	// gives their city and category none (a lock to zero after the
	// distribution, or a distribution recorded before a re-plan); they are
	// not in Reached, so Reached ≤ Targeted.
	Untargeted int64 `json:"untargeted"`
}

// Ratio is venues reached ÷ venues targeted; ok is false when none is
// targeted.
func (k CoverageCount) Ratio() (r float64, ok bool) {
	if k.Targeted == 0 {
		return 0, false
	}
	return float64(k.Reached) / float64(k.Targeted), true
}

func (k *CoverageCount) add(targeted, reached bool) {
	switch {
	case targeted && reached:
		k.Targeted++
		k.Reached++
	case targeted:
		k.Targeted++
	case reached:
		k.Untargeted++
	}
}

// VenueReach is a registered venue's place on the coverage map.
type VenueReach string

const (
	VenueReached     VenueReach = "reached"      // received at least one piece
	VenueNotReached  VenueReach = "not_reached"  // targeted, nothing received yet
	VenueNotTargeted VenueReach = "not_targeted" // the plan sends its city and category nothing
)

// VenueCoverage says which registered venues were reached and counts them
// against the venues the plan targets (docs/tracking.md#coverage-by-venue).
type VenueCoverage struct {
	Material string `json:"material"` // "" for every material
	// Reached holds each registered venue that received at least one
	// piece (of Material), with its pieces. Venue ids are free text: a
	// caller hides those of confidential venues from viewers.
	Reached map[string]int64 `json:"-"`
	// Targeted holds each registered venue of a city and category the
	// plan gives pieces (of Material).
	Targeted   map[string]bool `json:"-"`
	Total      CoverageCount   `json:"total"`
	ByState    []CoverageCount `json:"by_state"`    // per state, every category; sorted by state
	ByCategory []CoverageCount `json:"by_category"` // the whole campaign per category; sorted by category
	Cells      []CoverageCount `json:"cells"`       // per state and category; sorted by state, category
}

// Reach is venue id's place on the coverage map.
func (v *VenueCoverage) Reach(id string) VenueReach {
	switch {
	case v.Reached[id] > 0:
		return VenueReached
	case v.Targeted[id]:
		return VenueNotReached
	}
	return VenueNotTargeted
}

// ReachedIDs returns the ids of the reached venues, sorted.
func (v *VenueCoverage) ReachedIDs() []string {
	ids := make([]string, 0, len(v.Reached))
	for id := range v.Reached {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// CoverVenues works out the coverage of c's registered venues by plan p
// and the distribution lines lines (DistributedLines of the campaign's
// shipments), for one material or, with material "", all of them.
//
// A venue is targeted when p has a cell of its city and category (of the
// material) with pieces: the plan sends that city pieces for venues like
// it. It is reached when distribution lines naming it add up to at least
// one piece (of the material). Its city is the one p assigned it
// (p.VenueCity, p.UnassignedVenues), or for a venue registered since p
// was computed the planner's assignment now (AssignedCities); its state
// is that city's. Lines naming venues c does not
// have (deleted since) count nowhere. p may be nil: nothing is targeted.
func CoverVenues(c *Campaign, p *Plan, lines []DistributionLine, material string) *VenueCoverage {
	cov := &VenueCoverage{Material: material, Reached: map[string]int64{}, Targeted: make(map[string]bool, len(c.Venues)),
		ByState: []CoverageCount{}, ByCategory: []CoverageCount{}, Cells: []CoverageCount{}}
	// Pieces per venue id named, registered or not: only registered ones
	// are kept, in the loop over the venues below.
	received := map[string]int64{}
	for _, l := range lines {
		if l.VenueID != "" && (material == "" || l.Material == material) && l.Pieces > 0 {
			received[l.VenueID] = addPieces(received[l.VenueID], l.Pieces)
		}
	}
	type place struct{ city, category string }
	planned := map[place]bool{}
	var planCity *VenueCities
	unassigned := map[string]bool{}
	if p != nil {
		for _, cell := range p.Cells {
			if cell.Pieces > 0 && (material == "" || cell.Material == material) {
				planned[place{cell.City, cell.Category}] = true
			}
		}
		planCity = p.VenueCity
		for _, id := range p.UnassignedVenues {
			unassigned[id] = true
		}
	}
	// Venues registered after p was computed are assigned now.
	var late []Venue
	for i, v := range c.Venues {
		if _, ok := planCity.CityAt(i, v.ID); !ok && !unassigned[v.ID] {
			late = append(late, v)
		}
	}
	lateCity := make(map[string]string, len(late))
	for i, k := range AssignedCities(c.Cities, late) {
		lateCity[late[i].ID] = k
	}
	stateOf := make(map[string]string, len(c.Cities))
	for _, k := range c.Cities {
		stateOf[k.Code] = k.State
	}
	type key struct{ state, category string }
	cells, states, cats := map[key]*CoverageCount{}, map[string]*CoverageCount{}, map[string]*CoverageCount{}
	count := func(m map[key]*CoverageCount, k key) *CoverageCount {
		if m[k] == nil {
			m[k] = &CoverageCount{State: k.state, Category: k.category}
		}
		return m[k]
	}
	for i, v := range c.Venues {
		city, ok := planCity.CityAt(i, v.ID)
		if !ok {
			city = lateCity[v.ID]
		}
		targeted := city != "" && planned[place{city, v.Category}]
		n := received[v.ID]
		reached := n > 0
		if targeted {
			cov.Targeted[v.ID] = true
		}
		if reached {
			cov.Reached[v.ID] = n
		}
		if !targeted && !reached {
			continue
		}
		st := stateOf[city]
		count(cells, key{st, v.Category}).add(targeted, reached)
		if states[st] == nil {
			states[st] = &CoverageCount{State: st}
		}
		states[st].add(targeted, reached)
		if cats[v.Category] == nil {
			cats[v.Category] = &CoverageCount{Category: v.Category}
		}
		cats[v.Category].add(targeted, reached)
		cov.Total.add(targeted, reached)
	}
	for _, k := range cells {
		cov.Cells = append(cov.Cells, *k)
	}
	for _, k := range states {
		cov.ByState = append(cov.ByState, *k)
	}
	for _, k := range cats {
		cov.ByCategory = append(cov.ByCategory, *k)
	}
	byPlace := func(a, b CoverageCount) int {
		return cmp.Or(cmp.Compare(a.State, b.State), cmp.Compare(a.Category, b.Category))
	}
	slices.SortFunc(cov.Cells, byPlace)
	slices.SortFunc(cov.ByState, byPlace)
	slices.SortFunc(cov.ByCategory, byPlace)
	return cov
}
