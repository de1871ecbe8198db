package web

import (
	"fmt"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/account"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Page is the data every template receives. Its methods translate and
// format for the user's language, so templates say {{.T "plan.title"}} and
// {{.N .Data.Pieces}} and stay free of locale logic.
type Page struct {
	Name      string
	Lang      string // "es" or "en"
	Path      string
	User      *SessionUser
	Campaign  *CampaignRef
	Flash     string
	RequestID string
	Data      any

	loc     *i18n.Localizer
	printer *message.Printer
	ui      *UI
}

// CampaignRef identifies the campaign a page is about, for the navigation.
type CampaignRef struct {
	ID        int64
	Name      string
	Closed    bool         // read-only: closed by an admin
	Today     planner.Date // the day the page shows the campaign on
	Simulated bool         // Today is the campaign's simulated as_of
	Past      bool         // Today is an earlier day asked with ?today=
}

// SessionUser is the signed-in user as pages see it.
type SessionUser struct {
	ID    int64
	Email string
	Role  string
}

// IsField reports whether the user is a field account, limited to its
// places: the navigation shows it only its shipments.
func (u *SessionUser) IsField() bool { return u != nil && account.Role(u.Role).Scoped() }

// CanEdit reports whether the user may change campaign data.
func (u *SessionUser) CanEdit() bool {
	return u != nil && account.Role(u.Role).AtLeast(account.Planner)
}

// IsAdmin reports whether the user manages users, tokens and the audit log.
func (u *SessionUser) IsAdmin() bool { return u != nil && account.Role(u.Role).AtLeast(account.Admin) }

// NewPage is the page a template of request c receives: its language,
// user, campaign and flash.
func (k *Kit) NewPage(c *gin.Context, name string, data any) *Page {
	lang := LangOf(c)
	tag := Languages[0]
	if lang == "en" {
		tag = language.English
	}
	p := &Page{
		Name:      name,
		Lang:      lang,
		Path:      c.Request.URL.Path,
		Data:      data,
		RequestID: RequestID(c),
		loc:       i18n.NewLocalizer(k.UI.bundle, lang), // catalogues are AREA.es.json / AREA.en.json
		printer:   message.NewPrinter(tag),
		ui:        k.UI,
	}
	p.User = CurrentUser(c)
	if v, ok := c.Get(CtxCampaign); ok {
		p.Campaign, _ = v.(*CampaignRef)
	}
	if v, ok := c.Get(CtxFlash); ok {
		p.Flash, _ = v.(string)
	}
	return p
}

// Context keys set by middleware and read when rendering.
const (
	CtxUser     = "user"     // *SessionUser, set by authentication
	CtxCampaign = "campaign" // *CampaignRef, set by the campaign middleware
	CtxFlash    = "flash"    // string, moved out of the session
	LangCookie  = "lang"     // the language switcher's cookie
)

// LangOf picks the UI language: the switcher's cookie, else the browser's
// Accept-Language, else Spanish.
func LangOf(c *gin.Context) string {
	if v, err := c.Cookie(LangCookie); err == nil && (v == "es" || v == "en") {
		return v
	}
	if v, ok := c.Get(LangCookie); ok {
		return v.(string)
	}
	tags, _, err := language.ParseAcceptLanguage(c.GetHeader("Accept-Language"))
	if err == nil && len(tags) > 0 {
		m := language.NewMatcher(Languages)
		_, i, conf := m.Match(tags...)
		if conf != language.No && i == 1 {
			return "en"
		}
	}
	return "es"
}

// T translates a message id; args are key, value pairs for the message's
// template ({{.Count}}). A missing message shows its id, which the
// catalogue test catches before release.
func (p *Page) T(id string, args ...any) string {
	if len(args) == 0 && p.ui != nil {
		// A message without arguments is fixed per language: the dashboard
		// alone asks for a hundred of them per request (issue 13).
		key := plainKey{lang: p.Lang, id: id}
		if s, ok := p.ui.plain.Load(key); ok {
			return s.(string)
		}
		s := p.localize(id, nil)
		p.ui.plain.Store(key, s)
		return s
	}
	var data map[string]any
	if len(args) > 0 {
		data = make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			data[fmt.Sprint(args[i])] = args[i+1]
		}
	}
	return p.localize(id, data)
}

// localize is message id in the page's language, or id when it has none.
func (p *Page) localize(id string, data map[string]any) string {
	s, err := p.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil || s == "" {
		return id
	}
	return s
}

// plainKey names a message without arguments in one language (UI.plain).
type plainKey struct{ lang, id string }

// N formats a whole number with the locale's digit grouping.
func (p *Page) N(n any) string { return p.printer.Sprintf("%d", n) }

// F formats a number with the given decimals for the locale.
func (p *Page) F(f float64, decimals int) string {
	return p.printer.Sprintf("%.*f", decimals, f)
}

// Pct formats a ratio (0.905) as a percentage ("90.5 %").
func (p *Page) Pct(f float64) string { return p.printer.Sprintf("%.1f %%", f*100) }

// PctPtr formats an optional ratio; nil is "—".
func (p *Page) PctPtr(f *float64) string {
	if f == nil {
		return "—"
	}
	return p.Pct(*f)
}

var monthsES = [...]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"}

// D formats a calendar day for reading ("20 mar 2009" / "Mar 20, 2009").
func (p *Page) D(d planner.Date) string {
	if d.IsZero() {
		return "—"
	}
	t := d.Time()
	if p.Lang == "en" {
		return t.Format("Jan 2, 2006")
	}
	return fmt.Sprintf("%d %s %d", t.Day(), monthsES[t.Month()-1], t.Year())
}

// Asset returns a static file's cache-busting URL.
func (p *Page) Asset(path string) string { return p.ui.AssetURL(path) }

// Active marks the navigation entry of the current page.
func (p *Page) Active(prefix string) bool { return strings.HasPrefix(p.Path, prefix) }

// NewPageFor is a page in lang without a request, for messages said
// outside one (tests, background work).
func NewPageFor(u *UI, lang string) *Page {
	tag := Languages[0]
	if lang == "en" {
		tag = language.English
	}
	return &Page{Lang: lang, ui: u, loc: i18n.NewLocalizer(u.bundle, lang), printer: message.NewPrinter(tag)}
}
