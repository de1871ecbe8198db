package api

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// Session settings: a working day at most, and two idle hours.
const (
	sessionCookie   = "reparto_session"
	sessionLifetime = 12 * time.Hour
	sessionIdle     = 2 * time.Hour
	sessionUserKey  = "user_id"
	sessionStampKey = "password_stamp" // store.User.PasswordStamp at sign-in
	sessionFlashKey = "flash"
)

// auth is the state of authentication: the session manager (sessions in
// the database, shared by replicas), the login throttle and the bcrypt cost.
type auth struct {
	sessions *scs.SessionManager
	limits   *loginLimits
	// cost is the bcrypt cost of new passwords; tests lower it.
	cost int
	// onPasswordCheck, when set, is called before every password check
	// (sign-in, current password), so tests can count and hold them.
	onPasswordCheck func()

	dummyOnce sync.Once
	dummy     string
}

func newAuth(s *Server) *auth {
	m := scs.New()
	m.Store = sessionStore{db: s.db, codec: m.Codec}
	m.HashTokenInStore = true // a copy of the table signs nobody in
	m.Lifetime = sessionLifetime
	m.IdleTimeout = sessionIdle
	m.Cookie.Name = sessionCookie
	m.Cookie.HttpOnly = true
	m.Cookie.SameSite = http.SameSiteLaxMode
	m.Cookie.Secure = s.cfg.SecureCookies
	m.Cookie.Path = "/"
	m.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		s.log.Error("session store", "err", err, "path", r.URL.Path)
		http.Error(w, "the session store is not reachable; try again in a moment", http.StatusServiceUnavailable)
	}
	return &auth{sessions: m, limits: newLoginLimits(), cost: store.DefaultPasswordCost}
}

// SetPasswordCost sets the bcrypt cost of passwords set through the web
// (default store.DefaultPasswordCost); tests and end-to-end runs lower it.
// Call it before serving.
func (s *Server) SetPasswordCost(cost int) { s.auth.cost = cost }

// dummyHash is a hash to check passwords of unknown accounts against, so
// that "no such email" takes as long as "wrong password".
func (a *auth) dummyHash() string {
	a.dummyOnce.Do(func() { a.dummy, _ = store.HashPassword("password", "not a real password", a.cost) })
	return a.dummy
}

// checkPassword reports whether password is u's password. For an
// unknown account (u.ID 0) it checks against a dummy hash, so that "no
// such email" costs a bcrypt comparison too and takes as long.
func (a *auth) checkPassword(u store.User, password string) bool {
	if a.onPasswordCheck != nil {
		a.onPasswordCheck()
	}
	if u.ID == 0 {
		_ = store.CheckPasswordHash(a.dummyHash(), password)
		return false
	}
	return u.CheckPassword(password)
}

// sessionStore keeps scs sessions in the database (scs.CtxStore). It
// copies the user id out of the session data into its own column, so that
// all sessions of one user can be ended at once.
//
// It never brings a deleted session back: a session found at the start of
// a request is only updated at its end, so when it was revoked meanwhile
// (signed out in another tab, password changed, sessions revoked, user
// disabled) the late save changes nothing. Only a token the session
// manager made during the request (sign-in) is inserted.
type sessionStore struct {
	db    *store.DB
	codec scs.Codec
}

// sessionLoad remembers, for one request, which token the store found
// (withSessions puts one in every request's context).
type sessionLoad struct{ token string }

type sessionLoadKey struct{}

func (st sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	b, found, err := st.db.FindSession(ctx, token)
	if l, ok := ctx.Value(sessionLoadKey{}).(*sessionLoad); ok && found {
		l.token = token
	}
	return b, found, err
}

func (st sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	var uid int64
	if _, values, err := st.codec.Decode(b); err == nil {
		uid, _ = values[sessionUserKey].(int64)
	}
	if l, ok := ctx.Value(sessionLoadKey{}).(*sessionLoad); ok && l.token == token {
		_, err := st.db.UpdateSession(ctx, token, b, expiry, uid)
		return err
	}
	return st.db.InsertSession(ctx, token, b, expiry, uid)
}

func (st sessionStore) DeleteCtx(ctx context.Context, token string) error {
	return st.db.DeleteSession(ctx, token)
}

func (st sessionStore) Find(token string) ([]byte, bool, error) {
	return st.FindCtx(context.Background(), token)
}

func (st sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return st.CommitCtx(context.Background(), token, b, expiry)
}

func (st sessionStore) Delete(token string) error { return st.DeleteCtx(context.Background(), token) }

// usesSession says whether a request goes through the session manager:
// not static files and probes (no database read for each), and not API
// clients that authenticate with a bearer token (no cookie for them).
func usesSession(r *http.Request) bool {
	p := r.URL.Path
	return r.Header.Get("Authorization") == "" &&
		!strings.HasPrefix(p, "/static/") && p != "/healthz" && p != "/readyz"
}

// withSessions loads and saves the session around h (see usesSession).
func (s *Server) withSessions(h http.Handler) http.Handler {
	withSession := s.auth.sessions.LoadAndSave(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if usesSession(r) {
			withSession.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionLoadKey{}, &sessionLoad{})))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// authenticate finds who is calling, on every request: the owner of a
// bearer token, or the user of the session, loaded afresh from the
// database so that disabling a user or changing a role applies at once.
// It sets web.CtxUser (*web.SessionUser) and the store's audit actor; requests
// without a user go on anonymously and requireRole decides.
func (s *Server) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		ip := web.ClientIP(c)
		actor := store.Actor{Email: store.ActorAnonymous, IP: ip}
		var u *store.User
		if h := c.GetHeader("Authorization"); h != "" {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				s.web.APIError(c, planner.Errorf(planner.EUnauthorized, "the Authorization header must be: Bearer TOKEN"))
				return
			}
			tu, _, err := s.db.AuthenticateToken(c.Request.Context(), strings.TrimSpace(secret))
			if err != nil {
				s.web.APIError(c, err)
				return
			}
			u = &tu
		} else if usesSession(c.Request) {
			var err error
			if u, err = s.sessionUser(c); err != nil {
				s.web.FailRequest(c, err)
				return
			}
		}
		if u != nil {
			c.Set(web.CtxUser, &web.SessionUser{ID: u.ID, Email: u.Email, Role: u.Role})
			actor = store.Actor{UserID: u.ID, Email: u.Email, IP: ip}
		}
		c.Request = c.Request.WithContext(store.WithActor(c.Request.Context(), actor))
		if u != nil && u.MustChangePassword && c.GetHeader("Authorization") == "" && !mayUseBeforeChange(c.Request.URL.Path) {
			s.requirePasswordChange(c)
			return
		}
		c.Next()
	}
}

// sessionUser returns the session's user, or nil when there is none or the
// user is gone or disabled (the session is then ended). It also moves a
// flash message from the session to the page.
func (s *Server) sessionUser(c *gin.Context) (*store.User, error) {
	ctx := c.Request.Context()
	if msg := s.auth.sessions.PopString(ctx, sessionFlashKey); msg != "" {
		c.Set(web.CtxFlash, msg)
	}
	uid := s.auth.sessions.GetInt64(ctx, sessionUserKey)
	if uid == 0 {
		return nil, nil
	}
	u, err := s.db.GetUser(ctx, uid)
	// A session signed in with another password than the user's own (a
	// sign-in that checked the old password while it was being changed)
	// ends too. Sessions from before stamps existed have none.
	stamp := s.auth.sessions.GetString(ctx, sessionStampKey)
	if planner.ErrorCode(err) == planner.ENotFound || (err == nil && (u.Disabled || (stamp != "" && stamp != u.PasswordStamp()))) {
		return nil, s.auth.sessions.Destroy(ctx)
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// mayUseBeforeChange lists what a user who must change the password may
// still reach: the account page and signing out.
func mayUseBeforeChange(path string) bool {
	return path == "/account" || path == "/account/password" || path == "/logout" || path == "/lang"
}

func (s *Server) requirePasswordChange(c *gin.Context) {
	if web.WantsJSON(c) {
		s.web.APIError(c, planner.Errorf(planner.EForbidden, "change your password on /account first"))
		return
	}
	c.Redirect(http.StatusSeeOther, "/account")
	c.Abort()
}

// setFlash shows msg on the next page the user sees (after a redirect).
func (s *Server) setFlash(c *gin.Context, msg string) {
	if usesSession(c.Request) {
		s.auth.sessions.Put(c.Request.Context(), sessionFlashKey, msg)
	}
}

// signIn starts a session for u with a new token (no session fixation),
// stamped with u's password (see store.User.PasswordStamp).
func (s *Server) signIn(c *gin.Context, u store.User) error {
	ctx := c.Request.Context()
	if err := s.auth.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.auth.sessions.Put(ctx, sessionUserKey, u.ID)
	s.auth.sessions.Put(ctx, sessionStampKey, u.PasswordStamp())
	return nil
}
