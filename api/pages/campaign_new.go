package pages

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// A planner creates a campaign on /campaigns/new in one of three ways:
// blank (the settings form; materials, cities... are added afterwards on
// the data pages), as a copy of another campaign (its catalogue, with a
// new name and dates), or from a campaign file (JSON) validated exactly
// as `reparto import` does. Nothing is stored unless all of it is valid.

// routesCampaignLifecycle registers creating, configuring, closing and
// reopening campaigns. Creating and configuring need a planner; closing
// and reopening an admin.
func (s *handlers) routesCampaignLifecycle(pages *gin.RouterGroup) {
	plan, admin := s.Web.RequireRole(web.RolePlanner), s.Web.RequireRole(web.RoleAdmin)
	pages.GET("/campaigns/new", plan, s.campaignNew)
	pages.POST("/campaigns", plan, s.campaignCreate)
	pages.POST("/campaigns/copy", plan, s.campaignCopy)
	pages.POST("/campaigns/import", plan, s.campaignImport)
	pages.POST("/campaigns/:id/close", admin, s.Res.Campaign(), s.campaignClose)
	pages.POST("/campaigns/:id/reopen", admin, s.Res.Campaign(), s.campaignReopen)
	pages.GET("/campaigns/:id/settings", plan, s.Res.Campaign(), s.campaignSettings)
	pages.POST("/campaigns/:id/settings", plan, s.Res.Campaign(), s.campaignSettingsSave)
	pages.GET("/campaigns/:id/plan/scenario/apply", plan, s.Res.Campaign(), s.scenarioApplyConfirm)
	pages.POST("/campaigns/:id/plan/scenario/apply", plan, s.Res.Campaign(), s.scenarioApply)
}

// campaignNewPage is what campaign_new.html shows: the three ways, each
// with its own values and errors.
type campaignNewPage struct {
	Mode      string // the form that was sent: "blank", "copy", "import"
	Blank     *campaignForm
	Campaigns []store.CampaignSummary // copy sources
	Copy      copyForm
	Import    []fileError // errors of the uploaded file
	FileName  string
}

// copyForm is the "copy of another campaign" form.
type copyForm struct {
	Source                int64
	Name, Start, Deadline string
	Fields                map[string]string
	Errors                []string
}

// fileError is one error of an uploaded campaign file: where, said in
// words and as the JSON path, and what, translated.
type fileError struct {
	Where, Path, Message string
}

func (s *handlers) campaignNew(c *gin.Context) {
	d := &campaignNewPage{Mode: c.DefaultQuery("mode", "blank"), Blank: campaignFormOf(defaultCampaign()),
		Copy: copyForm{Fields: map[string]string{}}}
	if src, err := strconv.ParseInt(c.Query("from"), 10, 64); err == nil {
		d.Mode, d.Copy.Source = "copy", src
	}
	s.renderCampaignNew(c, http.StatusOK, d)
}

func (s *handlers) renderCampaignNew(c *gin.Context, status int, d *campaignNewPage) {
	list, err := s.DB.ListCampaigns(c.Request.Context())
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	d.Campaigns = list
	if d.Blank == nil {
		d.Blank = campaignFormOf(defaultCampaign())
	}
	if d.Copy.Fields == nil {
		d.Copy.Fields = map[string]string{}
	}
	s.Web.Render(c, status, "campaign_new", d)
}

// campaignCreate: POST /campaigns — a blank campaign from the settings
// form; on success the planner continues on the new campaign's data pages.
func (s *handlers) campaignCreate(c *gin.Context) {
	if err := c.Request.ParseForm(); err != nil {
		s.Web.PageError(c, web.BadRequestm(planner.MsgBrokenForm, "cannot read the form"))
		return
	}
	pg := s.Web.NewPage(c, "", nil)
	f, camp := parseCampaignForm(c.Request.PostForm, &planner.Campaign{}, pg)
	d := &campaignNewPage{Mode: "blank", Blank: f}
	if camp == nil {
		s.renderCampaignNew(c, http.StatusUnprocessableEntity, d)
		return
	}
	id, err := s.DB.CreateCampaign(c.Request.Context(), camp)
	if err != nil {
		if planner.ErrorCode(err) != planner.EInvalid {
			s.Web.PageError(c, err)
			return
		}
		f.place(planner.ErrorFields(err), nil, pg)
		s.renderCampaignNew(c, web.StatusOf(err), d)
		return
	}
	s.Flash(c, s.Web.Tr(c, "campaigns.created"))
	c.Redirect(http.StatusSeeOther, dataURL(id, ""))
}

// campaignCopy: POST /campaigns/copy — the catalogue of another campaign
// with a new name and dates; no plan, no tracking, no audit history.
func (s *handlers) campaignCopy(c *gin.Context) {
	if err := c.Request.ParseForm(); err != nil {
		s.Web.PageError(c, web.BadRequestm(planner.MsgBrokenForm, "cannot read the form"))
		return
	}
	pg := s.Web.NewPage(c, "", nil)
	r := &web.Form{Values: c.Request.PostForm}
	cf := copyForm{Name: r.Str("name"), Start: r.Str("start"), Deadline: r.Str("deadline"), Fields: map[string]string{}}
	cf.Source, _ = strconv.ParseInt(r.Str("source"), 10, 64)
	cp := store.CampaignCopy{Name: cf.Name, Start: r.Date("start"), Deadline: r.Date("deadline")}
	if cf.Source <= 0 {
		r.Fail("source", planner.MsgRequired, "is required")
	}
	// The header rules, checked before anything is copied: name, dates.
	head := defaultCampaign()
	head.Name, head.Start, head.Deadline = cp.Name, cp.Start, cp.Deadline
	errs := r.Errs
	errs = append(errs, planner.ErrorFields(head.Validate())...)
	var id int64
	if len(errs) == 0 {
		var err error
		if id, err = s.DB.CopyCampaign(c.Request.Context(), cf.Source, cp); err != nil {
			if code := planner.ErrorCode(err); code != planner.EInvalid && code != planner.ENotFound {
				s.Web.PageError(c, err)
				return
			}
			if planner.ErrorCode(err) == planner.ENotFound {
				errs = append(errs, planner.Fieldf("source", planner.MsgNotFound, "does not exist"))
			}
			errs = append(errs, planner.ErrorFields(err)...)
		}
	}
	if len(errs) > 0 {
		for _, e := range errs {
			name := campaignFieldOf(e.Path)
			if e.Path == "source" {
				name = "source"
			}
			switch {
			case name == "":
				cf.Errors = append(cf.Errors, pg.PlacedMessage(e))
			case cf.Fields[name] == "":
				cf.Fields[name] = pg.FieldMessage(e)
			}
		}
		s.renderCampaignNew(c, http.StatusUnprocessableEntity, &campaignNewPage{Mode: "copy", Copy: cf})
		return
	}
	s.Flash(c, s.Web.Tr(c, "campaigns.copied"))
	c.Redirect(http.StatusSeeOther, "/campaigns/"+strconv.FormatInt(id, 10)+"/settings")
}

// campaignImport: POST /campaigns/import — a campaign file, read by the
// same store.ImportCampaignFile as `reparto import`, every error listed with
// where it is (in words and as the JSON path) and what is wrong, in the
// reader's language. Nothing is stored on any error.
func (s *handlers) campaignImport(c *gin.Context) {
	fh, err := c.FormFile("file")
	d := &campaignNewPage{Mode: "import"}
	if err != nil {
		d.Import = []fileError{{Message: s.Web.Tr(c, "campaigns.import.no_file")}}
		s.renderCampaignNew(c, http.StatusUnprocessableEntity, d)
		return
	}
	d.FileName = fh.Filename
	f, err := fh.Open()
	if err != nil {
		s.Web.PageError(c, web.BadRequestm(planner.MsgUploadUnreadable, "cannot read the uploaded file"))
		return
	}
	defer f.Close()
	id, _, err := s.DB.ImportCampaignFile(c.Request.Context(), f)
	if err != nil {
		if planner.ErrorCode(err) != planner.EInvalid {
			s.Web.PageError(c, err)
			return
		}
		p := s.Web.NewPage(c, "", nil)
		d.Import = fileErrors(p, err)
		s.renderCampaignNew(c, http.StatusUnprocessableEntity, d)
		return
	}
	s.Flash(c, s.Web.Tr(c, "campaigns.imported"))
	c.Redirect(http.StatusSeeOther, "/campaigns/"+strconv.FormatInt(id, 10)+"/dashboard")
}

// campaignClose: POST /campaigns/:id/close (admin).
func (s *handlers) campaignClose(c *gin.Context) { s.setCampaignClosed(c, true) }

// campaignReopen: POST /campaigns/:id/reopen (admin).
func (s *handlers) campaignReopen(c *gin.Context) { s.setCampaignClosed(c, false) }

func (s *handlers) setCampaignClosed(c *gin.Context, closed bool) {
	id, _ := resolve.CampaignID(c) // Res.Campaign() checked it
	var err error
	msg := "campaigns.closed_flash"
	if closed {
		err = s.DB.CloseCampaign(c.Request.Context(), id)
	} else {
		err, msg = s.DB.ReopenCampaign(c.Request.Context(), id), "campaigns.reopened_flash"
	}
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	s.Flash(c, s.Web.Tr(c, msg))
	c.Redirect(http.StatusSeeOther, "/campaigns")
}
