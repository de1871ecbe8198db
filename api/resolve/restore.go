package resolve

import (
	"errors"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// Restore commits version n again as expected+1.
func (r *Resolver) Restore(c *gin.Context, id int64, n, expected int) (int, error) {
	ctx := c.Request.Context()
	camp, err := r.DB.GetCampaign(ctx, id)
	if err != nil {
		return 0, err
	}
	old, err := r.DB.GetPlanVersion(ctx, id, n)
	if err != nil {
		return 0, err
	}
	latest, err := r.LatestPlan(ctx, id)
	if err != nil {
		return 0, err
	}
	if latest.Version != expected {
		return 0, planner.Errorm(planner.EConflict, planner.MsgCommittedMeanwhile, "another plan was committed meanwhile: the latest version is %d, not %d",
			latest.Version, expected)
	}
	shipments, err := r.DB.ListShipments(ctx, id, store.ShipmentFilter{})
	if err != nil {
		return 0, err
	}
	p, err := planner.Restore(camp, old.Plan, latest.Plan, shipments, camp.Today(r.Now()))
	if err != nil {
		var pe *planner.Error
		if errors.As(err, &pe) && pe.Code == planner.EInvalid {
			return 0, planner.Errorf(planner.EInvalid, "%s", r.Web.Tr(c, "plan.versions.cannot_restore", "Version", n, "Why", r.Web.NewPage(c, "", nil).ErrorMessage(err)))
		}
		return 0, err
	}
	actx := web.ActorContext(c)
	return r.DB.CommitPlan(actx, id, expected, store.ActorFrom(actx).Email, r.Web.Tr(c, "plan.versions.restore_note", "Version", n), p)
}
