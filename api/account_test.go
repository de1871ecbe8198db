package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/auth"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/store"
)

var secretRe = regexp.MustCompile(`rpt_[A-Za-z0-9_-]{43}`)

// createToken creates an API token through the account page and returns
// the secret shown on it.
func createToken(t *testing.T, b *browser, name string) string {
	t.Helper()
	w := b.post("/account/tokens", url.Values{"name": {name}})
	wantStatus(t, w, http.StatusOK)
	secret := secretRe.FindString(w.Body.String())
	if secret == "" {
		t.Fatalf("no token on the page: %.600s", w.Body.String())
	}
	if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control %q: the page with the secret may be cached", cc)
	}
	return secret
}

func TestTokenAuthentication(t *testing.T) {
	f := newAuthFixture(t)
	f.user("admin@example.org", web.RoleAdmin)
	u := f.user("courier@example.org", web.RoleViewer)
	b := f.browser()
	b.login("courier@example.org")
	secret := createToken(t, b, "phone")
	if strings.Contains(b.get("/account").Body.String(), secret) {
		t.Error("the secret is shown again")
	}

	w := f.bearer(http.MethodGet, "/api/v1/me", secret)
	wantStatus(t, w, http.StatusOK)
	var me map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &me); err != nil || me["email"] != "courier@example.org" || me["role"] != web.RoleViewer {
		t.Errorf("me = %s", w.Body.String())
	}
	if len(w.Result().Cookies()) != 0 {
		t.Error("a bearer request got a cookie")
	}
	// The token carries its user's role: a viewer is no admin.
	wantStatus(t, f.bearer(http.MethodGet, "/api/v1/admin/audit", secret), http.StatusForbidden)

	for name, tok := range map[string]string{"invalid": "rpt_nope", "not rpt_": "abc", "empty": ""} {
		w := f.bearer(http.MethodGet, "/api/v1/me", tok)
		wantStatus(t, w, http.StatusUnauthorized)
		if e := jsonError(t, w); e.Code != "unauthorized" {
			t.Errorf("%s: code %q", name, e.Code)
		}
	}
	// Even a page answers a bad token with 401 JSON.
	w = f.bearer(http.MethodGet, "/campaigns", "rpt_nope")
	wantStatus(t, w, http.StatusUnauthorized)
	jsonError(t, w)

	toks, err := f.db.ListTokens(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantRedirect(t, b.post("/account/tokens/"+strconv.FormatInt(toks[0].ID, 10)+"/revoke", nil), "/account")
	wantStatus(t, f.bearer(http.MethodGet, "/api/v1/me", secret), http.StatusUnauthorized)
	if !strings.Contains(b.get("/account").Body.String(), "Token revocado.") {
		t.Error("no flash after revoking")
	}
}

func TestTokenOfDisabledUserIs401(t *testing.T) {
	f := newAuthFixture(t)
	f.user("admin@example.org", web.RoleAdmin)
	u := f.user("courier@example.org", web.RolePlanner)
	_, secret, err := f.db.CreateToken(context.Background(), u.ID, "phone")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, f.bearer(http.MethodGet, "/api/v1/me", secret), http.StatusOK)
	disabled := true
	if _, err := f.db.UpdateUser(context.Background(), u.ID, store.UserChange{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, f.bearer(http.MethodGet, "/api/v1/me", secret), http.StatusUnauthorized)
}

func TestCannotRevokeSomeoneElsesToken(t *testing.T) {
	f := newAuthFixture(t)
	ana := f.user("ana@example.org", web.RoleViewer)
	f.user("bea@example.org", web.RoleViewer)
	tok, secret, err := f.db.CreateToken(context.Background(), ana.ID, "laptop")
	if err != nil {
		t.Fatal(err)
	}
	b := f.browser()
	b.login("bea@example.org")
	wantStatus(t, b.post("/account/tokens/"+strconv.FormatInt(tok.ID, 10)+"/revoke", nil), http.StatusNotFound)
	wantStatus(t, f.bearer(http.MethodGet, "/api/v1/me", secret), http.StatusOK)
}

func TestFirstLoginMustChangePassword(t *testing.T) {
	f := newAuthFixture(t)
	h, _ := store.HashPassword("password", "one-time password", 4)
	if _, err := f.db.CreateFirstAdmin(context.Background(), "admin@reparto.local", h); err != nil {
		t.Fatal(err)
	}
	b := f.browser()
	other := f.browser() // a second session of the same user
	wantRedirect(t, b.post("/login", url.Values{"email": {"admin@reparto.local"}, "password": {"one-time password"}}), "/account")
	other.post("/login", url.Values{"email": {"admin@reparto.local"}, "password": {"one-time password"}})
	wantRedirect(t, b.get("/campaigns"), "/account")
	wantRedirect(t, b.get("/admin/users"), "/account")
	w := b.get("/account")
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "Debe cambiar su contraseña") {
		t.Error("account page does not ask for a new password")
	}
	wantRedirect(t, b.post("/account/tokens", url.Values{"name": {"x"}}), "/account") // no token yet

	for _, tc := range []struct {
		name        string
		form        url.Values
		field, text string
	}{
		{"wrong current", url.Values{"current_password": {"nope"}, "new_password": {"a new long password"},
			"confirm_password": {"a new long password"}}, "current_password", "La contraseña actual no es correcta."},
		{"mismatch", url.Values{"current_password": {"one-time password"}, "new_password": {"a new long password"},
			"confirm_password": {"a new long passw0rd"}}, "confirm_password", "no coinciden"},
		{"short", url.Values{"current_password": {"one-time password"}, "new_password": {"short"},
			"confirm_password": {"short"}}, "new_password", "al menos 10 caracteres"},
	} {
		w := b.post("/account/password", tc.form)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		if !strings.Contains(w.Body.String(), tc.text) {
			t.Errorf("%s: %q missing", tc.name, tc.text)
		}
	}

	before := b.cookies[auth.SessionCookie].Value
	wantRedirect(t, b.post("/account/password", url.Values{"current_password": {"one-time password"},
		"new_password": {"a new long password"}, "confirm_password": {"a new long password"}}), "/account")
	if b.cookies[auth.SessionCookie].Value == before {
		t.Error("session token not renewed after the password change")
	}
	if !strings.Contains(b.get("/account").Body.String(), "Contraseña cambiada") {
		t.Error("no confirmation")
	}
	wantStatus(t, b.get("/admin/users"), http.StatusOK)
	// The other session ended with the password change.
	wantRedirect(t, other.get("/account"), "/login?next=%2Faccount")
	got := f.auditActions(store.AuditFilter{Entity: "user"})
	want := []string{"create system", "login admin@reparto.local", "login admin@reparto.local", "update admin@reparto.local"}
	if !slices.Equal(got, want) {
		t.Errorf("audit = %q, want %q", got, want)
	}
}
