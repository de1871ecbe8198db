package pages

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// campaignForm is the form of a campaign's settings (the "campaign"
// object of the campaign file), shared by the settings page and the blank
// "new campaign" form. Field names are the file's JSON names, flattened:
// depot_name, depot_lat, boxes_per_day, work_days, holidays, ...
type campaignForm struct {
	Name, Start, Deadline               string
	DepotName, DepotLat, DepotLon       string
	DepotAddress                        string
	BoxesPerDay                         string
	WorkDays                            map[string]bool // "Mon" -> checked
	Holidays                            []string        // YYYY-MM-DD, sorted
	RoadKmPerDay, Circuity              string
	HandlingDays, LocalDistributionDays string
	Surplus                             string
	Version                             int64
	Fields                              map[string]string // field -> translated error
	Errors                              []string          // errors that belong to no field
}

// campaignWeekdays are the work-day checkboxes in display order (Monday
// first, as a Mexican calendar is read); values are the file's names.
var campaignWeekdays = []struct {
	Name string
	Day  time.Weekday
}{{"Mon", time.Monday}, {"Tue", time.Tuesday}, {"Wed", time.Wednesday}, {"Thu", time.Thursday},
	{"Fri", time.Friday}, {"Sat", time.Saturday}, {"Sun", time.Sunday}}

// Weekdays lists the checkbox names for the template.
func (f *campaignForm) Weekdays() []string {
	out := make([]string, len(campaignWeekdays))
	for i, d := range campaignWeekdays {
		out[i] = d.Name
	}
	return out
}

// HasErrors reports whether anything was refused.
func (f *campaignForm) HasErrors() bool { return len(f.Fields) > 0 || len(f.Errors) > 0 }

// campaignFormOf fills the form from a stored (or default) campaign.
func campaignFormOf(c *planner.Campaign) *campaignForm {
	f := &campaignForm{Name: c.Name, DepotName: c.Depot.Name, DepotAddress: c.Depot.Address, Surplus: string(c.Surplus), Version: c.Version,
		WorkDays: map[string]bool{}, Fields: map[string]string{}}
	if !c.Start.IsZero() {
		f.Start = c.Start.String()
	}
	if !c.Deadline.IsZero() {
		f.Deadline = c.Deadline.String()
	}
	f.DepotLat = strconv.FormatFloat(c.Depot.Lat, 'f', -1, 64)
	f.DepotLon = strconv.FormatFloat(c.Depot.Lon, 'f', -1, 64)
	f.BoxesPerDay = strconv.FormatInt(c.Dispatch.BoxesPerDay, 10)
	for _, d := range c.Dispatch.WorkDays {
		for _, w := range campaignWeekdays {
			if w.Day == d {
				f.WorkDays[w.Name] = true
			}
		}
	}
	for _, d := range c.Dispatch.Holidays {
		f.Holidays = append(f.Holidays, d.String())
	}
	slices.Sort(f.Holidays)
	f.RoadKmPerDay = strconv.FormatFloat(c.Transport.RoadKmPerDay, 'f', -1, 64)
	f.Circuity = strconv.FormatFloat(c.Transport.Circuity, 'f', -1, 64)
	f.HandlingDays = strconv.Itoa(c.Transport.HandlingDays)
	f.LocalDistributionDays = strconv.Itoa(c.LocalDistributionDays)
	return f
}

// defaultCampaign is what a blank campaign form starts from: the usual
// Mexican working week and the transport figures of the 2009 demo.
func defaultCampaign() *planner.Campaign {
	return &planner.Campaign{
		Depot: planner.Depot{Name: "CDMX", Lat: 19.4326, Lon: -99.1332},
		Dispatch: planner.Dispatch{BoxesPerDay: 100, WorkDays: []time.Weekday{time.Monday, time.Tuesday,
			time.Wednesday, time.Thursday, time.Friday}},
		Transport:             planner.Transport{RoadKmPerDay: 500, Circuity: 1.3, HandlingDays: 1},
		LocalDistributionDays: 5, Surplus: planner.SurplusSpread,
	}
}

// parseCampaignForm reads a posted settings form into f (what the user
// typed, to show again) and into a copy of base with the new header. Every
// error comes back at once, each by its field: the parse errors (a number
// that is not one) and the planner's own rules (Campaign.Validate: a name
// is required, the deadline is not before the start, the bounds) for the
// fields that did parse. It returns nil when anything is wrong.
func parseCampaignForm(v url.Values, base *planner.Campaign, pg *web.Page) (*campaignForm, *planner.Campaign) {
	r := &web.Form{Values: v}
	f := &campaignForm{Name: r.Str("name"), Start: r.Str("start"), Deadline: r.Str("deadline"),
		DepotName: r.Str("depot_name"), DepotLat: r.Str("depot_lat"), DepotLon: r.Str("depot_lon"),
		DepotAddress: r.Str("depot_address"),
		BoxesPerDay:  r.Str("boxes_per_day"), RoadKmPerDay: r.Str("road_km_per_day"), Circuity: r.Str("circuity"),
		HandlingDays: r.Str("handling_days"), LocalDistributionDays: r.Str("local_distribution_days"),
		Surplus: r.Str("surplus"), WorkDays: map[string]bool{}, Fields: map[string]string{}}
	f.Version, _ = strconv.ParseInt(r.Str("version"), 10, 64)

	for _, name := range []string{"depot_lat", "depot_lon", "road_km_per_day", "circuity"} {
		if r.Str(name) == "" {
			r.Fail(name, planner.MsgRequired, "is required") // float reads an empty field as 0, a valid latitude
		}
	}
	c := *base
	c.Name, c.Depot.Name, c.Surplus = f.Name, f.DepotName, planner.Surplus(f.Surplus)
	c.Start, c.Deadline = r.Date("start"), r.Date("deadline")
	c.Depot.Lat, c.Depot.Lon = r.Float("depot_lat", 0), r.Float("depot_lon", 0)
	c.Depot.Address = f.DepotAddress
	c.Dispatch.BoxesPerDay = r.Int("boxes_per_day", false)
	c.Transport.RoadKmPerDay, c.Transport.Circuity = r.Float("road_km_per_day", 0), r.Float("circuity", 0)
	c.Transport.HandlingDays = int(r.Int("handling_days", false))
	c.LocalDistributionDays = int(r.Int("local_distribution_days", false))
	c.Dispatch.WorkDays = nil
	for _, w := range campaignWeekdays {
		if slices.Contains(v["work_days"], w.Name) {
			f.WorkDays[w.Name] = true
			c.Dispatch.WorkDays = append(c.Dispatch.WorkDays, w.Day)
		}
	}
	slices.Sort(c.Dispatch.WorkDays)
	c.Dispatch.Holidays = nil
	removed := v["holiday_remove"]
	for _, h := range v["holidays"] {
		h = strings.TrimSpace(h)
		if h == "" || slices.Contains(removed, h) {
			continue
		}
		f.Holidays = append(f.Holidays, h)
	}
	slices.Sort(f.Holidays)
	for _, h := range f.Holidays {
		d, err := planner.ParseDate(h)
		if err != nil {
			r.Fail("holidays", planner.MsgDate, "must be a date YYYY-MM-DD")
			continue
		}
		c.Dispatch.Holidays = append(c.Dispatch.Holidays, d)
	}
	// Only the header is checked here (the lists are the data pages'
	// business and are checked again by the store on save).
	head := c
	head.Materials, head.Categories, head.Targeting, head.Cities = nil, nil, nil, nil
	head.VenueCounts, head.Venues, head.Locks = nil, nil, nil
	errs := r.Errs
	if err := head.Validate(); err != nil {
		errs = append(errs, planner.ErrorFields(err)...)
	}
	f.place(errs, r.Errs, pg)
	if f.HasErrors() {
		return f, nil
	}
	return f, &c
}

// place puts field errors next to their inputs, translated. A planner
// error on a field that did not even parse is dropped: it would only
// restate the parse error.
func (f *campaignForm) place(errs, parseErrs []planner.FieldError, pg *web.Page) {
	unparsed := map[string]bool{}
	for _, e := range parseErrs {
		unparsed[e.Path] = true
	}
	for _, e := range errs {
		name := campaignFieldOf(e.Path)
		if name == "" {
			f.Errors = append(f.Errors, pg.PlacedMessage(e))
			continue
		}
		if f.Fields[name] != "" || (unparsed[name] && e.Path != name) {
			continue
		}
		f.Fields[name] = pg.FieldMessage(e)
	}
}

// campaignFieldOf maps a validation path of the campaign header
// ("campaign.dispatch.holidays[2]") or a form name to the form field.
func campaignFieldOf(path string) string {
	if i := strings.IndexByte(path, '['); i >= 0 {
		path = path[:i]
	}
	switch path {
	case "name", "start", "deadline", "depot_name", "depot_lat", "depot_lon", "depot_address", "boxes_per_day", "work_days",
		"holidays", "road_km_per_day", "circuity", "handling_days", "local_distribution_days", "surplus":
		return path
	case "campaign.name", "campaign.start", "campaign.deadline", "campaign.surplus", "campaign.local_distribution_days":
		return strings.TrimPrefix(path, "campaign.")
	case "campaign.depot.name", "campaign.depot.lat", "campaign.depot.lon", "campaign.depot.address":
		return "depot_" + strings.TrimPrefix(path, "campaign.depot.")
	case "campaign.dispatch.boxes_per_day", "campaign.dispatch.work_days", "campaign.dispatch.holidays":
		return strings.TrimPrefix(path, "campaign.dispatch.")
	case "campaign.transport.road_km_per_day", "campaign.transport.circuity", "campaign.transport.handling_days":
		return strings.TrimPrefix(path, "campaign.transport.")
	}
	return ""
}
