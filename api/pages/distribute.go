package pages

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// distributeData is the mobile distribution page: the shipment's
// distribution form, one block per row, with the city's registered venues
// and what each was allocated and already received.
type distributeData struct {
	CampaignID int64
	Today      planner.Date
	S          *planner.ShipmentRecord
	CityName   string
	St         planner.ShipmentState
	Open       bool // the stage lets distribution be recorded
	Form       *eventForm
	Venues     []venueChoice
	Categories []planner.VenueCategory
	Materials  []lineView
	Action     string
}

// venueChoice is a venue of the city as the select offers it: its label
// (by name, or "venue #id (confidential)" for a reader who may not see
// the name) and, per material, allocated and already distributed.
type venueChoice struct {
	ID    string
	Label string
	Lines map[string]planner.ProgressLine
}

// Option words a venue for the select of a row of material m.
func (v venueChoice) Option(p *web.Page, m string) string {
	l, ok := v.Lines[m]
	if !ok {
		return v.Label
	}
	return p.T("offline.venue_option", "Venue", v.Label, "Allocated", p.N(l.Allocated), "Distributed", p.N(l.Distributed))
}

// distributePage: GET /campaigns/:id/shipments/:sid/distribute
func (s *handlers) distributePage(c *gin.Context) {
	camp, sh, err := s.campaignShipment(c)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	s.renderDistribute(c, http.StatusOK, camp, sh, nil)
}

// postDistribute: POST /campaigns/:id/shipments/:sid/distribute. The same
// form reader and event as the shipment page's distribution form
// (postEventForm); only the page shown afterwards differs.
func (s *handlers) postDistribute(c *gin.Context) {
	camp, sh, err := s.campaignShipment(c)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	if err := c.Request.ParseForm(); err != nil {
		s.Web.PageError(c, web.BadRequestm(planner.MsgBrokenForm, "malformed form"))
		return
	}
	form := c.Request.PostForm
	if k := form.Get("kind"); k != string(planner.EventDistributed) {
		s.Web.PageError(c, web.BadRequestm(planner.MsgBrokenForm, "this page records distribution only, not %q", k))
		return
	}
	f, err := postedForm(camp, sh, form)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	fp := &formParser{Form: web.Form{Values: form}, p: s.Web.NewPage(c, "", nil), rows: map[string][]int{}}
	e := fp.event(f)
	errs := fp.parseErrors()
	if len(errs) == 0 {
		_, created, err := s.DB.AppendEvent(web.ActorContext(c), sh.ID, e, s.Now(), f.Key)
		switch {
		case err == nil:
			msg := "tracking.event.recorded"
			if !created {
				msg = "tracking.event.already_recorded"
			}
			s.Flash(c, s.Web.Tr(c, msg, "Kind", s.Web.Tr(c, "tracking.kind."+string(f.Kind))))
			c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d/shipments/%d/distribute", sh.CampaignID, sh.ID))
			return
		case planner.ErrorCode(err) != planner.EInvalid:
			s.Web.PageError(c, err)
			return
		}
		fp.addFieldErrors(errs, err)
	}
	f.Open, f.values, f.errs = true, form, errs
	f.Other = otherErrors(f)
	s.renderDistribute(c, http.StatusUnprocessableEntity, camp, sh, f)
}

// renderDistribute renders the page; f is a form shown again with the
// user's input and its errors (nil: a fresh form).
func (s *handlers) renderDistribute(c *gin.Context, status int, camp *planner.Campaign, sh *planner.ShipmentRecord, f *eventForm) {
	st := sh.State()
	d := distributeData{CampaignID: sh.CampaignID, Today: camp.Today(s.Now()), S: sh, CityName: web.CityName(camp, sh.City), St: st,
		Open:       st.Stage == planner.StageDelivered || st.Stage == planner.StageDistributed,
		Categories: camp.Categories, Form: f,
		Action: fmt.Sprintf("/campaigns/%d/shipments/%d/distribute", sh.CampaignID, sh.ID)}
	for _, l := range sh.Lines {
		d.Materials = append(d.Materials, lineView{ShipmentLine: l, Name: materialName(camp, l.Material),
			Accepted: st.Accepted[l.Material], Distributed: st.Distributed[l.Material]})
	}
	if d.Form == nil {
		d.Form = newEventForm(planner.EventDistributed, distributionRows(camp, sh))
	}
	if d.Open {
		venues, err := s.venueChoices(c, camp, sh.City)
		if err != nil {
			s.Web.PageError(c, err)
			return
		}
		d.Venues = venues
	}
	s.Web.Render(c, status, "distribute", &d)
}

// venueChoices lists the city's registered venues with their allocation;
// a confidential venue is named only to readers who may see it
// (resolve.HiddenVenueIDs).
func (s *handlers) venueChoices(c *gin.Context, camp *planner.Campaign, city string) ([]venueChoice, error) {
	ctx := c.Request.Context()
	prog, err := s.DB.CityVenueProgress(ctx, camp.ID, city, camp.Today(s.Now()))
	if err != nil {
		return nil, err
	}
	hidden, err := s.Res.HiddenVenueIDs(ctx, web.CurrentUser(c), camp.ID)
	if err != nil {
		return nil, err
	}
	return venueChoicesOf(prog, hidden, func(id string) string { return s.Web.Tr(c, "offline.venue_confidential", "ID", id) }), nil
}

// venueChoicesOf words the venues of prog: by name, or by confidential(id)
// when the reader may not see names (hidden non-nil) and the venue is
// hidden or confidential, or when it has no name.
func venueChoicesOf(prog planner.CityProgress, hidden map[string]bool, confidential func(id string) string) []venueChoice {
	out := make([]venueChoice, 0, len(prog.Venues))
	for _, v := range prog.Venues {
		ch := venueChoice{ID: v.Venue.ID, Label: v.Venue.Name, Lines: map[string]planner.ProgressLine{}}
		if hidden != nil && (hidden[v.Venue.ID] || v.Confidential) || ch.Label == "" {
			ch.Label = confidential(v.Venue.ID)
		}
		for _, l := range v.Lines {
			ch.Lines[l.Material] = l
		}
		out = append(out, ch)
	}
	return out
}
