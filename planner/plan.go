package planner

import (
	"fmt"
	"math/big"
	"strconv"
)

// CellKey names one allocation cell: a material for a category in a city.
type CellKey struct{ Material, City, Category string }

// Cell is the allocation of one material to one (city, category) pair.
// Pieces include locks; Packs = Pieces / pack size.
type Cell struct {
	Material string
	City     string
	Category string
	Venues   int64 // n(k,c): venue count used for demand
	PerVenue int64
	Demand   int64 // PerVenue * Venues
	Pieces   int64
	Packs    int64
	Locked   bool
	Why      Explanation
}

// Fill is Pieces/Demand; ok is false when there is no demand.
func (c Cell) Fill() (f float64, ok bool) {
	if c.Demand == 0 {
		return 0, false
	}
	return float64(c.Pieces) / float64(c.Demand), true
}

// FillText is the fill ratio as allocation.csv writes it (docs/planning.md#allocationcsv):
// 4 decimals, correctly rounded, empty when there is no demand. Other
// exports of the allocation use it so that the rule lives in one place.
func (c Cell) FillText() string {
	if f, ok := c.Fill(); ok {
		return formatFill(f)
	}
	return ""
}

// formatFill writes a fill ratio with 4 decimals, correctly rounded.
func formatFill(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }

// Explanation says why a cell got what it got, so that a planner can check
// any number on screen by hand.
//
// Mode and VenueSource are bytes that read and write as their names
// (templates, JSON), and the exact quota is read from the cell
// (Cell.Quota), which has its demand: a cell is 40 bytes and two pointers
// smaller than with strings and a copy of the demand, and cells are most
// of the bytes of a plan.
type Explanation struct {
	Mode        CellMode
	Priority    Decimal
	Lambda      *big.Rat // water level λ in scarcity mode
	PacksFloor  int64    // floor(e / pack size)
	ExtraPack   bool     // received one of the largest-remainder packs
	VenueSource VenueSource

	// The exact quota and surplus share are kept as demand·coefficient
	// over the material's common denominator, the coefficients shared by
	// every cell of a priority rank, and multiplied out only when asked
	// for: a national plan has hundreds of thousands of cells, almost
	// nobody opens an explanation, and a product per cell was most of the
	// allocations of a plan.
	// The coefficients are behind one pointer shared by the rank's cells,
	// not three per cell.
	coefs *quotaCoefs
}

// quotaCoefs are a priority rank's quota and surplus-share coefficients
// over the material's common denominator.
type quotaCoefs struct{ quota, share, den *big.Int }

// Quota is the exact quota e of the cell in pieces; nil when locked or
// not known (a plan read back from storage keeps only what it shows).
func (c Cell) Quota() *big.Rat {
	if c.Why.coefs == nil {
		return nil
	}
	return ratOf(c.Demand, c.Why.coefs.quota, c.Why.coefs.den)
}

// SurplusShare is the part of the quota that comes from surplus stock in
// spread mode; nil otherwise.
func (c Cell) SurplusShare() *big.Rat {
	if c.Why.coefs == nil {
		return nil
	}
	return ratOf(c.Demand, c.Why.coefs.share, c.Why.coefs.den)
}

// ratOf is demand·coef/den, nil when coef or den is.
func ratOf(demand int64, coef, den *big.Int) *big.Rat {
	if coef == nil || den == nil {
		return nil
	}
	num := new(big.Int).Mul(big.NewInt(demand), coef)
	return new(big.Rat).SetFrac(num, den)
}

// CellMode is how a cell's pieces were decided: "locked", "surplus"
// (enough stock: demand plus a share of the surplus), "reserve" (enough
// stock, surplus kept at the depot), "scarcity" (weighted water-filling)
// or "no_stock"; "" before allocation.
type CellMode uint8

// The modes of docs/planning.md#allocation-modes, and locks.
const (
	ModeNone CellMode = iota
	ModeLocked
	ModeSurplus
	ModeReserve
	ModeScarcity
	ModeNoStock
)

var cellModeNames = [...]string{"", "locked", "surplus", "reserve", "scarcity", "no_stock"}

// String is the mode's name, as the plan files, the screens and the
// message ids spell it.
func (m CellMode) String() string { return enumName(cellModeNames[:], m) }

// MarshalText writes the name, so that a stored plan reads as before the
// mode was a byte.
func (m CellMode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads a name; an unknown one is an error.
func (m *CellMode) UnmarshalText(b []byte) error {
	return enumParse(cellModeNames[:], m, b, "cell mode")
}

// VenueSource says where a cell's venue count came from: "count" (a
// venue_counts row) or "registry" (assigned venues); "" when unknown.
type VenueSource uint8

// The venue sources of docs/planning.md#venue-counts.
const (
	SourceNone VenueSource = iota
	SourceRegistry
	SourceCount
)

var venueSourceNames = [...]string{"", "registry", "count"}

// String is the source's name.
func (s VenueSource) String() string { return enumName(venueSourceNames[:], s) }

// MarshalText writes the name, as CellMode does.
func (s VenueSource) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a name; an unknown one is an error.
func (s *VenueSource) UnmarshalText(b []byte) error {
	return enumParse(venueSourceNames[:], s, b, "venue source")
}

func enumName[E ~uint8](names []string, e E) string {
	if int(e) < len(names) {
		return names[e]
	}
	return strconv.Itoa(int(e))
}

func enumParse[E ~uint8](names []string, e *E, b []byte, what string) error {
	for i, n := range names {
		if n == string(b) {
			*e = E(i)
			return nil
		}
	}
	return fmt.Errorf("unknown %s %q", what, b)
}

// MaterialResult totals one material; for every material
// Allocated + Reserve + Leftover == Printed, where Allocated includes locks.
type MaterialResult struct {
	Code           string
	Printed        int64
	Reserve        int64
	Locked         int64
	Allocated      int64
	Leftover       int64
	Demand         int64
	MinFill        *float64 // over cells with demand; nil without demand
	MaxFill        *float64
	NoTargetVenues bool
	Scarce         bool     // available stock was below demand
	Lambda         *big.Rat // water level when scarce
	ZeroCells      int      // cells with demand that were rounded to zero packs
}

// ShipmentLine is one material in a city's shipment.
type ShipmentLine struct {
	Material string
	Packs    int64
	Boxes    int64
	Pieces   int64
}

// Shipment is one city's consignment from the depot and its schedule
// (docs/planning.md#the-schedule).
type Shipment struct {
	City           string
	Lines          []ShipmentLine // sorted by material code
	Boxes          int64          // one material per box, as the schedule counts them; BoxCount(Packing) <= Boxes are loaded
	Packing        []BoxRun       // what goes in which box (PackBoxes); nil in plans committed before boxes were packed
	Pieces         int64
	WeightKg       *float64 // nil unless every material has piece_grams
	RoadKm         float64
	TransitDays    int
	LatestDispatch Date
	FirstDispatch  Date
	Dispatch       Date
	Arrival        Date
	Due            Date
	LateDays       int
}

// Plan is the result of running the planner over a campaign.
type Plan struct {
	Cells               []Cell           // demand > 0 or locked; sorted by material, city, category
	Materials           []MaterialResult // sorted by code
	Shipments           []Shipment       // loading order
	UnassignedVenues    []string         // venue ids, sorted
	VenueCity           *VenueCities     // venue id -> assigned city code; nil in a restored plan
	TotalBoxes          int64
	TotalWeightKg       *float64
	RequiredBoxesPerDay *int64 // smallest capacity with every city on time; nil if none can
}
