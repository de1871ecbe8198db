package pages

import "github.com/reparto/reparto/planner"

// diffView is a comparison of two plans as the pages show it: what each
// material and city gains or loses, and the dispatch dates that move.
type diffView struct {
	planner.PlanDiff
	NoChanges bool
}

// NewDiffView is d as the plan pages show it.
func NewDiffView(d planner.PlanDiff) diffView {
	return diffView{PlanDiff: d, NoChanges: len(d.Lines) == 0 && len(d.Materials) == 0 && len(d.Cities) == 0}
}

// DateMoves lists the cities whose first dispatch, dispatch or arrival day
// changed, for the "changed dispatch dates" table.
func (d diffView) DateMoves() []planner.CityDiff {
	var out []planner.CityDiff
	for _, c := range d.Cities {
		if c.FirstDispatch.Changed() || c.Dispatch.Changed() || c.Arrival.Changed() {
			out = append(out, c)
		}
	}
	return out
}
