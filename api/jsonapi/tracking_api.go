package jsonapi

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/store"
)

// Deps is what the JSON API needs from the rest of the web layer.
type Deps struct {
	Web *web.Kit
	Res *resolve.Resolver
	DB  *store.DB
	Now func() time.Time
}

type handlers struct{ Deps }

// Routes registers the delivery-tracking and planning routes of the JSON
// API on g (the /api/v1 group): reads need the viewer role, writes the
// planner role. Every path here is documented in OpenAPI(); a test fails
// when one is missing. The API description itself is public on r: it
// holds no data, and clients need it before they have a token.
func Routes(d Deps, r gin.IRoutes, g *gin.RouterGroup) {
	s := &handlers{d}
	r.GET("/api/v1/openapi.json", s.apiOpenAPI)
	view, plan := s.Web.RequireRole(web.RoleViewer), s.Web.RequireRole(web.RolePlanner)
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
	g.POST("/campaigns/:id/plan/versions/:version/restore", plan, s.apiRestoreVersion)
}
