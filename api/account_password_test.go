package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/reparto/reparto/store"
)

// At the forced change the new password must differ from the one-time
// password, and the commonest passwords are refused, each with a message
// in the reader's language beside the field.
func TestPasswordChangeRefusesReuseAndCommonPasswords(t *testing.T) {
	f := newAuthFixture(t)
	h, _ := store.HashPassword("password", "one-time password", 4)
	if _, err := f.db.CreateFirstAdmin(context.Background(), "admin@reparto.local", h); err != nil {
		t.Fatal(err)
	}
	b := f.browser()
	wantRedirect(t, b.post("/login", url.Values{"email": {"admin@reparto.local"}, "password": {"one-time password"}}), "/account")
	for _, tc := range []struct{ name, password, text string }{
		{"same as the one-time password", "one-time password", "debe ser distinta de la contraseña actual"},
		{"common", "password123", "una de las contraseñas más comunes"},
		{"common with digits around", "Qwerty2024!", "una de las contraseñas más comunes"},
		{"too few characters", "abababababab", "pocos caracteres distintos"},
	} {
		w := b.post("/account/password", url.Values{"current_password": {"one-time password"},
			"new_password": {tc.password}, "confirm_password": {tc.password}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		if !strings.Contains(w.Body.String(), tc.text) {
			t.Errorf("%s: %q missing", tc.name, tc.text)
		}
	}
	wantRedirect(t, b.get("/campaigns"), "/account") // still must change it
	wantRedirect(t, b.post("/account/password", url.Values{"current_password": {"one-time password"},
		"new_password": {"a new long password"}, "confirm_password": {"a new long password"}}), "/account")
}
