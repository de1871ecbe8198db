// Command ceiling is the yardstick of the HTTP load script (wrk.sh): a gin
// "hello world" that answers GET /hello with about 2 KB of JSON, with gin in
// release mode and no middleware. Measured on the same pinned core as
// Reparto, in the same run, it gives the most that gin and the machine can
// serve, so Reparto's figures can be quoted as a ratio that holds across
// machines and across load on the machine.
package main

import (
	"flag"
	"log"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18090", "listen address (loopback)")
	flag.Parse()
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	// 2 KB like a small API answer: 32 items of about 64 bytes.
	items := make([]gin.H, 32)
	for i := range items {
		items[i] = gin.H{"id": i, "name": "hello world", "note": strings.Repeat("x", 24)}
	}
	r.GET("/hello", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"items": items}) })
	log.Fatal(http.ListenAndServe(*addr, r))
}
