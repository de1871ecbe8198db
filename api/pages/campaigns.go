package pages

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// routesCampaigns registers the campaign list and the campaign context
// that every /campaigns/:id page shares.
func (s *handlers) routesCampaigns(pages *gin.RouterGroup) {
	pages.GET("/", func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/campaigns") })
	pages.GET("/campaigns", s.campaignList)
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
	rows, err := s.campaignRows(c.Request.Context(), list)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	s.Web.Render(c, http.StatusOK, "campaigns", gin.H{"Campaigns": rows})
}
