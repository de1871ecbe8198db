package account

import (
	"slices"
	"testing"

	"github.com/reparto/reparto/planner"
)

func TestPlacesCovers(t *testing.T) {
	p := Places{States: []string{" mx-jal", "MX-JAL"}, Cities: []string{"MTY", ""}}.Normalize()
	if !slices.Equal(p.States, []string{"MX-JAL"}) || !slices.Equal(p.Cities, []string{"MTY"}) {
		t.Fatalf("Normalize: %+v", p)
	}
	tests := []struct {
		city, state string
		want        bool
	}{
		{"GDL", "MX-JAL", true},  // a city of an assigned state
		{"MTY", "MX-NLE", true},  // an assigned city in another state
		{"SLP", "MX-SLP", false}, // neither
		{"", "", false},          // a city without a state is not covered by accident
	}
	for _, tt := range tests {
		if got := p.Covers(tt.city, tt.state); got != tt.want {
			t.Errorf("Covers(%q, %q) = %v, want %v", tt.city, tt.state, got, tt.want)
		}
	}
}

func TestValidatePlaces(t *testing.T) {
	tests := []struct {
		name  string
		role  Role
		p     Places
		paths []string
	}{
		{"field with a state", Field, Places{States: []string{"MX-JAL"}}, nil},
		{"field with a city", Field, Places{Cities: []string{"GDL"}}, nil},
		{"field with none", Field, Places{States: []string{" "}}, []string{"states"}},
		{"viewer with none", Viewer, Places{}, nil},
		{"viewer with some", Viewer, Places{Cities: []string{"GDL"}}, []string{"states"}},
		{"malformed", Field, Places{States: []string{"Jalisco"}, Cities: []string{"G D L"}}, []string{"states[0]", "cities[0]"}},
	}
	for _, tt := range tests {
		var paths []string
		for _, fe := range planner.ErrorFields(ValidatePlaces(tt.role, tt.p)) {
			paths = append(paths, fe.Path)
		}
		if !slices.Equal(paths, tt.paths) {
			t.Errorf("%s: %v, want %v", tt.name, paths, tt.paths)
		}
	}
}
