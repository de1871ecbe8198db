package planner

import (
	"strings"
	"testing"
)

func TestConfidentialRef(t *testing.T) {
	const id = "Refugio-Esperanza-Calle-5"
	ref := ConfidentialRef(7, id)
	tests := []struct {
		name string
		got  string
		same bool
	}{
		{"stable", ConfidentialRef(7, id), true},
		{"another campaign", ConfidentialRef(8, id), false},
		{"another venue", ConfidentialRef(7, id+"x"), false},
		{"campaign digits do not run into the id", ConfidentialRef(71, "-"+id), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if (tt.got == ref) != tt.same {
				t.Errorf("ConfidentialRef = %q, first %q; same = %v, want %v", tt.got, ref, tt.got == ref, tt.same)
			}
		})
	}
	if canon, ok := ParseConfidentialRef(ref); !ok || canon != ref {
		t.Errorf("ParseConfidentialRef(%q) = %q, %v: a reference must parse as itself", ref, canon, ok)
	}
	if len(ref) != len(ConfidentialRefPrefix)+ConfidentialRefLen || strings.Contains(strings.ToLower(ref), "refugio") {
		t.Errorf("ConfidentialRef = %q: want C- and %d characters, nothing of the id", ref, ConfidentialRefLen)
	}
}

func TestParseConfidentialRef(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"C-ABC234", "C-ABC234", true},
		{" c-abc234 ", "C-ABC234", true},
		{"C-ABC23", "", false},   // too short
		{"C-ABC2345", "", false}, // too long
		{"C-ABC018", "", false},  // 0, 1 and 8 are not base32
		{"X-ABC234", "", false},  // another prefix
		{"Refugio", "", false},   // a name
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseConfidentialRef(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseConfidentialRef(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
