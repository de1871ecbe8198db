package api

import (
	"testing"

	"github.com/reparto/reparto/planner"
)

// TestEveryMessageIDIsTranslated: each message id the planner and the
// store can give has a catalogue entry in Spanish and in English, so no
// page falls back to English text for it.
func TestEveryMessageIDIsTranslated(t *testing.T) {
	byLang := loadCatalogues(t)
	for _, id := range planner.MessageIDs {
		for _, lang := range []string{"es", "en"} {
			if !byLang[lang]["errors."+id] {
				t.Errorf("message id %q has no errors.%s in %s", id, id, lang)
			}
		}
	}
}
