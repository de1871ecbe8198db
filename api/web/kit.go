package web

import (
	"bytes"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
)

// Kit is what the shared helpers need, built once by package api and
// passed to every surface: the loaded templates and catalogues, and the
// log. It holds no database so that rendering and error mapping cannot
// grow into a second Server.
type Kit struct {
	UI  *UI
	Log *slog.Logger
}

// Render executes a page inside the layout. A template error after
// headers are written cannot change the status, so the page is rendered
// into a buffer first.
func (k *Kit) Render(c *gin.Context, status int, name string, data any) {
	if b := k.RenderHTML(c, name, data); b != nil {
		c.Data(status, "text/html; charset=utf-8", b)
	}
}

// RenderHTML is Render's page as bytes, for a handler that keeps it to
// send again (api/pages' dashboard); on an error it answers "internal
// error" as Render does and returns nil.
func (k *Kit) RenderHTML(c *gin.Context, name string, data any) []byte {
	t, ok := k.UI.pages[name]
	if !ok {
		panic("api: unknown page " + name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", k.NewPage(c, name, data)); err != nil {
		k.Log.Error("render", "page", name, "err", err, "request_id", RequestID(c))
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error ("+RequestID(c)+")"))
		return nil
	}
	return buf.Bytes()
}

// Tr translates a message id in the request's language, for flashes and
// messages built outside a template.
func (k *Kit) Tr(c *gin.Context, id string, args ...any) string {
	return k.NewPage(c, "", nil).T(id, args...)
}
