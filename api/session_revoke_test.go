package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/store/storetest"
)

// heldBody is a request body whose first Read waits for release: by then
// the server has loaded the session and authenticated the request, so the
// request is "in flight" across whatever the test does meanwhile.
type heldBody struct {
	r        io.Reader
	started  chan struct{}
	release  chan struct{}
	didStart bool
}

func (b *heldBody) Read(p []byte) (int, error) {
	if !b.didStart {
		b.didStart = true
		close(b.started)
		<-b.release
	}
	return b.r.Read(p)
}

func (b *heldBody) Close() error { return nil }

// inFlight starts a POST /lang with b's cookies that stops when the
// handler reads its body. Call the returned finish after release is
// closed: it waits for the answer and keeps its cookies, as a browser
// does with a late response.
func (b *browser) inFlight(release chan struct{}) (started chan struct{}, finish func() *httptest.ResponseRecorder) {
	form := url.Values{"lang": {"en"}, "back": {"/campaigns"}}.Encode()
	body := &heldBody{r: strings.NewReader(form), started: make(chan struct{}), release: release}
	r := httptest.NewRequest(http.MethodPost, "/lang", body)
	r.ContentLength = int64(len(form))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = b.ip + ":4321"
	for _, c := range b.cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.f.s.Handler().ServeHTTP(w, r)
	}()
	return body.started, func() *httptest.ResponseRecorder {
		<-done
		for _, c := range w.Result().Cookies() {
			if c.MaxAge < 0 {
				delete(b.cookies, c.Name)
			} else {
				b.cookies[c.Name] = c
			}
		}
		return w
	}
}

// clone is a second tab of the same browser: the same cookies.
func (b *browser) clone() *browser {
	c := &browser{f: b.f, ip: b.ip, cookies: map[string]*http.Cookie{}}
	for k, v := range b.cookies {
		c.cookies[k] = v
	}
	return c
}

// sessionDatabases are the databases the session tests run on: SQLite
// always, PostgreSQL when REPARTO_TEST_DATABASE_URL is set.
func sessionDatabases(t *testing.T, fn func(t *testing.T, f *authFixture)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, newAuthFixtureOn(t, filepath.Join(t.TempDir(), "reparto.db")))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, newAuthFixtureOn(t, storetest.ScratchPostgres(t, "s").String()))
	})
}

// TestRevokedSessionStaysRevoked: a request that was in flight while its
// session was revoked ends by saving the session; that must not bring the
// session back. Issue 12, defect 1: the store's commit re-inserted the
// deleted row and the next request was signed in again.
func TestRevokedSessionStaysRevoked(t *testing.T) {
	sessionDatabases(t, func(t *testing.T, f *authFixture) {
		f.user("admin@example.org", web.RoleAdmin)
		admin := f.browser()
		wantStatus(t, admin.login("admin@example.org"), http.StatusSeeOther)
		cases := []struct {
			name   string
			revoke func(t *testing.T, email string, id int64, a *browser)
		}{
			{"password changed in another session", func(t *testing.T, email string, _ int64, _ *browser) {
				v := f.browser()
				wantStatus(t, v.login(email), http.StatusSeeOther)
				wantRedirect(t, v.post("/account/password", url.Values{"current_password": {"password of " + email},
					"new_password": {"a brand new password"}, "confirm_password": {"a brand new password"}}), "/account")
			}},
			{"admin revoked the sessions", func(t *testing.T, _ string, id int64, _ *browser) {
				wantStatus(t, admin.post("/admin/users/"+itoa(id)+"/revoke-sessions", nil), http.StatusSeeOther)
			}},
			{"admin disabled the user and enabled it again", func(t *testing.T, _ string, id int64, _ *browser) {
				wantStatus(t, admin.post("/admin/users/"+itoa(id)+"/disable", nil), http.StatusSeeOther)
				wantStatus(t, admin.post("/admin/users/"+itoa(id)+"/enable", nil), http.StatusSeeOther)
			}},
			{"signed out in another tab", func(t *testing.T, _ string, _ int64, a *browser) {
				wantRedirect(t, a.clone().post("/logout", nil), "/login")
			}},
		}
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				email := "user" + itoa(int64(i)) + "@example.org"
				u := f.user(email, web.RolePlanner)
				a := f.browser()
				wantStatus(t, a.login(email), http.StatusSeeOther)
				wantStatus(t, a.get("/api/v1/me"), http.StatusOK)

				release := make(chan struct{})
				started, finish := a.inFlight(release)
				<-started
				tc.revoke(t, email, u.ID, a)
				wantStatus(t, a.get("/api/v1/me"), http.StatusUnauthorized)
				close(release)
				finish()
				if w := a.get("/api/v1/me"); w.Code != http.StatusUnauthorized {
					t.Fatalf("after the request in flight ended: /api/v1/me %d, want 401 (the revoked session came back)", w.Code)
				}
			})
		}
	})
}

// TestSignInInFlightAcrossPasswordChange: a sign-in with the old password
// whose check is under way when the owner changes the password must not
// leave a working session (the password was read before the change, the
// session written after it).
func TestSignInInFlightAcrossPasswordChange(t *testing.T) {
	sessionDatabases(t, func(t *testing.T, f *authFixture) {
		const email = "ana@example.org"
		f.user(email, web.RolePlanner)
		owner := f.browser()
		wantStatus(t, owner.login(email), http.StatusSeeOther)

		arrived, release := make(chan struct{}), make(chan struct{})
		f.s.auth.OnPasswordCheck = func() {
			f.s.auth.OnPasswordCheck = nil // only the attacker's sign-in waits
			close(arrived)
			<-release
		}
		attacker := f.browser()
		attacker.ip = "198.51.100.66"
		done := make(chan struct{})
		var w *httptest.ResponseRecorder
		go func() {
			defer close(done)
			form := url.Values{"email": {email}, "password": {"password of " + email}}.Encode()
			r := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.RemoteAddr = attacker.ip + ":4000"
			w = httptest.NewRecorder()
			f.s.Handler().ServeHTTP(w, r)
		}()
		<-arrived
		wantRedirect(t, owner.post("/account/password", url.Values{"current_password": {"password of " + email},
			"new_password": {"a brand new password"}, "confirm_password": {"a brand new password"}}), "/account")
		close(release)
		<-done
		for _, c := range w.Result().Cookies() {
			attacker.cookies[c.Name] = c
		}
		if got := attacker.get("/api/v1/me"); got.Code != http.StatusUnauthorized {
			t.Fatalf("sign-in with the old password across the change: /api/v1/me %d, want 401", got.Code)
		}
		wantStatus(t, owner.get("/api/v1/me"), http.StatusOK) // the owner's own session continues
	})
}
