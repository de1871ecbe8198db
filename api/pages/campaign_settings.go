package pages

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// campaignSettingsPage is what campaign_settings.html shows: the settings
// form and what the depot map needs.
type campaignSettingsPage struct {
	ID              int64
	Form            *campaignForm
	Closed          bool
	StatesURL       string
	TileURL         string
	TileAttribution string
	Attribution     string
}

// campaignSettings: GET /campaigns/:id/settings
func (s *handlers) campaignSettings(c *gin.Context) {
	id, _ := resolve.CampaignID(c) // Res.Campaign() checked it
	camp, err := s.DB.GetCampaignHeader(c.Request.Context(), id)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	s.renderSettings(c, http.StatusOK, id, campaignFormOf(camp))
}

func (s *handlers) renderSettings(c *gin.Context, status int, id int64, f *campaignForm) {
	d := &campaignSettingsPage{ID: id, Form: f, TileURL: s.TileURL, TileAttribution: s.TileAttribution,
		StatesURL:   "/api/v1/campaigns/" + strconv.FormatInt(id, 10) + "/map/states.geojson?outline=display",
		Attribution: s.Web.Tr(c, "footer.attribution")}
	if ref, ok := c.Get(web.CtxCampaign); ok {
		d.Closed = ref.(*web.CampaignRef).Closed
	}
	s.Web.Render(c, status, "campaign_settings", d)
}

// campaignSettingsSave: POST /campaigns/:id/settings — every error of the
// form at once beside its field, nothing saved on any; the hidden version
// makes a save over someone else's newer save a 409 with the form kept.
func (s *handlers) campaignSettingsSave(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	if err := c.Request.ParseForm(); err != nil {
		s.Web.PageError(c, web.BadRequestm(planner.MsgBrokenForm, "cannot read the form"))
		return
	}
	ctx := c.Request.Context()
	base, err := s.DB.GetCampaignHeader(ctx, id)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	pg := s.Web.NewPage(c, "", nil)
	f, camp := parseCampaignForm(c.Request.PostForm, base, pg)
	if camp == nil {
		s.renderSettings(c, http.StatusUnprocessableEntity, id, f)
		return
	}
	camp.Version = f.Version
	if f.Version == 0 {
		camp.Version = -1 // no version posted: never overwrite blindly
	}
	if err := s.DB.UpdateCampaign(ctx, id, camp); err != nil {
		switch planner.ErrorCode(err) {
		case planner.EInvalid:
			f.place(planner.ErrorFields(err), nil, pg)
		case planner.EConflict:
			f.Errors = append(f.Errors, s.Web.Tr(c, "campaigns.settings.stale"))
		default:
			s.Web.PageError(c, err)
			return
		}
		s.renderSettings(c, web.StatusOf(err), id, f)
		return
	}
	s.Flash(c, s.Web.Tr(c, "campaigns.settings.saved"))
	c.Redirect(http.StatusSeeOther, "/campaigns/"+strconv.FormatInt(id, 10)+"/settings")
}
