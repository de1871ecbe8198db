package pages

import (
	"context"

	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// campaignListRow is one campaign on the list page: its summary, where it
// is in its life and its headline progress (the dashboard's figures).
type campaignListRow struct {
	store.CampaignSummary
	State       planner.CampaignState
	HasProgress bool    // a plan is committed
	Delivered   float64 // delivered ÷ planned pieces
	Distributed float64 // distributed ÷ planned pieces
}

// campaignRows adds state and progress to the campaign list. Progress is
// planner.Progress on the campaign's today, as on the dashboard.
func (s *handlers) campaignRows(ctx context.Context, list []store.CampaignSummary) ([]campaignListRow, error) {
	rows := make([]campaignListRow, len(list))
	for i, sum := range list {
		r := campaignListRow{CampaignSummary: sum, State: sum.State()}
		if sum.PlanVersions > 0 {
			camp, err := s.DB.GetCampaignHeader(ctx, sum.ID)
			if err != nil {
				return nil, err
			}
			today := camp.Today(s.Now())
			ships, err := s.DB.ListShipments(ctx, sum.ID, store.ShipmentFilter{Today: today})
			if err != nil {
				return nil, err
			}
			pr := planner.Progress(camp, ships, today)
			r.HasProgress = true
			if pr.Planned.Pieces > 0 {
				r.Delivered = float64(pr.Delivered.Pieces) / float64(pr.Planned.Pieces)
				r.Distributed = float64(pr.Distributed.Pieces) / float64(pr.Planned.Pieces)
			}
		}
		rows[i] = r
	}
	return rows, nil
}
