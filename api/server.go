// Package api is Reparto's HTTP edge. It builds what the surfaces share
// (api/web's Kit, api/resolve's Resolver, api/auth's sessions), mounts the
// surfaces — api/pages (HTML for logistics staff), api/jsonapi (the JSON
// API under /api/v1 and its OpenAPI document), api/exports (downloads),
// api/mapdata (the coverage map), api/auth (sign-in, account, admin) —
// and keeps the global middleware. docs/architecture.md#the-web-layer
// says which package a change goes into.
package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/auth"
	"github.com/reparto/reparto/api/exports"
	"github.com/reparto/reparto/api/jsonapi"
	"github.com/reparto/reparto/api/mapdata"
	"github.com/reparto/reparto/api/pages"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/paper"
	"github.com/reparto/reparto/store"
)

// Config holds the server's settings; cmd/reparto fills it from flags and
// the environment.
type Config struct {
	// SecureCookies marks cookies Secure; set it when served behind TLS.
	SecureCookies bool
	// TileURL is an optional online tile layer for the map, e.g.
	// "https://tile.openstreetmap.org/{z}/{x}/{y}.png". Empty: offline map.
	TileURL string
	// TileAttribution is shown on the map when TileURL is set.
	TileAttribution string
	// GapKm is the distance beyond which a place counts as uncovered.
	GapKm float64
	// MaxBodyBytes limits request bodies (forms, JSON, CSV uploads).
	MaxBodyBytes int64
	// MaxUploadBytes limits the registry upload (pages.RegistryUploadPaths)
	// instead: a DENUE state file is 100+ MB. It is streamed to UploadDir,
	// never held in memory. 0 means pages.DefaultMaxUploadBytes (512 MB).
	MaxUploadBytes int64
	// UploadTimeout replaces RequestTimeout (and the server's read and
	// write timeouts) on those routes: an upload and an import of a
	// million rows take minutes. 0 means pages.DefaultUploadTimeout.
	UploadTimeout time.Duration
	// UploadDir keeps uploaded registry files between their preview and
	// their confirmation; "" is a directory in the system's temporary
	// directory. Replicas must share it (or keep a user on one replica).
	UploadDir string
	// TrustedProxies are the addresses (IPs or CIDRs) of reverse proxies
	// whose X-Forwarded-For is believed for the client address (login
	// throttling, audit log). Empty: the TCP peer is the client.
	TrustedProxies []string
	// RequestTimeout bounds each request's work, database calls included:
	// a call still running then fails with 503, even on a stuck database
	// connection (see store/pgconn.go). 0 means DefaultConfig's.
	RequestTimeout time.Duration
	// PublicURL is the address users reach the server at, e.g.
	// "https://reparto.example.org" (a path prefix is allowed): the base
	// of the URLs printed in box labels' QR codes. Empty: the request's
	// Host, printed only when it is a valid host[:port]; set it in
	// production so that a forged Host never ends up on a label.
	PublicURL string
}

// DefaultConfig returns the settings used when nothing is configured.
func DefaultConfig() Config {
	return Config{GapKm: 50, MaxBodyBytes: 32 << 20, RequestTimeout: 30 * time.Second,
		MaxUploadBytes: pages.DefaultMaxUploadBytes, UploadTimeout: pages.DefaultUploadTimeout}
}

// Server serves Reparto over HTTP.
type Server struct {
	cfg     Config
	db      *store.DB
	log     *slog.Logger
	now     func() time.Time
	web     *web.Kit          // shared by every surface: rendering, errors, roles (api/web)
	res     *resolve.Resolver // campaign, day and plan of a request (api/resolve)
	auth    *auth.Auth        // sessions, sign-in, account and admin (api/auth)
	paper   *paper.Renderer   // shipment documents and box labels (planner/paper)
	engine  *gin.Engine
	handler http.Handler
	uploads *pages.Uploads
	// uploadPaths are the routes with the upload limits (Config.MaxUploadBytes).
	uploadPaths map[string]bool
}

// New builds a server. Templates, catalogues and geodata are loaded here so
// that a broken template fails at start-up, not on a user's request.
func New(cfg Config, db *store.DB, log *slog.Logger, now func() time.Time) (*Server, error) {
	var err error
	if now == nil {
		now = time.Now
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultConfig().MaxBodyBytes
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = DefaultConfig().RequestTimeout
	}
	if cfg.GapKm == 0 {
		cfg.GapKm = DefaultConfig().GapKm
	}
	if cfg.PublicURL, err = CheckPublicURL(cfg.PublicURL); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, db: db, log: log, now: now, uploadPaths: map[string]bool{}}
	if s.paper, err = paper.New(assets.FS); err != nil {
		return nil, err
	}
	for _, p := range pages.RegistryUploadPaths {
		s.uploadPaths[p] = true
	}
	up, err := pages.NewUploads(cfg.UploadDir, cfg.MaxUploadBytes, cfg.UploadTimeout, nil)
	if err != nil {
		return nil, err
	}
	s.uploads = up
	s.cfg.MaxUploadBytes, s.cfg.UploadTimeout = up.MaxBytes, up.Timeout
	u, err := web.NewUI()
	if err != nil {
		return nil, err
	}
	s.web = &web.Kit{UI: u, Log: log}
	g, err := resolve.LoadGeo()
	if err != nil {
		return nil, err
	}
	s.res = &resolve.Resolver{DB: db, Now: now, Geo: g, GapKm: cfg.GapKm, Web: s.web}
	gin.SetMode(gin.ReleaseMode)
	s.engine = gin.New()
	// gin trusts every proxy by default, which would let any client pick
	// its own address with X-Forwarded-For and dodge the login throttle.
	if err := s.engine.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	s.engine.ContextWithFallback = true
	var states []auth.StateChoice
	for _, st := range g.States.States() {
		states = append(states, auth.StateChoice{Code: st.Code, Name: st.Name})
	}
	s.auth = auth.New(auth.Deps{Web: s.web, DB: db, Log: log, Now: now, SecureCookies: cfg.SecureCookies, States: states,
		SessionTimeout: cfg.RequestTimeout})
	s.engine.Use(s.requestContext(), s.deadline(), s.accessLog(), gin.CustomRecovery(s.recovered), s.securityHeaders(),
		s.noStore(), s.limitBody(), s.auth.Authenticate(), s.refuseBadText())
	// A wrong method on a known path is 405 with an Allow header, not 404.
	s.engine.HandleMethodNotAllowed = true
	s.engine.NoMethod(s.methodNotAllowed)
	s.engine.NoRoute(s.notFound)
	s.routes()
	h, err := compressed(s.wrap(s.engine))
	if err != nil {
		return nil, err
	}
	s.handler = h
	return s, nil
}

// Handler returns the root handler with session and cross-origin
// protection around the router.
func (s *Server) Handler() http.Handler { return s.handler }

// Engine exposes the router for tests that walk every route.
func (s *Server) Engine() *gin.Engine { return s.engine }

// routes registers every route. The surfaces register their own routes
// through their Routes function, given what they need (see
// docs/architecture.md): public routes on r, pages on the pg group
// (session required, viewer at least) and the JSON API on the apiv1 group
// (session or bearer token, viewer at least). Writes add
// RequireRole(web.RolePlanner) or web.RoleAdmin on the route itself. The
// route × role test walks every registered route.
func (s *Server) routes() {
	r := s.engine
	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	s.routesStatic(r)

	pg := r.Group("/", s.web.RequireRole(web.RoleViewer))
	apiv1 := r.Group("/api/v1", s.web.RequireRole(web.RoleViewer))
	// The routes open to field accounts: no role on the group, each route
	// names its roles (web.RequireAny) and limits a field account to its
	// places. Everything on pg and apiv1 refuses field with 403.
	fieldPg, fieldAPI := r.Group("/"), r.Group("/api/v1")
	s.auth.Routes(r, pg, apiv1, fieldPg, fieldAPI) // /login, /logout, /lang public; admin adds web.RoleAdmin
	pages.Routes(pages.Deps{Web: s.web, Res: s.res, DB: s.db, Now: s.now, Flash: s.auth.Flash,
		TileURL: s.cfg.TileURL, TileAttribution: s.cfg.TileAttribution, Uploads: s.uploads}, pg, fieldPg)
	jsonapi.Routes(jsonapi.Deps{Web: s.web, Res: s.res, DB: s.db, Now: s.now}, r, apiv1, fieldAPI) // openapi.json on r: public
	mapdata.Routes(mapdata.Deps{Web: s.web, Res: s.res, DB: s.db, Now: s.now,
		TileURL: s.cfg.TileURL, TileAttribution: s.cfg.TileAttribution}, pg, apiv1)
	exports.Routes(exports.Deps{Web: s.web, Res: s.res, DB: s.db, Now: s.now,
		Paper: s.paper, PublicURL: s.cfg.PublicURL}, pg, apiv1)
}

// CheckPublicURL checks a --public-url and returns it without its trailing
// slash: an absolute http or https URL with a host and nothing after the
// path (no user, query or fragment), since receipt paths are appended to
// it. Empty stays empty.
func CheckPublicURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !exports.ValidHost(u.Host) ||
		u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("public URL %q: must be an absolute http or https URL such as https://reparto.example.org, without user, query or fragment", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

// wrap adds the net/http middleware that sits outside gin.
func (s *Server) wrap(h http.Handler) http.Handler {
	// net/http's CrossOriginProtection rejects cross-site state-changing
	// requests using the browser's Sec-Fetch-Site / Origin headers: CSRF
	// protection with no token to forget in a form. Non-browser clients
	// (the JSON API with a bearer token, curl) send neither header and pass.
	// It stays outermost; sessions (api/auth) are loaded inside it.
	cop := http.NewCrossOriginProtection()
	return cop.Handler(s.auth.WithSessions(h))
}

// notFound answers an address no route has: the error page in the
// reader's language (JSON for the API), not gin's plain English text.
func (s *Server) notFound(c *gin.Context) {
	s.web.FailRequest(c, planner.Errorm(planner.ENotFound, planner.MsgPageNotFound, "there is no page at %s", c.Request.URL.Path))
}

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz reports whether the database answers, within a short deadline so a
// dead or stuck database makes the probe fail fast instead of hanging
// (store's Ping answers by the deadline even on a stuck connection).
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.log.Warn("readiness check failed", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "message": "the database is not reachable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}

// SetPasswordCost sets the bcrypt cost of passwords set through the web
// (default store.DefaultPasswordCost); tests and end-to-end runs lower it.
// Call it before serving.
func (s *Server) SetPasswordCost(cost int) { s.auth.SetPasswordCost(cost) }
