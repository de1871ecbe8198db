package mapdata

import (
	"regexp"
	"testing"

	"github.com/reparto/reparto/planner"
)

func TestHSLHex(t *testing.T) {
	tests := []struct {
		h, s, l float64
		want    string
	}{
		{0, 1, 0.5, "#ff0000"},
		{120, 1, 0.5, "#00ff00"},
		{240, 1, 0.5, "#0000ff"},
		{0, 0, 1, "#ffffff"},
		{0, 0, 0, "#000000"},
		{60, 1, 0.25, "#808000"},
	}
	for _, tt := range tests {
		if got := hslHex(tt.h, tt.s, tt.l); got != tt.want {
			t.Errorf("hslHex(%v, %v, %v) = %s, want %s", tt.h, tt.s, tt.l, got, tt.want)
		}
	}
}

// Every category of a long campaign gets a distinct, valid colour, and the
// same list always gives the same colours (the legend must match the map).
func TestCategoryPaletteDistinctAndStable(t *testing.T) {
	var cats []planner.VenueCategory
	for i := range 40 {
		cats = append(cats, planner.VenueCategory{Code: string(rune('A'+i%26)) + string(rune('a'+i/26)), Name: "c"})
	}
	a, b := categoryPalette(cats), categoryPalette(cats)
	hex := regexp.MustCompile(`^#[0-9a-f]{6}$`)
	seen := map[string]string{}
	for i, c := range a {
		if !hex.MatchString(c.Color) {
			t.Errorf("%s: colour %q", c.Code, c.Color)
		}
		if prev, dup := seen[c.Color]; dup {
			t.Errorf("%s and %s share %s", prev, c.Code, c.Color)
		}
		seen[c.Color] = c.Code
		if b[i] != c {
			t.Errorf("palette not stable at %d: %+v vs %+v", i, c, b[i])
		}
	}
}
