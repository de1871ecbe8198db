package resolve

import (
	"errors"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// Today is the day a request sees campaign camp on: ?today=YYYY-MM-DD when
// given (the campaign as it was at the end of that day), else the
// campaign's today (its simulated as_of, or the clock in its time zone).
// A ?today= that is not a date, lies more than planner.TimeTravelMargin
// days before the start, or after the campaign's today is 400 naming
// "today".
func (r *Resolver) Today(c *gin.Context, camp *planner.Campaign) (planner.Date, error) {
	current := camp.Today(r.Now())
	q := c.Query("today")
	if q == "" {
		return current, nil
	}
	d, err := planner.ParseDate(q)
	if err != nil {
		return planner.Date{}, web.BadRequest(planner.Invalid(planner.Fieldf("today", planner.MsgDate, "%v", err)))
	}
	if err := planner.CheckViewDay(camp, d, current, "today"); err != nil {
		var pe *planner.Error
		if errors.As(err, &pe) {
			return planner.Date{}, web.BadRequest(pe)
		}
		return planner.Date{}, err
	}
	return d, nil
}

// Ref is what every page of a campaign shows about it: its name
// and the day it is shown on.
func (r *Resolver) Ref(c *gin.Context, camp *planner.Campaign) (*web.CampaignRef, error) {
	day, err := r.Today(c, camp)
	if err != nil {
		return nil, err
	}
	return &web.CampaignRef{ID: camp.ID, Name: camp.Name, Today: day, Simulated: camp.AsOf != nil,
		Past: c.Query("today") != ""}, nil
}
