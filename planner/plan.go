package planner

import (
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
type Explanation struct {
	// Mode is "locked", "surplus" (enough stock: demand plus a share of the
	// surplus), "reserve" (enough stock, surplus kept at the depot),
	// "scarcity" (weighted water-filling) or "no_stock".
	Mode        string
	Priority    Decimal
	Lambda      *big.Rat // water level λ in scarcity mode
	PacksFloor  int64    // floor(e / pack size)
	ExtraPack   bool     // received one of the largest-remainder packs
	VenueSource string   // "count" (venue_counts row) or "registry" (assigned venues)

	// The exact quota and surplus share are kept as demand·coefficient
	// over the material's common denominator, the coefficients shared by
	// every cell of a priority rank, and multiplied out only when asked
	// for: a national plan has hundreds of thousands of cells, almost
	// nobody opens an explanation, and a product per cell was most of the
	// allocations of a plan.
	// The coefficients are behind one pointer shared by the rank's cells,
	// not three per cell: a cell is 16 bytes smaller, and cells are half
	// the bytes of a plan.
	demand int64
	coefs  *quotaCoefs
}

// quotaCoefs are a priority rank's quota and surplus-share coefficients
// over the material's common denominator.
type quotaCoefs struct{ quota, share, den *big.Int }

// Quota is the exact quota e of the cell in pieces; nil when locked.
func (e Explanation) Quota() *big.Rat {
	if e.coefs == nil {
		return nil
	}
	return ratOf(e.demand, e.coefs.quota, e.coefs.den)
}

// SurplusShare is the part of the quota that comes from surplus stock in
// spread mode; nil otherwise.
func (e Explanation) SurplusShare() *big.Rat {
	if e.coefs == nil {
		return nil
	}
	return ratOf(e.demand, e.coefs.share, e.coefs.den)
}

// ratOf is demand·coef/den, nil when coef or den is.
func ratOf(demand int64, coef, den *big.Int) *big.Rat {
	if coef == nil || den == nil {
		return nil
	}
	num := new(big.Int).Mul(big.NewInt(demand), coef)
	return new(big.Rat).SetFrac(num, den)
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
