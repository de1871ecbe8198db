package planner

import (
	"sync"
	"time"
	_ "time/tzdata" // the zone database inside the binary: "today" must not depend on the host's files
)

// DefaultTimeZone is where campaigns run unless told otherwise: the depot
// and the field staff of the 2009 campaign were in Mexico.
const DefaultTimeZone = "America/Mexico_City"

var zones sync.Map // IANA name -> *time.Location

// LoadZone returns the named time zone ("" is DefaultTimeZone), loading
// each name once. Errors: EInvalid naming campaign.time_zone.
func LoadZone(name string) (*time.Location, error) {
	if name == "" {
		name = DefaultTimeZone
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, Invalid(Fieldf("campaign.time_zone", MsgTimeZone, "must be a time zone name such as %s", DefaultTimeZone))
	}
	zones.Store(name, loc)
	return loc, nil
}

// Zone is the time zone in which the campaign's days begin and end: its
// TimeZone, or DefaultTimeZone when that is empty or unknown.
func (c *Campaign) Zone() *time.Location {
	if loc, err := LoadZone(c.TimeZone); err == nil {
		return loc
	}
	loc, err := LoadZone("")
	if err != nil { // cannot happen with time/tzdata linked in
		return time.UTC
	}
	return loc
}

// TimeTravelMargin is how far before its start a campaign may be looked
// at with ?today= (the weeks of preparation before the first truck).
const TimeTravelMargin = 90

// CheckViewDay checks a day asked for a view of campaign c "as it was":
// not before the start minus TimeTravelMargin days, not after the
// campaign's today. Errors: EInvalid naming path.
func CheckViewDay(c *Campaign, d, today Date, path string) error {
	earliest := c.Start.AddDays(-TimeTravelMargin)
	switch {
	case d.Before(earliest):
		return Invalid(Fieldf(path, MsgViewBeforeStart, "must not be before %s (the campaign starts on %s)", earliest, c.Start))
	case d.After(today):
		return Invalid(Fieldf(path, MsgAfterToday, "must not be after %s, the campaign's today", today))
	}
	return nil
}

// AsOfDay returns the shipment as it stood at the end of day d: the events
// dated after d are left out (a correction dated after d too, so the event
// it amends reads as it was first told). The events are shared, not copied.
func (s ShipmentRecord) AsOfDay(d Date) ShipmentRecord {
	kept := make([]Event, 0, len(s.Events))
	for _, e := range s.Events {
		if !e.Date.After(d) {
			kept = append(kept, e)
		}
	}
	s.Events = kept
	return s
}
