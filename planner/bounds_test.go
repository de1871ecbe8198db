package planner

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// boundsCampaign has every quantity of a campaign at its upper bound and
// its lists as long as MaxPlanCells allows with every material targeting
// every category in every city: 200 materials × 5 categories × 1,000
// cities. Half the materials come in packs of one piece and boxes of one
// pack, the dock's worst case (10^10 boxes each); the other half at the
// largest pack and box. Texts are at their length bound, in Ñ (two bytes
// a character).
func boundsCampaign() *Campaign {
	text := func(prefix string, n int) string { return prefix + strings.Repeat("Ñ", n-len([]rune(prefix))) }
	deadline := NewDate(MaxYear, 12, 31)
	start := deadline.AddDays(-MaxCampaignDays)
	asOf := deadline
	grams := MustDecimal(fmt.Sprint(MaxPieceGrams))
	c := &Campaign{
		Name: text("", MaxNameLen), Start: start, Deadline: deadline, AsOf: &asOf,
		Depot: Depot{Name: text("", MaxNameLen), Lat: 19.4326, Lon: -99.1332},
		Dispatch: Dispatch{BoxesPerDay: MaxBoxesPerDay, WorkDays: []time.Weekday{
			time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}},
		Transport:             Transport{RoadKmPerDay: MaxRoadKmPerDay, Circuity: MaxCircuity, HandlingDays: MaxDays},
		LocalDistributionDays: MaxDays, Surplus: SurplusSpread,
	}
	for i := range MaxHolidays {
		c.Dispatch.Holidays = append(c.Dispatch.Holidays, start.AddDays(i*MaxCampaignDays/MaxHolidays))
	}
	const materials, categories, cities = MaxMaterials, 5, MaxPlanCells / MaxMaterials / 5
	for i := range categories {
		c.Categories = append(c.Categories, VenueCategory{Code: text(fmt.Sprintf("C%d", i), MaxCodeLen),
			Name: text("", MaxNameLen), Group: text("", MaxNameLen), Sensitive: i == 0})
	}
	for i := range materials {
		m := Material{Code: text(fmt.Sprintf("M%03d", i), MaxCodeLen), Name: text("", MaxNameLen),
			Format: text("", MaxNameLen), Audience: text("", MaxNameLen), Printed: MaxPrinted,
			ReservePct: MustDecimal(fmt.Sprint(MaxReservePct)), PackSize: 1, PacksPerBox: 1, PieceGrams: &grams}
		if i%2 == 1 {
			m.PackSize, m.PacksPerBox = MaxPackSize, MaxPacksPerBox
		}
		c.Materials = append(c.Materials, m)
		for _, k := range c.Categories {
			c.Targeting = append(c.Targeting, TargetingRule{Material: m.Code, Category: k.Code, PerVenue: MaxPerVenue})
		}
	}
	population := int64(MaxPopulation)
	for i := range cities {
		priority := "1"
		if i%3 == 0 {
			priority = fmt.Sprint(MaxPriority)
		}
		k := City{Code: text(fmt.Sprintf("K%04d", i), MaxCodeLen), Name: text("", MaxNameLen), State: text("MX-", MaxCodeLen),
			Lat: 14.5 + float64(i%100)*0.18, Lon: -117 + float64(i/100)*2.8, Population: &population,
			Priority: MustDecimal(priority), RadiusKm: MaxRadiusKm, Note: text("", MaxTextLen)}
		c.Cities = append(c.Cities, k)
		for _, cat := range c.Categories {
			c.VenueCounts = append(c.VenueCounts, VenueCount{City: k.Code, Category: cat.Code, Count: MaxVenueCount})
		}
	}
	for i := range 1_000 { // by coordinates, each within reach of many cities
		c.Venues = append(c.Venues, Venue{ID: text(fmt.Sprintf("v%d", i), MaxVenueIDLen), Name: text("", MaxNameLen),
			Category: c.Categories[i%categories].Code, Lat: 14.5 + float64(i%97)*0.18, Lon: -117 + float64(i%89)*0.3,
			Address: text("", MaxTextLen), Confidential: true})
	}
	c.Locks = []Lock{{Material: c.Materials[0].Code, City: c.Cities[0].Code, Category: c.Categories[0].Code,
		Pieces: MaxPrinted / 2}}
	return c
}

// TestBoundsThemselvesAreValid: a campaign with every value at its bound
// is valid, and so are the bundled demo and the national benchmark.
func TestBoundsThemselvesAreValid(t *testing.T) {
	if err := boundsCampaign().Validate(); err != nil {
		t.Fatalf("campaign at the bounds: %v", err)
	}
	national, err := SyntheticNationalCampaign(20_000, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := national.Validate(); err != nil {
		t.Fatalf("synthetic national campaign: %v", err)
	}
}

// TestBoundsRefuseJustAbove sets each bounded value one step above its
// bound on a valid campaign: it is refused, the error naming the field.
func TestBoundsRefuseJustAbove(t *testing.T) {
	long := func(n int) string { return strings.Repeat("ñ", n+1) }
	many := func(n int, add func(c *Campaign, i int)) func(c *Campaign) {
		return func(c *Campaign) {
			for i := range n + 1 {
				add(c, i)
			}
		}
	}
	date := func(y int, m time.Month, d int) *Date { v := NewDate(y, m, d); return &v }
	tests := []struct {
		name   string
		change func(c *Campaign)
		path   string
		msg    string
	}{
		{"campaign name", func(c *Campaign) { c.Name = long(MaxNameLen) }, "campaign.name", "must be at most 200 characters"},
		{"start before 2000", func(c *Campaign) { c.Start = NewDate(1999, 12, 31); c.Deadline = NewDate(2000, 1, 5) }, "campaign.start", "must be a date between 2000-01-01 and 2100-12-31"},
		{"deadline after 2100", func(c *Campaign) { c.Start = NewDate(2100, 12, 1); c.Deadline = NewDate(2101, 1, 1) }, "campaign.deadline", "must be a date between 2000-01-01 and 2100-12-31"},
		{"deadline too far from start", func(c *Campaign) { c.Deadline = c.Start.AddDays(MaxCampaignDays + 1) }, "campaign.deadline", "must be at most 1827 days after start (2009-01-12)"},
		{"as_of after 2100", func(c *Campaign) { c.AsOf = date(2101, 1, 1) }, "campaign.as_of", "must be a date between"},
		{"depot name", func(c *Campaign) { c.Depot.Name = long(MaxNameLen) }, "campaign.depot.name", "at most 200 characters"},
		{"boxes_per_day", func(c *Campaign) { c.Dispatch.BoxesPerDay = MaxBoxesPerDay + 1 }, "campaign.dispatch.boxes_per_day", "must be <= 1000000"},
		{"holidays", many(MaxHolidays, func(c *Campaign, i int) { c.Dispatch.Holidays = append(c.Dispatch.Holidays, c.Start.AddDays(i)) }),
			"campaign.dispatch.holidays", "must have at most 1000 entries"},
		{"holiday after 2100", func(c *Campaign) { c.Dispatch.Holidays = []Date{NewDate(2101, 1, 1)} }, "campaign.dispatch.holidays[0]", "must be a date between"},
		{"road_km_per_day above", func(c *Campaign) { c.Transport.RoadKmPerDay = MaxRoadKmPerDay + 0.01 }, "campaign.transport.road_km_per_day", "must be a number between 1 and 5000"},
		{"road_km_per_day below", func(c *Campaign) { c.Transport.RoadKmPerDay = MinRoadKmPerDay - 0.01 }, "campaign.transport.road_km_per_day", "must be a number between 1 and 5000"},
		{"circuity", func(c *Campaign) { c.Transport.Circuity = MaxCircuity + 0.01 }, "campaign.transport.circuity", "must be a number between 1 and 5"},
		{"handling_days", func(c *Campaign) { c.Transport.HandlingDays = MaxDays + 1 }, "campaign.transport.handling_days", "must be between 0 and 365"},
		{"local_distribution_days", func(c *Campaign) { c.LocalDistributionDays = MaxDays + 1 }, "campaign.local_distribution_days", "must be between 0 and 365"},

		{"materials", many(MaxMaterials, func(c *Campaign, i int) {
			c.Materials = append(c.Materials, Material{Code: fmt.Sprintf("X%d", i), Name: "x", Printed: 1, PackSize: 1, PacksPerBox: 1})
		}), "materials", "must have at most 200 entries"},
		{"material code", func(c *Campaign) { c.Materials[1].Code = long(MaxCodeLen) }, "materials[1].code", "must be 1 to 32 letters"},
		{"material name", func(c *Campaign) { c.Materials[1].Name = long(MaxNameLen) }, "materials[1].name", "at most 200 characters"},
		{"material format", func(c *Campaign) { c.Materials[1].Format = long(MaxNameLen) }, "materials[1].format", "at most 200 characters"},
		{"material audience", func(c *Campaign) { c.Materials[1].Audience = long(MaxNameLen) }, "materials[1].audience", "at most 200 characters"},
		{"printed", func(c *Campaign) { c.Materials[1].Printed = MaxPrinted + 1 }, "materials[1].printed", "must be <= 10000000000"},
		{"printed 10^15", func(c *Campaign) { c.Materials[1].Printed = 1e15 }, "materials[1].printed", "must be <= 10000000000"},
		{"reserve_pct", func(c *Campaign) { c.Materials[1].ReservePct = MustDecimal("50.01") }, "materials[1].reserve_pct", "must be between 0 and 50"},
		{"pack_size", func(c *Campaign) { c.Materials[1].PackSize = MaxPackSize + 1 }, "materials[1].pack_size", "must be <= 1000000"},
		{"packs_per_box", func(c *Campaign) { c.Materials[1].PacksPerBox = MaxPacksPerBox + 1 }, "materials[1].packs_per_box", "must be <= 10000"},
		{"piece_grams", func(c *Campaign) { g := MustDecimal("100000.001"); c.Materials[1].PieceGrams = &g }, "materials[1].piece_grams", "must be <= 100000"},

		{"categories", many(MaxCategories, func(c *Campaign, i int) {
			c.Categories = append(c.Categories, VenueCategory{Code: fmt.Sprintf("X%d", i), Name: "x"})
		}), "venue_categories", "must have at most 100 entries"},
		{"category name", func(c *Campaign) { c.Categories[0].Name = long(MaxNameLen) }, "venue_categories[0].name", "at most 200 characters"},
		{"category group", func(c *Campaign) { c.Categories[0].Group = long(MaxNameLen) }, "venue_categories[0].group", "at most 200 characters"},

		{"targeting", many(MaxTargeting, func(c *Campaign, i int) { c.Targeting = append(c.Targeting, c.Targeting[0]) }),
			"targeting", "must have at most 20000 entries"},
		{"per_venue", func(c *Campaign) { c.Targeting[0].PerVenue = MaxPerVenue + 1 }, "targeting[0].per_venue", "must be <= 1000000"},

		{"cities", many(MaxCities, func(c *Campaign, i int) {
			c.Cities = append(c.Cities, City{Code: fmt.Sprintf("X%d", i), Name: "x", Priority: MustDecimal("1"), RadiusKm: 1})
		}), "cities", "must have at most 5000 entries"},
		{"city name", func(c *Campaign) { c.Cities[1].Name = long(MaxNameLen) }, "cities[1].name", "at most 200 characters"},
		{"city state", func(c *Campaign) { c.Cities[1].State = long(MaxCodeLen) }, "cities[1].state", "at most 32 characters"},
		{"city note", func(c *Campaign) { c.Cities[1].Note = long(MaxTextLen) }, "cities[1].note", "at most 500 characters"},
		{"population", func(c *Campaign) { n := int64(MaxPopulation + 1); c.Cities[1].Population = &n }, "cities[1].population", "must be <= 1000000000"},
		{"priority", func(c *Campaign) { c.Cities[1].Priority = MustDecimal("1000.01") }, "cities[1].priority", "must be <= 1000"},
		{"radius_km", func(c *Campaign) { c.Cities[1].RadiusKm = 100_000 }, "cities[1].radius_km", "must be <= 500"},
		{"radius_km just above", func(c *Campaign) { c.Cities[1].RadiusKm = MaxRadiusKm + 0.001 }, "cities[1].radius_km", "must be <= 500"},

		{"venue_counts", many(MaxVenueCounts, func(c *Campaign, i int) { c.VenueCounts = append(c.VenueCounts, c.VenueCounts[0]) }),
			"venue_counts", "must have at most 500000 entries"},
		{"count", func(c *Campaign) { c.VenueCounts[1].Count = MaxVenueCount + 1 }, "venue_counts[1].count", "must be <= 1000000"},

		{"venue id", func(c *Campaign) { c.Venues[1].ID = long(MaxVenueIDLen) }, "venues[1].id", "at most 64 characters"},
		{"venue name", func(c *Campaign) { c.Venues[1].Name = long(MaxNameLen) }, "venues[1].name", "at most 200 characters"},
		{"venue address", func(c *Campaign) { c.Venues[1].Address = long(MaxTextLen) }, "venues[1].address", "at most 500 characters"},

		{"locks", many(MaxLocks, func(c *Campaign, i int) { c.Locks = append(c.Locks, c.Locks[0]) }), "locks", "must have at most 100000 entries"},
		{"lock pieces", func(c *Campaign) { c.Locks[0].Pieces = MaxPrinted + 100 }, "locks[0].pieces", "must be <= 10000000000"},
	}
	if !testing.Short() {
		tests = append(tests, struct {
			name   string
			change func(c *Campaign)
			path   string
			msg    string
		}{"venues", many(MaxVenues, func(c *Campaign, i int) {
			c.Venues = append(c.Venues, Venue{ID: fmt.Sprint(i), Name: "x", Category: "SHELTER", City: "TAP"})
		}), "venues", "must have at most 1000000 entries"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, baseCampaign)
			tt.change(c)
			wantFieldError(t, c.Validate(), tt.path, tt.msg)
		})
	}
}

// wantFieldError checks that err is EInvalid and has an error at path
// whose message contains fragment (other errors may come first: a lock
// above the bound is also above the stock of its material).
func wantFieldError(t *testing.T, err error, path, fragment string) {
	t.Helper()
	wantMessageIDs(t, err)
	if ErrorCode(err) != EInvalid {
		t.Fatalf("err = %v, want invalid at %s", err, path)
	}
	for _, f := range ErrorFields(err) {
		if f.Path == path && strings.Contains(f.Message, fragment) {
			return
		}
	}
	t.Fatalf("no error %s: ...%s... in %v", path, fragment, ErrorFields(err))
}

// TestCodesTakeEnye: Ñ and ñ are letters of codes, counted as one
// character each; accented vowels and a decomposed Ñ (N + U+0303) are not.
func TestCodesTakeEnye(t *testing.T) {
	tests := []struct {
		code string
		ok   bool
	}{
		{"AÑO", true},
		{"niño_2009-b", true},
		{strings.Repeat("Ñ", 32), true},
		{strings.Repeat("Ñ", 33), false},
		{"LEÓN", false},
		{"PEÑA NIETO", false},
		{"N\u0303", false},
		{"Ü", false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			c := mustParse(t, baseCampaign)
			c.Materials[1].Code, c.Targeting[1].Material = tt.code, tt.code
			err := c.Validate()
			if tt.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tt.ok {
				wantFirstError(t, err, "materials[1].code", codeMessage)
			}
		})
	}
}
