package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// ClientIP is the address the request came from: the TCP peer, or the
// X-Forwarded-For address when the peer is one of Config.TrustedProxies
// (none by default).
func ClientIP(c *gin.Context) string { return c.ClientIP() }

// PathID reads a positive integer path parameter; anything else is a
// malformed request (400), not a missing resource.
func PathID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, BadRequestm(planner.MsgPathID, "%s in the URL must be a positive integer", name)
	}
	return id, nil
}

// ActorContext returns the request context carrying the signed-in user as
// the actor of store writes (audit log, event author), unless the
// authentication middleware already put one there.
func ActorContext(c *gin.Context) context.Context {
	ctx := c.Request.Context()
	if store.ActorFrom(ctx).Email != store.ActorSystem {
		return ctx
	}
	if u := CurrentUser(c); u != nil {
		return store.WithActor(ctx, store.Actor{UserID: u.ID, Email: u.Email, IP: ClientIP(c)})
	}
	return store.WithActor(ctx, store.Actor{Email: store.ActorAnonymous, IP: ClientIP(c)})
}

// DecodeJSON reads the request body strictly into dst: unknown keys and
// trailing data are refused, so a typo never passes silently. An empty
// body is accepted when allowEmpty. Errors are 400, each with a message
// id; a key of the wrong type or not known, or a value its type refuses
// (a date that is not one), is named by its path.
//
// A string holding a NUL character or bytes that are not UTF-8 is refused
// with its JSON path (422): encoding/json would keep the NUL and quietly
// replace the bytes, and PostgreSQL refuses the first.
func DecodeJSON(c *gin.Context, dst any, allowEmpty bool) error {
	body, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return BadRequestm(planner.MsgBodyTooLarge, "the request body is larger than %d bytes", tooBig.Limit)
	}
	if err != nil {
		return BadRequestm(planner.MsgBodyUnreadable, "cannot read the request body")
	}
	if err := planner.CheckJSONText(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		switch {
		case errors.Is(err, io.EOF) && allowEmpty:
			return nil
		case errors.Is(err, io.EOF):
			return BadRequestm(planner.MsgBodyRequired, "the request needs a JSON body")
		case errors.As(err, &tooBig):
			return BadRequestm(planner.MsgBodyTooLarge, "the request body is larger than %d bytes", tooBig.Limit)
		}
		return malformedJSON(body, dst, err)
	}
	if dec.More() {
		return BadRequestm(planner.MsgJSONSyntax, "malformed JSON body: %s", "unexpected data after the JSON value")
	}
	return nil
}
