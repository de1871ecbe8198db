package pages

import (
	"time"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/store"
)

// Deps is what the pages need from the rest of the web layer.
type Deps struct {
	Web *web.Kit
	Res *resolve.Resolver
	DB  *store.DB
	Now func() time.Time
	// Flash shows a message on the next page the user sees (after a
	// redirect); sessions live in the top package api.
	Flash func(c *gin.Context, msg string)
	// TileURL and TileAttribution name an optional online tile layer for
	// the campaign settings' depot map (api.Config).
	TileURL, TileAttribution string
	// Uploads keeps registry files between preview and confirmation.
	Uploads *Uploads
}

type handlers struct {
	Deps
	dash *dashboardCache // rendered dashboards (dashboard_cache.go)
}

// Routes registers the campaign pages on pages (session required, viewer
// at least): the campaign list and lifecycle, the dashboard and shipment
// pages, the plan pages and the data pages. Writes add
// RequireRole(web.RolePlanner) on the route itself. The few pages a field
// account may use go on field (no role checked by the group): each names
// its roles with RequireAny and shows a field account only its places.
func Routes(d Deps, pages, field *gin.RouterGroup) {
	s := &handlers{Deps: d, dash: newDashboardCache()}
	s.routesCampaigns(pages, field)
	s.routesTracking(pages, field)
	s.routesPlan(pages)
	s.routesData(pages)
}
