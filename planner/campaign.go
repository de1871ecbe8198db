// Package planner holds Reparto's domain: campaigns and their validation,
// allocation of printed materials to cities and venue categories, the
// dispatch schedule, and delivery tracking. It imports no HTTP or SQL
// package; storage and transport live at the edges (store/, api/), and
// every file format (the campaign file, venue CSV, the plan's outputs) in
// planio.
package planner

import "time"

// Surplus says what happens to stock beyond demand.
type Surplus string

const (
	SurplusSpread  Surplus = "spread"  // shared out in proportion to weighted demand
	SurplusReserve Surplus = "reserve" // kept at the depot
)

// Campaign is one distribution campaign, as described by a campaign file
// (docs/campaign-file.md). Defaults are already applied once a Campaign exists.
type Campaign struct {
	ID                    int64 // store id; 0 when not stored
	Version               int64 // store version, bumped by every change (optimistic concurrency); 0 when not stored
	Name                  string
	Start                 Date
	Deadline              Date
	AsOf                  *Date  // "today" for tracking views; nil means the clock
	TimeZone              string // IANA zone of the campaign's days when AsOf is nil; "" = DefaultTimeZone
	Depot                 Depot
	Dispatch              Dispatch
	Transport             Transport
	LocalDistributionDays int
	Surplus               Surplus

	Materials   []Material
	Categories  []VenueCategory
	Targeting   []TargetingRule
	Cities      []City
	VenueCounts []VenueCount
	Venues      []Venue
	Locks       []Lock
}

type Depot struct {
	Name     string
	Lat, Lon float64
}

type Dispatch struct {
	BoxesPerDay int64
	WorkDays    []time.Weekday // sorted Sunday..Saturday
	Holidays    []Date         // sorted, unique
}

type Transport struct {
	RoadKmPerDay float64
	Circuity     float64
	HandlingDays int
}

// Material is one printed item. Quantities are pieces unless named packs or boxes.
type Material struct {
	Code        string
	Name        string
	Format      string // poster, flyer, pamphlet, leaflet, brochure, flipchart; optional
	Audience    string // optional
	Printed     int64
	ReservePct  Decimal
	PackSize    int64
	PacksPerBox int64
	PieceGrams  *Decimal // nil when unknown; weights are reported only when all are known
}

// VenueCategory is a kind of place that receives materials. Sensitive
// categories (shelter NGOs) never show venue names to the public.
type VenueCategory struct {
	Code      string
	Name      string
	Group     string
	Sensitive bool
}

// TargetingRule says how many pieces of a material each venue of a category gets.
type TargetingRule struct {
	Material string
	Category string
	PerVenue int64
}

// City is a destination of the campaign; its shipment leaves the depot as one.
type City struct {
	Code       string
	Name       string
	State      string // ISO 3166-2 code, optional
	Lat, Lon   float64
	Population *int64
	Priority   Decimal // > 0, default 1
	RadiusKm   float64 // default 15
	Note       string  // why its priority is what it is; optional
}

// VenueCount overrides the number of registered venues of a category in a city.
type VenueCount struct {
	City      string
	Category  string
	Count     int64
	Estimated bool // an estimate rather than a count from a registry
}

// Venue is a registered place. City is empty when the venue is given only by
// coordinates and must be assigned to the nearest city within its radius.
type Venue struct {
	ID           string
	Name         string
	Category     string
	Lat, Lon     float64
	City         string
	Address      string
	Confidential bool
}

// Lock fixes the pieces of one cell by a manual decision.
type Lock struct {
	Material string
	City     string
	Category string
	Pieces   int64
}

// Material returns the material with the given code.
func (c *Campaign) Material(code string) (Material, bool) {
	for _, m := range c.Materials {
		if m.Code == code {
			return m, true
		}
	}
	return Material{}, false
}

// City returns the city with the given code.
func (c *Campaign) City(code string) (City, bool) {
	for _, k := range c.Cities {
		if k.Code == code {
			return k, true
		}
	}
	return City{}, false
}

// Category returns the venue category with the given code.
func (c *Campaign) Category(code string) (VenueCategory, bool) {
	for _, v := range c.Categories {
		if v.Code == code {
			return v, true
		}
	}
	return VenueCategory{}, false
}

// Targets reports whether material is meant for venues of category: a
// targeting rule gives each of its venues at least one piece. Distribution
// reports may hand a material out only to the categories it targets.
func (c *Campaign) Targets(material, category string) bool {
	for _, t := range c.Targeting {
		if t.Material == material && t.Category == category {
			return t.PerVenue > 0
		}
	}
	return false
}

// Today is the campaign's "today" for tracking: as_of when set, else the
// clock's date in the campaign's time zone (see Zone).
func (c *Campaign) Today(now time.Time) Date {
	if c.AsOf != nil {
		return *c.AsOf
	}
	return DateOf(now.In(c.Zone()))
}

// weekdayNames are the work day names of the campaign file, indexed by
// time.Weekday.
var weekdayNames = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

// WeekdayName is the name of a work day as the campaign file and the
// validation messages write it ("Mon"). d must be Sunday..Saturday.
func WeekdayName(d time.Weekday) string { return weekdayNames[d] }

// ParseWeekday is the day named by a work day name of the campaign file,
// false for anything else (names are case-sensitive).
func ParseWeekday(name string) (time.Weekday, bool) {
	for d, n := range weekdayNames {
		if n == name {
			return time.Weekday(d), true
		}
	}
	return 0, false
}
