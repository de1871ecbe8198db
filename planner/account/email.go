package account

import (
	"net/mail"
	"strings"

	"github.com/reparto/reparto/planner"
)

// MaxEmailLength is the longest address accepted (RFC 5321's path limit).
const MaxEmailLength = 254

// NormalizeEmail makes addresses compare case-insensitively: they are
// stored and looked up trimmed and lower-cased.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidateEmail checks an address; the error names field. Only a bare
// address is accepted ("ana@example.org", not "Ana <ana@example.org>").
func ValidateEmail(field, email string) error {
	e := NormalizeEmail(email)
	if e == "" {
		return planner.Invalid(planner.Fieldf(field, planner.MsgRequired, "is required"))
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || len(e) > MaxEmailLength {
		return planner.Invalid(planner.Fieldf(field, planner.MsgEmail, "is not a valid email address"))
	}
	return nil
}
