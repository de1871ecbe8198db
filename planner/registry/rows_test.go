package registry

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// joinAddressBefore is joinAddress as it was written first (slices and
// joins), kept as the reference the one-allocation version must match:
// next year's import compares addresses, so a different spelling would
// mark every venue changed.
func joinAddressBefore(streetType, street, number, settlementType, settlement, locality string) string {
	nonEmpty := func(ss ...string) []string {
		var out []string
		for _, s := range ss {
			if s != "" && s != "NINGUNO" {
				out = append(out, s)
			}
		}
		return out
	}
	var parts []string
	s := strings.TrimSpace(strings.Join(nonEmpty(streetType, street), " "))
	if number != "" && number != "0" && number != "SN" && s != "" {
		s += " " + number
	}
	if s != "" {
		parts = append(parts, s)
	}
	if settlement != "" {
		parts = append(parts, strings.Join(nonEmpty(settlementType, settlement), " "))
	}
	if locality != "" {
		parts = append(parts, locality)
	}
	return strings.Join(parts, ", ")
}

func TestJoinAddressAgreesWithTheReference(t *testing.T) {
	words := []string{"", "NINGUNO", "0", "SN", "12", "CALLE", "Hidalgo", "COLONIA", "Centro", "Tapachula", "Niño"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var a [6]string
		for i := range a {
			a[i] = words[rng.IntN(len(words))]
		}
		got := joinAddress(a[0], a[1], a[2], a[3], a[4], a[5])
		if want := joinAddressBefore(a[0], a[1], a[2], a[3], a[4], a[5]); got != want {
			t.Fatalf("joinAddress%q = %q, want %q", a, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() {
		joinAddress("CALLE", "Hidalgo", "12", "COLONIA", "Centro", "Tapachula")
	}); n > 1 {
		t.Errorf("joinAddress allocates %v times, want 1", n)
	}
}

// The id set keeps numeric ids as integers: ids that spell the same
// number differently stay different ids.
func TestIDSet(t *testing.T) {
	s := newIDSet()
	for _, c := range []struct {
		id  string
		new bool
	}{
		{"7", true}, {"007", true}, {"07", true}, {"7", false}, {"007", false},
		{"0", true}, {"00", true}, {"0", false},
		{"9999999999999999999", true}, {"18446744073709551615", true}, {"9999999999999999999", false},
		{"cc-07089-CENTRAL", true}, {"cc-07089-CENTRAL", false}, {"-7", true}, {"+7", true}, {"7 ", true},
	} {
		if got := s.add(c.id); got != c.new {
			t.Errorf("add(%q) = %v, want %v", c.id, got, c.new)
		}
	}
}
