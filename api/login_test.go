package api

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reparto/reparto/api/auth"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/store"
)

func TestLoginSetsASafeSessionCookie(t *testing.T) {
	f := newAuthFixture(t)
	f.user("ana@example.org", web.RolePlanner)
	b := f.browser()
	w := b.post("/login", url.Values{"email": {"  ANA@Example.org "}, "password": {"password of ana@example.org"}})
	wantRedirect(t, w, "/campaigns")
	c := b.cookies[auth.SessionCookie]
	if c == nil {
		t.Fatalf("no %s cookie; got %v", auth.SessionCookie, w.Result().Cookies())
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
		t.Errorf("cookie flags: HttpOnly=%v SameSite=%v Path=%q Secure=%v", c.HttpOnly, c.SameSite, c.Path, c.Secure)
	}
	// 12 h lifetime, cut to the 2 h idle timeout: about 7200 s.
	if c.MaxAge < 7190 || c.MaxAge > 7201 {
		t.Errorf("MaxAge = %d, want about 7200", c.MaxAge)
	}
	wantStatus(t, b.get("/account"), http.StatusOK)
	if got := f.auditActions(store.AuditFilter{Entity: "user"}); !slices.Equal(got, []string{"create system", "login ana@example.org"}) {
		t.Errorf("audit = %q", got)
	}
}

func TestSecureCookiesWhenConfigured(t *testing.T) {
	f := newAuthFixture(t)
	f.s.auth.Sessions.Cookie.Secure = true // what New does with Config.SecureCookies
	f.user("ana@example.org", web.RoleViewer)
	b := f.browser()
	b.login("ana@example.org")
	if c := b.cookies[auth.SessionCookie]; c == nil || !c.Secure {
		t.Errorf("cookie not Secure: %+v", c)
	}
}

func TestLoginFailuresSayTheSameAndAreAudited(t *testing.T) {
	f := newAuthFixture(t)
	f.user("ana@example.org", web.RoleViewer)
	for _, tc := range []struct{ name, email, password string }{
		{"bad password", "ana@example.org", "password of bea@example.org"},
		{"unknown email", "bea@example.org", "password of bea@example.org"},
	} {
		b := f.browser()
		w := b.post("/login", url.Values{"email": {tc.email}, "password": {tc.password}})
		wantStatus(t, w, http.StatusUnauthorized)
		if !strings.Contains(w.Body.String(), "Correo o contraseña incorrectos.") {
			t.Errorf("%s: message missing from %.300s", tc.name, w.Body.String())
		}
		if _, ok := b.cookies[auth.SessionCookie]; ok {
			t.Errorf("%s: a failed login set a session cookie", tc.name)
		}
	}
	got := f.auditActions(store.AuditFilter{Action: store.AuditLoginFailed})
	if !slices.Equal(got, []string{"login_failed anonymous", "login_failed anonymous"}) {
		t.Errorf("audit = %q", got)
	}
}

func TestLoginInEnglish(t *testing.T) {
	f := newAuthFixture(t)
	b := f.browser()
	wantRedirect(t, b.post("/lang", url.Values{"lang": {"en"}, "back": {"/login"}}), "/login")
	c := b.cookies["lang"]
	if c == nil || c.Value != "en" || c.MaxAge != 365*24*3600 || !c.HttpOnly {
		t.Fatalf("lang cookie = %+v", c)
	}
	w := b.post("/login", url.Values{"email": {"x@example.org"}, "password": {"whatever it is"}})
	if !strings.Contains(w.Body.String(), "Wrong email or password.") {
		t.Errorf("no English message in %.300s", w.Body.String())
	}
}

func TestLangRefusesForeignBack(t *testing.T) {
	f := newAuthFixture(t)
	for _, back := range []string{"//evil.example/x", "https://evil.example", `/\evil.example`, ""} {
		wantRedirect(t, f.browser().post("/lang", url.Values{"lang": {"es"}, "back": {back}}), "/campaigns")
	}
	wantStatus(t, f.browser().post("/lang", url.Values{"lang": {"fr"}}), http.StatusBadRequest)
}

func TestLoginRateLimitPerAccount(t *testing.T) {
	f := newAuthFixture(t)
	f.user("ana@example.org", web.RoleViewer)
	b := f.browser()
	bad := url.Values{"email": {"ana@example.org"}, "password": {"wrong password"}}
	for i := range 5 {
		if w := b.post("/login", bad); w.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, w.Code)
		}
		f.advance(time.Minute)
	}
	// Five failures at 9:30..9:34; now it is 9:35 and the first leaves the
	// window at 9:45, in 10 minutes. Even the right password must wait.
	w := b.login("ana@example.org")
	wantStatus(t, w, http.StatusTooManyRequests)
	if !strings.Contains(w.Body.String(), "Demasiados intentos; espere 10 minutos.") {
		t.Errorf("message missing from %.400s", w.Body.String())
	}
	if w.Header().Get("Retry-After") != "600" {
		t.Errorf("Retry-After = %q, want 600", w.Header().Get("Retry-After"))
	}
	// Another IP is throttled too: the limit is per account.
	other := f.browser()
	other.ip = "198.51.100.3"
	wantStatus(t, other.login("ana@example.org"), http.StatusTooManyRequests)

	f.advance(10*time.Minute + 30*time.Second) // 9:45:30: 9:30 is out, 9:31 not yet
	w = b.login("ana@example.org")
	wantRedirect(t, w, "/campaigns")
}

func TestLoginRateLimitPerIP(t *testing.T) {
	f := newAuthFixture(t)
	b := f.browser()
	for i := range 30 {
		w := b.post("/login", url.Values{"email": {"user" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "@example.org"},
			"password": {"wrong password"}})
		if w.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, w.Code)
		}
	}
	f.user("ana@example.org", web.RoleViewer)
	w := b.login("ana@example.org")
	wantStatus(t, w, http.StatusTooManyRequests)
	if !strings.Contains(w.Body.String(), "espere 15 minutos") {
		t.Errorf("message missing from %.400s", w.Body.String())
	}
}

func TestLoginNextRedirect(t *testing.T) {
	for _, tc := range []struct{ next, want string }{
		{"/campaigns/3/plan?x=1", "/campaigns/3/plan?x=1"},
		{"//evil.example/", "/campaigns"},
		{"https://evil.example/", "/campaigns"},
		{`/\evil.example`, "/campaigns"},
		{"/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"}, // still a local path, escaped
		{"javascript:alert(1)", "/campaigns"},
	} {
		f := newAuthFixture(t)
		f.user("ana@example.org", web.RoleViewer)
		w := f.browser().post("/login", url.Values{"email": {"ana@example.org"},
			"password": {"password of ana@example.org"}, "next": {tc.next}})
		wantRedirect(t, w, tc.want)
	}
}

func TestSessionRotatesAtLoginAndEndsAtLogout(t *testing.T) {
	f := newAuthFixture(t)
	f.user("ana@example.org", web.RoleViewer)
	b := f.browser()
	b.login("ana@example.org")
	first := b.cookies[auth.SessionCookie].Value
	b.login("ana@example.org")
	second := b.cookies[auth.SessionCookie].Value
	if first == second {
		t.Fatal("the session token did not change at login")
	}
	// The old token no longer signs anyone in.
	old := f.browser()
	old.cookies[auth.SessionCookie] = &http.Cookie{Name: auth.SessionCookie, Value: first}
	wantRedirect(t, old.get("/account"), "/login?next=%2Faccount")

	wantRedirect(t, b.post("/logout", nil), "/login")
	if _, ok := b.cookies[auth.SessionCookie]; ok {
		t.Error("cookie kept after logout")
	}
	replay := f.browser()
	replay.cookies[auth.SessionCookie] = &http.Cookie{Name: auth.SessionCookie, Value: second}
	wantRedirect(t, replay.get("/account"), "/login?next=%2Faccount")
}

func TestPlantedSessionTokenIsReplaced(t *testing.T) {
	f := newAuthFixture(t)
	f.user("ana@example.org", web.RoleViewer)
	b := f.browser()
	b.cookies[auth.SessionCookie] = &http.Cookie{Name: auth.SessionCookie, Value: "planted-by-attacker"}
	b.login("ana@example.org")
	if v := b.cookies[auth.SessionCookie].Value; v == "planted-by-attacker" {
		t.Error("login kept a planted session token")
	}
}
