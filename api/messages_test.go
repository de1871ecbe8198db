package api

import (
	"testing"

	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
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

// TestEveryNotFoundThingIsTranslated: each kind of record the store's
// not-found errors name is said in both languages, so a Spanish page
// never reads "no se encontró shipment 5".
func TestEveryNotFoundThingIsTranslated(t *testing.T) {
	byLang := loadCatalogues(t)
	for _, th := range store.NotFoundThings {
		for _, lang := range []string{"es", "en"} {
			if !byLang[lang]["errors.thing."+th] {
				t.Errorf("not-found kind %q has no errors.thing.%s in %s", th, th, lang)
			}
		}
	}
}
