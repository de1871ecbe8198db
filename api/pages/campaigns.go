package pages

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/store"
)

// routesCampaigns registers the campaign list and the campaign context
// that every /campaigns/:id page shares.
func (s *handlers) routesCampaigns(pages, field *gin.RouterGroup) {
	anyone := s.Web.RequireAny(web.RoleField, web.RoleViewer)
	field.GET("/", anyone, func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/campaigns") })
	field.GET("/campaigns", anyone, s.campaignList)
	pages.GET("/campaigns/:id", s.Res.Campaign(), func(c *gin.Context) {
		c.Redirect(http.StatusSeeOther, "/campaigns/"+c.Param("id")+"/dashboard")
	})
	s.routesCampaignLifecycle(pages) // campaign_new.go
}

func (s *handlers) campaignList(c *gin.Context) {
	list, err := s.DB.ListCampaigns(c.Request.Context())
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	if web.CurrentUser(c).IsField() {
		s.fieldHome(c, list)
		return
	}
	rows, err := s.campaignRows(c.Request.Context(), list)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	s.Web.Render(c, http.StatusOK, "campaigns", gin.H{"Campaigns": rows})
}

// fieldHome is a field account's home: its shipment list. With one open
// campaign that has shipments it goes straight there; with several it
// offers their shipment lists (and nothing else of a campaign: its
// figures are not the account's).
func (s *handlers) fieldHome(c *gin.Context, list []store.CampaignSummary) {
	var open []store.CampaignSummary
	for _, sum := range list {
		if sum.ClosedAt == nil && sum.PlanVersions > 0 {
			open = append(open, sum)
		}
	}
	if len(open) == 1 {
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d/shipments", open[0].ID))
		return
	}
	s.Web.Render(c, http.StatusOK, "campaigns", gin.H{"Field": open})
}
