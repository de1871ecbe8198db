package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/reparto/reparto/assets"
	"golang.org/x/text/language"
)

// UI holds what pages need, loaded once at start-up: parsed templates, the
// message catalogues and content hashes of static files (for cache busting).
type UI struct {
	pages  map[string]*template.Template
	bundle *i18n.Bundle
	hashes map[string]string // static path -> short content hash
	plain  sync.Map          // plainKey -> the message: Page.T without arguments
}

// Languages the UI speaks; the first is the default (Mexican Spanish).
var Languages = []language.Tag{language.MustParse("es-MX"), language.English}

// NewUI loads templates, catalogues and static hashes; a broken template
// fails here, at start-up.
func NewUI() (*UI, error) {
	u := &UI{pages: map[string]*template.Template{}, hashes: map[string]string{}}
	if err := u.loadCatalogues(); err != nil {
		return nil, err
	}
	if err := u.hashStatic(); err != nil {
		return nil, err
	}
	if err := u.parseTemplates(); err != nil {
		return nil, err
	}
	return u, nil
}

// loadCatalogues reads every assets/i18n/AREA.LANG.json file; each UI area
// keeps its own pair of files so that areas can grow independently.
func (u *UI) loadCatalogues() error {
	// Catalogues are named AREA.es.json / AREA.en.json, so the bundle's
	// default must be plain "es"; es-MX users match it through the
	// localizer's fallback (formatting still uses es-MX, see newPage).
	u.bundle = i18n.NewBundle(language.Spanish)
	u.bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(assets.FS, "i18n/*.json")
	if err != nil {
		return err
	}
	for _, f := range files {
		if _, err := u.bundle.LoadMessageFileFS(assets.FS, f); err != nil {
			return fmt.Errorf("catalogue %s: %w", f, err)
		}
	}
	return nil
}

func (u *UI) hashStatic() error {
	return fs.WalkDir(assets.FS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets.FS, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		u.hashes[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	})
}

// AssetURL returns the URL of a static file with its content hash, so it
// can be cached for a year and still change with each release.
func (u *UI) AssetURL(p string) string {
	h, ok := u.hashes[p]
	if !ok {
		panic("api: unknown static asset " + p)
	}
	return "/static/" + p + "?v=" + h
}

// clip is s cut to its first n characters, with "…" when it was longer.
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

// parseTemplates builds one template set per page: the layout and the
// partials, plus the page's own file.
func (u *UI) parseTemplates() error {
	funcs := template.FuncMap{
		"asset": u.AssetURL,
		"dict":  dict,
		"add":   func(a, b int) int { return a + b },
		"json":  toJSON,
		"clip":  clip,
	}
	base := template.New("base").Funcs(funcs)
	shared, err := fs.Glob(assets.FS, "templates/partials/*.html")
	if err != nil {
		return err
	}
	shared = append([]string{"templates/layout.html"}, shared...)
	if base, err = base.ParseFS(assets.FS, shared...); err != nil {
		return fmt.Errorf("parse layout: %w", err)
	}
	pages, err := fs.Glob(assets.FS, "templates/pages/*.html")
	if err != nil {
		return err
	}
	for _, p := range pages {
		t, err := base.Clone()
		if err != nil {
			return err
		}
		if t, err = t.ParseFS(assets.FS, p); err != nil {
			return fmt.Errorf("parse %s: %w", p, err)
		}
		u.pages[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return nil
}

// dict builds a map in templates, for passing several values to a partial.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// toJSON embeds data for scripts in a <script type="application/json">
// block; html/template escapes it for that context.
func toJSON(v any) (template.JS, error) {
	b, err := json.Marshal(v)
	return template.JS(b), err
}
