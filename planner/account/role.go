// Package account holds the rules of Reparto's user accounts, in one place
// for the store, the web layer and the command line: the roles and their
// order, and what makes an email address or a new password acceptable.
// It is pure: no SQL, no HTTP. Errors are *planner.Error values with a
// message id (planner.Msg*), so every layer translates them the same way.
package account

import (
	"strings"

	"github.com/reparto/reparto/planner"
)

// Role is what a user may do. Viewer, planner and admin are ordered: each
// may do everything the ones before it in ordered may. Field stands
// beside that ladder, not below it: it reads less than a viewer (only the
// shipments of its places) but may record receipts and distributions, so
// no "at least" comparison lets it through; routes open to it say so by
// naming it (web.RequireRoleOr).
type Role string

// The roles.
const (
	Field   Role = "field"   // sees and records receipt/distribution for its assigned places only
	Viewer  Role = "viewer"  // reads everything a campaign shows, except confidential names
	Planner Role = "planner" // edits campaign data, previews and commits plans, records events
	Admin   Role = "admin"   // manages users and tokens, reads the audit log
)

// ordered lists the ranked roles from least to most privileged. Adding a
// role is one line here or in scoped (plus, for the database, the CHECK on
// users.role, which a migration must widen).
var ordered = []Role{Viewer, Planner, Admin}

// scoped lists the roles outside the ladder, limited to places.
var scoped = []Role{Field}

// Roles returns every role: the scoped ones first, then the ranked ones
// from least to most privileged.
func Roles() []Role { return append(append([]Role(nil), scoped...), ordered...) }

// Scoped reports whether r sees only the places assigned to the account
// (store.UserPlaces), and nothing of a campaign but their shipments.
func (r Role) Scoped() bool {
	for _, s := range scoped {
		if s == r {
			return true
		}
	}
	return false
}

// rank is the role's position in ordered, from 1; 0 for an unknown role,
// which therefore ranks below every real one.
func (r Role) rank() int {
	for i, o := range ordered {
		if o == r {
			return i + 1
		}
	}
	return 0
}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return r.rank() > 0 || r.Scoped() }

// AtLeast reports whether r may do what min may. An unknown role is at
// least nothing, and nothing is at least an unknown role. A scoped role
// is at least itself only: field is not at least viewer, and no ranked
// role is at least field (a route open to both names them both).
func (r Role) AtLeast(min Role) bool {
	if r.Scoped() || min.Scoped() {
		return r == min
	}
	return r.Valid() && min.Valid() && r.rank() >= min.rank()
}

// ParseRole returns the role named s, or EInvalid naming field.
func ParseRole(field, s string) (Role, error) {
	r := Role(s)
	if !r.Valid() {
		return "", planner.Invalid(planner.Fieldf(field, planner.MsgRole, "must be %s", roleList()))
	}
	return r, nil
}

// ValidateRole checks that s names a role; the error names field.
func ValidateRole(field, s string) error {
	_, err := ParseRole(field, s)
	return err
}

// RoleNames returns the names of every role in Roles' order (for enums
// in documents and help texts).
func RoleNames() []string {
	all := Roles()
	names := make([]string, len(all))
	for i, r := range all {
		names[i] = string(r)
	}
	return names
}

// roleList is "field, viewer, planner or admin", from Roles.
func roleList() string {
	names := RoleNames()
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
