package mapdata

import (
	"github.com/reparto/reparto/planner"
)

// mapCovKey names one venue coverage: a campaign and a material filter.
// Each key keeps only its latest computation (covEntry), like a body slot
// in serveCached: once the plan or the tracking moved on, the old one is
// never asked for again.
type mapCovKey struct {
	id       int64
	material string
}

// mapCovEntry is a venue coverage, its counts per map state, and the
// plan version and tracking fingerprint it was computed from.
type mapCovEntry struct {
	version int64
	fp      uint64
	cov     *planner.VenueCoverage
	// states counts targeted and reached venues per category ("" for
	// every category) and state code. The state is where the map draws
	// the venue's city (geodata, as computeMapAgg locates it), not the
	// campaign file's optional state field that cov.ByState uses: a city
	// without one would otherwise count in no state of the choropleth.
	states map[string]map[string]mapReachCounts
}

// mapReachCounts is registered venues targeted and reached.
type mapReachCounts struct{ Targeted, Reached int64 }

// coverage returns which registered venues the plan targets and which
// were reached (planner.CoverVenues), for the material filter, computed
// once per plan version and tracking snapshot: at 100 k venues it costs
// about 100 ms, too much for every layer request. The distribution lines
// are the tracking snapshot's (shipments not cancelled, as of the map's
// "today"), so the venue layer, the choropleth and the city popups agree;
// the plan is the one the map shows (v.p.Plan), the same that says which
// cells have pieces on the other layers.
func (h *mapHandlers) coverage(v *mapInput, material string) *mapCovEntry {
	k := mapCovKey{id: v.p.Campaign.ID, material: material}
	h.mu.Lock()
	e, ok := h.covs[k]
	h.mu.Unlock()
	if ok && e.version == v.p.Version() && e.fp == v.track.fp {
		return e
	}
	var lines []planner.DistributionLine
	for _, ct := range v.track.cities {
		lines = append(lines, ct.Distribution...)
	}
	camp := v.p.Campaign
	e = &mapCovEntry{version: v.p.Version(), fp: v.track.fp, states: map[string]map[string]mapReachCounts{"": {}}}
	e.cov = planner.CoverVenues(camp, v.p.Plan, lines, material)
	stateOf := make(map[string]string, len(camp.Cities))
	for _, c := range camp.Cities {
		stateOf[c.Code], _ = h.Res.Geo.States.Locate(c.Lat, c.Lon)
	}
	var venueCity *planner.VenueCities
	if v.p.Plan != nil {
		venueCity = v.p.Plan.VenueCity
	}
	for i, ven := range camp.Venues {
		if !e.cov.Targeted[ven.ID] { // reached but not targeted: counted nowhere, as in CoverageCount.Reached
			continue
		}
		city, ok := venueCity.CityAt(i, ven.ID)
		if !ok {
			city = ven.City
		}
		st := stateOf[city]
		reached := int64(0)
		if e.cov.Reached[ven.ID] > 0 {
			reached = 1
		}
		for _, cat := range []string{"", ven.Category} {
			m := e.states[cat]
			if m == nil {
				m = map[string]mapReachCounts{}
				e.states[cat] = m
			}
			n := m[st]
			n.Targeted++
			n.Reached += reached
			m[st] = n
		}
	}
	h.mu.Lock()
	h.covs[k] = e
	h.mu.Unlock()
	return e
}
