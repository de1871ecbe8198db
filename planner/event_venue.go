package planner

import "slices"

// venue returns the registered venue with the given id.
func (c *Campaign) venue(id string) (Venue, bool) {
	for _, v := range c.Venues {
		if v.ID == id {
			return v, true
		}
	}
	return Venue{}, false
}

// CompleteDistribution returns e with the category of every distribution
// line that names a registered venue but no category set to the venue's
// category, in e and in a correction's replacement. The store calls it
// before it records an event, so that a field officer who picks a venue by
// name need not pick its category too, while every stored line still
// carries the category its pieces count for in the totals per category
// (docs/tracking.md#distribution-to-venues). Lines naming an unknown venue
// are left as they are for ValidateEvent to refuse. e is not changed: the
// lines are copied when one is completed.
func CompleteDistribution(e Event, c *Campaign) Event {
	e.Distribution = completeLines(e.Distribution, c)
	if e.Replacement != nil {
		r := *e.Replacement
		r.Distribution = completeLines(r.Distribution, c)
		e.Replacement = &r
	}
	return e
}

func completeLines(lines []DistributionLine, c *Campaign) []DistributionLine {
	if !slices.ContainsFunc(lines, func(l DistributionLine) bool { return l.Category == "" && l.VenueID != "" }) {
		return lines
	}
	out := slices.Clone(lines)
	for i, l := range out {
		if l.Category != "" || l.VenueID == "" {
			continue
		}
		if v, ok := c.venue(l.VenueID); ok {
			out[i].Category = v.Category
		}
	}
	return out
}
