package planner

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"
)

// TestExplanationJSON: an explanation, whose mode and venue source are
// bytes, writes the same JSON as the strings it had before (stored plan
// versions hold that JSON) and reads it back; an unknown name is refused.
func TestExplanationJSON(t *testing.T) {
	// explanationStrings is Explanation as it was with string fields.
	type explanationStrings struct {
		Mode        string
		Priority    Decimal
		Lambda      *big.Rat
		PacksFloor  int64
		ExtraPack   bool
		VenueSource string
	}
	tests := []struct {
		mode   CellMode
		source VenueSource
		name   string
		src    string
	}{
		{ModeNone, SourceNone, "", ""},
		{ModeLocked, SourceRegistry, "locked", "registry"},
		{ModeSurplus, SourceCount, "surplus", "count"},
		{ModeReserve, SourceRegistry, "reserve", "registry"},
		{ModeScarcity, SourceCount, "scarcity", "count"},
		{ModeNoStock, SourceRegistry, "no_stock", "registry"},
	}
	for _, tt := range tests {
		e := Explanation{Mode: tt.mode, Priority: MustDecimal("1.5"), Lambda: big.NewRat(2, 3),
			PacksFloor: 7, ExtraPack: true, VenueSource: tt.source}
		got, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(explanationStrings{tt.name, e.Priority, e.Lambda, 7, true, tt.src})
		if string(got) != string(want) {
			t.Errorf("%q: %s, want %s", tt.name, got, want)
		}
		var back Explanation
		if err := json.Unmarshal(want, &back); err != nil || back.Mode != tt.mode || back.VenueSource != tt.source ||
			back.Mode.String() != tt.name || back.VenueSource.String() != tt.src {
			t.Errorf("%q read back as %v/%v (%v)", tt.name, back.Mode, back.VenueSource, err)
		}
	}
	for _, bad := range []string{`{"Mode":"spread"}`, `{"VenueSource":"guess"}`} {
		var e Explanation
		if err := json.Unmarshal([]byte(bad), &e); err == nil || !strings.Contains(err.Error(), "unknown") {
			t.Errorf("%s: err = %v, want unknown", bad, err)
		}
	}
}
