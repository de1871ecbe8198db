package mapdata

import (
	"fmt"
	"math"

	"github.com/reparto/reparto/planner"
)

// categoryColor is a venue category's colour on the map and in its legend.
type categoryColor struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Color string `json:"color"`
}

// categoryPalette gives each category of the campaign its own colour, in
// the campaign's category order, so that a category keeps its colour
// whatever venues are on screen (a colour handed out as venues arrived
// changed from one view to the next, and the legend could not name it).
// Hues step by the golden angle, so neighbours in the list differ most;
// saturation and lightness alternate to separate hues that come round
// again in a long list (the 2009 campaign has 27 categories).
func categoryPalette(cats []planner.VenueCategory) []categoryColor {
	out := make([]categoryColor, len(cats))
	for i, c := range cats {
		h := math.Mod(float64(i)*137.508+210, 360)
		s, l := 0.62, 0.42
		if i%2 == 1 {
			s, l = 0.50, 0.55
		}
		out[i] = categoryColor{Code: c.Code, Name: c.Name, Color: hslHex(h, s, l)}
	}
	return out
}

// hslHex converts a colour from HSL (h in degrees, s and l in 0…1) to #rrggbb.
func hslHex(h, s, l float64) string {
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	var r, g, b float64
	switch {
	case h < 60:
		r, g, b = c, x, 0
	case h < 120:
		r, g, b = x, c, 0
	case h < 180:
		r, g, b = 0, c, x
	case h < 240:
		r, g, b = 0, x, c
	case h < 300:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	to := func(v float64) int { return int(math.Round((v + m) * 255)) }
	return fmt.Sprintf("#%02x%02x%02x", to(r), to(g), to(b))
}
