package api

import (
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
}
