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

// diffLimit bounds the rows each table of a comparison lists: two national
// plans can differ in all 2,500 cities and tens of thousands of lines. The
// counts above the tables cover everything; the downloads have every line.
const diffLimit = 100

// ShownCities is the head of Cities a page lists.
func (d diffView) ShownCities() []planner.CityDiff { return d.Cities[:min(len(d.Cities), diffLimit)] }

// MoreCities counts the changed cities left out of ShownCities.
func (d diffView) MoreCities() int { return len(d.Cities) - len(d.ShownCities()) }

// ShownLines is the head of Lines a page lists.
func (d diffView) ShownLines() []planner.LineDiff { return d.Lines[:min(len(d.Lines), diffLimit)] }

// MoreLines counts the changed lines left out of ShownLines.
func (d diffView) MoreLines() int { return len(d.Lines) - len(d.ShownLines()) }
