package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/auth"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/store"
	"golang.org/x/crypto/bcrypt"
)

// fetch GETs path with cl and returns the response (body read) and body.
func fetch(t *testing.T, ts *testServer, cl *http.Client, path string) (*http.Response, string) {
	t.Helper()
	resp, err := cl.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// checkSecurityHeaders asserts the headers every response of the
// application carries.
func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	directives := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	script := directives["script-src"]
	if script == "" {
		script = directives["default-src"]
	}
	switch {
	case csp == "":
		t.Errorf("%s: no Content-Security-Policy", what)
	case script == "" || strings.Contains(script, "'unsafe-inline'") || strings.Contains(script, "'unsafe-eval'") || strings.Contains(script, "*"):
		t.Errorf("%s: script-src %q allows inline or foreign scripts", what, script)
	case directives["frame-ancestors"] != "'none'":
		t.Errorf("%s: frame-ancestors %q, want 'none'", what, directives["frame-ancestors"])
	case directives["object-src"] != "'none'":
		t.Errorf("%s: object-src %q, want 'none'", what, directives["object-src"])
	}
	want := map[string][]string{
		"X-Content-Type-Options": {"nosniff"},
		"X-Frame-Options":        {"DENY"},
		"Referrer-Policy":        {"same-origin", "no-referrer", "strict-origin", "strict-origin-when-cross-origin"},
	}
	for name, ok := range want {
		if got := h.Get(name); !contains(ok, got) {
			t.Errorf("%s: %s = %q, want one of %q", what, name, got, ok)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestSecurityHeadersEverywhere: pages, API answers, errors, static files
// and probes all carry the same policy.
func TestSecurityHeadersEverywhere(t *testing.T) {
	ts := newTestServer(t)
	anon, viewer := ts.client(t, ""), ts.client(t, web.RoleViewer)
	c := "/campaigns/" + itoa(ts.CampaignID)
	cases := []struct {
		who  *http.Client
		path string
	}{
		{anon, "/login"}, {anon, "/campaigns"}, {anon, "/api/v1/campaigns"}, {anon, "/healthz"},
		{anon, "/api/v1/openapi.json"}, {anon, "/static/css/app.css"}, {anon, "/no-such-page"},
		{viewer, "/campaigns"}, {viewer, c + "/dashboard"}, {viewer, c + "/map"}, {viewer, "/admin/users"},
		{viewer, "/api/v1/campaigns"}, {viewer, "/api/v1" + c + "/map/venues.geojson"},
		{viewer, c + "/exports/manifest.csv"}, {viewer, "/campaigns/999999/plan"}, {viewer, "/api/v1/shipments/0"},
	}
	for _, tc := range cases {
		resp, _ := fetch(t, ts, tc.who, tc.path)
		checkSecurityHeaders(t, tc.path+" ("+resp.Status+")", resp.Header)
	}
	// The session cookie is out of reach of scripts and of cross-site posts.
	resp, err := anon.PostForm(ts.URL+"/login", url.Values{"email": {"viewer@test.local"}, "password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == auth.SessionCookie && (!ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode) {
			t.Errorf("session cookie: HttpOnly %v SameSite %v, want HttpOnly and Lax", ck.HttpOnly, ck.SameSite)
		}
	}
}

var (
	scriptTag   = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script\s*>`)
	inlineEvent = regexp.MustCompile(`(?i)<[^>]+\son[a-z]+\s*=`)
	styleAttr   = regexp.MustCompile(`(?i)<[^>]+\sstyle\s*=`)
	jsURL       = regexp.MustCompile(`(?i)(href|src|action)\s*=\s*["']?\s*javascript:`)
)

// inlineCode lists what the CSP would block in a page: script elements
// with code that are not JSON data, event-handler and style attributes,
// and javascript: URLs.
func inlineCode(html string) []string {
	var out []string
	for _, m := range scriptTag.FindAllStringSubmatch(html, -1) {
		attrs, code := strings.ToLower(m[1]), strings.TrimSpace(m[2])
		isJSON := strings.Contains(attrs, `type="application/json"`)
		if strings.Contains(attrs, "src=") && code == "" || isJSON {
			continue
		}
		out = append(out, "<script"+m[1]+">"+firstN(code, 80))
	}
	for _, re := range []*regexp.Regexp{inlineEvent, styleAttr, jsURL} {
		for _, m := range re.FindAllString(html, 3) {
			out = append(out, firstN(m, 120))
		}
	}
	return out
}

func firstN(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// TestNoInlineScriptInPages renders every page an admin can open (every
// GET route answering HTML, with the demo's ids and tracking), the login
// and error pages, and finds nothing the CSP would have to block.
func TestNoInlineScriptInPages(t *testing.T) {
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	params := accessParams(t, ts)
	admin, anon := ts.client(t, web.RoleAdmin), ts.client(t, "")
	pages := map[string]*http.Client{"/login": anon, "/no-such-page": admin, "/campaigns/999999/dashboard": admin}
	for _, r := range ts.s.Engine().Routes() {
		if r.Method == http.MethodGet && r.Path != "/static/*path" {
			pages[params.fill(r.Method, r.Path)] = admin
		}
	}
	var html int
	for path, cl := range pages {
		resp, body := fetch(t, ts, cl, path)
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		html++
		if bad := inlineCode(body); len(bad) > 0 {
			t.Errorf("%s (%d): inline code the CSP blocks: %q", path, resp.StatusCode, bad)
		}
	}
	if html < 30 {
		t.Errorf("checked %d HTML pages; expected every page of the application (30+)", html)
	}
}

// TestLoginThrottle: the sixth wrong password for one account within 15
// minutes is refused with 429, the wait in the message and Retry-After,
// and then even the right password is refused; 30 failures from one
// address block a further account too.
func TestLoginThrottle(t *testing.T) {
	ts := newTestServer(t)
	ts.client(t, web.RoleViewer)
	ts.client(t, web.RolePlanner) // before its address is blocked
	cl := ts.client(t, "")
	for i := 1; i <= auth.LoginPerAccount; i++ {
		code, _, _ := ts.post(t, cl, "/login", url.Values{"email": {"viewer@test.local"}, "password": {"wrong password " + itoa(int64(i))}})
		if code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d, want 401", i, code)
		}
	}
	resp, err := cl.PostForm(ts.URL+"/login", url.Values{"email": {"viewer@test.local"}, "password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// Five failures at one instant: the first leaves the window 15 minutes later.
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "900" ||
		!strings.Contains(string(body), "Demasiados intentos; espere 15 minutos.") {
		t.Fatalf("sixth attempt: %d Retry-After %q, want 429, 900 and the wait in Spanish: %.300s",
			resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}

	for i := 0; i < auth.LoginPerIP; i++ {
		ts.post(t, cl, "/login", url.Values{"email": {"nobody" + itoa(int64(i)) + "@test.local"}, "password": {"x"}})
	}
	code, _, _ := ts.post(t, ts.client(t, ""), "/login", url.Values{"email": {"planner@test.local"}, "password": {testPassword}})
	if code != http.StatusTooManyRequests {
		t.Fatalf("after %d failures from one address: %d, want 429 for any account", auth.LoginPerIP+auth.LoginPerAccount, code)
	}
}

// TestSessionsEnd: a session stops working when an admin revokes the
// user's sessions, disables the user, when it expires, and a cookie kept
// from before signing out is worthless.
func TestSessionsEnd(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.client(t, web.RoleAdmin)
	viewer := ts.client(t, web.RoleViewer)
	u, err := ts.db.GetUserByEmail(context.Background(), "viewer@test.local")
	if err != nil {
		t.Fatal(err)
	}
	signedOut := func(step string, cl *http.Client) {
		t.Helper()
		resp, _ := fetch(t, ts, cl, "/campaigns")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Fatalf("%s: next request got %d %q, want 303 to /login", step, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	action := func(what string) {
		t.Helper()
		if code, _, _ := ts.post(t, admin, "/admin/users/"+itoa(u.ID)+"/"+what, nil); code != http.StatusSeeOther {
			t.Fatalf("admin %s: %d", what, code)
		}
	}
	if code, _ := ts.get(t, viewer, "/campaigns"); code != http.StatusOK {
		t.Fatalf("viewer before: %d", code)
	}
	action("revoke-sessions")
	signedOut("after the admin revoked the sessions", viewer)

	viewer = ts.client(t, web.RoleViewer)
	action("disable")
	signedOut("after the admin disabled the user", viewer)
	action("enable")

	viewer = ts.client(t, web.RoleViewer)
	expireSession(t, ts, viewer, u.ID)
	signedOut("after the session expired", viewer)

	viewer = ts.client(t, web.RoleViewer)
	base, _ := url.Parse(ts.URL)
	kept := viewer.Jar.Cookies(base)
	if code, _, _ := ts.post(t, viewer, "/logout", nil); code != http.StatusSeeOther {
		t.Fatalf("logout: %d", code)
	}
	replay := ts.client(t, "")
	replay.Jar.SetCookies(base, kept)
	signedOut("replaying the cookie after logout", replay)
}

// isolatedServer is a server over its own SQLite file, logging to buf,
// called in-process: for tests that break the database or read the log.
func isolatedServer(t *testing.T, cfg Config, buf *bytes.Buffer) (*Server, *store.DB) {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "iso.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := New(cfg, db, log, func() time.Time { return time.Date(2009, 3, 20, 9, 30, 0, 0, time.UTC) })
	if err != nil {
		t.Fatal(err)
	}
	s.SetPasswordCost(bcrypt.MinCost)
	return s, db
}

// serve sends one request through s in-process; headers as name, value pairs.
func serve(s *Server, method, path, body string, headers ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.RemoteAddr = "192.0.2.7:4000"
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	return w
}

// isoUser creates a user with password and returns its id and a token.
func isoUser(t *testing.T, db *store.DB, email, role, password string) (int64, string) {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(context.Background(), store.NewUser{Email: email, Role: role, PasswordHash: string(hash)})
	if err != nil {
		t.Fatal(err)
	}
	_, secret, err := db.CreateToken(context.Background(), u.ID, "iso")
	if err != nil {
		t.Fatal(err)
	}
	return u.ID, secret
}

// TestBodyLimit: a body over MaxBodyBytes is refused, as JSON to the API
// and as a form to a page, and nothing is saved.
func TestBodyLimit(t *testing.T) {
	if DefaultConfig().MaxBodyBytes != 32<<20 {
		t.Fatalf("default body limit %d, want 32 MiB", DefaultConfig().MaxBodyBytes)
	}
	var logs bytes.Buffer
	s, db := isolatedServer(t, Config{MaxBodyBytes: 64 << 10}, &logs)
	_, token := isoUser(t, db, "p@test.local", web.RolePlanner, "a long enough password")
	huge := `{"kind":"dispatched","note":"` + strings.Repeat("a", 128<<10) + `"}`
	w := serve(s, http.MethodPost, "/api/v1/shipments/1/events", huge, "Authorization", "Bearer "+token, "Content-Type", "application/json")
	if w.Code != http.StatusRequestEntityTooLarge && w.Code != http.StatusBadRequest {
		t.Errorf("huge JSON: %d, want 413 or 400", w.Code)
	}
	if !strings.Contains(w.Body.String(), "larger than 65536 bytes") {
		t.Errorf("huge JSON: the message does not give the limit: %s", w.Body.String())
	}
	// A body of undeclared length (chunked) is cut by the reader instead.
	r := httptest.NewRequest(http.MethodPost, "/api/v1/shipments/1/events", io.MultiReader(strings.NewReader(huge)))
	r.ContentLength = -1
	r.Header.Set("Authorization", "Bearer "+token)
	w = httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusRequestEntityTooLarge && w.Code != http.StatusBadRequest ||
		!strings.Contains(w.Body.String(), "larger than 65536 bytes") {
		t.Errorf("huge chunked JSON: %d %.300s, want 413 or 400 naming the limit", w.Code, w.Body.String())
	}
	form := "name=" + strings.Repeat("b", 128<<10)
	w = serve(s, http.MethodPost, "/account/tokens", form, "Authorization", "Bearer "+token,
		"Content-Type", "application/x-www-form-urlencoded")
	if w.Code != http.StatusRequestEntityTooLarge && w.Code != http.StatusBadRequest ||
		!strings.Contains(w.Body.String(), "supera los 65,536 bytes") { // the page's language groups digits
		t.Errorf("huge form: %d, want 413 or 400 naming the limit: %s", w.Code, w.Body.String())
	}
	u, _ := db.GetUserByEmail(context.Background(), "p@test.local")
	if toks, _ := db.ListTokens(context.Background(), u.ID); len(toks) != 1 {
		t.Errorf("huge form: %d tokens, want only the first (nothing saved)", len(toks))
	}
}

// internalLeaks lists what a client must never see of the server's inside.
var internalLeaks = []string{"sql", "goroutine", ".go:", "SELECT", "database is closed", "panic", "runtime."}

// TestInternalErrorsShowOnlyARequestID: a panic and a closed database give
// the client "internal error" (or "not reachable") with the request id,
// never SQL, a stack trace or a source position; the log gets the detail.
func TestInternalErrorsShowOnlyARequestID(t *testing.T) {
	var logs bytes.Buffer
	s, db := isolatedServer(t, DefaultConfig(), &logs)
	_, token := isoUser(t, db, "v@test.local", web.RoleViewer, "a long enough password")
	boom := func(*gin.Context) { panic("sql: SELECT secret FROM users at handler.go:42 goroutine 7") }
	s.Engine().GET("/api/v1/boom", boom)
	s.Engine().GET("/boom", boom)
	check := func(what string, w *httptest.ResponseRecorder, wantMsg ...string) {
		t.Helper()
		body := w.Body.String()
		t.Logf("%s: %d %s", what, w.Code, firstN(body, 200))
		if w.Code < 500 {
			t.Errorf("%s: %d, want 5xx", what, w.Code)
		}
		for _, bad := range internalLeaks {
			if i := strings.Index(strings.ToLower(body), strings.ToLower(bad)); i >= 0 {
				t.Errorf("%s: response shows %q: …%s…", what, bad, body[max(0, i-150):min(len(body), i+100)])
			}
		}
		if id := w.Header().Get("X-Request-Id"); id != "" && !strings.Contains(body, id) {
			t.Errorf("%s: the body lacks the request id %s: %.300s", what, id, body)
		}
		if !containsAny(body, wantMsg) {
			t.Errorf("%s: body lacks %q: %.300s", what, wantMsg, body)
		}
	}
	check("API panic", serve(s, http.MethodGet, "/api/v1/boom", "", "Authorization", "Bearer "+token), `"internal error"`)
	check("page panic", serve(s, http.MethodGet, "/boom", ""), "Error interno")
	if !strings.Contains(logs.String(), "SELECT secret FROM users") {
		t.Errorf("the log lacks the panic's detail")
	}

	db.Close()
	check("API, closed database", serve(s, http.MethodGet, "/api/v1/campaigns", "", "Authorization", "Bearer "+token),
		"internal error", "not reachable")
	check("page, closed database", serve(s, http.MethodGet, "/campaigns", "", "Cookie", auth.SessionCookie+"=abc"),
		"Error interno", "la base de datos no responde")
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

var tokenPattern = regexp.MustCompile(`rpt_[A-Za-z0-9_-]{43}`)

// TestSecretsNeverLogged signs in (wrongly, then rightly), creates a token
// through the account page, uses it, sends a bad token and a token in the
// query string, all with debug logging on, and finds no password or token
// in the log.
func TestSecretsNeverLogged(t *testing.T) {
	var logs bytes.Buffer
	s, db := isolatedServer(t, DefaultConfig(), &logs)
	const password, wrong = "Secret-Passw0rd-Quokka", "Wrong-Passw0rd-Wombat"
	_, token := isoUser(t, db, "p@test.local", web.RolePlanner, password)
	form := "Content-Type"
	urlenc := "application/x-www-form-urlencoded"
	serve(s, http.MethodPost, "/login", "email=p%40test.local&password="+wrong, form, urlenc)
	w := serve(s, http.MethodPost, "/login", "email=p%40test.local&password="+password, form, urlenc)
	cookie := ""
	for _, ck := range w.Result().Cookies() {
		if ck.Name == auth.SessionCookie {
			cookie = ck.Name + "=" + ck.Value
		}
	}
	if w.Code != http.StatusSeeOther || cookie == "" {
		t.Fatalf("login: %d, cookie %q", w.Code, cookie)
	}
	w = serve(s, http.MethodPost, "/account/tokens", "name=script", form, urlenc, "Cookie", cookie)
	created := tokenPattern.FindString(w.Body.String())
	if w.Code != http.StatusOK || created == "" {
		t.Fatalf("create token: %d, no token shown", w.Code)
	}
	serve(s, http.MethodPost, "/account/password", "current_password="+wrong+"&new_password="+wrong+"&confirm_password="+wrong,
		form, urlenc, "Cookie", cookie)
	if w := serve(s, http.MethodGet, "/api/v1/me", "", "Authorization", "Bearer "+created); w.Code != http.StatusOK {
		t.Fatalf("the created token does not work: %d", w.Code)
	}
	serve(s, http.MethodGet, "/api/v1/me", "", "Authorization", "Bearer "+token)
	bogus := "rpt_" + strings.Repeat("Z", 43)
	serve(s, http.MethodGet, "/api/v1/me", "", "Authorization", "Bearer "+bogus)
	serve(s, http.MethodGet, "/api/v1/me?token="+token+"&password="+password, "")
	log := logs.String()
	if !strings.Contains(log, "/api/v1/me") {
		t.Fatalf("no access log captured: %.300s", log)
	}
	for _, secret := range []string{password, wrong, token, created, bogus, cookie[len(auth.SessionCookie)+1:]} {
		if strings.Contains(log, secret) {
			t.Errorf("the log contains the secret %q", secret)
		}
	}
}

// TestInlineCodeDetector: the scanner above finds what the CSP blocks and
// lets through external scripts and JSON data blocks.
func TestInlineCodeDetector(t *testing.T) {
	cases := []struct {
		html string
		bad  bool
	}{
		{`<script src="/static/js/map.js?v=1"></script>`, false},
		{`<script type="application/json" id="d">{"a":1}</script>`, false},
		{`<script>alert(1)</script>`, true},
		{"<SCRIPT type=\"text/javascript\">\nx()\n</SCRIPT >", true},
		{`<script src="/x.js">alert(1)</script>`, true},
		{`<button onclick="go()">`, true},
		{`<div style="color:red">`, true},
		{`<a href="javascript:void(0)">`, true},
		{`<p>onclick= is text, style= too</p>`, false},
	}
	for _, tc := range cases {
		if got := len(inlineCode(tc.html)) > 0; got != tc.bad {
			t.Errorf("inlineCode(%q) found %v, want %v", tc.html, got, tc.bad)
		}
	}
}

// TestHSTSBehindTLS: with secure cookies (the server is behind TLS) every
// answer tells browsers to keep to HTTPS; over plain HTTP it would be
// ignored, so it is not sent.
func TestHSTSBehindTLS(t *testing.T) {
	for _, secure := range []bool{false, true} {
		var logs bytes.Buffer
		cfg := DefaultConfig()
		cfg.SecureCookies = secure
		s, _ := isolatedServer(t, cfg, &logs)
		got := serve(s, http.MethodGet, "/healthz", "").Header().Get("Strict-Transport-Security")
		if secure != (got == "max-age=31536000") {
			t.Errorf("secure cookies %v: Strict-Transport-Security %q", secure, got)
		}
	}
}

// TestCrossSitePostsRefused: forms carry no CSRF token because the
// server refuses cross-site state changes from browsers by their
// Sec-Fetch-Site and Origin headers (what scanners report as "lack of
// anti-CSRF token" does not apply); same-site posts and non-browser
// clients pass.
func TestCrossSitePostsRefused(t *testing.T) {
	ts := newTestServer(t)
	planner := ts.client(t, web.RolePlanner)
	path := "/account/tokens"
	cases := []struct {
		headers []string
		refused bool
	}{
		{[]string{"Sec-Fetch-Site", "cross-site"}, true},
		{[]string{"Origin", "https://evil.example"}, true},
		{[]string{"Sec-Fetch-Site", "same-origin"}, false},
		{nil, false},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader("name=csrf-test"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(tc.headers); i += 2 {
			req.Header.Set(tc.headers[i], tc.headers[i+1])
		}
		resp, err := planner.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if refused := resp.StatusCode == http.StatusForbidden; refused != tc.refused {
			t.Errorf("POST %s with %q: %d, refused %v, want %v", path, tc.headers, resp.StatusCode, refused, tc.refused)
		}
	}
}

// expireSession moves the expiry of the client's session into the past
// through the store's own session methods (the write pool is not reachable
// from outside store).
func expireSession(t *testing.T, ts *testServer, c *http.Client, uid int64) {
	t.Helper()
	ctx := context.Background()
	key := sessionKey(t, ts, c)
	data, found, err := ts.db.FindSession(ctx, key)
	if err != nil || !found {
		t.Fatalf("session of the client: found %v, %v", found, err)
	}
	if _, err := ts.db.UpdateSession(ctx, key, data, time.Now().Add(-time.Minute), uid); err != nil {
		t.Fatal(err)
	}
}

// sessionKey returns the key the client's session is stored under: a
// hash of the cookie's token (HashTokenInStore), the way scs hashes it.
func sessionKey(t *testing.T, ts *testServer, c *http.Client) string {
	t.Helper()
	base, _ := url.Parse(ts.URL)
	for _, ck := range c.Jar.Cookies(base) {
		if ck.Name == auth.SessionCookie {
			sum := sha256.Sum256([]byte(ck.Value))
			return base64.RawURLEncoding.EncodeToString(sum[:])
		}
	}
	t.Fatal("the client has no session cookie")
	return ""
}
