package api

import (
	"mime"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// refuseBadText refuses, before any handler runs, a request whose path
// parameters, query parameters or form fields hold a NUL character or
// bytes that are not UTF-8: PostgreSQL cannot store or even compare such
// text (the request failed with 500), SQLite would store it silently. The
// answer is 400 naming the field, on both databases.
//
// Only URL-encoded form bodies are read here. A multipart body is left to
// its handler (the venue import reads a file, whose lines the CSV reader
// checks); JSON bodies are checked with their JSON paths by decodeJSON;
// the store refuses any bad text that still gets through (EInvalid).
func (s *Server) refuseBadText() gin.HandlerFunc {
	return func(c *gin.Context) {
		if field := badTextField(c); field != "" {
			s.web.FailRequest(c, web.BadRequest(planner.Invalid(planner.FieldError{
				Path: field, Message: s.web.Tr(c, "error.bad_text", "Field", field)})))
			return
		}
		c.Next()
	}
}

// badTextField names the first field of the request that is bad text, ""
// when there is none.
func badTextField(c *gin.Context) string {
	for _, p := range c.Params {
		if planner.TextProblem(p.Value) != "" {
			return p.Key
		}
	}
	// ParseQuery keeps the well-formed pairs of a query with bad escapes.
	query, _ := url.ParseQuery(c.Request.URL.RawQuery)
	if f := badValue(query); f != "" {
		return f
	}
	if !isURLEncodedForm(c) {
		return ""
	}
	// The handler would parse the form anyway; a body that cannot be read
	// leaves PostForm empty, for the handler as it would have.
	_ = c.Request.ParseForm()
	return badValue(c.Request.PostForm)
}

func badValue(vs url.Values) string {
	for k, list := range vs {
		if planner.TextProblem(k) != "" {
			return strconv.Quote(k) // the name itself is bad: show it escaped
		}
		for _, v := range list {
			if planner.TextProblem(v) != "" {
				return k
			}
		}
	}
	return ""
}

func isURLEncodedForm(c *gin.Context) bool {
	if c.Request.Body == nil || c.Request.Method == "GET" || c.Request.Method == "HEAD" {
		return false
	}
	ct, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	return ct == "application/x-www-form-urlencoded"
}
