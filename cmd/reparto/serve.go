package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/reparto/reparto/api"
	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/store"
)

// serveCmd runs the web application.
type serveCmd struct {
	env *env
	// ready, when set, receives the listening address (tests use port 0).
	ready chan<- string
	// now overrides the clock (tests).
	now func() time.Time
}

func (*serveCmd) Name() string     { return "serve" }
func (*serveCmd) Synopsis() string { return "run the web application" }

func (c *serveCmd) Run(ctx context.Context, args []string) error {
	fs := c.env.newFlags("serve", c.Synopsis())
	addr := fs.String("addr", envOr(c.env.getenv, "REPARTO_ADDR", ":8080"), "listen address (env REPARTO_ADDR)")
	dbc := c.env.dbFlags(fs)
	cfg := api.DefaultConfig()
	fs.BoolVar(&cfg.SecureCookies, "secure-cookies", c.env.getenv("REPARTO_SECURE_COOKIES") == "1", "mark cookies Secure, for serving behind TLS (env REPARTO_SECURE_COOKIES=1)")
	fs.StringVar(&cfg.TileURL, "tiles", c.env.getenv("REPARTO_TILE_URL"), "optional online map tile URL template (env REPARTO_TILE_URL); empty keeps the map offline")
	fs.StringVar(&cfg.TileAttribution, "tiles-attribution", c.env.getenv("REPARTO_TILE_ATTRIBUTION"), "attribution shown with the online tiles")
	proxies := fs.String("trusted-proxies", c.env.getenv("REPARTO_TRUSTED_PROXIES"), "comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For is trusted (env REPARTO_TRUSTED_PROXIES)")
	fs.StringVar(&cfg.PublicURL, "public-url", c.env.getenv("REPARTO_PUBLIC_URL"),
		"address users reach the server at, e.g. https://reparto.example.org: the base of the URLs in box labels' QR codes (env REPARTO_PUBLIC_URL); empty uses each request's Host, set it in production")
	timeout := fs.String("request-timeout", envOr(c.env.getenv, "REPARTO_REQUEST_TIMEOUT", cfg.RequestTimeout.String()),
		"deadline of each request, database work included; past it the request fails with 503 (env REPARTO_REQUEST_TIMEOUT)")
	fs.StringVar(&cfg.UploadDir, "upload-dir", c.env.getenv("REPARTO_UPLOAD_DIR"),
		"where uploaded registry files wait between preview and import; replicas must share it (env REPARTO_UPLOAD_DIR; default: a directory in the system's temporary directory)")
	maxUpload := fs.String("max-upload-mb", envOr(c.env.getenv, "REPARTO_MAX_UPLOAD_MB", strconv.FormatInt(cfg.MaxUploadBytes>>20, 10)), "largest registry file (DENUE, CLUES) the web accepts, in MB (env REPARTO_MAX_UPLOAD_MB)")
	demo := fs.Bool("demo", envOr(c.env.getenv, "REPARTO_DEMO", "1") == "1", "load the 2009 demo campaign into an empty database (env REPARTO_DEMO=0 to disable)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if d, err := time.ParseDuration(*timeout); err == nil && d > 0 {
		cfg.RequestTimeout = d
	} else {
		return fmt.Errorf("--request-timeout: want a duration such as 30s or 2m, got %q", *timeout)
	}
	if mb, err := strconv.ParseInt(*maxUpload, 10, 64); err == nil && mb > 0 && mb < 1<<20 {
		cfg.MaxUploadBytes = mb << 20
	} else {
		return fmt.Errorf("--max-upload-mb: want a positive number of megabytes, got %q", *maxUpload)
	}
	if *proxies != "" {
		for _, p := range strings.Split(*proxies, ",") {
			cfg.TrustedProxies = append(cfg.TrustedProxies, strings.TrimSpace(p))
		}
	}
	if _, err := api.CheckPublicURL(cfg.PublicURL); err != nil {
		return fmt.Errorf("--public-url: %w", err)
	}
	log := slog.New(slog.NewTextHandler(c.env.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if cfg.PublicURL == "" {
		log.Warn("--public-url is not set: QR codes on box labels take the address each request was made with; set it in production")
	}

	if err := startDebug(c.env.getenv("REPARTO_DEBUG_ADDR"), log); err != nil {
		return err
	}
	db, err := openDB(ctx, dbc)
	if err != nil {
		return err
	}
	defer db.Close()
	log.Info("database ready", "dialect", db.Dialect)

	if *demo {
		if err := seedDemo(ctx, db, log); err != nil {
			return fmt.Errorf("load demo campaign: %w", err)
		}
	}
	if err := ensureAdmin(ctx, db, log, c.env); err != nil {
		return err
	}

	srv, err := api.New(cfg, db, log, c.now)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	log.Info("Reparto is listening", "url", "http://"+displayAddr(ln.Addr()))
	if c.ready != nil {
		c.ready <- ln.Addr().String()
	}

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Drain in-flight requests before closing the database.
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// displayAddr turns ":8080" / "[::]:8080" into "localhost:8080" for the log.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// seedDemo loads the 2009 campaign when the database has no campaign yet,
// so a newcomer sees a campaign in progress at first start.
func seedDemo(ctx context.Context, db *store.DB, log *slog.Logger) error {
	list, err := db.ListCampaigns(ctx)
	if err != nil {
		return err
	}
	if len(list) > 0 {
		return nil
	}
	f, err := assets.FS.Open("data/campaign-2009.json")
	if err != nil {
		return err
	}
	defer f.Close()
	id, camp, err := db.ImportCampaignFile(ctx, f)
	if err != nil {
		return err
	}
	log.Info("loaded the 2009 demo campaign", "campaign", id, "materials", len(camp.Materials), "cities", len(camp.Cities))
	shipments, events, err := db.SeedDemoTracking(ctx, id, camp)
	if err != nil {
		return err
	}
	log.Info("loaded the demo tracking log", "campaign", id, "shipments", shipments, "events", events)
	return nil
}
