package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/store"
)

// authFixture is a server on a fresh SQLite database with a settable
// clock and fast password hashing.
type authFixture struct {
	t   *testing.T
	s   *Server
	db  *store.DB
	mu  sync.Mutex
	now time.Time
}

func newAuthFixture(t *testing.T) *authFixture {
	t.Helper()
	return newAuthFixtureOn(t, filepath.Join(t.TempDir(), "reparto.db"))
}

// newAuthFixtureOn is newAuthFixture over the database dsn names (a
// SQLite path or a postgres:// URL), migrated here.
func newAuthFixtureOn(t *testing.T, dsn string) *authFixture {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f := &authFixture{t: t, db: db, now: time.Date(2009, 3, 20, 9, 30, 0, 0, time.UTC)}
	db.Now = f.clock // the audit log and tokens use the same day as the server
	s, err := New(DefaultConfig(), db, slog.New(slog.NewTextHandler(io.Discard, nil)), f.clock)
	if err != nil {
		t.Fatal(err)
	}
	s.SetPasswordCost(bcrypt.MinCost)
	f.s = s
	return f
}

func (f *authFixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *authFixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

// user creates an account whose password is "password of " + email.
func (f *authFixture) user(email, role string) store.User {
	f.t.Helper()
	h, err := store.HashPassword("password", "password of "+email, bcrypt.MinCost)
	if err != nil {
		f.t.Fatal(err)
	}
	u, err := f.db.CreateUser(context.Background(), store.NewUser{Email: email, Role: role, PasswordHash: h})
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

// browser keeps cookies between requests, like a browser would.
type browser struct {
	f       *authFixture
	ip      string
	cookies map[string]*http.Cookie
}

func (f *authFixture) browser() *browser {
	return &browser{f: f, ip: "192.0.2.10", cookies: map[string]*http.Cookie{}}
}

func (b *browser) do(r *http.Request) *httptest.ResponseRecorder {
	b.f.t.Helper()
	r.RemoteAddr = b.ip + ":4321"
	for _, c := range b.cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	b.f.s.Handler().ServeHTTP(w, r)
	for _, c := range w.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return w
}

func (b *browser) get(path string) *httptest.ResponseRecorder {
	return b.do(httptest.NewRequest(http.MethodGet, path, nil))
}

func (b *browser) post(path string, form url.Values) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(r)
}

// login signs in with the fixture's password convention.
func (b *browser) login(email string) *httptest.ResponseRecorder {
	b.f.t.Helper()
	return b.post("/login", url.Values{"email": {email}, "password": {"password of " + email}})
}

// bearer sends a request with an API token and no cookies.
func (f *authFixture) bearer(method, path, token string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, nil)
	r.Header.Set("Authorization", "Bearer "+token)
	r.RemoteAddr = "192.0.2.99:1"
	w := httptest.NewRecorder()
	f.s.Handler().ServeHTTP(w, r)
	return w
}

func wantStatus(t *testing.T, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d; body:\n%.600s", w.Code, status, w.Body.String())
	}
}

func wantRedirect(t *testing.T, w *httptest.ResponseRecorder, location string) {
	t.Helper()
	wantStatus(t, w, http.StatusSeeOther)
	if got := w.Header().Get("Location"); got != location {
		t.Fatalf("Location %q, want %q", got, location)
	}
}

// jsonError decodes the /api/v1 error shape.
func jsonError(t *testing.T, w *httptest.ResponseRecorder) web.ErrorDetail {
	t.Helper()
	var b web.ErrorBody
	if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
		t.Fatalf("not a JSON error: %v; body %q", err, w.Body.String())
	}
	return b.Error
}

// auditActions lists the actions of the audit log, oldest first.
func (f *authFixture) auditActions(filter store.AuditFilter) []string {
	f.t.Helper()
	p, err := f.db.ListAudit(context.Background(), filter)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for i := len(p.Items) - 1; i >= 0; i-- {
		out = append(out, p.Items[i].Action+" "+p.Items[i].Actor)
	}
	return out
}

func TestAnonymousPageGoesToLogin(t *testing.T) {
	f := newAuthFixture(t)
	w := f.browser().get("/account?tab=tokens")
	wantRedirect(t, w, "/login?next=%2Faccount%3Ftab%3Dtokens")
}

func TestAnonymousAPIIs401JSON(t *testing.T) {
	f := newAuthFixture(t)
	w := f.browser().get("/api/v1/me")
	wantStatus(t, w, http.StatusUnauthorized)
	if e := jsonError(t, w); e.Code != "unauthorized" {
		t.Errorf("code %q", e.Code)
	}
}

func TestPublicRoutesNeedNoSession(t *testing.T) {
	f := newAuthFixture(t)
	b := f.browser()
	for _, p := range []string{"/login", "/healthz", "/readyz", "/static/css/app.css"} {
		if w := b.get(p); w.Code != http.StatusOK {
			t.Errorf("GET %s: %d", p, w.Code)
		}
	}
}

func TestViewerOnAdminPageIs403(t *testing.T) {
	f := newAuthFixture(t)
	f.user("viewer@example.org", web.RoleViewer)
	b := f.browser()
	wantRedirect(t, b.login("viewer@example.org"), "/campaigns")
	wantStatus(t, b.get("/admin/users"), http.StatusForbidden)
	wantStatus(t, b.get("/admin/audit"), http.StatusForbidden)
	wantStatus(t, b.post("/admin/users", url.Values{"email": {"x@example.org"}, "role": {"admin"}}), http.StatusForbidden)
}

func TestCrossSitePostIsRejected(t *testing.T) {
	f := newAuthFixture(t)
	f.user("ana@example.org", web.RoleViewer)
	r := httptest.NewRequest(http.MethodPost, "/login",
		strings.NewReader(url.Values{"email": {"ana@example.org"}, "password": {"password of ana@example.org"}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	w := f.browser().do(r)
	wantStatus(t, w, http.StatusForbidden)
	if len(w.Result().Cookies()) != 0 {
		t.Error("a rejected cross-site login set a cookie")
	}
}

func TestRoleChangeAndDisableTakeEffectAtOnce(t *testing.T) {
	f := newAuthFixture(t)
	f.user("admin@example.org", web.RoleAdmin)
	u := f.user("ana@example.org", web.RoleAdmin)
	b := f.browser()
	b.login("ana@example.org")
	wantStatus(t, b.get("/admin/users"), http.StatusOK)

	viewer := web.RoleViewer
	if _, err := f.db.UpdateUser(context.Background(), u.ID, store.UserChange{Role: &viewer}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, b.get("/admin/users"), http.StatusForbidden)

	disabled := true
	if _, err := f.db.UpdateUser(context.Background(), u.ID, store.UserChange{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	wantRedirect(t, b.get("/account"), "/login?next=%2Faccount")
}
