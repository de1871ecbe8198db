package api

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/reparto/reparto/assets"
)

// The app works without a connection to anywhere but its server: no
// template or stylesheet loads or links a file from another host (a font,
// a CDN script, a tile). Links to other sites a reader follows by hand
// (sources, licences) are anchors, which this lets through.
func TestTemplatesLoadNothingFromOtherHosts(t *testing.T) {
	remote := regexp.MustCompile(`(?i)(<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*\b(?:src|href|srcset|data)\s*=\s*["']?\s*(?:https?:)?//|\baction\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import\s+["'](?:https?:)?//)`)
	err := fs.WalkDir(assets.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !strings.HasPrefix(path, "templates/") && !(strings.HasPrefix(path, "static/") && strings.HasSuffix(path, ".css")) {
			return nil
		}
		src, err := fs.ReadFile(assets.FS, path)
		if err != nil {
			return err
		}
		for _, m := range remote.FindAllString(string(src), -1) {
			t.Errorf("%s: %s… loads from another host", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
