package registry

import (
	"cmp"
	"io"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/reparto/reparto/geo"
	"github.com/reparto/reparto/planner"
)

// Reason is why a row did not become a venue.
type Reason string

// Drop reasons, in the order a row is checked: a row is counted under the
// first that applies (docs/registries.md#drop-reasons).
const (
	DropDuplicate       Reason = "duplicate_id"      // an earlier row of the file has the same id
	DropClosed          Reason = "closed"            // CLUES: not in operation
	DropUnmapped        Reason = "unmapped_activity" // no rule of the mapping takes it
	DropCategoryMissing Reason = "category_missing"  // the rule names a category the campaign lacks
	DropNoCoordinates   Reason = "no_coordinates"    // latitude or longitude empty, 0 or not a number
	DropOutsideMexico   Reason = "outside_mexico"    // farther than BorderToleranceKm from every state
	DropNoCity          Reason = "no_city"           // no campaign city's radius reaches it
	DropNoID            Reason = "no_id"             // the row has no id: it could not be updated next year
	dropNone            Reason = ""
)

// Reasons lists every drop reason in checking order.
var Reasons = []Reason{DropNoID, DropDuplicate, DropClosed, DropUnmapped, DropCategoryMissing,
	DropNoCoordinates, DropOutsideMexico, DropNoCity}

// BorderToleranceKm is how far outside the generalised state outlines a
// row may lie and still be in Mexico: Natural Earth's 1:10m outlines miss
// coastal towns by a few kilometres (geo.StateIndex.Locate).
const BorderToleranceKm = 10

// sensitiveActivities are SCIAN classes whose venues are stored
// confidential whatever their category says: shelters (624221 private,
// 624222 public) and assistance residences (623991, 623992) house the
// very people a campaign against trafficking protects.
var sensitiveActivities = map[string]bool{"624221": true, "624222": true, "623991": true, "623992": true}

// Venue is a kept row: the venue to store and the registry's id of it.
type Venue struct {
	SourceID string
	planner.Venue
}

// Summary counts what an import read and decided.
type Summary struct {
	Source   Source
	Encoding Encoding
	Read     int
	Kept     map[string]int // by category code
	Dropped  map[Reason]int
	// Examples holds the first lines dropped for each reason (at most
	// MaxExamples), so that a preview can show where to look.
	Examples map[Reason][]int
}

// MaxExamples bounds Summary.Examples per reason.
const MaxExamples = 5

// KeptTotal is the number of rows kept.
func (s Summary) KeptTotal() int {
	n := 0
	for _, k := range s.Kept {
		n += k
	}
	return n
}

// Importer decides, row by row, which registry rows become venues of one
// campaign. It remembers the ids it has seen (for duplicates): one
// Importer per file. Not safe for concurrent use.
type Importer struct {
	source    Source
	mapping   *Mapping
	category  map[string]bool
	states    *geo.StateIndex
	cities    *geo.SiteIndex
	seen      idSet
	inMexico  map[cell]bool // see within
	summary   Summary
	namedFrom string // "DENUE" or "CLUES", for rows without a name
}

// NewImporter prepares the decisions for campaign c (its categories and
// cities are used; its venues are not). states is the state index of the
// shipped geodata.
func NewImporter(source Source, c *planner.Campaign, m *Mapping, states *geo.StateIndex) *Importer {
	im := &Importer{source: source, mapping: m, states: states, category: map[string]bool{},
		seen: newIDSet(), inMexico: map[cell]bool{}, namedFrom: strings.ToUpper(string(source)),
		summary: Summary{Source: source, Kept: map[string]int{}, Dropped: map[Reason]int{}, Examples: map[Reason][]int{}}}
	for _, k := range c.Categories {
		im.category[k.Code] = true
	}
	// The planner's own assignment (planner.AssignedCities): the nearest
	// city whose radius reaches the venue, ties to the lower code.
	cities := slices.Clone(c.Cities)
	slices.SortFunc(cities, func(a, b planner.City) int { return cmp.Compare(a.Code, b.Code) })
	sites := make([]geo.Site, len(cities))
	for i, k := range cities {
		sites[i] = geo.Site{Code: k.Code, Lat: k.Lat, Lon: k.Lon, RadiusKm: k.RadiusKm}
	}
	im.cities = geo.NewSiteIndex(sites)
	return im
}

// Summary returns the counts so far.
func (im *Importer) Summary() Summary { return im.summary }

// Decide returns the venue a row becomes, or why it is dropped; it counts
// the row either way.
func (im *Importer) Decide(rec Record) (Venue, Reason) {
	im.summary.Read++
	v, why := im.decide(rec)
	if why != dropNone {
		im.summary.Dropped[why]++
		if ex := im.summary.Examples[why]; len(ex) < MaxExamples {
			im.summary.Examples[why] = append(ex, rec.Line)
		}
		return Venue{}, why
	}
	im.summary.Kept[v.Category]++
	return v, dropNone
}

func (im *Importer) decide(rec Record) (Venue, Reason) {
	if rec.SourceID == "" {
		return Venue{}, DropNoID
	}
	if !im.seen.add(rec.SourceID) {
		return Venue{}, DropDuplicate
	}
	if rec.Closed {
		return Venue{}, DropClosed
	}
	cat, byCenter := im.mapping.Match(im.source, &rec)
	if cat == "" {
		return Venue{}, DropUnmapped
	}
	if byCenter {
		// Every shop of a bus station is in DENUE with the station's
		// tipoCenCom: the venue is the station, once, named and keyed by
		// the centre's name within its municipality.
		if rec.CenterName == "" {
			return Venue{}, DropUnmapped
		}
		rec.SourceID = "cc-" + rec.State + rec.County + "-" + fold(rec.CenterName)
		rec.Name = rec.CenterName
		if !im.seen.add(rec.SourceID) {
			return Venue{}, DropDuplicate
		}
	}
	if !im.category[cat] {
		return Venue{}, DropCategoryMissing
	}
	if !rec.HasCoords {
		return Venue{}, DropNoCoordinates
	}
	if !im.within(rec.Lat, rec.Lon) {
		return Venue{}, DropOutsideMexico
	}
	i, ok := im.cities.Nearest(rec.Lat, rec.Lon)
	if !ok {
		return Venue{}, DropNoCity
	}
	name := rec.Name
	if name == "" {
		name = "Sin nombre (" + im.namedFrom + " " + rec.SourceID + ")"
	}
	return Venue{SourceID: rec.SourceID, Venue: planner.Venue{
		ID:           VenueID(im.source, rec.SourceID),
		Name:         truncate(name, planner.MaxNameLen),
		Category:     cat,
		Lat:          rec.Lat,
		Lon:          rec.Lon,
		City:         im.cities.Site(i).Code,
		Address:      truncate(rec.Address, planner.MaxTextLen),
		Confidential: sensitiveActivities[rec.Activity],
	}}, dropNone
}

// idSet is the set of registry ids an import has seen. DENUE's ids are
// numbers: those are kept as integers, which cost a third of the memory of
// strings and nothing to the garbage collector, whose every cycle would
// otherwise walk a million strings. Other ids (CLUES keys, bus stations)
// are kept as strings. Only an id whose text is the integer's own spelling
// (no sign, no leading zero) is kept as one, so that two different ids are
// never taken for the same.
type idSet struct {
	nums map[uint64]struct{}
	strs map[string]struct{}
}

func newIDSet() idSet { return idSet{nums: map[uint64]struct{}{}, strs: map[string]struct{}{}} }

// add adds id and says whether it was new.
func (s idSet) add(id string) bool {
	if n, ok := canonicalUint(id); ok {
		if _, dup := s.nums[n]; dup {
			return false
		}
		s.nums[n] = struct{}{}
		return true
	}
	if _, dup := s.strs[id]; dup {
		return false
	}
	// A clone: the id is cut from the CSV line's one string, which the set
	// would otherwise keep alive (450 bytes a row).
	s.strs[strings.Clone(id)] = struct{}{}
	return true
}

// canonicalUint reads s as a decimal integer of at most 19 digits written
// without a leading zero.
func canonicalUint(s string) (uint64, bool) {
	if len(s) == 0 || len(s) > 19 || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	var n uint64
	for i := range len(s) {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

// cell is a square of cellDeg degrees, the unit of the "in Mexico" cache.
type cell struct{ lat, lon int32 }

// cellDeg is 0.05°: at most 5.6 km a side, so no point of a cell is more
// than cellHalfDiagKm from its centre.
const (
	cellDeg        = 0.05
	cellHalfDiagKm = 4.0
)

// within is states.Within(lat, lon, BorderToleranceKm) with a cache: a
// registry's rows crowd into a few thousand cells, and the exact test
// walks state outlines of thousands of vertices. When a cell's centre is
// within BorderToleranceKm − cellHalfDiagKm of Mexico, every point of the
// cell is within BorderToleranceKm (the triangle inequality), so the
// answer is yes without the walk. Other cells are tested point by point:
// the cache never changes an answer.
func (im *Importer) within(lat, lon float64) bool {
	if lat != lat || lon != lon || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return im.states.Within(lat, lon, BorderToleranceKm)
	}
	c := cell{int32(math.Floor(lat / cellDeg)), int32(math.Floor(lon / cellDeg))}
	inside, ok := im.inMexico[c]
	if !ok {
		clat, clon := (float64(c.lat)+0.5)*cellDeg, (float64(c.lon)+0.5)*cellDeg
		inside = im.states.Within(clat, clon, BorderToleranceKm-cellHalfDiagKm)
		im.inMexico[c] = inside
	}
	return inside || im.states.Within(lat, lon, BorderToleranceKm)
}

// VenueID is the id a registry row's venue gets when it is created:
// "denue-6712345", "clues-CSSSA001234", a bus station
// "denue-cc-07089-CENTRAL-DE-AUTOBUSES" (spaces as hyphens, for links).
// It is cut to the planner's limit; the venue is found again next year by
// (source, source id), not by it.
func VenueID(s Source, sourceID string) string {
	return truncate(string(s)+"-"+strings.ReplaceAll(sourceID, " ", "-"), planner.MaxVenueIDLen)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}

// Reader is a registry file read row by row (DENUEReader, CLUESReader).
type Reader interface {
	Next() (Record, error)
	Encoding() Encoding
}

// Kept streams the venues of r's kept rows through yield, counting every
// row in the summary; it stops at the first read error or when yield
// returns an error, and returns it.
func (im *Importer) Kept(r Reader, yield func(Venue) error) error {
	defer func() { im.summary.Encoding = r.Encoding() }()
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if v, why := im.Decide(rec); why == dropNone {
			if err := yield(v); err != nil {
				return err
			}
		}
	}
}
