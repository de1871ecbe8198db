package web

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/planner"
)

// RequestIDKey is the gin context key of the request id that the top
// package's middleware sets; log lines and "internal error" pages show it.
const RequestIDKey = "request_id"

// RequestID is the id of request c.
func RequestID(c *gin.Context) string { return c.GetString(RequestIDKey) }

// WantsJSON tells API requests from page requests, for error rendering.
func WantsJSON(c *gin.Context) bool {
	return strings.HasPrefix(c.Request.URL.Path, "/api/") ||
		strings.Contains(c.GetHeader("Accept"), "application/json")
}

// ETag is a versioned record's weak entity tag: its version.
func ETag(version int) string { return `W/"` + strconv.Itoa(version) + `"` }

// IfMatch reads the version of an If-Match header (W/"3", "3" or 3);
// 0 when the header is absent or "*". A malformed header is 400.
func IfMatch(c *gin.Context) (int, error) {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	v := strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, BadField("If-Match", planner.MsgIfMatch, `must be the ETag of the shipment, e.g. W/"3"`)
	}
	return n, nil
}
