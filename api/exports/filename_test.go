package exports

import (
	"strings"
	"testing"

	"github.com/reparto/reparto/planner"
)

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Campaña nacional contra la trata de personas 2009 (FEVIMTRA)", "campana-nacional-contra-la-trata-de-personas-2009-fevimtra"},
		{"  ¡Ñandú! Über—Café  ", "nandu-uber-cafe"},
		{"a/b\\c..d", "a-b-c-d"},
		{"", "campaign"},
		{"日本語", "campaign"},
		{strings.Repeat("ab ", 30), strings.TrimSuffix(strings.Repeat("ab-", 20), "-")},
	}
	for _, tt := range tests {
		if got := slugify(tt.in); got != tt.want {
			t.Errorf("slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := exportFileName("Campaña", "manifest", planner.NewDate(2009, 3, 20)); got != "reparto-campana-manifest-2009-03-20.csv" {
		t.Errorf("file name %q", got)
	}
}
