package store

import "strings"

// Venue ids sort naturally in the venue list: imp-2 before imp-10. The
// order is the id without its trailing digits, then the trailing number
// (leading zeros dropped) by length and then digit by digit, then the id
// itself (so v-01 and v-1 keep a fixed order). Only the last number of an
// id counts: ids are a prefix and a counter (imp-7, v-0001) in practice.
// The expressions are plain SQL both dialects share, and the index
// venues_natural_id (00008_venue_imports.sql) is built on exactly these,
// so a page of a million venues is read from the index, not sorted.
var venueNaturalOrder = []string{
	"rtrim(id, '0123456789')",
	"length(ltrim(substr(id, length(rtrim(id, '0123456789')) + 1), '0'))",
	"ltrim(substr(id, length(rtrim(id, '0123456789')) + 1), '0')",
	"id",
}

// naturalIDOrder is the ORDER BY of the natural id order.
func naturalIDOrder(desc bool) string {
	if !desc {
		return strings.Join(venueNaturalOrder, ", ")
	}
	return strings.Join(venueNaturalOrder, " DESC, ") + " DESC"
}

// venuePage is the list query of one page of venues for o: sorted by id
// (or by default) in the natural order, any other sort broken by it.
func venuePage(o ListOptions) (listQuery, ListOptions) {
	l := venueList
	if o.Sort == "" || o.Sort == "id" {
		l.key = naturalIDOrder(o.Desc)
		o.Sort, o.Desc = "", false
		return l, o
	}
	l.key = naturalIDOrder(false)
	return l, o
}
