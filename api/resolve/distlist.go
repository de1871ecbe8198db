package resolve

import (
	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// RouteOptions reads how a distribution list is cut into days from the
// query (max_stops_per_day, max_km_per_day; empty is no limit). Errors
// are EInvalid and name the field (planner.CheckRouteOptions).
func RouteOptions(c *gin.Context) (planner.RouteOptions, error) {
	f := web.Form{Values: c.Request.URL.Query()}
	stops := f.Int("max_stops_per_day", true)
	km := f.Float("max_km_per_day", 0)
	if err := f.Err(); err != nil {
		return planner.RouteOptions{}, err
	}
	// a day of more stops than an int holds is no limit at all
	opt := planner.RouteOptions{MaxStopsPerDay: int(min(stops, 1<<31-1)), MaxKmPerDay: km}
	return opt, planner.CheckRouteOptions(opt)
}

// Committed is the campaign as it stands with its latest committed plan
// version: what distribution lists are made from, since they go to the
// city teams with the shipments of that version.
type Committed struct {
	Campaign *planner.Campaign
	Version  *planner.PlanVersion
}

// Committed returns the campaign and its latest committed plan. Errors:
// ENotFound for an unknown campaign, EConflict when nothing is committed
// yet (there is nothing to hand out).
func (r *Resolver) Committed(c *gin.Context, id int64) (*Committed, error) {
	pl, err := r.Planned(c, id)
	if err != nil {
		return nil, err
	}
	v, err := r.LatestPlan(c.Request.Context(), id)
	if err != nil {
		if planner.ErrorCode(err) == planner.ENotFound {
			return nil, planner.Errorm(planner.EConflict, planner.MsgNoPlanForLists, "campaign %d has no committed plan yet: commit one to make distribution lists", id)
		}
		return nil, err
	}
	if v.Plan == nil {
		return nil, planner.Errorm(planner.EConflict, planner.MsgNoCommittedPlan, "campaign %d has no committed plan yet", id)
	}
	return &Committed{Campaign: pl.Campaign, Version: v}, nil
}

// CityList is the distribution list of one city of the committed plan
// (planner.BuildDistributionList). Errors: ENotFound for a city the
// campaign does not have; the options' EInvalid errors.
func (k *Committed) CityList(city string, opt planner.RouteOptions) (planner.DistributionList, error) {
	if _, ok := k.Campaign.City(city); !ok {
		return planner.DistributionList{}, planner.Errorm(planner.ENotFound, planner.MsgNoCity, "the campaign has no city %q", city)
	}
	load, err := planner.CityLoadsOf(k.Campaign, k.Version.Plan, city)
	if err != nil {
		return planner.DistributionList{}, err
	}
	return planner.BuildDistributionList(k.Campaign, load, opt)
}
