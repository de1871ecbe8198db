package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// requestContext gives every request an id that is logged and shown to the
// user with "internal error", so support can find the log line.
func (s *Server) requestContext() gin.HandlerFunc {
	return func(c *gin.Context) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		c.Set(web.RequestIDKey, id)
		c.Header("X-Request-Id", id)
		c.Next()
	}
}

// deadline gives every request Config.RequestTimeout to do its work. A
// database call still waiting then fails (503): without it a request on a
// stuck database connection waited as long as the connection stayed stuck.
func (s *Server) deadline() gin.HandlerFunc {
	return func(c *gin.Context) {
		timeout := s.cfg.RequestTimeout
		if s.uploadPaths[c.FullPath()] {
			timeout = s.cfg.UploadTimeout
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), timeout)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// accessLog logs one line per request. Query strings are left out because
// they may carry tokens; bodies are never logged.
func (s *Server) accessLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		if strings.HasPrefix(c.Request.URL.Path, "/static/") {
			return
		}
		s.log.Info("request", "method", c.Request.Method, "path", c.Request.URL.Path,
			"status", c.Writer.Status(), "ms", time.Since(start).Milliseconds(),
			"request_id", web.RequestID(c))
	}
}

// recovered turns a panic into "internal error" with the request id; the
// panic value goes to the log, never to the client.
func (s *Server) recovered(c *gin.Context, v any) {
	s.log.Error("panic", "request_id", web.RequestID(c), "path", c.Request.URL.Path, "panic", v)
	err := planner.Errorf(planner.EInternal, "panic")
	if web.WantsJSON(c) {
		s.web.APIError(c, err)
		return
	}
	s.web.PageError(c, err)
}

// securityHeaders sets a strict policy: no inline script (all JavaScript is
// in /static), no framing, no MIME sniffing, no referrer to other sites.
func (s *Server) securityHeaders() gin.HandlerFunc {
	img := "'self' data:"
	if s.cfg.TileURL != "" {
		img += " https:"
	}
	csp := "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + img +
		"; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.cfg.SecureCookies { // served over TLS: browsers must keep to HTTPS
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		c.Next()
	}
}

// uploadSlack is what a registry upload's body may hold besides the file.
const uploadSlack = 1 << 20

// limitBody caps request bodies so one request cannot exhaust memory. A
// body declared too large is refused before it is read: form handlers
// read fields with c.PostForm, which drops the reader's error, so a cut
// form would otherwise look like an empty one ("name is required").
func (s *Server) limitBody() gin.HandlerFunc {
	return func(c *gin.Context) {
		limit, upload := s.cfg.MaxBodyBytes, s.uploadPaths[c.FullPath()]
		if upload {
			// The registry upload reads its body as a stream, which reports
			// the cut, and says itself on its page that the file is too
			// large (1 MB for the multipart framing and the other fields).
			limit = s.cfg.MaxUploadBytes + uploadSlack
		}
		if c.Request.ContentLength > limit && !upload {
			s.web.FailRequest(c, web.BadRequestm(planner.MsgBodyTooLarge, "the request body is larger than %d bytes", limit))
			return
		}
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}
