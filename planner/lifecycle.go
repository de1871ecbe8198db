package planner

// CampaignState is where a campaign is in its life. It is derived, never
// stored: from whether an admin closed it, how many plan versions were
// committed and how many tracking events were recorded.
type CampaignState string

const (
	StateDraft      CampaignState = "draft"       // no plan committed yet
	StatePlanned    CampaignState = "planned"     // a committed plan, nothing tracked yet
	StateInProgress CampaignState = "in_progress" // tracking events recorded
	StateClosed     CampaignState = "closed"      // closed by an admin: read-only
)

// StateOf derives the state: closed wins, then any event, then any plan.
func StateOf(closed bool, planVersions, events int64) CampaignState {
	switch {
	case closed:
		return StateClosed
	case events > 0:
		return StateInProgress
	case planVersions > 0:
		return StatePlanned
	default:
		return StateDraft
	}
}
