package auth

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// routesLogin registers the routes that work without a session.
func (s *Auth) routesLogin(r gin.IRoutes) {
	r.GET("/login", s.loginForm)
	r.POST("/login", s.login)
	r.POST("/logout", s.logout)
	r.POST("/lang", s.switchLang)
}

// loginData is what login.html shows.
type loginData struct {
	Email   string
	Next    string
	Message string // message id of what went wrong
	Minutes int    // for auth.too_many
}

func (s *Auth) loginForm(c *gin.Context) {
	next := localPath(c.Query("next"))
	if web.CurrentUser(c) != nil {
		c.Redirect(http.StatusSeeOther, orHome(next))
		return
	}
	s.Web.Render(c, http.StatusOK, "login", loginData{Next: next})
}

// login checks the email and password. Failures all say the same thing,
// whether the email exists or not, and take as long (a bcrypt check
// either way), so the form does not tell which accounts exist; they are
// throttled per account and per IP (api/auth/ratelimit.go) and audited. The
// attempt is counted before the password is checked, so parallel
// attempts cannot get past the limit.
func (s *Auth) login(c *gin.Context) {
	if !usesSession(c.Request) {
		s.Web.FailRequest(c, web.BadRequestm(planner.MsgLoginHeader, "sign in with the form, without an Authorization header"))
		return
	}
	ctx := c.Request.Context()
	email := strings.ToLower(strings.TrimSpace(c.PostForm("email")))
	password := c.PostForm("password")
	d := loginData{Email: email, Next: localPath(c.PostForm("next"))}
	ip, now := web.ClientIP(c), s.Now()

	wait, attempt := s.limits.reserve(email, ip, now)
	if wait > 0 {
		d.Message, d.Minutes = "auth.too_many", waitMinutes(wait)
		if d.Minutes == 1 {
			d.Message = "auth.too_many_one"
		}
		c.Header("Retry-After", strconv.Itoa(int(wait.Round(time.Second)/time.Second)))
		s.Web.Render(c, http.StatusTooManyRequests, "login", d)
		return
	}

	u, err := s.DB.GetUserByEmail(ctx, email)
	reason := ""
	switch {
	case planner.ErrorCode(err) == planner.ENotFound:
		_ = s.checkPassword(store.User{}, password) // same time as a real check
		reason = "unknown_email"
	case err != nil:
		attempt.release() // no password was checked
		s.Web.PageError(c, err)
		return
	case !s.checkPassword(u, password):
		reason = "bad_password"
	case u.Disabled:
		reason = "disabled"
	}
	if reason != "" { // the reserved attempt stays counted
		s.auditLogin(c, store.AuditLoginFailed, u, map[string]any{"email": email, "reason": reason})
		d.Message = "auth.bad_credentials"
		if reason == "disabled" { // the password was right: the owner may know
			d.Message = "auth.disabled"
		}
		s.Web.Render(c, http.StatusUnauthorized, "login", d)
		return
	}

	attempt.succeeded()
	if err := s.signIn(c, u); err != nil {
		s.Web.PageError(c, err)
		return
	}
	c.Request = c.Request.WithContext(store.WithActor(ctx, store.Actor{UserID: u.ID, Email: u.Email, IP: ip}))
	s.auditLogin(c, store.AuditLogin, u, nil)
	if u.MustChangePassword {
		// The page asked for (a scanned label's receipt) follows through
		// the password change instead of being forgotten.
		to := "/account"
		if d.Next != "" {
			to += "?next=" + url.QueryEscape(d.Next)
		}
		c.Redirect(http.StatusSeeOther, to)
		return
	}
	c.Redirect(http.StatusSeeOther, orHome(d.Next))
}

// auditLogin records a sign-in or a failed one. An audit failure is logged
// but does not block signing in: the database answered a moment ago.
func (s *Auth) auditLogin(c *gin.Context, action string, u store.User, after any) {
	e := store.AuditEntry{Action: action, Entity: "user", After: after}
	if u.ID != 0 {
		e.EntityID = strconv.FormatInt(u.ID, 10)
	}
	if err := s.DB.LogAudit(c.Request.Context(), e); err != nil {
		s.Log.Error("audit login", append(web.LogAttrs(c), "err", err)...)
	}
}

func (s *Auth) logout(c *gin.Context) {
	if u := web.CurrentUser(c); u != nil {
		s.auditLogin(c, store.AuditLogout, store.User{ID: u.ID}, nil)
	}
	if usesSession(c.Request) {
		if err := s.Sessions.Destroy(c.Request.Context()); err != nil {
			s.Web.PageError(c, err)
			return
		}
	}
	c.Redirect(http.StatusSeeOther, "/login")
}

// switchLang remembers the chosen language for a year and goes back to
// the page the switch was on.
func (s *Auth) switchLang(c *gin.Context) {
	lang := c.PostForm("lang")
	if lang != "es" && lang != "en" {
		s.Web.PageError(c, web.BadField("lang", planner.MsgOneOf, "must be one of %s", "es, en"))
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: web.LangCookie, Value: lang, Path: "/",
		MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	c.Redirect(http.StatusSeeOther, orHome(localPath(c.PostForm("back"))))
}

// localPath returns p when it is a path on this site ("/campaigns/3?x=1")
// and "" otherwise, so that redirects to user-supplied targets cannot send
// anyone to another site: "//evil.example", "/\evil.example" and
// "https://evil.example" are all refused.
func localPath(p string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") {
		return ""
	}
	for _, r := range p {
		if r == '\\' || r < 0x20 || r == 0x7f {
			return ""
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") {
		return ""
	}
	return p
}

func orHome(p string) string {
	if p == "" {
		return "/campaigns"
	}
	return p
}
