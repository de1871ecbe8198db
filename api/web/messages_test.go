package web

import (
	"testing"

	"github.com/reparto/reparto/planner"
)

func TestParseWholeAndPlainDecimal(t *testing.T) {
	whole := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"12", 12, true}, {"+3", 3, true}, {"10.0", 10, true}, {"-4", -4, true}, {"007", 7, true},
		{"2.5", 0, false}, {"1e3", 0, false}, {"", 0, false}, {"abc", 0, false}, {"99999999999999999999", 0, false},
	}
	for _, tt := range whole {
		if got, ok := ParseWhole(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ParseWhole(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	decimals := []struct{ in, want string }{
		{"2.5", "2.5"}, {"+2.50", "2.50"}, {"007.5", "7.5"}, {".5", ""}, {"-0", "0"}, {"-0.25", "-0.25"}, {"1e9", ""}, {"1,5", ""},
	}
	for _, tt := range decimals {
		d, ok := ParsePlainDecimal(tt.in)
		if got := map[bool]string{true: d.String(), false: ""}[ok]; got != tt.want {
			t.Errorf("ParsePlainDecimal(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLocalizeFieldMessage(t *testing.T) {
	p := spanishPage(t)
	tests := []struct {
		in   planner.FieldError
		want string
	}{
		{planner.Fieldf("x", planner.MsgMin, "must be >= %d", 1), "debe ser mayor o igual a 1"},
		{planner.Fieldf("x", planner.MsgBetween, "must be between %d and %d", -90, 90), "debe estar entre -90 y 90"},
		{planner.Fieldf("x", planner.MsgUnknownRef, "unknown %s %q", "city", "ZZ"), "no existe «ZZ»"},
		{planner.FieldError{Path: "x", Message: "something else"}, "something else"},
	}
	for _, tt := range tests {
		if got := p.FieldMessage(tt.in); got != tt.want {
			t.Errorf("%q → %q, want %q", tt.in.Message, got, tt.want)
		}
	}
}

func TestLocalizeGeneralMessage(t *testing.T) {
	p := spanishPage(t)
	err := &planner.Error{Code: planner.EConflict, ID: planner.MsgStillUsed,
		Message: `material "TRI-DELITO" is still used by 4 targeting rules, 2 locks; remove those first`,
		Args:    map[string]any{"Entity": "material", "Code": "TRI-DELITO", "targeting": int64(4), "locks": int64(2)}}
	want := "No se puede eliminar el material «TRI-DELITO»: aún lo usan 4 reglas de focalización, 2 bloqueos. Elimínelos primero."
	if got := p.ErrorMessage(err); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := p.ErrorMessage(planner.Errorf(planner.EConflict, "other")); got != "other" {
		t.Errorf("other message changed to %q", got)
	}
}

// spanishPage is a page in Spanish without a request.
func spanishPage(t *testing.T) *Page {
	t.Helper()
	u, err := NewUI()
	if err != nil {
		t.Fatal(err)
	}
	return NewPageFor(u, "es")
}
