package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
)

// noStore keeps every answer of the application out of browser and proxy
// caches: pages and JSON show campaign data, accounts and tokens, and a
// shared computer or the back button after signing out must not show
// them again. Static files (content-hashed, cached for a year; see
// routesStatic) and the public OpenAPI document are left alone. Handlers
// that set Cache-Control themselves keep no-store in it.
func (s *Server) noStore() gin.HandlerFunc {
	return func(c *gin.Context) {
		if p := c.Request.URL.Path; !strings.HasPrefix(p, "/static/") && p != "/api/v1/openapi.json" {
			c.Header("Cache-Control", "no-store")
		}
		c.Next()
	}
}

// methodNotAllowed answers a method a route does not have (GET on a
// POST-only route): 405, with the Allow header gin has set, as JSON under
// /api and as the error page elsewhere.
func (s *Server) methodNotAllowed(c *gin.Context) {
	d := web.ErrorDetail{Code: "method_not_allowed", RequestID: web.RequestID(c),
		Message: "this address does not accept " + c.Request.Method + "; it accepts " + c.Writer.Header().Get("Allow")}
	if web.WantsJSON(c) {
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, web.ErrorBody{Error: d})
		return
	}
	c.Abort()
	s.web.Render(c, http.StatusMethodNotAllowed, "error", gin.H{"Status": http.StatusMethodNotAllowed, "Error": d})
}
