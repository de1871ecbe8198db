package planner

import (
	"sync"
	"time"
	_ "time/tzdata" // the zone database inside the binary: "today" must not depend on the host's files
)

// DefaultTimeZone is where campaigns run unless told otherwise: the depot
// and the field staff of the 2009 campaign were in Mexico.
const DefaultTimeZone = "America/Mexico_City"

var campaignZone = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation(DefaultTimeZone)
	if err != nil { // cannot happen with time/tzdata linked in
		return time.UTC
	}
	return loc
})

// CampaignZone is the time zone in which a campaign's day begins and ends.
func CampaignZone() *time.Location { return campaignZone() }

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
		return Invalid(FieldError{Path: path, Message: "must not be before " + earliest.String() +
			" (the campaign starts on " + c.Start.String() + ")"})
	case d.After(today):
		return Invalid(FieldError{Path: path, Message: "must not be after " + today.String() + ", the campaign's today"})
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
