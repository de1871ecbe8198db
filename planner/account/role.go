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

// Role is what a user may do. Roles are ordered: each may do everything
// the ones before it in ordered may.
type Role string

// The roles, from least to most privileged.
const (
	Viewer  Role = "viewer"  // reads everything a campaign shows, except confidential names
	Planner Role = "planner" // edits campaign data, previews and commits plans, records events
	Admin   Role = "admin"   // manages users and tokens, reads the audit log
)

// ordered lists every role from least to most privileged. Adding a role is
// one line here (plus, for the database, the CHECK on users.role, which a
// migration must widen).
var ordered = []Role{Viewer, Planner, Admin}

// Roles returns every role, from least to most privileged.
func Roles() []Role { return append([]Role(nil), ordered...) }

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
func (r Role) Valid() bool { return r.rank() > 0 }

// AtLeast reports whether r may do what min may. An unknown role is at
// least nothing, and nothing is at least an unknown role.
func (r Role) AtLeast(min Role) bool { return r.Valid() && min.Valid() && r.rank() >= min.rank() }

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

// RoleNames returns the names of every role, from least to most
// privileged (for enums in documents and help texts).
func RoleNames() []string {
	names := make([]string, len(ordered))
	for i, r := range ordered {
		names[i] = string(r)
	}
	return names
}

// roleList is "viewer, planner or admin", from ordered.
func roleList() string {
	names := RoleNames()
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
