package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// routesTrackingAPI registers the delivery-tracking and planning routes of
// the JSON API on g (the /api/v1 group): reads need the viewer role,
// writes the planner role. Every path here is documented in openAPI();
// a test fails when one is missing.
func (s *Server) routesTrackingAPI(g *gin.RouterGroup) {
	view, plan := s.web.RequireRole(web.RoleViewer), s.web.RequireRole(web.RolePlanner)
	g.GET("/campaigns", view, s.apiListCampaigns)
	g.GET("/campaigns/:id/shipments", view, s.apiListShipments)
	g.GET("/campaigns/:id/progress", view, s.apiProgress)
	g.GET("/campaigns/:id/alerts", view, s.apiListAlerts)
	g.GET("/campaigns/:id/plan/versions", view, s.apiListPlanVersions)
	g.GET("/campaigns/:id/plan/versions/:version", view, s.apiGetPlanVersion)
	g.POST("/campaigns/:id/plan/preview", plan, s.apiPlanPreview)
	g.POST("/campaigns/:id/plan/replan-preview", plan, s.apiReplanPreview)
	g.POST("/campaigns/:id/plan/commit", plan, s.apiPlanCommit)
	g.GET("/shipments/:id", view, s.apiGetShipment)
	g.PATCH("/shipments/:id", plan, s.apiPatchShipment)
	g.POST("/shipments/:id/events", plan, s.apiPostEvent)
	g.POST("/alerts/:campaign/:event/ack", plan, s.apiAckAlert)
}

// routesOpenAPI serves the API description to anyone: it holds no data,
// and clients need it before they have a token.
func (s *Server) routesOpenAPI(r gin.IRoutes) {
	r.GET("/api/v1/openapi.json", s.apiOpenAPI)
}

// pathID reads a positive integer path parameter; anything else is a
// malformed request (400), not a missing resource.
func pathID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, web.ErrBadRequest("%s in the URL must be a positive integer", name)
	}
	return id, nil
}

// actorContext returns the request context carrying the signed-in user as
// the actor of store writes (audit log, event author), unless the
// authentication middleware already put one there.
func (s *Server) actorContext(c *gin.Context) context.Context {
	ctx := c.Request.Context()
	if store.ActorFrom(ctx).Email != store.ActorSystem {
		return ctx
	}
	if u := web.CurrentUser(c); u != nil {
		return store.WithActor(ctx, store.Actor{UserID: u.ID, Email: u.Email, IP: clientIP(c)})
	}
	return store.WithActor(ctx, store.Actor{Email: store.ActorAnonymous, IP: clientIP(c)})
}

// decodeJSON reads the request body strictly into dst: unknown keys and
// trailing data are refused, so a typo never passes silently. An empty
// body is accepted when allowEmpty. Errors are 400.
//
// A string holding a NUL character or bytes that are not UTF-8 is refused
// with its JSON path (422): encoding/json would keep the NUL and quietly
// replace the bytes, and PostgreSQL refuses the first.
func decodeJSON(c *gin.Context, dst any, allowEmpty bool) error {
	body, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return web.ErrBadRequest("the request body is larger than %d bytes", tooBig.Limit)
	}
	if err != nil {
		return web.ErrBadRequest("cannot read the request body")
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
			return web.ErrBadRequest("the request needs a JSON body")
		case errors.As(err, &tooBig):
			return web.ErrBadRequest("the request body is larger than %d bytes", tooBig.Limit)
		}
		return web.ErrBadRequest("malformed JSON body: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return web.ErrBadRequest("malformed JSON body: unexpected data after the JSON value")
	}
	return nil
}
