package planner

import (
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"strings"
)

// Venue ids are free text: a planner may type or import a shelter's name
// or street as one. So wherever a confidential venue (or one of a
// sensitive category) is shown without its name — printed and exported
// distribution lists for every role, pages for users who may not see
// names — it is shown by its reference instead of its id
// (docs/planning.md#distribution-lists).
//
// The reference is "C-" and the first ConfidentialRefLen characters of
// the base32 of SHA-256 over the campaign id and the venue id:
//   - stable: the same venue keeps the same reference on every list,
//     page and day, so a team can call the coordinator about "C-7Q2KXM";
//   - not reversible: 30 bits of a hash cannot be turned back into an id;
//     salting with the campaign id makes the same shelter's reference
//     differ between campaigns, so lists of two campaigns cannot be
//     linked. It does NOT stop someone who already guesses an id from
//     checking the guess (the salt is not secret): that is why it is kept
//     short, and why ids should still not be names;
//   - not guaranteed unique: two of a campaign's n hidden venues share a
//     reference with probability about n²/2³¹ (1 in 200 000 for 100
//     venues, 1 in 2 000 for 1 000). A clash is harmless for privacy; the
//     coordinator's venue search by reference then lists both, and city
//     and category tell them apart.

// ConfidentialRefPrefix starts every reference, so that it cannot be
// mistaken for a venue id of the campaign file's usual shape.
const ConfidentialRefPrefix = "C-"

// ConfidentialRefLen is the number of base32 characters after the prefix.
const ConfidentialRefLen = 6

// ConfidentialRef is the reference of venue venueID of campaign
// campaignID (0 for a campaign not stored).
func ConfidentialRef(campaignID int64, venueID string) string {
	h := sha256.New()
	h.Write([]byte("reparto confidential venue\x00"))
	h.Write([]byte(strconv.FormatInt(campaignID, 10)))
	h.Write([]byte{0})
	h.Write([]byte(venueID))
	enc := base32.StdEncoding.EncodeToString(h.Sum(nil))
	return ConfidentialRefPrefix + enc[:ConfidentialRefLen]
}

// ParseConfidentialRef returns s as a reference in its canonical form
// (upper case, spaces trimmed) and whether s has a reference's shape, so
// that a search box can take "c-7q2kxm".
func ParseConfidentialRef(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	rest, ok := strings.CutPrefix(s, ConfidentialRefPrefix)
	if !ok || len(rest) != ConfidentialRefLen {
		return "", false
	}
	for _, r := range rest {
		if !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '7') {
			return "", false
		}
	}
	return s, true
}
