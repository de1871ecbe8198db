package mapdata

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/planner"
)

// mapAgg is the plan side of the map for one campaign version and one
// (material, category) filter: pieces per city and per state. It is
// computed once and shared by every request with the same key.
type mapAgg struct {
	states  []mapState // every state of the geodata, by code
	stateAt map[string]int
	cities  []mapCity // every campaign city, by code
	cityAt  map[string]int
	maxPcs  int64 // largest city allocation, for the circle scale
}

type mapState struct {
	Code, Name                string
	Cities                    []int // indexes into mapAgg.cities
	Demand, Filled, Allocated int64
	Population, Uncovered     int64
	UncoveredShare            *float64
}

// mapCity holds pieces over the filtered cells: Allocated counts every
// piece (locks on cells without demand too), Filled only pieces on cells
// with demand, so that Filled/Demand is the fill of docs/planning.md#fill.
type mapCity struct {
	Code, Name, State         string
	Lat, Lon                  float64
	Demand, Filled, Allocated int64
}

// agg returns the plan aggregates for the campaign version and filter.
func (h *mapHandlers) agg(v *mapInput, f mapFilter) *mapAgg {
	k := mapAggKey{id: v.p.Campaign.ID, version: v.p.Version(), material: f.Material, category: f.Category}
	h.mu.Lock()
	a, ok := h.aggs[k]
	h.mu.Unlock()
	if ok {
		return a
	}
	a = computeMapAgg(h.Res.Geo, v.p, f)
	h.mu.Lock()
	h.aggs[k] = a
	h.mu.Unlock()
	return a
}

func computeMapAgg(g *resolve.Geo, p *resolve.Planned, f mapFilter) *mapAgg {
	a := &mapAgg{stateAt: map[string]int{}, cityAt: map[string]int{}}
	for _, st := range g.States.States() {
		a.stateAt[st.Code] = len(a.states)
		a.states = append(a.states, mapState{Code: st.Code, Name: st.Name})
	}
	cities := slices.Clone(p.Campaign.Cities)
	slices.SortFunc(cities, func(x, y planner.City) int { return cmp.Compare(x.Code, y.Code) })
	for _, k := range cities {
		code, _ := g.States.Locate(k.Lat, k.Lon) // as planner.ComputeGaps does
		a.cityAt[k.Code] = len(a.cities)
		a.cities = append(a.cities, mapCity{Code: k.Code, Name: k.Name, State: code, Lat: k.Lat, Lon: k.Lon})
	}
	if p.Plan != nil {
		for _, cell := range p.Plan.Cells {
			i, ok := a.cityAt[cell.City]
			if !ok || (f.Material != "" && cell.Material != f.Material) || (f.Category != "" && cell.Category != f.Category) {
				continue
			}
			k := &a.cities[i]
			k.Allocated += cell.Pieces
			if cell.Demand > 0 {
				k.Demand += cell.Demand
				k.Filled += cell.Pieces
			}
		}
	}
	for i, k := range a.cities {
		a.maxPcs = max(a.maxPcs, k.Allocated)
		if j, ok := a.stateAt[k.State]; ok {
			st := &a.states[j]
			st.Cities = append(st.Cities, i)
			st.Demand += k.Demand
			st.Filled += k.Filled
			st.Allocated += k.Allocated
		}
	}
	if p.Gaps != nil {
		for _, g := range p.Gaps.States {
			if j, ok := a.stateAt[g.State]; ok {
				a.states[j].Population, a.states[j].Uncovered, a.states[j].UncoveredShare = g.Population, g.Uncovered, g.UncoveredShare
			}
		}
	}
	return a
}

// mapView adds tracking to the plan aggregates: what one response shows.
type mapView struct {
	agg    *mapAgg
	cities []mapCityView // as agg.cities
	states []mapStateView
}

type mapCityView struct {
	Fill                   *float64
	Delivered, Distributed int64
	Track                  *mapCityTrack // nil without a shipment
}

type mapStateView struct {
	Metrics                map[string]*float64
	Delivered, Distributed int64
	Reach                  mapReachCounts // registered venues under the filters
}

// view computes the metrics of every state and city for f. Tracking
// metrics are "no data" for a state none of whose cities has a shipment,
// and delivered is "no data" under a category filter: deliveries are
// recorded per material, not per venue category.
func (h *mapHandlers) view(v *mapInput, f mapFilter) *mapView {
	a := h.agg(v, f)
	reach := h.coverage(v, f.Material).states[f.Category]
	mv := &mapView{agg: a, cities: make([]mapCityView, len(a.cities)), states: make([]mapStateView, len(a.states))}
	for i, k := range a.cities {
		cv := &mv.cities[i]
		cv.Fill = mapRatio(k.Filled, k.Demand)
		cv.Track = v.track.cities[k.Code]
		if cv.Track == nil {
			continue
		}
		for m, n := range cv.Track.Accepted {
			if f.Material == "" || m == f.Material {
				cv.Delivered += n
			}
		}
		for _, l := range cv.Track.Distribution {
			if (f.Material == "" || l.Material == f.Material) && (f.Category == "" || l.Category == f.Category) {
				cv.Distributed += l.Pieces
			}
		}
	}
	for j, st := range a.states {
		sv := &mv.states[j]
		tracked := false
		for _, i := range st.Cities {
			sv.Delivered += mv.cities[i].Delivered
			sv.Distributed += mv.cities[i].Distributed
			tracked = tracked || mv.cities[i].Track != nil
		}
		sv.Metrics = map[string]*float64{mapMetricAllocated: mapRatio(st.Filled, st.Demand)}
		if tracked {
			sv.Metrics[mapMetricDistributed] = mapRatio(sv.Distributed, st.Allocated)
			if f.Category == "" {
				sv.Metrics[mapMetricDelivered] = mapRatio(sv.Delivered, st.Allocated)
			}
		}
		// Reached ÷ targeted needs no shipment: a state whose venues are
		// targeted and none reached yet is at 0 %, not "no data".
		sv.Reach = reach[st.Code]
		sv.Metrics[mapMetricReached] = mapRatio(sv.Reach.Reached, sv.Reach.Targeted)
		if st.UncoveredShare != nil {
			c := mapRound4(1 - *st.UncoveredShare)
			sv.Metrics[mapMetricCovered] = &c
		}
	}
	return mv
}

// ratio is part/whole with 4 decimals, nil when whole is 0.
func mapRatio(part, whole int64) *float64 {
	if whole <= 0 {
		return nil
	}
	r := mapRound4(float64(part) / float64(whole))
	return &r
}

func mapRound4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// Outlines of the states layer (?outline=): the full outlines, which
// Locate decides states by, or those simplified for drawing (about 1 km,
// geo.DisplayTolerance), which the map page asks for.
const (
	mapOutlineFull    = "full"
	mapOutlineDisplay = "display"
)

// states serves the state outlines with every metric, the band of each and
// the band of the selected metric; cached by version, filters and tracking.
// outline=display answers with the outlines simplified for drawing; an
// unknown outline is 422 naming the field.
func (h *mapHandlers) states(c *gin.Context) {
	v, f, ok := h.input(c)
	if !ok {
		return
	}
	geoms := h.geoms
	outline := c.DefaultQuery("outline", mapOutlineFull)
	switch outline {
	case mapOutlineFull:
	case mapOutlineDisplay:
		geoms = h.display
	default:
		h.Web.APIError(c, planner.Invalid(planner.Fieldf("outline", planner.MsgOneOf, "must be one of %s", mapOutlineFull+", "+mapOutlineDisplay)))
		return
	}
	if wantsDownload(c) {
		attach(c, mapFileName(v.p.Campaign, "map-states", v.track.today, "geojson"))
	}
	h.serveCached(c, mapCacheKey("states", v, f, outline), "application/geo+json", func() ([]byte, error) {
		mv := h.view(v, f)
		fc := geojson.NewFeatureCollection()
		for j, st := range mv.agg.states {
			sv := mv.states[j]
			ft := geojson.NewFeature(geoms[st.Code])
			ft.ID = st.Code
			props := geojson.Properties{"code": st.Code, "name": st.Name, "cities": len(st.Cities),
				"has_city": len(st.Cities) > 0, "demand_pieces": st.Demand, "allocated_pieces": st.Allocated,
				"delivered_pieces": sv.Delivered, "distributed_pieces": sv.Distributed,
				"population": st.Population, "uncovered": st.Uncovered, "uncovered_share": st.UncoveredShare,
				"venues_targeted": sv.Reach.Targeted, "venues_reached": sv.Reach.Reached,
				"metric": f.Metric, "value": sv.Metrics[f.Metric], "band": mapBand(sv.Metrics[f.Metric])}
			for _, m := range mapMetrics {
				props[m] = sv.Metrics[m]
				props["band_"+m] = mapBand(sv.Metrics[m])
			}
			ft.Properties = props
			fc.Append(ft)
		}
		return fc.MarshalJSON()
	})
}

// cities serves one point per campaign city, sized by allocated pieces
// (radius in pixels on a square-root scale) and banded by fill.
func (h *mapHandlers) cities(c *gin.Context) {
	v, f, ok := h.input(c)
	if !ok {
		return
	}
	if wantsDownload(c) {
		attach(c, mapFileName(v.p.Campaign, "map-cities", v.track.today, "geojson"))
	}
	h.serveCached(c, mapCacheKey("cities", v, f, ""), "application/geo+json", func() ([]byte, error) {
		mv := h.view(v, f)
		fc := geojson.NewFeatureCollection()
		for i, k := range mv.agg.cities {
			cv := mv.cities[i]
			ft := geojson.NewFeature(orb.Point{k.Lon, k.Lat})
			ft.ID = k.Code
			stateName := ""
			if j, ok := mv.agg.stateAt[k.State]; ok {
				stateName = mv.agg.states[j].Name
			}
			radius := 4.0
			if mv.agg.maxPcs > 0 {
				radius += 18 * math.Sqrt(float64(k.Allocated)/float64(mv.agg.maxPcs))
			}
			props := geojson.Properties{"code": k.Code, "name": k.Name, "state": k.State, "state_name": stateName,
				"demand_pieces": k.Demand, "allocated_pieces": k.Allocated, "fill": cv.Fill, "band": mapBand(cv.Fill),
				"radius": math.Round(radius*10) / 10, "delivered_pieces": cv.Delivered, "distributed_pieces": cv.Distributed,
				"stage": nil, "status": nil}
			if cv.Track != nil {
				props["stage"], props["status"] = cv.Track.Stage, cv.Track.Status
			}
			ft.Properties = props
			fc.Append(ft)
		}
		return fc.MarshalJSON()
	})
}

// input loads the campaign and parses the filters, answering the error
// itself (ok false) when either fails.
func (h *mapHandlers) input(c *gin.Context) (*mapInput, mapFilter, bool) {
	v, err := h.load(c)
	if err != nil {
		h.Web.APIError(c, err)
		return nil, mapFilter{}, false
	}
	f, err := parseMapFilter(c, v.p.Campaign)
	if err != nil {
		h.Web.APIError(c, err)
		return nil, mapFilter{}, false
	}
	return v, f, true
}

// parseBBox reads bbox=minLon,minLat,maxLon,maxLat (GeoJSON order); empty
// means the whole map.
func parseMapBBox(s string) (*orb.Bound, error) {
	if s == "" {
		return nil, nil
	}
	bad := planner.Invalid(planner.Fieldf("bbox", planner.MsgBBox, "must be minLon,minLat,maxLon,maxLat in degrees"))
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return nil, bad
	}
	var v [4]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, bad
		}
		v[i] = x
	}
	if v[0] > v[2] || v[1] > v[3] || v[1] < -90 || v[3] > 90 || v[0] < -180 || v[2] > 180 {
		return nil, bad
	}
	return &orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}, nil
}

// mapVenueLimit caps one venues response; the map asks by bounds at high
// zoom, so a campaign with a million venues still answers quickly.
const mapVenueLimit = 5000

// venues serves registered venues, optionally within bbox and of the
// filtered category, each with its reach (reached, not_reached,
// not_targeted under the material filter; docs/tracking.md#coverage-by-venue).
// Confidential venues and venues of sensitive categories are left out of
// the points entirely for users who may not see their names: a shelter's
// coordinates are its address, and even a point snapped to a grid, with
// its category, narrows the search to a few streets in a small town. They
// are only counted, in the collection's "hidden" and "reach" members.
// Planners and admins get every venue with its name and exact point.
func (h *mapHandlers) venues(c *gin.Context) {
	v, f, ok := h.input(c)
	if !ok {
		return
	}
	bbox, err := parseMapBBox(c.Query("bbox"))
	if err != nil {
		h.Web.APIError(c, err)
		return
	}
	names := mapCanSeeNames(c)
	if wantsDownload(c) {
		attach(c, mapFileName(v.p.Campaign, "map-venues", v.track.today, "geojson"))
	}
	cov := h.coverage(v, f.Material).cov
	build := func() ([]byte, error) { return encodeMapVenues(v, f, bbox, names, cov) }
	if bbox != nil {
		b, err := build()
		if err != nil {
			h.Web.APIError(c, err)
			return
		}
		c.Data(200, "application/geo+json", b)
		return
	}
	h.serveCached(c, mapCacheKey("venues", v, f, fmt.Sprint(names)), "application/geo+json", build)
}

func encodeMapVenues(v *mapInput, f mapFilter, bbox *orb.Bound, names bool, cov *planner.VenueCoverage) ([]byte, error) {
	camp := v.p.Campaign
	cats := map[string]planner.VenueCategory{}
	for _, k := range camp.Categories {
		cats[k.Code] = k
	}
	unassigned := map[string]bool{}
	var venueCity *planner.VenueCities
	if v.p.Plan != nil {
		for _, id := range v.p.Plan.UnassignedVenues {
			unassigned[id] = true
		}
		venueCity = v.p.Plan.VenueCity
	}
	fc := geojson.NewFeatureCollection()
	total, hiddenN := 0, 0
	reach := map[planner.VenueReach]int{planner.VenueReached: 0, planner.VenueNotReached: 0, planner.VenueNotTargeted: 0}
	for i, ven := range camp.Venues {
		if f.Category != "" && ven.Category != f.Category {
			continue
		}
		hidden := ven.Confidential || cats[ven.Category].Sensitive
		pt := orb.Point{ven.Lon, ven.Lat}
		if bbox != nil && !bbox.Contains(pt) {
			continue
		}
		r := cov.Reach(ven.ID)
		reach[r]++
		if hidden && !names {
			hiddenN++
			continue
		}
		total++
		if total > mapVenueLimit {
			continue
		}
		city, _ := venueCity.CityAt(i, ven.ID)
		if city == "" && v.p.Plan == nil {
			city = ven.City
		}
		props := geojson.Properties{"id": ven.ID, "name": ven.Name, "category": ven.Category, "category_name": cats[ven.Category].Name,
			"city": city, "unassigned": unassigned[ven.ID], "confidential": hidden,
			"reach": r, "reached_pieces": cov.Reached[ven.ID]}
		ft := geojson.NewFeature(pt)
		ft.ID = ven.ID
		ft.Properties = props
		fc.Append(ft)
	}
	fc.ExtraMembers = geojson.Properties{"total": total, "truncated": total > mapVenueLimit}
	// hidden: venues left out for this user; reach: every venue of the
	// filters by reach, hidden ones included, so the legend's counts are
	// the same for everyone. Never per bbox for such a user: counts that
	// change as a small box moves would find the hidden venue anyway.
	if bbox == nil || names {
		fc.ExtraMembers["hidden"], fc.ExtraMembers["reach"] = hiddenN, reach
	}
	return fc.MarshalJSON()
}
