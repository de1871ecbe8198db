package planio

import (
	"fmt"

	"github.com/reparto/reparto/planner"
)

// DistributionListColumns is the header row of a city's distribution list
// (docs/planning.md#distribution-lists): one row per venue and material in
// visiting order, then one per category and material kept for the venues
// not registered yet. The names are stable, like the other hand-over files,
// so that a team's spreadsheet keeps working whatever the user's language.
var DistributionListColumns = []string{"city", "day", "stop", "venue_id", "venue", "address", "category",
	"material", "pieces", "packs", "leg_km", "unregistered_venues"}

// ListWords are the sentences a distribution list prints in place of what
// it may not or cannot name; the web passes them in the user's language.
type ListWords struct {
	// Confidential stands for a confidential venue's name, given its
	// reference (planner.ConfidentialRef): the list goes to city teams,
	// so it never carries the id, the name or the address.
	Confidential func(ref string) string
	// Unregistered names the part kept for n venues not registered yet.
	Unregistered func(n int64) string
}

// EnglishListWords are the words of the command line's lists.
var EnglishListWords = ListWords{
	Confidential: func(ref string) string { return "confidential venue " + ref + " — contact the coordinator" },
	Unregistered: func(n int64) string { return fmt.Sprintf("%d venues not yet registered", n) },
}

// WriteDistributionList writes list l (planner.BuildDistributionList) with
// its header row. A confidential venue's row carries its reference in
// the venue_id column and the words' sentence, never its id, name or
// address (l has none of them).
func WriteDistributionList(o *CSV, l planner.DistributionList, words ListWords) {
	if words.Confidential == nil || words.Unregistered == nil {
		words = EnglishListWords
	}
	o.Header(DistributionListColumns...)
	for _, d := range l.Days {
		for _, s := range d.Stops {
			id, name := s.VenueID, s.Name
			if s.Confidential {
				id, name = s.Ref, words.Confidential(s.Ref)
			}
			for _, ln := range s.Lines {
				o.Text(l.City.Code).Int(int64(d.Day)).Int(int64(s.Order)).Text(id).Text(name).Text(s.Address).
					Text(s.Category).Text(ln.Material).Int(ln.Pieces).Int(ln.Packs).Float(s.LegKm, 3).Blank().End()
			}
		}
	}
	for _, u := range l.Unregistered {
		o.Text(l.City.Code).Blank().Blank().Blank().Text(words.Unregistered(u.Venues)).Blank().
			Text(u.Category).Text(u.Material).Int(u.Pieces).Int(u.Packs).Blank().Int(u.Venues).End()
	}
}
