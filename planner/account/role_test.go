package account

import (
	"testing"

	"github.com/reparto/reparto/planner"
)

func TestRoleOrder(t *testing.T) {
	tests := []struct {
		r, min Role
		want   bool
	}{
		{Viewer, Viewer, true},
		{Viewer, Planner, false},
		{Planner, Viewer, true},
		{Planner, Admin, false},
		{Admin, Planner, true},
		{Admin, Admin, true},
		{"boss", Viewer, false}, // an unknown role may do nothing
		{Admin, "boss", false},  // and nothing needs an unknown role
		{"", "", false},
		{Field, Field, true},
		{Field, Viewer, false}, // field reads less than a viewer
		{Planner, Field, false},
		{Admin, Field, false}, // routes open to field and others name both
	}
	for _, tt := range tests {
		if got := tt.r.AtLeast(tt.min); got != tt.want {
			t.Errorf("%q.AtLeast(%q) = %v, want %v", tt.r, tt.min, got, tt.want)
		}
	}
}

func TestParseRole(t *testing.T) {
	tests := []struct {
		in      string
		want    Role
		wantMsg string // "" when accepted
	}{
		{"viewer", Viewer, ""},
		{"planner", Planner, ""},
		{"admin", Admin, ""},
		{"field", Field, ""},
		{"Admin", "", "must be field, viewer, planner or admin"}, // names are exact
		{"boss", "", "must be field, viewer, planner or admin"},
		{"", "", "must be field, viewer, planner or admin"},
	}
	for _, tt := range tests {
		got, err := ParseRole("role", tt.in)
		var msg string
		if fe := planner.ErrorFields(err); len(fe) > 0 {
			msg = fe[0].Message
			if fe[0].Path != "role" || fe[0].ID != planner.MsgRole {
				t.Errorf("%q: field %q id %q, want role %q", tt.in, fe[0].Path, fe[0].ID, planner.MsgRole)
			}
		}
		if got != tt.want || msg != tt.wantMsg {
			t.Errorf("ParseRole(%q) = %q, %q; want %q, %q", tt.in, got, msg, tt.want, tt.wantMsg)
		}
		if (ValidateRole("role", tt.in) == nil) != (tt.wantMsg == "") {
			t.Errorf("ValidateRole(%q) disagrees with ParseRole", tt.in)
		}
	}
}

func TestRoleNames(t *testing.T) {
	got := RoleNames()
	if len(got) != len(Roles()) || got[0] != "field" || got[1] != "viewer" || got[len(got)-1] != "admin" {
		t.Errorf("RoleNames() = %v, want field, then viewer to admin", got)
	}
	if !Field.Scoped() || Viewer.Scoped() || Admin.Scoped() {
		t.Error("only field is scoped to places")
	}
}

func TestValidateEmail(t *testing.T) {
	tests := []struct {
		in     string
		wantID planner.MsgID // "" when accepted
	}{
		{"ana@example.org", ""},
		{"  Ana@Example.ORG ", ""}, // trimmed and lower-cased first
		{"", planner.MsgRequired},
		{"   ", planner.MsgRequired},
		{"ana", planner.MsgEmail},
		{"Ana <ana@example.org>", planner.MsgEmail},
		{"a@" + longDomain(260), planner.MsgEmail}, // longer than MaxEmailLength
	}
	for _, tt := range tests {
		var id planner.MsgID
		if fe := planner.ErrorFields(ValidateEmail("email", tt.in)); len(fe) > 0 {
			id = fe[0].ID
			if fe[0].Path != "email" {
				t.Errorf("%q: path %q, want email", tt.in, fe[0].Path)
			}
		}
		if id != tt.wantID {
			t.Errorf("ValidateEmail(%q): id %q, want %q", tt.in, id, tt.wantID)
		}
	}
}

func longDomain(n int) string {
	b := make([]byte, 0, n)
	for len(b) < n-4 {
		b = append(b, 'a')
	}
	return string(b) + ".org"
}
