package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/assets"
)

// routesStatic serves embedded files. URLs carry a content hash (see
// ui.assetURL), so responses may be cached for a year.
func (s *Server) routesStatic(r gin.IRoutes) {
	sub, err := fs.Sub(assets.FS, "static")
	if err != nil {
		panic(err)
	}
	files := http.FileServer(http.FS(sub))
	r.GET("/static/*path", func(c *gin.Context) {
		if c.Query("v") != "" {
			c.Header("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			c.Header("Cache-Control", "no-cache")
		}
		if strings.HasSuffix(c.Param("path"), "/") {
			c.Status(http.StatusNotFound)
			return
		}
		c.Request.URL.Path = c.Param("path")
		files.ServeHTTP(c.Writer, c.Request)
	})
	sw := s.serviceWorker()
	r.GET("/sw.js", func(c *gin.Context) {
		// A browser checks for a new worker on each visit; no-cache makes
		// it revalidate, so a release reaches phones on their next visit.
		c.Header("Cache-Control", "no-cache")
		c.Data(http.StatusOK, "text/javascript; charset=utf-8", sw)
	})
}

// swPrecache are the static files of the field pages, which the service
// worker keeps from its installation on (docs/tracking.md#recording-without-a-connection).
var swPrecache = []string{"css/app.css", "css/phone.css", "css/tracking.css", "css/field.css", "css/receive.css", "js/page.js", "js/outbox.js", "js/receive.js", "js/venues.js"}

// serviceWorker is static/js/sw.js behind a line naming the release's
// hashed URLs of swPrecache and a version that changes with any of them
// (or the worker), so that a new release installs a new worker. It is
// served at the root because a worker controls only the pages under the
// path it is served from.
func (s *Server) serviceWorker() []byte {
	src, err := fs.ReadFile(assets.FS, "static/js/sw.js")
	if err != nil {
		panic(err)
	}
	urls := make([]string, len(swPrecache))
	h := sha256.New()
	h.Write(src)
	for i, p := range swPrecache {
		urls[i] = s.web.UI.AssetURL(p)
		h.Write([]byte(urls[i]))
	}
	cfg, err := json.Marshal(map[string]any{"version": hex.EncodeToString(h.Sum(nil)[:6]), "precache": urls})
	if err != nil {
		panic(err)
	}
	return append([]byte("var REPARTO_SW = "+string(cfg)+";\n"), src...)
}
