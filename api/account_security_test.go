package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestPasswordChangeRefusesAPITokens: a password is changed in a signed-in
// browser session only. With a bearer token the request is refused with a
// message saying why and the password stays as it was (issue 12, defect
// 8: the password changed, then signing in the non-existent session
// panicked and the client was told 500).
func TestPasswordChangeRefusesAPITokens(t *testing.T) {
	f := newAuthFixture(t)
	u := f.user("ana@example.org", RolePlanner)
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
		if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "API token") {
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
