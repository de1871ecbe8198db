package api

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The web layer is split by surface (docs/architecture.md): api/web and
// api/resolve below, the surfaces above them, and api on top only
// mounting them. A surface that imported a sibling would bring back the
// one package this split undid, so every package under api/ is held to
// the imports it may make of the others (its tests included).
func TestWebLayerImports(t *testing.T) {
	const mod = "github.com/reparto/reparto/api/"
	allowed := map[string][]string{
		"web":     nil,
		"resolve": {"web"},
		"auth":    {"web"},
		"pages":   {"web", "resolve"},
		"jsonapi": {"web", "resolve"},
		"exports": {"web", "resolve"},
		"mapdata": {"web", "resolve"},
	}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "testdata" {
			continue
		}
		pkg := e.Name()
		may, known := allowed[pkg]
		if !known {
			t.Errorf("api/%s is not in the import rules: add it here and to docs/architecture.md", pkg)
			continue
		}
		files, err := filepath.Glob(filepath.Join(pkg, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range parsed.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if !strings.HasPrefix(path, mod) && path != strings.TrimSuffix(mod, "/") {
					continue
				}
				if other := strings.TrimPrefix(path, mod); !slices.Contains(may, other) {
					t.Errorf("%s imports %s: api/%s may import only %v of the web layer", f, path, pkg, may)
				}
			}
		}
	}
}
