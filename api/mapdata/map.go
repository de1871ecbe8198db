package mapdata

import (
	"cmp"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/paulmach/orb"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/geo"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// Map metrics: what the state choropleth shows. Each is a ratio where
// higher is better, so one set of bands fits all five.
const (
	mapMetricAllocated   = "allocated"   // allocated ÷ demand (plan)
	mapMetricDelivered   = "delivered"   // accepted at delivery ÷ allocated (tracking)
	mapMetricDistributed = "distributed" // handed out to venues ÷ allocated (tracking)
	mapMetricCovered     = "covered"     // 1 − uncovered population share (geodata)
	mapMetricReached     = "reached"     // registered venues reached ÷ targeted (docs/tracking.md#coverage-by-venue)
)

var mapMetrics = []string{mapMetricAllocated, mapMetricDelivered, mapMetricDistributed, mapMetricReached, mapMetricCovered}

// Bands of the choropleth and of city fills; fixed so that two maps can be
// compared by eye.
const (
	mapBandRed   = "red"   // < 75 %
	mapBandAmber = "amber" // 75 % to < 90 %
	mapBandGreen = "green" // >= 90 %
	mapBandNone  = "none"  // no data
)

func mapBand(r *float64) string {
	switch {
	case r == nil:
		return mapBandNone
	case *r < 0.75:
		return mapBandRed
	case *r < 0.90:
		return mapBandAmber
	default:
		return mapBandGreen
	}
}

// mapFilter is what the map is about: one material or all, one venue
// category or all, and the metric of the choropleth.
type mapFilter struct {
	Material string
	Category string
	Metric   string
}

func (f mapFilter) query() string {
	v := url.Values{}
	if f.Material != "" {
		v.Set("material", f.Material)
	}
	if f.Category != "" {
		v.Set("category", f.Category)
	}
	v.Set("metric", f.Metric)
	return v.Encode()
}

// parseMapFilter reads ?material=&category=&metric=. Unknown values are
// EInvalid naming the field; the returned filter keeps the valid parts.
func parseMapFilter(c *gin.Context, camp *planner.Campaign) (mapFilter, error) {
	f := mapFilter{Material: c.Query("material"), Category: c.Query("category"), Metric: c.DefaultQuery("metric", mapMetricAllocated)}
	var fields []planner.FieldError
	if _, ok := camp.Material(f.Material); f.Material != "" && !ok {
		fields = append(fields, planner.Fieldf("material", planner.MsgUnknownRef, "unknown %s %q", "material", f.Material))
		f.Material = ""
	}
	if _, ok := camp.Category(f.Category); f.Category != "" && !ok {
		fields = append(fields, planner.Fieldf("category", planner.MsgUnknownRef, "unknown %s %q", "venue category", f.Category))
		f.Category = ""
	}
	if !slices.Contains(mapMetrics, f.Metric) {
		fields = append(fields, planner.Fieldf("metric", planner.MsgOneOf, "must be one of %s", strings.Join(mapMetrics, ", ")))
		f.Metric = mapMetricAllocated
	}
	if len(fields) > 0 {
		return f, planner.Invalid(fields...)
	}
	return f, nil
}

// mapHandlers serves the coverage map. Everything a request needs that
// depends only on the campaign version and the filters is computed once
// and kept (aggs); shipment tracking changes without a campaign version,
// so it is re-read at most every trackTTL (tracks); encoded responses are
// kept by a key naming everything they depend on (bodies), which is also
// their ETag.
type mapHandlers struct {
	Deps
	geoms    map[string]orb.MultiPolygon // state code -> outline
	display  map[string]orb.MultiPolygon // state code -> outline simplified for drawing (outline=display)
	bounds   map[string]orb.Bound
	trackTTL time.Duration

	mu     sync.Mutex
	aggs   map[mapAggKey]*mapAgg
	tracks map[int64]*mapTrackSnap
	covs   map[mapCovKey]*mapCovEntry // venue coverage, see coverage
	bodies map[string]mapBody         // by slot: the latest body of each response kind and filter
	size   int                        // bytes held in bodies
}

// mapBody is a cached response body and the full key (with the campaign
// version and tracking fingerprint) it was built for.
type mapBody struct {
	key  string
	body []byte
}

type mapAggKey struct {
	id, version        int64
	material, category string
}

// mapCacheBytes bounds the encoded responses kept; when exceeded the
// cache starts afresh (old campaign versions go with it).
const mapCacheBytes = 32 << 20

// Deps is what the map needs from the rest of the web layer.
type Deps struct {
	Web *web.Kit
	Res *resolve.Resolver
	DB  *store.DB
	Now func() time.Time
	// TileURL and TileAttribution name an optional online tile layer
	// (api.Config); empty: the offline map.
	TileURL, TileAttribution string
}

// Routes registers the coverage map page on pages and its GeoJSON layers
// on apiv1.
func Routes(d Deps, pages, apiv1 *gin.RouterGroup) {
	h := &mapHandlers{Deps: d, geoms: map[string]orb.MultiPolygon{}, display: map[string]orb.MultiPolygon{}, bounds: map[string]orb.Bound{}, trackTTL: 2 * time.Second,
		aggs: map[mapAggKey]*mapAgg{}, tracks: map[int64]*mapTrackSnap{}, bodies: map[string]mapBody{},
		covs: map[mapCovKey]*mapCovEntry{}}
	for _, st := range d.Res.Geo.States.States() {
		h.geoms[st.Code] = st.Geometry
		h.bounds[st.Code] = st.Geometry.Bound()
	}
	// Simplified once here: the map page draws these (a phone spends about
	// half a second drawing the full outlines); downloads and API clients
	// that do not ask otherwise get the full ones.
	for _, st := range d.Res.Geo.States.DisplayStates(geo.DisplayTolerance) {
		h.display[st.Code] = st.Geometry
	}
	// No Res.Campaign(): load resolves the campaign (404 when missing)
	// through Res.Planned, on a copy of the gin context (see load).
	pages.GET("/campaigns/:id/map", h.page)
	g := apiv1.Group("/campaigns/:id/map")
	g.GET("/states.geojson", h.states)
	g.GET("/cities.geojson", h.cities)
	g.GET("/venues.geojson", h.venues)
	g.GET("/gaps.json", h.gaps)
	g.GET("/gaps.csv", h.gapsCSV)
	g.GET("/gaps.geojson", h.gapsGeoJSON)
}

// mapPage is the data of the map page.
type mapPage struct {
	Filter          mapFilter
	Errors          map[string]string
	Materials       []planner.Material
	Categories      []planner.VenueCategory
	Metrics         []string
	Gaps            *Gaps
	PlanError       bool
	TileURL         string
	TileAttribution string
	Attribution     string
	StatesURL       string
	CitiesURL       string
	VenuesURL       string
	GapsURL         string
	GapsCSVURL      string
	GapsGeoJSONURL  string
	// Layers are the GeoJSON layers offered as files, with their names.
	Layers []mapLayerFile
	// PNGName, Title and Date are what the PNG export names and draws.
	PNGName, Title, Date string
	// HidesVenues: the user may not see confidential venues, which the
	// venue layer leaves out for them.
	HidesVenues    bool
	VenueCount     int
	Labels         map[string]string
	CategoryColors []categoryColor // the venue legend, and map.js's colours
}

// page renders the map page; unknown filters re-render it with 422 and the
// message next to the field, showing the map without that filter.
func (h *mapHandlers) page(c *gin.Context) {
	v, err := h.load(c)
	if err != nil {
		h.Web.PageError(c, err)
		return
	}
	ref, err := h.Res.Ref(c, v.p.Campaign)
	if err != nil {
		h.Web.PageError(c, err)
		return
	}
	c.Set(web.CtxCampaign, ref)
	f, ferr := parseMapFilter(c, v.p.Campaign)
	status := http.StatusOK
	d := &mapPage{Filter: f, Materials: v.p.Campaign.Materials, Categories: v.p.Campaign.Categories, Metrics: mapMetrics,
		PlanError: v.p.Plan == nil, TileURL: h.TileURL, TileAttribution: h.TileAttribution,
		VenueCount: len(v.p.Campaign.Venues), CategoryColors: categoryPalette(v.p.Campaign.Categories)}
	if ferr != nil {
		status = http.StatusUnprocessableEntity
		d.Errors = map[string]string{}
		for _, fe := range planner.ErrorFields(ferr) {
			d.Errors[fe.Path] = fe.Message
		}
	}
	view := h.view(v, f)
	d.Gaps = buildMapGaps(v, view, f, h.bounds, mapCanSeeNames(c), false)
	base := fmt.Sprintf("/api/v1/campaigns/%d/map/", v.p.Campaign.ID)
	q := "?" + f.query()
	if ref.Past {
		q += "&today=" + ref.Today.String()
	}
	d.StatesURL, d.CitiesURL, d.VenuesURL, d.GapsURL = base+"states.geojson"+q+"&outline=display", base+"cities.geojson"+q, base+"venues.geojson"+q, base+"gaps.json"+q
	d.GapsCSVURL, d.GapsGeoJSONURL = base+"gaps.csv"+q, base+"gaps.geojson"+q
	pg := h.Web.NewPage(c, "map", nil)
	for i := range d.Gaps.Items {
		d.Gaps.Items[i].Text = gapText(pg, &d.Gaps.Items[i], f.Metric)
	}
	day := v.track.today
	for _, l := range []string{"states", "cities", "venues"} {
		d.Layers = append(d.Layers, mapLayerFile{Layer: l, URL: base + l + ".geojson" + q + "&download=1",
			Name: mapFileName(v.p.Campaign, "map-"+l, day, "geojson")})
	}
	d.PNGName = "mapa-" + web.Slugify(v.p.Campaign.Name) + "-" + day.String() + ".png"
	d.Title = pg.T("map.png.title", "Campaign", v.p.Campaign.Name, "Metric", pg.T("map.metric."+f.Metric))
	if m, ok := v.p.Campaign.Material(f.Material); ok && f.Material != "" {
		d.Title += " · " + m.Name
	}
	if k, ok := v.p.Campaign.Category(f.Category); ok && f.Category != "" {
		d.Title += " · " + k.Name
	}
	d.HidesVenues = !mapCanSeeNames(c)
	d.Date = pg.D(day)
	d.Attribution = pg.T("footer.attribution")
	d.Labels = make(map[string]string, len(mapLabelKeys))
	for _, k := range mapLabelKeys {
		d.Labels[k] = pg.T("map.js." + k)
	}
	h.Web.Render(c, status, "map", d)
}

// mapLayerFile is one GeoJSON layer offered as a download.
type mapLayerFile struct{ Layer, URL, Name string }

// mapLabelKeys are the words map.js needs (popups, statuses, bands),
// translated on the server: catalogue ids map.js.KEY.
var mapLabelKeys = []string{"state", "cities", "demand", "allocated", "delivered", "distributed", "population",
	"uncovered", "fill", "status", "stage", "pieces", "no_data", "confidential", "unassigned", "category", "city",
	"approximate", "no_shipment", "nearest", "band.red", "band.amber", "band.green", "band.none",
	"metric.allocated", "metric.delivered", "metric.distributed", "metric.reached", "metric.covered",
	"png_failed", "png_tiles_missing", "reach", "reach.reached", "reach.not_reached", "reach.not_targeted", "venues_targeted", "venues_reached",
	"status.on_track", "status.at_risk", "status.late", "status.delivered", "status.distributed", "status.cancelled",
	"stage.planned", "stage.dispatched", "stage.in_transit", "stage.delivered", "stage.distributed", "stage.cancelled"}

// canSeeNames reports whether the user may see names of confidential
// venues and venues of sensitive categories.
func mapCanSeeNames(c *gin.Context) bool { return web.CurrentUser(c).CanEdit() }

// mapInput is a campaign's plan and its tracking snapshot for one request.
type mapInput struct {
	p     *resolve.Planned
	track *mapTrackSnap
}

// load returns the cached plan of the campaign and a recent tracking
// snapshot.
func (h *mapHandlers) load(c *gin.Context) (*mapInput, error) {
	id, err := resolve.CampaignID(c)
	if err != nil {
		return nil, err
	}
	// A copy: planned hands its context to database/sql and the SQLite
	// driver, whose watcher goroutines may still read it after the
	// response, when gin has already reused c for another request.
	p, err := h.Res.Planned(c.Copy(), id)
	if err != nil {
		return nil, err
	}
	t, err := h.tracking(c, p)
	if err != nil {
		return nil, err
	}
	return &mapInput{p: p, track: t}, nil
}

// mapTrackSnap is what the map needs from shipment tracking, per city code.
type mapTrackSnap struct {
	at     time.Time
	today  planner.Date
	fp     uint64 // fingerprint of shipments and events, part of ETags
	cities map[string]*mapCityTrack
}

// mapCityTrack sums a city's shipments that are not cancelled.
type mapCityTrack struct {
	Stage        planner.Stage
	Status       planner.Status
	Accepted     map[string]int64 // by material
	Distribution []planner.DistributionLine
}

// tracking returns a snapshot of the campaign's shipments no older than
// trackTTL (and of the same "today"), reading the store otherwise.
func (h *mapHandlers) tracking(c *gin.Context, p *resolve.Planned) (*mapTrackSnap, error) {
	id := p.Campaign.ID
	now := h.Now()
	today, err := h.Res.Today(c, p.Campaign)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	t := h.tracks[id]
	h.mu.Unlock()
	if t != nil && now.Sub(t.at) < h.trackTTL && now.Sub(t.at) >= 0 && t.today.Equal(today) {
		return t, nil
	}
	list, err := h.DB.ListShipments(c.Request.Context(), id, store.ShipmentFilter{Today: today})
	if err != nil {
		return nil, fmt.Errorf("map tracking of campaign %d: %w", id, err)
	}
	t = &mapTrackSnap{at: now, today: today, cities: map[string]*mapCityTrack{}}
	fp := fnv.New64a()
	fmt.Fprint(fp, today.String())
	for i := range list {
		r := &list[i]
		fmt.Fprintf(fp, "|%d:%d:%d", r.ID, r.Version, len(r.Events))
		st := r.State()
		if st.Stage == planner.StageCancelled {
			if _, ok := t.cities[r.City]; !ok {
				t.cities[r.City] = &mapCityTrack{Stage: st.Stage, Status: planner.StatusCancelled, Accepted: map[string]int64{}}
			}
			continue
		}
		ct := t.cities[r.City]
		if ct == nil || ct.Stage == planner.StageCancelled {
			ct = &mapCityTrack{Accepted: map[string]int64{}}
			t.cities[r.City] = ct
		}
		ct.Stage = st.Stage
		ct.Status, _ = r.Assess(today)
		for m, n := range st.Accepted {
			ct.Accepted[m] += n
		}
		ct.Distribution = append(ct.Distribution, st.Distribution...)
	}
	t.fp = fp.Sum64()
	h.mu.Lock()
	h.tracks[id] = t
	h.mu.Unlock()
	return t, nil
}

// serveCached writes the body named by key, building it only when it is
// not kept yet, with an ETag derived from key so that a client that asks
// again with If-None-Match gets 304 instead of the body. (Browsers do not
// keep it: every authenticated answer is no-store, see noStore.)
func (h *mapHandlers) serveCached(c *gin.Context, key, contentType string, build func() ([]byte, error)) {
	sum := fnv.New64a()
	sum.Write([]byte(key))
	etag := fmt.Sprintf(`"m%x"`, sum.Sum64())
	c.Header("ETag", etag)
	c.Writer.Header().Add("Vary", "Cookie, Authorization") // Add: compression adds Accept-Encoding
	if inm := c.GetHeader("If-None-Match"); inm != "" && (inm == etag || strings.Contains(inm, etag)) {
		c.Status(http.StatusNotModified)
		return
	}
	// A slot keeps only its latest body: once the campaign or its tracking
	// moved on, the old body can never be asked for again, and keeping it
	// would let the cache grow with every event until the byte cap.
	slot, _, _ := strings.Cut(key, "#")
	h.mu.Lock()
	cached, ok := h.bodies[slot]
	h.mu.Unlock()
	b := cached.body
	if !ok || cached.key != key {
		var err error
		if b, err = build(); err != nil {
			h.Web.APIError(c, err)
			return
		}
		h.mu.Lock()
		if old, ok := h.bodies[slot]; ok {
			h.size -= len(old.body)
		}
		if h.size+len(b) > mapCacheBytes {
			h.bodies, h.size = map[string]mapBody{}, 0
			h.aggs = map[mapAggKey]*mapAgg{}
		}
		h.bodies[slot] = mapBody{key: key, body: b}
		h.size += len(b)
		h.mu.Unlock()
	}
	c.Data(http.StatusOK, contentType, b)
}

// cacheKey names a response: campaign, version, filters, tracking and any
// extra part (role, bbox).
func mapCacheKey(kind string, v *mapInput, f mapFilter, extra string) string {
	// slot#state: the slot names what is asked for, the state what it was
	// computed from (see serveCached).
	return fmt.Sprintf("%s|%d|%s|%s|%s|%s#%d|%x", kind, v.p.Campaign.ID, f.Material, f.Category, f.Metric, extra, v.p.Version(), v.track.fp)
}

// Gaps is the gap list beside the map (and gaps.json): what the
// campaign does not reach, most severe first. Items of level "high" come
// before "medium"; within a level the kinds keep the order below and each
// kind is sorted by its own size. Totals count every item of a kind,
// including those beyond the per-kind limit.
type Gaps struct {
	Material string         `json:"material"`
	Category string         `json:"category"`
	Metric   string         `json:"metric"`
	Items    []Gap          `json:"items"`
	Totals   map[string]int `json:"totals"`
	More     int            `json:"more"` // items beyond the per-kind limits
}

// Gap is one item. Bounds is [south, west, north, east], where the map
// zooms when the item is clicked. Kinds: unassigned_venue (Code = venue
// id and Name = its name, both left out for users who may not see names
// when the venue is hidden; pages and downloads say "confidential venue"),
// state_without_city, unserved_category
// (demand but nothing allocated; Cities = cities concerned), low_fill
// (a city below 90 %), uncovered_population (a state's people beyond the
// gap distance), low_metric (a state in the red band of the selected
// tracking metric).
type Gap struct {
	Kind         string     `json:"kind"`
	Level        string     `json:"level"`
	Code         string     `json:"code"`
	Name         string     `json:"name,omitempty"`
	State        string     `json:"state,omitempty"`
	Category     string     `json:"category,omitempty"`
	CategoryName string     `json:"category_name,omitempty"`
	NearestCity  string     `json:"nearest_city,omitempty"`
	NearestName  string     `json:"nearest_city_name,omitempty"`
	NearestKm    float64    `json:"nearest_km,omitempty"`
	Population   int64      `json:"population,omitempty"`
	Uncovered    int64      `json:"uncovered,omitempty"`
	Demand       int64      `json:"demand,omitempty"`
	Cities       int        `json:"cities,omitempty"`
	Value        *float64   `json:"value,omitempty"` // fill, covered share or metric value
	Bounds       [4]float64 `json:"bounds"`
	// Hidden marks, for viewers, an unassigned venue that is confidential
	// or of a sensitive category: no Code, Ref its
	// planner.ConfidentialRef, Bounds around the snapped point, NearestKm
	// measured from it.
	Hidden bool   `json:"hidden,omitempty"`
	Ref    string `json:"ref,omitempty"`
	// Text is the item as the page words it (gapText), for the page and
	// the CSV; not in gaps.json, whose readers word it themselves.
	Text string `json:"-"`
}

// Per-kind limits of the gap list.
const (
	mapGapVenueLimit = 50
	mapGapCityLimit  = 15
	mapGapStateLimit = 10
)

// buildMapGaps lists the gaps; all false keeps each kind to its limit
// (the page, gaps.json), true lists every item (the downloads).
func buildMapGaps(v *mapInput, mv *mapView, f mapFilter, bounds map[string]orb.Bound, names, all bool) *Gaps {
	g := &Gaps{Material: f.Material, Category: f.Category, Metric: f.Metric, Items: []Gap{}, Totals: map[string]int{}}
	add := func(limit int, it Gap) {
		g.Totals[it.Kind]++
		if all || g.Totals[it.Kind] <= limit {
			g.Items = append(g.Items, it)
		} else {
			g.More++
		}
	}
	stateBox := func(code string) [4]float64 {
		b := bounds[code]
		return [4]float64{b.Min.Lat(), b.Min.Lon(), b.Max.Lat(), b.Max.Lon()}
	}
	a := mv.agg
	if gp := v.p.Gaps; gp != nil {
		var cities *geo.SiteIndex // for hidden venues, built when the first one needs it
		var venueName map[string]string
		if len(gp.UnassignedVenues) > 0 {
			venueName = make(map[string]string, len(v.p.Campaign.Venues))
			for _, ven := range v.p.Campaign.Venues {
				venueName[ven.ID] = ven.Name
			}
		}
		for _, u := range gp.UnassignedVenues {
			if f.Category != "" && u.Category != f.Category {
				continue
			}
			it := Gap{Kind: "unassigned_venue", Level: "high", Code: u.ID, Name: venueName[u.ID], State: u.State, Category: u.Category,
				NearestCity: u.NearestCity, NearestKm: u.NearestCityKm}
			lat, lon := u.Lat, u.Lon
			if u.Confidential && !names {
				// Viewers get the snapped point the venue layer shows, and
				// the distance from it: to 0.1 km, the exact distance to a
				// known city would help to find the shelter. The id is free
				// text and hidden like the name.
				lat, lon = math.Round(lat*20)/20, math.Round(lon*20)/20
				if cities == nil {
					cities = mapCityIndex(v.p.Campaign)
				}
				it.Code, it.Name, it.Hidden, it.NearestCity, it.NearestKm = "", "", true, "", 0
				it.Ref = planner.ConfidentialRef(v.p.Campaign.ID, u.ID)
				if i, km := cities.NearestAny(lat, lon); i >= 0 {
					it.NearestCity, it.NearestKm = cities.Site(i).Code, math.Round(km*10)/10
				}
			}
			cat, _ := v.p.Campaign.Category(u.Category)
			near, _ := v.p.Campaign.City(it.NearestCity)
			it.CategoryName, it.NearestName, it.Bounds = cat.Name, near.Name, mapPointBox(lat, lon, 0.05)
			add(mapGapVenueLimit, it)
		}
		for _, s := range gp.StatesWithoutCity {
			add(len(a.states), Gap{Kind: "state_without_city", Level: "high", Code: s.State, Name: s.Name,
				Population: s.Population, Bounds: stateBox(s.State)})
		}
	}
	for _, it := range mapUnservedCategories(v, a, f) {
		add(len(v.p.Campaign.Categories), it)
	}
	low := slices.Clone(a.cities)
	fills := map[string]*float64{}
	for i, k := range a.cities {
		fills[k.Code] = mv.cities[i].Fill
	}
	low = slices.DeleteFunc(low, func(k mapCity) bool { r := fills[k.Code]; return r == nil || *r >= 0.9 })
	slices.SortStableFunc(low, func(x, y mapCity) int { return cmp.Compare(*fills[x.Code], *fills[y.Code]) })
	for _, k := range low {
		add(mapGapCityLimit, Gap{Kind: "low_fill", Level: mapLevel(fills[k.Code]), Code: k.Code, Name: k.Name, State: k.State,
			Demand: k.Demand, Value: fills[k.Code], Bounds: mapPointBox(k.Lat, k.Lon, 0.15)})
	}
	if v.p.Gaps != nil {
		for _, s := range v.p.Gaps.States { // by uncovered population, descending
			if s.Uncovered <= 0 {
				continue
			}
			cov := mv.states[a.stateAt[s.State]].Metrics[mapMetricCovered]
			add(mapGapStateLimit, Gap{Kind: "uncovered_population", Level: mapLevel(cov), Code: s.State, Name: s.Name,
				Population: s.Population, Uncovered: s.Uncovered, Value: cov, Bounds: stateBox(s.State)})
		}
	}
	if f.Metric == mapMetricDelivered || f.Metric == mapMetricDistributed || f.Metric == mapMetricReached {
		idx := make([]int, 0, len(a.states))
		for j := range a.states {
			if mapBand(mv.states[j].Metrics[f.Metric]) == mapBandRed {
				idx = append(idx, j)
			}
		}
		slices.SortStableFunc(idx, func(x, y int) int {
			return cmp.Compare(*mv.states[x].Metrics[f.Metric], *mv.states[y].Metrics[f.Metric])
		})
		for _, j := range idx {
			s := a.states[j]
			add(mapGapStateLimit, Gap{Kind: "low_metric", Level: "medium", Code: s.Code, Name: s.Name,
				Value: mv.states[j].Metrics[f.Metric], Bounds: stateBox(s.Code)})
		}
	}
	slices.SortStableFunc(g.Items, func(x, y Gap) int { return cmp.Compare(mapLevelRank(x.Level), mapLevelRank(y.Level)) })
	return g
}

// mapCityIndex indexes the campaign's cities for nearest-city distances,
// as planner.ComputeGaps does.
func mapCityIndex(camp *planner.Campaign) *geo.SiteIndex {
	sites := make([]geo.Site, len(camp.Cities))
	for i, k := range camp.Cities {
		sites[i] = geo.Site{Code: k.Code, Lat: k.Lat, Lon: k.Lon, RadiusKm: k.RadiusKm}
	}
	return geo.NewSiteIndex(sites)
}

// unservedCategories lists the categories with demand but no allocated
// piece in some city (under the filter), by unserved demand, descending.
func mapUnservedCategories(v *mapInput, a *mapAgg, f mapFilter) []Gap {
	if v.p.Plan == nil {
		return nil
	}
	type key struct{ city, cat string }
	cells := map[key][2]int64{} // demand, pieces
	for _, cell := range v.p.Plan.Cells {
		if cell.Demand <= 0 || (f.Material != "" && cell.Material != f.Material) || (f.Category != "" && cell.Category != f.Category) {
			continue
		}
		k := key{cell.City, cell.Category}
		x := cells[k]
		cells[k] = [2]int64{x[0] + cell.Demand, x[1] + cell.Pieces}
	}
	byCat := map[string]*Gap{}
	for k, x := range cells {
		i, ok := a.cityAt[k.city]
		if x[1] > 0 || !ok {
			continue
		}
		city := a.cities[i]
		it := byCat[k.cat]
		if it == nil {
			cat, _ := v.p.Campaign.Category(k.cat)
			it = &Gap{Kind: "unserved_category", Level: "high", Code: k.cat, Name: cat.Name,
				Bounds: [4]float64{city.Lat, city.Lon, city.Lat, city.Lon}}
			byCat[k.cat] = it
		}
		it.Demand += x[0]
		it.Cities++
		it.Bounds = [4]float64{min(it.Bounds[0], city.Lat), min(it.Bounds[1], city.Lon), max(it.Bounds[2], city.Lat), max(it.Bounds[3], city.Lon)}
	}
	out := make([]Gap, 0, len(byCat))
	for _, it := range byCat {
		it.Bounds = [4]float64{it.Bounds[0] - 0.15, it.Bounds[1] - 0.15, it.Bounds[2] + 0.15, it.Bounds[3] + 0.15}
		out = append(out, *it)
	}
	slices.SortFunc(out, func(x, y Gap) int { return cmp.Or(cmp.Compare(y.Demand, x.Demand), cmp.Compare(x.Code, y.Code)) })
	return out
}

// levelOf is "high" in the red band (or without data) and "medium" above.
func mapLevel(r *float64) string {
	if r == nil || *r < 0.75 {
		return "high"
	}
	return "medium"
}

func mapLevelRank(l string) int {
	if l == "high" {
		return 0
	}
	return 1
}

// pointBox is a square of half-side d degrees around a point.
func mapPointBox(lat, lon, d float64) [4]float64 {
	return [4]float64{lat - d, lon - d, lat + d, lon + d}
}

// gaps serves the gap list as JSON; cached like the layers.
func (h *mapHandlers) gaps(c *gin.Context) {
	v, f, ok := h.input(c)
	if !ok {
		return
	}
	names := mapCanSeeNames(c)
	h.serveCached(c, mapCacheKey("gaps", v, f, fmt.Sprint(names)), "application/json; charset=utf-8", func() ([]byte, error) {
		return json.Marshal(buildMapGaps(v, h.view(v, f), f, h.bounds, names, false))
	})
}
