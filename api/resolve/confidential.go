package resolve

import (
	"context"
	"slices"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// Venue ids are free text: a planner may type a shelter's name or street
// into one. So wherever a viewer would see the id of a confidential venue
// or of a venue in a sensitive category, it is left out (JSON) or shown as
// "confidential venue" and its planner.ConfidentialRef (pages); planners
// and admins see it.

// HiddenVenueIDs returns the ids viewers may not see; nil (nothing to
// hide) for users who may.
func (r *Resolver) HiddenVenueIDs(ctx context.Context, u *web.SessionUser, campaignID int64) (map[string]bool, error) {
	if u.CanEdit() {
		return nil, nil
	}
	return r.DB.HiddenVenueIDs(ctx, campaignID)
}

// HasVenueIDs reports whether any distribution line of sh names a venue,
// so that the hidden ids are read only when there is something to hide.
func HasVenueIDs(sh *planner.ShipmentRecord) bool {
	for _, e := range sh.Events {
		for _, ev := range []*planner.Event{&e, e.Replacement} {
			if ev == nil {
				continue
			}
			for _, l := range ev.Distribution {
				if l.VenueID != "" {
					return true
				}
			}
		}
	}
	return false
}

// RedactShipment returns sh with the venue ids of hidden venues replaced by
// label(id) in every distribution line (nil label leaves the id out of
// JSON). sh is not changed (records may be shared by caches); a copy is
// made only when something is hidden.
func RedactShipment(sh *planner.ShipmentRecord, hidden map[string]bool, label func(id string) string) *planner.ShipmentRecord {
	if len(hidden) == 0 || !HasVenueIDs(sh) {
		return sh
	}
	out := *sh
	out.Events = slices.Clone(sh.Events)
	for i := range out.Events {
		e := &out.Events[i]
		e.Distribution = redactLines(e.Distribution, hidden, label)
		if e.Replacement != nil {
			r := *e.Replacement
			r.Distribution = redactLines(r.Distribution, hidden, label)
			e.Replacement = &r
		}
	}
	return &out
}

// redactLines is lines with hidden venue ids replaced by label(id) (a
// copy when any is).
func redactLines(lines []planner.DistributionLine, hidden map[string]bool, label func(string) string) []planner.DistributionLine {
	if !slices.ContainsFunc(lines, func(l planner.DistributionLine) bool { return hidden[l.VenueID] }) {
		return lines
	}
	out := slices.Clone(lines)
	for i := range out {
		if hidden[out[i].VenueID] {
			if label == nil {
				out[i].VenueID = ""
			} else {
				out[i].VenueID = label(out[i].VenueID)
			}
		}
	}
	return out
}
