package api

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/reparto/reparto/assets"
)

// TestCataloguesMatch: every area's Spanish and English catalogues carry
// the same message ids, so no screen falls back to an id in one language.
func TestCataloguesMatch(t *testing.T) {
	byLang := loadCatalogues(t)
	es, en := byLang["es"], byLang["en"]
	for id := range es {
		if _, ok := en[id]; !ok {
			t.Errorf("%s is in Spanish but not in English", id)
		}
	}
	for id := range en {
		if _, ok := es[id]; !ok {
			t.Errorf("%s is in English but not in Spanish", id)
		}
	}
}

// TestTemplatesUseKnownMessages: every literal {{.T "id"}} in a template
// names a message that exists in both languages.
func TestTemplatesUseKnownMessages(t *testing.T) {
	byLang := loadCatalogues(t)
	re := regexp.MustCompile(`\.T "([^"]+)"`)
	var missing []string
	err := fs.WalkDir(assets.FS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets.FS, p)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			for _, lang := range []string{"es", "en"} {
				if _, ok := byLang[lang][m[1]]; !ok {
					missing = append(missing, p+": "+m[1]+" ("+lang+")")
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("unknown message %s", m)
	}
}

func loadCatalogues(t *testing.T) map[string]map[string]bool {
	t.Helper()
	files, err := fs.Glob(assets.FS, "i18n/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no catalogues: %v", err)
	}
	out := map[string]map[string]bool{"es": {}, "en": {}}
	for _, f := range files {
		parts := strings.Split(strings.TrimSuffix(f, ".json"), ".")
		lang := parts[len(parts)-1]
		if out[lang] == nil {
			t.Fatalf("%s: unexpected language %q", f, lang)
		}
		b, err := fs.ReadFile(assets.FS, f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for id := range m {
			out[lang][id] = true
		}
	}
	return out
}
