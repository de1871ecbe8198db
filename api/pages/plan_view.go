package pages

import (
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/planner"
)

// planPageData is what plan.html renders.
type planPageData struct {
	ID              int64
	CampaignVersion int64
	BoxesPerDay     int64

	// PlanError is why the stored campaign gives no plan (e.g. locks
	// above stock); the rest of the preview is empty then.
	PlanError       string
	PlanErrorFields []planner.FieldError

	Plan     *planner.Plan
	Totals   []materialTotal
	Sum      materialTotal // totals over every material
	Matrix   planMatrix
	Warnings planWarnings

	// Latest is the committed version the comparison is against; nil
	// before the first commit. Diff is nil then too.
	Latest *planner.PlanVersion
	Diff   *diffView
	Replan *replanView

	Commit commitForm

	// Fingerprint names the inputs of this preview; the commit form sends
	// it back and a commit reviewed on other inputs is refused.
	Fingerprint string
	// Replanning: a shipment has left, so the preview and a commit are a
	// re-plan (dispatched cities keep what they loaded, the rest is
	// scheduled from Today).
	Replanning bool
	Today      planner.Date

	CityName     map[string]string
	MaterialName map[string]string
}

// ExpectedVersion is the version a commit from this page must replace: the
// committed version the page compared against (0 when none).
func (d *planPageData) ExpectedVersion() int {
	if d.Latest == nil {
		return 0
	}
	return d.Latest.Version
}

// commitForm keeps the note and the messages of a refused commit.
type commitForm struct {
	Note     string
	Conflict string            // someone committed meanwhile, or the campaign changed
	Stale    *diffView         // the plan reviewed against the plan a commit would store now, when known
	Fields   map[string]string // field name -> message
}

// replanView is a mid-campaign re-plan preview against the committed plan.
type replanView struct {
	ReleaseReserve bool
	BaseVersion    int
	Fingerprint    string
	Error          string
	Diff           *diffView
}

// materialTotal is one line of the totals table.
type materialTotal struct {
	planner.MaterialResult
	Name     string
	PackSize int64
}

// Available is the stock the allocation could share out: printed minus
// reserve minus locks.
func (m materialTotal) Available() int64 { return m.Printed - m.Reserve - m.Locked }

// planWarnings lists what a planner should look at before committing.
type planWarnings struct {
	ZeroCells   []zeroCell
	NoTarget    []string // material codes
	Late        []planner.Shipment
	Required    int64 // capacity that makes every city on time, when HasRequired
	HasRequired bool
	Scarce      []materialTotal
	Unassigned  int
	BoxesPerDay int64
}

// zeroCell is a cell with demand that got no pack.
type zeroCell struct {
	planner.Cell
	PackSize int64
}

// Any reports whether there is anything to warn about.
func (w planWarnings) Any() bool {
	return len(w.ZeroCells) > 0 || len(w.NoTarget) > 0 || len(w.Late) > 0 || len(w.Scarce) > 0 || w.Unassigned > 0
}

func newPlanPageData(id int64, pl *resolve.Planned, latest *planner.PlanVersion) *planPageData {
	d := &planPageData{ID: id, CampaignVersion: pl.Version(), Latest: latest,
		CityName: map[string]string{}, MaterialName: map[string]string{}}
	camp := pl.Campaign
	d.BoxesPerDay = camp.Dispatch.BoxesPerDay
	for _, k := range camp.Cities {
		d.CityName[k.Code] = k.Name
	}
	for _, m := range camp.Materials {
		d.MaterialName[m.Code] = m.Name
	}
	return d
}

// fill computes the totals, warnings and matrix of a computed plan.
func (d *planPageData) fill(camp *planner.Campaign, p *planner.Plan, q planQuery) error {
	d.Plan = p
	packSize := map[string]int64{}
	for _, m := range camp.Materials {
		packSize[m.Code] = m.PackSize
	}
	for _, m := range p.Materials {
		t := materialTotal{MaterialResult: m, Name: d.MaterialName[m.Code], PackSize: packSize[m.Code]}
		d.Totals = append(d.Totals, t)
		d.Sum.Printed += m.Printed
		d.Sum.Reserve += m.Reserve
		d.Sum.Locked += m.Locked
		d.Sum.Allocated += m.Allocated
		d.Sum.Leftover += m.Leftover
		d.Sum.Demand += m.Demand
		if m.NoTargetVenues {
			d.Warnings.NoTarget = append(d.Warnings.NoTarget, m.Code)
		}
		if m.Scarce {
			d.Warnings.Scarce = append(d.Warnings.Scarce, t)
		}
	}
	for _, cell := range p.Cells {
		if cell.Demand > 0 && cell.Packs == 0 && !cell.Locked {
			d.Warnings.ZeroCells = append(d.Warnings.ZeroCells, zeroCell{Cell: cell, PackSize: packSize[cell.Material]})
		}
	}
	for _, sh := range p.Shipments {
		if sh.LateDays > 0 {
			d.Warnings.Late = append(d.Warnings.Late, sh)
		}
	}
	if p.RequiredBoxesPerDay != nil {
		d.Warnings.Required, d.Warnings.HasRequired = *p.RequiredBoxesPerDay, true
	}
	d.Warnings.Unassigned = len(p.UnassignedVenues)
	d.Warnings.BoxesPerDay = camp.Dispatch.BoxesPerDay
	m, err := buildMatrix(camp, p, q)
	d.Matrix = m
	return err
}
