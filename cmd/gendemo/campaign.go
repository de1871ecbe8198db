package main

import (
	"fmt"
	"sort"
	"time"

	"github.com/reparto/reparto/geo"
	"github.com/reparto/reparto/planner"
)

// Campaign-wide settings (see assets/data/README.md for the reasoning).
const (
	campaignName = "Campaña nacional contra la trata de personas 2009 (FEVIMTRA)"
	// boxesPerDay is the depot's loading capacity: chosen a little above
	// the capacity the plan needs, so that every city is on time but the
	// schedule is tight (main_test.go checks both).
	boxesPerDay           = 170
	localDistributionDays = 5
)

// cityRow is a built city with what the count rules need.
type cityRow struct {
	planner.City
	Pop          int64
	Traits       trait
	HighPriority bool // priority >= 1.5
}

// build assembles the campaign from the tables of this package, the
// GeoNames places and the state polygons. It fails when a table refers to
// a place that is not in the file or when a registered venue would not be
// assigned to the city the table expects.
func build(places []place, states *geo.StateIndex) (*planner.Campaign, error) {
	rows, err := buildCities(places, states)
	if err != nil {
		return nil, err
	}
	vs, registered, err := buildVenues(rows)
	if err != nil {
		return nil, err
	}
	c := &planner.Campaign{
		Name:     campaignName,
		Start:    planner.NewDate(2009, time.January, 12),
		Deadline: planner.NewDate(2009, time.March, 31),
		Depot:    planner.Depot{Name: "Ciudad de México (FEVIMTRA)", Lat: 19.4326, Lon: -99.1332},
		Dispatch: planner.Dispatch{
			BoxesPerDay: boxesPerDay,
			WorkDays:    []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
			// Constitution Day and Benito Juárez's birthday, both moved
			// to Monday by the Ley Federal del Trabajo (2006 reform).
			Holidays: []planner.Date{planner.NewDate(2009, time.February, 2), planner.NewDate(2009, time.March, 16)},
		},
		Transport:             planner.Transport{RoadKmPerDay: 500, Circuity: 1.3, HandlingDays: 1},
		LocalDistributionDays: localDistributionDays,
		Surplus:               planner.SurplusSpread,
		Materials:             buildMaterials(),
		Categories:            buildCategories(),
		Targeting:             buildTargeting(),
		Venues:                vs,
		VenueCounts:           buildCounts(rows, registered),
		Locks:                 buildLocks(),
	}
	asOf := planner.NewDate(2009, time.March, 20)
	c.AsOf = &asOf
	for _, k := range rows {
		c.Cities = append(c.Cities, k.City)
	}
	return c, nil
}

func buildMaterials() []planner.Material {
	out := make([]planner.Material, 0, len(materials))
	for _, m := range materials {
		g := planner.MustDecimal(m.PieceGrams)
		out = append(out, planner.Material{
			Code: m.Code, Name: m.Name, Format: m.Format, Audience: m.Audience,
			Printed: m.Printed, ReservePct: planner.MustDecimal(m.ReservePct),
			PackSize: m.PackSize, PacksPerBox: m.PacksPerBox, PieceGrams: &g,
		})
	}
	return out
}

func buildCategories() []planner.VenueCategory {
	out := make([]planner.VenueCategory, 0, len(categories))
	for _, v := range categories {
		out = append(out, planner.VenueCategory{Code: v.Code, Name: v.Name, Group: v.Group, Sensitive: v.Sensitive})
	}
	return out
}

// buildCities looks every city up in the GeoNames places by id and finds
// its state by point in polygon.
func buildCities(places []place, states *geo.StateIndex) ([]cityRow, error) {
	byID := make(map[int64]place, len(places))
	for _, p := range places {
		byID[p.ID] = p
	}
	high := planner.MustDecimal("1.5")
	rows := make([]cityRow, 0, len(cities))
	for _, s := range cities {
		p, ok := byID[s.GeonamesID]
		if !ok {
			return nil, fmt.Errorf("city %s: geonames id %d not in the places file", s.Code, s.GeonamesID)
		}
		state, _ := states.Locate(p.Lat, p.Lon)
		if state == "" {
			return nil, fmt.Errorf("city %s: no state for %v,%v", s.Code, p.Lat, p.Lon)
		}
		pop := p.Population
		prio := planner.MustDecimal(s.Priority)
		rows = append(rows, cityRow{
			City: planner.City{
				Code: s.Code, Name: s.Name, State: state, Lat: p.Lat, Lon: p.Lon,
				Population: &pop, Priority: prio, RadiusKm: s.RadiusKm, Note: s.Note,
			},
			Pop: pop, Traits: s.Traits, HighPriority: prio.Cmp(high) >= 0,
		})
	}
	return rows, nil
}

// cellKey is a (city, category) pair.
type cellKey struct{ City, Category string }

// buildCounts applies the count rules to every city, skipping the cells
// that registered venues already describe: a venue_counts row would
// override them (docs/planning.md#venue-counts). Rows are sorted by city and category.
func buildCounts(rows []cityRow, registered map[cellKey]bool) []planner.VenueCount {
	var out []planner.VenueCount
	for _, k := range rows {
		for _, r := range countRules {
			n := r.Count(k)
			if n == 0 || registered[cellKey{k.Code, r.Category}] {
				continue
			}
			out = append(out, planner.VenueCount{City: k.Code, Category: r.Category, Count: n, Estimated: true})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].City != out[j].City {
			return out[i].City < out[j].City
		}
		return out[i].Category < out[j].Category
	})
	return out
}
