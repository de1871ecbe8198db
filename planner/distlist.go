package planner

import "fmt"

// DistributionList is what a city team takes out to the venues
// (docs/planning.md#distribution-lists): the city's registered venues in
// visiting order, cut into days, each with what it receives, then what is
// kept for the venues not registered yet. The PDF (planner/paper) and the
// CSV (planner/planio) are both written from it, so they always agree.
type DistributionList struct {
	City    City
	Options RouteOptions
	Km      float64 // length of the route from the receiving point
	Days    []DistributionDay
	// Unregistered is LoadsByCity's part kept for unregistered venues, by
	// category then material.
	Unregistered []UnregisteredLoad
}

// DistributionDay is one working day of a list.
type DistributionDay struct {
	Day    int
	Km     float64
	OverKm bool // a single stop farther than a day's kilometres
	Stops  []DistributionStop
}

// DistributionStop is one venue of a list, in visiting order. A
// confidential venue keeps only its reference (ConfidentialRef) and
// category: VenueID, Name and Address are empty, so that no writer can
// print them by mistake (an id may be a shelter's name).
type DistributionStop struct {
	Order        int // 1, 2, … along the whole route
	VenueID      string
	Ref          string // confidential venues only
	Name         string
	Address      string
	Category     string
	Confidential bool
	LegKm, AtKm  float64
	Lines        []VenueLine // by material code
}

// BuildDistributionList orders a city's loads (its LoadsByCity entry) as a
// route from the city's receiving point, its coordinates, and cuts it into
// days by opt. Errors are RouteCity's (EInvalid naming max_stops_per_day,
// max_km_per_day or the venues), or ENotFound for a city the campaign does
// not have.
func BuildDistributionList(c *Campaign, load CityLoads, opt RouteOptions) (DistributionList, error) {
	if err := CheckRouteOptions(opt); err != nil {
		return DistributionList{}, err
	}
	city, ok := c.City(load.City)
	if !ok {
		return DistributionList{}, Errorm(ENotFound, MsgNoCity, "the campaign has no city %q", load.City)
	}
	tour, err := RouteCity(city, load.Venues, opt)
	if err != nil {
		return DistributionList{}, fmt.Errorf("route %s: %w", city.Code, err)
	}
	l := DistributionList{City: city, Options: opt, Km: tour.Km, Unregistered: load.Unregistered}
	for _, td := range tour.Days {
		day := DistributionDay{Day: td.Day, Km: td.Km, OverKm: td.OverKm}
		for p := td.First; p <= td.Last; p++ {
			s := tour.Stops[p]
			v := load.Venues[s.Index]
			stop := DistributionStop{Order: p + 1, Category: v.Venue.Category,
				Confidential: v.Confidential, LegKm: s.LegKm, AtKm: s.AtKm, Lines: v.Lines}
			if v.Confidential {
				stop.Ref = ConfidentialRef(c.ID, v.Venue.ID)
			} else {
				stop.VenueID, stop.Name, stop.Address = v.Venue.ID, v.Venue.Name, v.Venue.Address
			}
			day.Stops = append(day.Stops, stop)
		}
		l.Days = append(l.Days, day)
	}
	return l, nil
}

// CityLoadsOf is LoadsByCity of plan p for one city only: the other
// cities' cells are not divided. A city without anything to hand out has
// an empty load.
func CityLoadsOf(c *Campaign, p *Plan, city string) (CityLoads, error) {
	mine := *p
	mine.Cells = nil
	for _, cell := range p.Cells {
		if cell.City == city {
			mine.Cells = append(mine.Cells, cell)
		}
	}
	cells, err := AllocateVenues(c, &mine)
	if err != nil {
		return CityLoads{}, err
	}
	if loads := LoadsByCity(c, cells); len(loads) == 1 {
		return loads[0], nil
	}
	return CityLoads{City: city}, nil
}
