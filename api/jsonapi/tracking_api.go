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
//
// field is the /api/v1 group without a role check: the routes a field
// account may use are there, each naming its roles, and limit what they
// show and take to the account's places (another place's shipment: 404).
func Routes(d Deps, r gin.IRoutes, g, field *gin.RouterGroup) {
	s := &handlers{d}
	r.GET("/api/v1/openapi.json", s.apiOpenAPI)
	view, plan := s.Web.RequireRole(web.RoleViewer), s.Web.RequireRole(web.RolePlanner)
	fieldView, fieldRecord := s.Web.RequireAny(web.RoleField, web.RoleViewer), s.Web.RequireAny(web.RoleField, web.RolePlanner)
	field.GET("/campaigns", fieldView, s.apiListCampaigns)
	field.GET("/campaigns/:id/shipments", fieldView, s.apiListShipments)
	g.GET("/campaigns/:id/progress", view, s.apiProgress)
	g.GET("/campaigns/:id/alerts", view, s.apiListAlerts)
	g.GET("/campaigns/:id/plan/versions", view, s.apiListPlanVersions)
	g.GET("/campaigns/:id/plan/versions/:version", view, s.apiGetPlanVersion)
	g.POST("/campaigns/:id/plan/preview", plan, s.apiPlanPreview)
	g.POST("/campaigns/:id/plan/replan-preview", plan, s.apiReplanPreview)
	g.POST("/campaigns/:id/plan/commit", plan, s.apiPlanCommit)
	field.GET("/shipments/:id", fieldView, s.apiGetShipment)
	g.PATCH("/shipments/:id", plan, s.apiPatchShipment)
	field.POST("/shipments/:id/events", fieldRecord, s.apiPostEvent)
	g.POST("/alerts/:campaign/:event/ack", plan, s.apiAckAlert)
	g.POST("/campaigns/:id/plan/versions/:version/restore", plan, s.apiRestoreVersion)
}
