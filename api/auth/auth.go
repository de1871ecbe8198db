package auth

import (
	"context"
	"log/slog"
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
	SessionCookie   = "reparto_session" // the session cookie's name
	sessionLifetime = 12 * time.Hour
	sessionIdle     = 2 * time.Hour
	sessionUserKey  = "user_id"
	sessionStampKey = "password_stamp" // store.User.PasswordStamp at sign-in
	sessionFlashKey = "flash"
)

// Deps is what authentication and the account and admin pages need from
// the rest of the web layer.
type Deps struct {
	Web *web.Kit
	DB  *store.DB
	Log *slog.Logger
	Now func() time.Time
	// SecureCookies marks the session cookie Secure (api.Config).
	SecureCookies bool
	// States are the states an admin may assign to a field account, by
	// name (the shipped geography's).
	States []StateChoice
	// SessionTimeout bounds each read and write of the session store
	// (api.Config.RequestTimeout). Sessions are loaded and saved outside
	// the router, before its request deadline starts and after it ends,
	// so without it a stuck database held a page request forever.
	SessionTimeout time.Duration
}

// StateChoice is a state offered on the admin's user form.
type StateChoice struct{ Code, Name string }

// Auth is the state of authentication: the session manager (sessions in
// the database, shared by replicas), the login throttle and the bcrypt
// cost; its methods are the middleware that finds the caller and the
// sign-in, account and admin handlers.
type Auth struct {
	Deps
	// Sessions is the session manager; tests read its cookie settings.
	Sessions *scs.SessionManager
	limits   *loginLimits
	// cost is the bcrypt cost of new passwords; tests lower it.
	cost int
	// OnPasswordCheck, when set, is called before every password check
	// (sign-in, current password), so tests can count and hold them.
	OnPasswordCheck func()

	dummyOnce sync.Once
	dummy     string
}

// New builds the authentication of a server.
func New(d Deps) *Auth {
	s := &Auth{Deps: d, limits: newLoginLimits(), cost: store.DefaultPasswordCost}
	m := scs.New()
	m.Codec = sessionCodec{}
	m.Store = sessionStore{db: d.DB, codec: m.Codec, timeout: d.SessionTimeout}
	m.HashTokenInStore = true // a copy of the table signs nobody in
	m.Lifetime = sessionLifetime
	m.IdleTimeout = sessionIdle
	m.Cookie.Name = SessionCookie
	m.Cookie.HttpOnly = true
	m.Cookie.SameSite = http.SameSiteLaxMode
	m.Cookie.Secure = d.SecureCookies
	m.Cookie.Path = "/"
	m.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		d.Log.Error("session store", "err", err, "path", r.URL.Path)
		// Said before any page, as plain text: in the page's language, and
		// to the API in English unless Accept-Language asks (as PublicError).
		msg, gc := "the session store is not reachable; try again in a moment", &gin.Context{Request: r}
		if !web.WantsJSON(gc) || r.Header.Get("Accept-Language") != "" {
			msg = web.NewPageFor(d.Web.UI, web.LangOf(gc)).Message(planner.MsgUnavailable, nil, msg)
		}
		http.Error(w, msg, http.StatusServiceUnavailable)
	}
	s.Sessions = m
	return s
}

// SetPasswordCost sets the bcrypt cost of passwords set through the web
// (default store.DefaultPasswordCost); tests and end-to-end runs lower it.
// Call it before serving.
func (s *Auth) SetPasswordCost(cost int) { s.cost = cost }

// dummyHash is a hash to check passwords of unknown accounts against, so
// that "no such email" takes as long as "wrong password".
func (a *Auth) dummyHash() string {
	a.dummyOnce.Do(func() { a.dummy, _ = store.HashPassword("password", "not a real password", a.cost) })
	return a.dummy
}

// checkPassword reports whether password is u's password. For an
// unknown account (u.ID 0) it checks against a dummy hash, so that "no
// such email" costs a bcrypt comparison too and takes as long.
func (a *Auth) checkPassword(u store.User, password string) bool {
	if a.OnPasswordCheck != nil {
		a.OnPasswordCheck()
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
	db      *store.DB
	codec   scs.Codec
	timeout time.Duration // per call; 0: none
}

// bounded gives one session store call its deadline.
func (st sessionStore) bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	if st.timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, st.timeout)
}

// sessionLoad remembers, for one request, which token the store found and
// the row it read (WithSessions puts one in every request's context). With
// an idle timeout the session manager saves the session after every
// request to move its expiry; a save that would change nothing worth
// writing (store.SessionRow.Current) is skipped without asking the
// database again, so a page view only reads.
type sessionLoad struct {
	token string
	row   store.SessionRow
}

type sessionLoadKey struct{}

func (st sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	bctx, cancel := st.bounded(ctx)
	defer cancel()
	row, found, err := st.db.FindSessionRow(bctx, token)
	if l, ok := ctx.Value(sessionLoadKey{}).(*sessionLoad); ok && found {
		l.token, l.row = token, row
	}
	return row.Data, found, err
}

func (st sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	l, loaded := ctx.Value(sessionLoadKey{}).(*sessionLoad)
	if loaded && l.token == token && l.row.Current(b, expiry) {
		return nil
	}
	var uid int64
	if _, values, err := st.codec.Decode(b); err == nil {
		uid, _ = values[sessionUserKey].(int64)
	}
	bctx, cancel := st.bounded(ctx)
	defer cancel()
	if loaded && l.token == token {
		_, err := st.db.UpdateSession(bctx, token, b, expiry, uid)
		return err
	}
	return st.db.InsertSession(bctx, token, b, expiry, uid)
}

func (st sessionStore) DeleteCtx(ctx context.Context, token string) error {
	bctx, cancel := st.bounded(ctx)
	defer cancel()
	return st.db.DeleteSession(bctx, token)
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

// WithSessions loads and saves the session around h (see usesSession).
func (s *Auth) WithSessions(h http.Handler) http.Handler {
	withSession := s.Sessions.LoadAndSave(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if usesSession(r) {
			withSession.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionLoadKey{}, &sessionLoad{})))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Authenticate finds who is calling, on every request: the owner of a
// bearer token, or the user of the session, loaded afresh from the
// database so that disabling a user or changing a role applies at once.
// It sets web.CtxUser (*web.SessionUser) and the store's audit actor; requests
// without a user go on anonymously and requireRole decides.
func (s *Auth) Authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		ip := web.ClientIP(c)
		actor := store.Actor{Email: store.ActorAnonymous, IP: ip}
		var u *store.User
		if h := c.GetHeader("Authorization"); h != "" {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				s.Web.APIError(c, planner.Errorm(planner.EUnauthorized, planner.MsgAuthHeader, "the Authorization header must be: Bearer TOKEN"))
				return
			}
			tu, _, err := s.DB.AuthenticateToken(c.Request.Context(), strings.TrimSpace(secret))
			if err != nil {
				s.Web.APIError(c, err)
				return
			}
			u = &tu
		} else if usesSession(c.Request) {
			var err error
			if u, err = s.sessionUser(c); err != nil {
				s.Web.FailRequest(c, err)
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
func (s *Auth) sessionUser(c *gin.Context) (*store.User, error) {
	ctx := c.Request.Context()
	if msg := s.Sessions.PopString(ctx, sessionFlashKey); msg != "" {
		c.Set(web.CtxFlash, msg)
	}
	uid := s.Sessions.GetInt64(ctx, sessionUserKey)
	if uid == 0 {
		return nil, nil
	}
	u, err := s.DB.GetUser(ctx, uid)
	// A session signed in with another password than the user's own (a
	// sign-in that checked the old password while it was being changed)
	// ends too. Sessions from before stamps existed have none.
	stamp := s.Sessions.GetString(ctx, sessionStampKey)
	if planner.ErrorCode(err) == planner.ENotFound || (err == nil && (u.Disabled || (stamp != "" && stamp != u.PasswordStamp()))) {
		return nil, s.Sessions.Destroy(ctx)
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

func (s *Auth) requirePasswordChange(c *gin.Context) {
	if web.WantsJSON(c) {
		s.Web.APIError(c, planner.Errorm(planner.EForbidden, planner.MsgChangePassword, "change your password on /account first"))
		return
	}
	c.Redirect(http.StatusSeeOther, "/account")
	c.Abort()
}

// Flash shows msg on the next page the user sees (after a redirect).
func (s *Auth) Flash(c *gin.Context, msg string) {
	if usesSession(c.Request) {
		s.Sessions.Put(c.Request.Context(), sessionFlashKey, msg)
	}
}

// signIn starts a session for u with a new token (no session fixation),
// stamped with u's password (see store.User.PasswordStamp).
func (s *Auth) signIn(c *gin.Context, u store.User) error {
	ctx := c.Request.Context()
	if err := s.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.Sessions.Put(ctx, sessionUserKey, u.ID)
	s.Sessions.Put(ctx, sessionStampKey, u.PasswordStamp())
	return nil
}
