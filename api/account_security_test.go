package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
)

// TestPasswordChangeRefusesAPITokens: a password is changed in a signed-in
// browser session only. With a bearer token the request is refused with a
// message saying why and the password stays as it was (issue 12, defect
// 8: the password changed, then signing in the non-existent session
// panicked and the client was told 500).
func TestPasswordChangeRefusesAPITokens(t *testing.T) {
	f := newAuthFixture(t)
	u := f.user("ana@example.org", web.RolePlanner)
	_, secret, err := f.db.CreateToken(context.Background(), u.ID, "script")
	if err != nil {
		t.Fatal(err)
	}
	for _, accept := range []string{"", "application/json"} {
		r := httptest.NewRequest(http.MethodPost, "/account/password", strings.NewReader(url.Values{
			"current_password": {"password of ana@example.org"},
			"new_password":     {"a brand new password"}, "confirm_password": {"a brand new password"}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Authorization", "Bearer "+secret)
		if accept != "" {
			r.Header.Set("Accept", accept)
		}
		w := httptest.NewRecorder()
		f.s.Handler().ServeHTTP(w, r)
		body := w.Body.String() // the page says it in Spanish, the API in English
		if w.Code != http.StatusForbidden || !strings.Contains(body, "API token") && !strings.Contains(body, "token de API") {
			t.Errorf("Accept %q: %d %.300s, want 403 saying API tokens cannot change a password", accept, w.Code, w.Body.String())
		}
	}
	now, err := f.db.GetUser(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !now.CheckPassword("password of ana@example.org") {
		t.Error("the password changed although the request was refused")
	}
	wantStatus(t, f.bearer(http.MethodGet, "/api/v1/me", secret), http.StatusOK)
}

// TestRevocationsOfferToRevokeTokens: changing a password and ending a
// user's sessions revoke the user's API tokens too when the box (on by
// default) is ticked, and keep them when it is not; disabling a user
// revokes them always, so enabling the account again does not bring an
// old token back.
func TestRevocationsOfferToRevokeTokens(t *testing.T) {
	f := newAuthFixture(t)
	f.user("admin@example.org", web.RoleAdmin)
	admin := f.browser()
	wantStatus(t, admin.login("admin@example.org"), http.StatusSeeOther)
	// The forms offer the box, ticked.
	for path, form := range map[string]string{"/account": `/account/password`, "/admin/users": `/revoke-sessions`} {
		body := admin.get(path).Body.String()
		_, rest, found := strings.Cut(body, form)
		rest, _, _ = strings.Cut(rest, "</form>")
		if !found || !strings.Contains(rest, `<input type="checkbox" name="revoke_tokens" value="1" checked>`) {
			t.Errorf("%s: the form %s has no ticked revoke_tokens box", path, form)
		}
	}
	cases := []struct {
		name        string
		tick        bool
		act         func(t *testing.T, email string, id int64, form url.Values)
		tokensAlive bool
	}{
		{"password changed, box ticked", true, changePasswordAct(f), false},
		{"password changed, box cleared", false, changePasswordAct(f), true},
		{"sessions ended, box ticked", true, adminAct(admin, "revoke-sessions"), false},
		{"sessions ended, box cleared", false, adminAct(admin, "revoke-sessions"), true},
		{"disabled and enabled again", false, func(t *testing.T, email string, id int64, form url.Values) {
			adminAct(admin, "disable")(t, email, id, nil)
			adminAct(admin, "enable")(t, email, id, nil)
		}, false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			email := "user" + itoa(int64(i)) + "@example.org"
			u := f.user(email, web.RolePlanner)
			_, secret, err := f.db.CreateToken(context.Background(), u.ID, "phone")
			if err != nil {
				t.Fatal(err)
			}
			form := url.Values{}
			if tc.tick {
				form.Set("revoke_tokens", "1")
			}
			tc.act(t, email, u.ID, form)
			want := http.StatusUnauthorized
			if tc.tokensAlive {
				want = http.StatusOK
			}
			wantStatus(t, f.bearer(http.MethodGet, "/api/v1/me", secret), want)
		})
	}
}

func changePasswordAct(f *authFixture) func(t *testing.T, email string, id int64, form url.Values) {
	return func(t *testing.T, email string, _ int64, form url.Values) {
		t.Helper()
		b := f.browser()
		wantStatus(t, b.login(email), http.StatusSeeOther)
		form.Set("current_password", "password of "+email)
		form.Set("new_password", "a brand new password")
		form.Set("confirm_password", "a brand new password")
		wantRedirect(t, b.post("/account/password", form), "/account")
	}
}

func adminAct(admin *browser, action string) func(t *testing.T, email string, id int64, form url.Values) {
	return func(t *testing.T, _ string, id int64, form url.Values) {
		t.Helper()
		wantRedirect(t, admin.post("/admin/users/"+itoa(id)+"/"+action, form), "/admin/users")
	}
}
