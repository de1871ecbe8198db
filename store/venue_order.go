package store

import "strings"

// Venue ids sort naturally in the venue list: imp-2 before imp-10. The
// order is the id without its trailing digits, then the trailing number
// (leading zeros dropped) by length and then digit by digit, then the id
// itself (so v-01 and v-1 keep a fixed order). Only the last number of an
// id counts: ids are a prefix and a counter (imp-7, v-0001) in practice.
//
// The three parts are stored columns that every venue write fills from
// naturalKey (00013_venue_natural_key.sql), indexed as venues_natural_id,
// so a page of a million venues is read from the index, not sorted. They
// used to be SQL expressions indexed as such: evaluating them for each
// row was a sixth of a national import's CPU on SQLite.
var venueNaturalOrder = []string{"natural_prefix", "natural_len", "natural_number", "id"}

// venueNaturalCols are the stored parts of the natural order, written
// after venueCols' values in the order naturalKey returns them.
var venueNaturalCols = venueNaturalOrder[:3]

// naturalKey splits a venue id into its natural order parts: the id
// without its trailing ASCII digits, the length of those digits without
// their leading zeros, and those digits. It is what the SQL expressions
// rtrim(id, '0123456789'), length(n) and n, with
// n = ltrim(substr(id, length(rtrim(id, '0123456789')) + 1), '0'), give on
// both databases (00013 fills existing rows with them): the digits are
// ASCII, so counting bytes is counting characters.
func naturalKey(id string) (prefix string, n int, number string) {
	end := len(id)
	for end > 0 && id[end-1] >= '0' && id[end-1] <= '9' {
		end--
	}
	number = strings.TrimLeft(id[end:], "0")
	return id[:end], len(number), number
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
