package planner

import (
	"math/big"
	"strconv"
	"unicode/utf8"
)

// Bounds on every quantity, date, text and list of a campaign
// (docs/campaign-file.md#bounds). Without them one absurd number (10^15
// pieces in packs of one) made a plan run for hours. Each is far above any real campaign
// (Mexico: about 2,500 municipalities, a national venue registry under a
// million rows, tens of millions of pieces per material) and low enough
// that every sum of the planner stays within int64 and a plan at the
// bounds takes seconds (BenchmarkComputeAtBounds). README "Bounds" lists
// them; Validate, the campaign file reader, the web forms and the command
// line all go through campaignValidator, so they share them.
const (
	MaxPrinted     = 10_000_000_000 // materials[].printed, locks[].pieces
	MaxPackSize    = 1_000_000      // materials[].pack_size (pieces in a pack)
	MaxPacksPerBox = 10_000         // materials[].packs_per_box
	MaxPieceGrams  = 100_000        // materials[].piece_grams (100 kg)
	MaxReservePct  = 50             // materials[].reserve_pct
	MaxPerVenue    = 1_000_000      // targeting[].per_venue
	MaxVenueCount  = 1_000_000      // venue_counts[].count
	MaxPopulation  = 1_000_000_000  // cities[].population
	MaxPriority    = 1_000          // cities[].priority
	MaxRadiusKm    = 500            // cities[].radius_km
	MaxBoxesPerDay = 1_000_000      // campaign.dispatch.boxes_per_day
	MaxCircuity    = 5              // campaign.transport.circuity (at least 1)
	MaxDays        = 365            // handling_days, local_distribution_days

	MinRoadKmPerDay = 1     // campaign.transport.road_km_per_day
	MaxRoadKmPerDay = 5_000 // (a truck does about 700)

	MinYear, MaxYear = 2000, 2100 // every date: start, deadline, as_of, holidays
	MaxCampaignDays  = 1_827      // deadline − start: five years
	MaxHolidays      = 1_000

	MaxCodeLen    = 32  // codes of materials, categories and cities; cities[].state
	MaxVenueIDLen = 64  // venues[].id (ids of outside registries)
	MaxNameLen    = 200 // names, format, audience, group
	MaxTextLen    = 500 // cities[].note, venues[].address

	MaxMaterials   = 200
	MaxCategories  = 100
	MaxTargeting   = 20_000 // MaxMaterials × MaxCategories
	MaxCities      = 5_000
	MaxVenueCounts = 500_000 // MaxCities × MaxCategories
	MaxVenues      = 1_000_000
	MaxLocks       = 100_000

	// MaxPlanCells bounds the cells of a plan (a material, a city and a
	// category with demand or a lock), which the list bounds alone let
	// reach 10^8. It depends on where venues fall, so Compute checks it.
	MaxPlanCells = 1_000_000
)

// maxLen checks that s has at most n characters (not bytes: "Ñ" is one).
func (v *campaignValidator) maxLen(path, s string, n int) {
	if len(s) > n && utf8.RuneCountInString(s) > n {
		v.fail(path, MsgMaxLen, "must be at most %d characters", n)
	}
}

// maxItems checks the length of a list.
func (v *campaignValidator) maxItems(path string, n, max int) {
	if n > max {
		v.fail(path, MsgMaxItems, "must have at most %d entries", max)
	}
}

// intIn checks min <= n <= max with one message per side, so that the
// message of the lower bound is the one every form already translates.
func (v *campaignValidator) intIn(path string, n, min, max int64) {
	switch {
	case n < min:
		v.fail(path, MsgMin, "must be >= %d", min)
	case n > max:
		v.fail(path, MsgMax, "must be <= %d", max)
	}
}

// floatIn checks lo <= f <= hi (NaN is outside).
func (v *campaignValidator) floatIn(path string, f, lo, hi float64) {
	if !(f >= lo && f <= hi) {
		v.fail(path, MsgBetween, "must be a number between %s and %s", formatBound(lo), formatBound(hi))
	}
}

// positiveAtMost checks 0 < f <= max.
func (v *campaignValidator) positiveAtMost(path string, f, max float64) {
	switch {
	case !(f > 0):
		v.fail(path, MsgPositive, "must be a finite number > 0")
	case !(f <= max):
		v.fail(path, MsgMax, "must be <= %s", formatBound(max))
	}
}

// decimalAtMost checks d <= max, for a decimal already known to be sane.
func (v *campaignValidator) decimalAtMost(path string, d Decimal, max int64) {
	if d.Rat().Cmp(new(big.Rat).SetInt64(max)) > 0 {
		v.fail(path, MsgMax, "must be <= %d", max)
	}
}

// date checks that a given date lies within MinYear..MaxYear.
func (v *campaignValidator) date(path string, d Date) {
	if y := d.t.Year(); !d.IsZero() && (y < MinYear || y > MaxYear) {
		v.fail(path, MsgDateBetween, "must be a date between %s and %s", NewDate(MinYear, 1, 1), NewDate(MaxYear, 12, 31))
	}
}

func formatBound(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
