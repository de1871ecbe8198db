package account

import (
	"testing"

	"github.com/reparto/reparto/planner"
)

func TestPasswordRules(t *testing.T) {
	tests := []struct {
		password string
		wantMsg  string // "" when accepted
	}{
		{"correct horse battery staple", ""},
		{"a new long passw0rd", ""},
		{"Reparto-2009-campaña", ""},
		{"short", "must be at least 10 characters"},
		{"1234567890", "is one of the most common passwords"},
		{"PASSWORD123", "is one of the most common passwords"},   // case does not help
		{"password2024!", "is one of the most common passwords"}, // nor digits and symbols around a common one
		{"!!mexico1234", "is one of the most common passwords"},
		{"aaaaaaaaaaaa", "uses too few different characters"},
		{"abababababab", "uses too few different characters"},
	}
	for _, tt := range tests {
		err := CheckPasswordRules("new_password", tt.password)
		var got string
		if fe := planner.ErrorFields(err); len(fe) > 0 {
			got = fe[0].Message
			if fe[0].Path != "new_password" {
				t.Errorf("%q: path %q, want new_password", tt.password, fe[0].Path)
			}
		}
		if got != tt.wantMsg {
			t.Errorf("%q: %q, want %q", tt.password, got, tt.wantMsg)
		}
	}
}
