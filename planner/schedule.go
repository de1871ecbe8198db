package planner

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"
	"sort"
	"time"

	"github.com/reparto/reparto/geo"
)

// schedule builds one shipment per city with allocated pieces and loads
// them on the depot's working days (docs/planning.md#the-schedule). Plan.Cells must be
// final. Choices the page states too:
//   - a city whose cells were all rounded to zero packs gets no shipment;
//   - a city whose latest dispatch day is before the first working day
//     still gets its shipment, loaded first (it has the earliest latest
//     dispatch) and reported late;
//   - with no shipments at all, the capacity needed is 1 box a day, the
//     smallest boxes_per_day a campaign may have.
//
// cityOf, when not nil, is each cell's city index in ix (materialInputs).
func schedule(c *Campaign, ix *campaignIndex, plan *Plan, cityOf []int32) error {
	if c.Dispatch.BoxesPerDay < 1 {
		return planInvalid("campaign.dispatch.boxes_per_day", MsgMin, "must be >= %d", 1)
	}
	if c.Transport.RoadKmPerDay <= 0 {
		return planInvalid("campaign.transport.road_km_per_day", MsgPositive, "must be > 0")
	}
	cal, err := newCalendar(c.Start, c.Dispatch)
	if err != nil {
		return err
	}
	ships, ranks, err := buildShipments(c, ix, plan.Cells, cityOf)
	if err != nil {
		return err
	}
	due := c.Deadline.AddDays(-c.LocalDistributionDays)
	for i := range ships {
		s := &ships[i]
		k := ix.cities[ix.cityIdx[s.City]]
		s.RoadKm = geo.DistanceKm(c.Depot.Lat, c.Depot.Lon, k.Lat, k.Lon) * c.Transport.Circuity
		s.TransitDays = int(math.Ceil(s.RoadKm/c.Transport.RoadKmPerDay)) + c.Transport.HandlingDays
		s.Due = due
		s.LatestDispatch = due.AddDays(-s.TransitDays)
	}
	// Loading order: latest dispatch ascending, priority descending (exact:
	// a lower rank is a higher priority), city code ascending.
	order := make([]int, len(ships))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		sa, sb := &ships[order[a]], &ships[order[b]]
		if c := sa.LatestDispatch.Compare(sb.LatestDispatch); c != 0 {
			return c < 0
		}
		if ra, rb := ranks[order[a]], ranks[order[b]]; ra != rb {
			return ra < rb
		}
		return sa.City < sb.City
	})
	plan.Shipments = make([]Shipment, len(ships))
	for n, i := range order {
		plan.Shipments[n] = ships[i]
	}

	ld := newLoading(cal, plan.Shipments)
	first, last := ld.load(c.Dispatch.BoxesPerDay)
	if err := withinHorizon(c, plan.Shipments, last); err != nil {
		return err
	}
	for i := range plan.Shipments {
		s := &plan.Shipments[i]
		s.FirstDispatch, s.Dispatch = cal.date(first[i]), cal.date(last[i])
		s.Arrival = s.Dispatch.AddDays(s.TransitDays)
		s.LateDays = max(0, s.Arrival.DaysSince(s.Due))
		plan.TotalBoxes += s.Boxes
	}
	plan.RequiredBoxesPerDay = ld.requiredCapacity(plan.TotalBoxes)
	plan.TotalWeightKg = totalWeight(c, plan.Shipments)
	return nil
}

// lastDate is the last day a schedule may reach: dates are written
// YYYY-MM-DD, and a plan must read back as it was committed.
var lastDate = NewDate(9999, 12, 31)

// withinHorizon refuses a schedule whose last arrival would come after
// lastDate (only a backlog of billions of boxes does that), naming the
// capacity, the one input that brings it back.
func withinHorizon(c *Campaign, ships []Shipment, last []int) error {
	horizon := lastDate.DaysSince(c.Start)
	for i, s := range ships {
		if last[i] > horizon-s.TransitDays {
			return planInvalid("campaign.dispatch.boxes_per_day", MsgHorizon,
				"at %d boxes a day the %d boxes of the plan would not all arrive by %s", c.Dispatch.BoxesPerDay,
				totalBoxes(ships), lastDate)
		}
	}
	return nil
}

func totalBoxes(ships []Shipment) int64 {
	var n int64
	for _, s := range ships {
		n += s.Boxes
	}
	return n
}

// buildShipments sums each city's packs per material over categories and
// boxes them; cells come sorted by material, so lines come sorted too. It
// returns shipments in city code order and each city's priority rank.
// Boxes follow the planning rule, one material per box: the shipment's
// Boxes is the lines' sum, and that is what the schedule counts against the
// dock's capacity (docs/planning.md#boxes-and-weight). Packing is how the
// boxes are really filled (PackBoxes): remainders may share a box, so the
// truck carries BoxCount(Packing) <= Boxes labelled boxes and the schedule
// never reserves too little.
//
// cityOf, when not nil, is each cell's city index; otherwise cities are
// looked up by code, once per run of a city's cells.
func buildShipments(c *Campaign, ix *campaignIndex, cells []Cell, cityOf []int32) ([]Shipment, []int, error) {
	packsPerBox := make(map[string]int64, len(c.Materials))
	for _, m := range c.Materials {
		packsPerBox[m.Code] = m.PacksPerBox
	}
	// Lines per city counted first, so that every city's lines are cut
	// from one backing array, each with room for exactly its own: grown one
	// append at a time they were most of the bytes of the shipments.
	perCity := make([]int, len(ix.cities))
	lastCity, k := "", -1 // cells of a material come in city order: look a city up once per run
	lastMat := make([]string, len(ix.cities))
	total, withLines := 0, 0
	for i := range cells {
		cell := &cells[i]
		if cell.Packs == 0 {
			continue
		}
		if cityOf != nil {
			k = int(cityOf[i])
		} else if k < 0 || cell.City != lastCity {
			lastCity, k = cell.City, ix.cityIdx[cell.City]
		}
		if perCity[k] == 0 || lastMat[k] != cell.Material {
			if perCity[k] == 0 {
				withLines++
			}
			perCity[k]++
			total++
			lastMat[k] = cell.Material
		}
	}
	backing := make([]ShipmentLine, total)
	lines := make([][]ShipmentLine, len(ix.cities))
	for k, n := range perCity {
		lines[k], backing = backing[:0:n], backing[n:]
	}
	lastCity, k = "", -1
	for i := range cells {
		cell := &cells[i]
		if cell.Packs == 0 {
			continue
		}
		if cityOf != nil {
			k = int(cityOf[i])
		} else if k < 0 || cell.City != lastCity {
			lastCity, k = cell.City, ix.cityIdx[cell.City]
		}
		ls := lines[k]
		if n := len(ls); n == 0 || ls[n-1].Material != cell.Material {
			ls = append(ls, ShipmentLine{Material: cell.Material})
		}
		l := &ls[len(ls)-1]
		l.Packs += cell.Packs
		l.Pieces += cell.Pieces
		lines[k] = ls
	}
	var ships []Shipment // nil when nothing ships, as before
	var ranks []int
	if withLines > 0 {
		ships, ranks = make([]Shipment, 0, withLines), make([]int, 0, withLines)
	}
	packer := newBoxPacker(c.Materials)
	for k, ls := range lines {
		if len(ls) == 0 {
			continue
		}
		s := Shipment{City: ix.cities[k].Code, Lines: ls}
		for i := range ls {
			ppb := packsPerBox[ls[i].Material]
			ls[i].Boxes = (ls[i].Packs + ppb - 1) / ppb
			s.Boxes += ls[i].Boxes
			s.Pieces += ls[i].Pieces
		}
		packing, err := packer.pack(ls)
		if err != nil {
			return nil, nil, fmt.Errorf("shipment to %s: %w", s.City, err)
		}
		s.Packing = packing
		ships = append(ships, s)
		ranks = append(ranks, ix.weights[k].rank)
	}
	return ships, ranks, nil
}

// totalWeight fills each shipment's weight and returns the total, or nil
// unless every material of the campaign has piece_grams. Sums are exact;
// only the final kilograms are floats.
func totalWeight(c *Campaign, ships []Shipment) *float64 {
	for _, m := range c.Materials {
		if m.PieceGrams == nil {
			return nil
		}
	}
	if total, ok := totalWeightSmall(c, ships); ok {
		return total
	}
	grams := make(map[string]*big.Rat, len(c.Materials))
	for _, m := range c.Materials {
		grams[m.Code] = m.PieceGrams.Rat()
	}
	total := new(big.Rat)
	for i := range ships {
		g := new(big.Rat)
		for _, l := range ships[i].Lines {
			g.Add(g, new(big.Rat).Mul(grams[l.Material], new(big.Rat).SetInt64(l.Pieces)))
		}
		total.Add(total, g)
		kg, _ := g.Quo(g, big.NewRat(1000, 1)).Float64()
		ships[i].WeightKg = &kg
	}
	kg, _ := total.Quo(total, big.NewRat(1000, 1)).Float64()
	return &kg
}

// totalWeightSmall is totalWeight in integers, for the usual campaign
// whose piece_grams have a few decimals (pieceGrams.small): weights are
// sums of pieces × piece_grams in units of 10^-D g, D the most decimals
// of any material, and a weight in kg is that sum over 10^(D+3). While
// the sum is below 2^53 and 10^(D+3) ≤ 10^22 both are exact float64s, so
// one float division is the correctly rounded quotient, the same float
// that big.Rat's Float64 gives. ok is false (nothing written) when a
// value does not fit; totalWeight then takes the big.Rat path.
func totalWeightSmall(c *Campaign, ships []Shipment) (total *float64, ok bool) {
	grams := make(map[string]*pieceGrams, len(c.Materials))
	decimals := 0
	for _, m := range c.Materials {
		pg := newPieceGrams(*m.PieceGrams)
		if !pg.small || pg.n < 0 {
			return nil, false
		}
		grams[m.Code], decimals = pg, max(decimals, pg.d)
	}
	if decimals+3 > 22 {
		return nil, false
	}
	perPiece := make(map[string]uint64, len(grams)) // 10^-D g
	for code, pg := range grams {
		n := uint64(pg.n)
		for range decimals - pg.d {
			hi, lo := bits.Mul64(n, 10)
			if hi != 0 {
				return nil, false
			}
			n = lo
		}
		perPiece[code] = n
	}
	const exact = 1 << 53
	sums := make([]uint64, len(ships))
	var all uint64
	for i := range ships {
		for _, l := range ships[i].Lines {
			hi, lo := bits.Mul64(perPiece[l.Material], uint64(l.Pieces))
			if hi != 0 || l.Pieces < 0 || lo >= exact {
				return nil, false
			}
			if sums[i] += lo; sums[i] >= exact {
				return nil, false
			}
		}
		if all += sums[i]; all >= exact {
			return nil, false
		}
	}
	scale := math.Pow10(decimals + 3)
	kgs := make([]float64, len(ships)) // one allocation for every shipment's weight
	for i := range ships {
		kgs[i] = float64(sums[i]) / scale
		ships[i].WeightKg = &kgs[i]
	}
	kg := float64(all) / scale
	return &kg, true
}

// calendar numbers days from the campaign start (day 0) and knows which
// are dispatch days: a weekday in work_days that is not a holiday. It
// finds the n-th dispatch day by arithmetic (whole weeks, then the
// holidays before it by binary search), never by walking day after day:
// a backlog of 10^12 boxes at one a day costs what ten boxes cost.
type calendar struct {
	start     Date
	perWeek   int    // work days in a week
	before    [7]int // before[j]: work days among days 0..j-1 of any week (weeks start on day 0's weekday)
	weekDays  []int  // offsets 0..6 of the work days within such a week
	holidays  []int  // holidays on work days from day 0 on, ascending, distinct
	displaced []int  // displaced[j]: dispatch days before holidays[j] (non-decreasing)
}

func newCalendar(start Date, d Dispatch) (*calendar, error) {
	var work [7]bool
	for _, wd := range d.WorkDays {
		if wd < time.Sunday || wd > time.Saturday {
			return nil, planInvalid("campaign.dispatch.work_days", MsgWeekday, "unknown weekday")
		}
		work[wd] = true
	}
	if len(d.WorkDays) == 0 {
		return nil, planInvalid("campaign.dispatch.work_days", MsgWorkDays, "at least one work day is needed")
	}
	cal := &calendar{start: start}
	for j := range 7 {
		cal.before[j] = cal.perWeek
		if work[(int(start.Weekday())+j)%7] {
			cal.weekDays = append(cal.weekDays, j)
			cal.perWeek++
		}
	}
	for _, h := range d.Holidays {
		if day := h.DaysSince(start); day >= 0 && work[h.Weekday()] {
			cal.holidays = append(cal.holidays, day)
		}
	}
	sort.Ints(cal.holidays)
	cal.holidays = slices.Compact(cal.holidays)
	cal.displaced = make([]int, len(cal.holidays))
	for j, h := range cal.holidays {
		cal.displaced[j] = cal.workRank(h) - j
	}
	return cal, nil
}

// workRank is the number of work days (holidays included) before day.
func (cal *calendar) workRank(day int) int { return day/7*cal.perWeek + cal.before[day%7] }

// dispatchDay is the day of the dispatch day of rank r (0: the first).
// Holiday j comes before it exactly when the dispatch days before that
// holiday number at most r, so it is work day r + (that many holidays).
func (cal *calendar) dispatchDay(r int) int {
	r += sort.Search(len(cal.displaced), func(j int) bool { return cal.displaced[j] > r })
	return r/cal.perWeek*7 + cal.weekDays[r%cal.perWeek]
}

func (cal *calendar) date(day int) Date { return cal.start.AddDays(day) }

// loading is the depot's dock for shipments in loading order: each
// dispatch day takes up to capacity boxes, and a day is filled before the
// next is opened, so a large city may span several days.
type loading struct {
	cal    *calendar
	boxes  []int64
	latest []int // latest dispatch day of each shipment
}

func newLoading(cal *calendar, ships []Shipment) *loading {
	ld := &loading{cal: cal, boxes: make([]int64, len(ships)), latest: make([]int, len(ships))}
	for i, s := range ships {
		ld.boxes[i], ld.latest[i] = s.Boxes, s.LatestDispatch.DaysSince(cal.start)
	}
	return ld
}

// load returns the day of each shipment's first and last box. It counts
// in dispatch days (ranks): the boxes left after filling the open day
// take ceil(boxes / capacity) more days, the last one partly.
func (ld *loading) load(capacity int64) (first, last []int) {
	first, last = make([]int, len(ld.boxes)), make([]int, len(ld.boxes))
	r, room := 0, capacity
	for i, b := range ld.boxes {
		if room == 0 {
			r, room = r+1, capacity
		}
		first[i] = ld.cal.dispatchDay(r)
		if b > room {
			b -= room
			days := (b-1)/capacity + 1
			r, room = r+int(days), days*capacity-b
		} else {
			room -= b
		}
		last[i] = ld.cal.dispatchDay(r)
	}
	return first, last
}

// onTime says whether every shipment leaves by its latest dispatch day,
// that is arrives by its due day.
func (ld *loading) onTime(capacity int64) bool {
	_, last := ld.load(capacity)
	for i := range last {
		if last[i] > ld.latest[i] {
			return false
		}
	}
	return true
}

// requiredCapacity is the smallest boxes_per_day with every shipment on
// time, or nil when none is. More capacity never loads a box later (same
// order, same calendar), so lateness is monotone in capacity and binary
// search applies; with capacity = all boxes everything leaves on the first
// dispatch day, so if that is late, transit alone is too long.
func (ld *loading) requiredCapacity(total int64) *int64 {
	lo, hi := int64(1), max(total, 1)
	if !ld.onTime(hi) {
		return nil
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if ld.onTime(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return &lo
}
