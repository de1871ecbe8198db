package planner

import (
	"regexp"
	"time"
)

// codeRE is the form of every code (docs/campaign-file.md#codes): short,
// safe in URLs, CSV files and paths, compared byte for byte. Besides ASCII
// letters it takes Ñ and ñ (precomposed, U+00D1 and U+00F1): in Spanish Ñ
// is a letter of its own (AÑO is not ANO), while accents are customarily
// dropped from capitalised codes (LEON), and accepting them would let LEÓN
// and LEON, or a decomposed Ó, be different codes that look the same.
var codeRE = regexp.MustCompile(`^[A-Za-zÑñ0-9_-]{1,32}$`)

// codeMessage is the refusal of a code's form.
const codeMessage = `must be 1 to 32 letters (A-Z, Ñ), digits, "_" or "-"`

// MaxFieldErrors bounds the field errors returned at once: enough to fix a
// file in one pass, few enough to read.
const MaxFieldErrors = 50

// Validate checks the semantic rules of docs/campaign-file.md (plus a few sensible
// ones) on a campaign built in memory, e.g. by the web forms or the store.
// It returns nil or an EInvalid *Error whose fields (at most MaxFieldErrors)
// are named by JSON path as in the campaign file ("materials[3].pack_size")
// and come in file order: campaign, materials, venue_categories, targeting,
// cities, venue_counts, venues, locks. planio.ParseCampaign applies the
// same rules.
//
// Validate does not apply defaults: an empty Surplus or a zero Priority is
// an error here, not "spread" or 1. It does not require WorkDays and
// Holidays to be sorted (planio.ParseCampaign sorts them;
// planio.MarshalCampaign writes them as given, so an unsorted list comes
// back sorted).
func (c *Campaign) Validate() error {
	errs := c.FieldErrors()
	if len(errs) == 0 {
		return nil
	}
	if len(errs) > MaxFieldErrors {
		errs = errs[:MaxFieldErrors]
	}
	return Invalid(errs...)
}

// campaignValidator collects field errors for one campaign. The code
// indexes keep reference checks linear in the size of the campaign.
type campaignValidator struct {
	errs           []FieldError
	materialByCode map[string]Material // first material of each code
	cityCodes      map[string]bool
	categoryCodes  map[string]bool
}

func newCampaignValidator(c *Campaign) *campaignValidator {
	v := &campaignValidator{
		materialByCode: make(map[string]Material, len(c.Materials)),
		cityCodes:      make(map[string]bool, len(c.Cities)),
		categoryCodes:  make(map[string]bool, len(c.Categories)),
	}
	for _, m := range c.Materials {
		if _, dup := v.materialByCode[m.Code]; !dup {
			v.materialByCode[m.Code] = m
		}
	}
	for _, k := range c.Cities {
		v.cityCodes[k.Code] = true
	}
	for _, k := range c.Categories {
		v.categoryCodes[k.Code] = true
	}
	return v
}

func (v *campaignValidator) fail(path string, id MsgID, format string, args ...any) {
	v.errs = append(v.errs, Fieldf(path, id, format, args...))
}

// FieldErrors returns every semantic error, unbounded, in file order.
// Validate is the bounded form; a file reader (planio) merges these with
// its own errors about what it could not read, then applies the bound.
func (c *Campaign) FieldErrors() []FieldError {
	v := newCampaignValidator(c)
	v.header(c)
	v.materials(c)
	v.categories(c)
	v.targeting(c)
	v.cities(c)
	v.venueCounts(c)
	v.venues(c)
	v.locks(c)
	return v.errs
}

func (v *campaignValidator) header(c *Campaign) {
	v.nonEmpty("campaign.name", c.Name)
	v.maxLen("campaign.name", c.Name, MaxNameLen)
	if c.Start.IsZero() {
		v.fail("campaign.start", MsgRequired, "is required")
	}
	v.date("campaign.start", c.Start)
	switch {
	case c.Deadline.IsZero():
		v.fail("campaign.deadline", MsgRequired, "is required")
	case !c.Start.IsZero() && c.Deadline.Before(c.Start):
		v.fail("campaign.deadline", MsgBeforeStart, "must not be before start (%s)", c.Start)
	case !c.Start.IsZero() && c.Deadline.After(c.Start.AddDays(MaxCampaignDays)):
		v.fail("campaign.deadline", MsgAfterStart, "must be at most %d days after start (%s)", MaxCampaignDays, c.Start)
	default:
		v.date("campaign.deadline", c.Deadline)
	}
	if c.AsOf != nil && c.AsOf.IsZero() {
		v.fail("campaign.as_of", MsgDate, "must be a date YYYY-MM-DD")
	}
	if c.AsOf != nil {
		v.date("campaign.as_of", *c.AsOf)
	}
	if _, err := LoadZone(c.TimeZone); err != nil {
		v.fail("campaign.time_zone", MsgTimeZone, "must be a time zone name such as %s", DefaultTimeZone)
	}
	v.nonEmpty("campaign.depot.name", c.Depot.Name)
	v.maxLen("campaign.depot.name", c.Depot.Name, MaxNameLen)
	v.latLon("campaign.depot", c.Depot.Lat, c.Depot.Lon)
	v.intIn("campaign.dispatch.boxes_per_day", c.Dispatch.BoxesPerDay, 1, MaxBoxesPerDay)
	v.workDays(c.Dispatch.WorkDays)
	v.maxItems("campaign.dispatch.holidays", len(c.Dispatch.Holidays), MaxHolidays)
	seen := map[Date]bool{}
	for i, d := range c.Dispatch.Holidays {
		p := IndexPath("campaign.dispatch.holidays", i)
		switch {
		case d.IsZero():
			v.fail(p, MsgDate, "must be a date YYYY-MM-DD")
		case seen[d]:
			v.fail(p, MsgDuplicateDate, "duplicate date %q", d.String())
		default:
			v.date(p, d)
		}
		seen[d] = true
	}
	v.floatIn("campaign.transport.road_km_per_day", c.Transport.RoadKmPerDay, MinRoadKmPerDay, MaxRoadKmPerDay)
	v.floatIn("campaign.transport.circuity", c.Transport.Circuity, 1, MaxCircuity)
	v.days("campaign.transport.handling_days", c.Transport.HandlingDays)
	v.days("campaign.local_distribution_days", c.LocalDistributionDays)
	if c.Surplus != SurplusSpread && c.Surplus != SurplusReserve {
		v.fail("campaign.surplus", MsgSurplus, `must be "spread" or "reserve"`)
	}
}

func (v *campaignValidator) workDays(days []time.Weekday) {
	const p = "campaign.dispatch.work_days"
	if len(days) == 0 {
		v.fail(p, MsgWorkDays, "at least one work day is required")
	}
	var seen [7]bool
	for i, d := range days {
		switch {
		case d < time.Sunday || d > time.Saturday:
			v.fail(IndexPath(p, i), MsgWeekday, "must be one of Mon, Tue, Wed, Thu, Fri, Sat, Sun")
		case seen[d]:
			v.fail(IndexPath(p, i), MsgDuplicateDay, "duplicate day %q", WeekdayName(d))
		default:
			seen[d] = true
		}
	}
}

func (v *campaignValidator) nonEmpty(path, s string) {
	if s == "" {
		v.fail(path, MsgRequired, "must not be empty")
	}
}

// code checks the form of a code and its uniqueness among seen.
func (v *campaignValidator) code(path, code string, seen map[string]bool) {
	switch {
	case code == "":
		v.fail(path, MsgRequired, "must not be empty")
	case !codeRE.MatchString(code):
		v.fail(path, MsgCode, codeMessage)
	case seen[code]:
		v.fail(path, MsgDuplicateCode, "duplicate code %q", code)
	}
	seen[code] = true
}

func (v *campaignValidator) days(path string, n int) {
	if n < 0 || n > MaxDays {
		v.fail(path, MsgBetween, "must be between %d and %d", 0, MaxDays)
	}
}

func (v *campaignValidator) latLon(path string, lat, lon float64) {
	if !(lat >= -90 && lat <= 90) {
		v.fail(path+".lat", MsgBetween, "must be between %d and %d", -90, 90)
	}
	if !(lon >= -180 && lon <= 180) {
		v.fail(path+".lon", MsgBetween, "must be between %d and %d", -180, 180)
	}
}

// decimal checks that d is within the bounds exact arithmetic handles
// cheaply (see SaneNumber) and returns whether it may be used.
func (v *campaignValidator) decimal(path string, d Decimal) bool {
	if d.IsZero() {
		return true
	}
	if !SaneNumber(d.String()) {
		v.fail(path, MsgOutOfRange, "is out of range")
		return false
	}
	return true
}

// ref checks that a reference names an existing code.
func (v *campaignValidator) ref(path, what, code string, exists bool) {
	switch {
	case code == "":
		v.fail(path, MsgRequired, "must not be empty")
	case !exists:
		v.fail(path, MsgUnknownRef, "unknown %s %q", what, code)
	}
}
