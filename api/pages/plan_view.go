package pages

import (
	"slices"
	"strings"

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
	ByState  stateAggregate
	Warnings planWarnings

	// Schedule is the head of Plan.Shipments the page lists; the whole
	// schedule is in the shipments download.
	Schedule      []planner.Shipment
	ScheduleTotal int

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

// warnLimit bounds each list of warnings: a national plan can round
// tens of thousands of cells to zero, and the page names the first ones,
// counts them all and links the download that has every cell.
const warnLimit = 50

// scheduleLimit bounds the schedule table the same way; the 2009 demo's
// 70 cities are all listed.
const scheduleLimit = 100

// planWarnings lists what a planner should look at before committing. Each
// list holds at most warnLimit entries; the *Count fields count them all.
type planWarnings struct {
	ZeroCells   []zeroCell
	ZeroCount   int
	NoTarget    []string // material codes
	Late        []planner.Shipment
	LateCount   int
	Required    int64 // capacity that makes every city on time, when HasRequired
	HasRequired bool
	Scarce      []materialTotal
	ScarceCount int
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
	return w.ZeroCount > 0 || len(w.NoTarget) > 0 || w.LateCount > 0 || w.ScarceCount > 0 || w.Unassigned > 0
}

// LateMore counts the late cities the list leaves out.
func (w planWarnings) LateMore() int { return w.LateCount - len(w.Late) }

// ZeroMore counts the zero cells the list leaves out.
func (w planWarnings) ZeroMore() int { return w.ZeroCount - len(w.ZeroCells) }

// ScheduleMore counts the shipments the schedule table leaves out.
func (d *planPageData) ScheduleMore() int { return d.ScheduleTotal - len(d.Schedule) }

// stateAggregate is the plan's pieces by state (rows) and material or
// category (columns): the overview a national plan needs before its matrix.
type stateAggregate struct {
	By      string // "material" or "category"
	Columns []matrixHeader
	Rows    []stateAggRow
	Totals  []int64 // per column, over every state
	Sum     int64
}

// stateAggRow is one state; State is "" for cities without one.
type stateAggRow struct {
	State  string
	Cities int
	Pieces []int64 // per column
	Total  int64
}

func aggregateByState(camp *planner.Campaign, p *planner.Plan, m planMatrix, by string) stateAggregate {
	a := stateAggregate{By: by, Columns: m.Materials}
	category := by == "category"
	if category {
		a.Columns = nil
		used := map[string]bool{}
		for i := range p.Cells {
			used[p.Cells[i].Category] = true
		}
		for _, h := range m.Categories {
			if used[h.Code] {
				a.Columns = append(a.Columns, h)
			}
		}
	}
	colIdx := make(map[string]int, len(a.Columns))
	for i, h := range a.Columns {
		colIdx[h.Code] = i
	}
	rows := map[string]*stateAggRow{}
	// byCity resolves each city's row once, not once per cell.
	byCity := make(map[string]*stateAggRow, len(camp.Cities))
	for _, k := range camp.Cities {
		r := rows[k.State]
		if r == nil {
			r = &stateAggRow{State: k.State, Pieces: make([]int64, len(a.Columns))}
			rows[k.State] = r
		}
		byCity[k.Code] = r
	}
	a.Totals = make([]int64, len(a.Columns))
	counted := make(map[string]bool, len(camp.Cities))
	lastCity, lastMat := "", ""
	var r *stateAggRow
	col := -1
	for i := range p.Cells {
		c := &p.Cells[i]
		if c.City != lastCity { // cells run by city within a material: one lookup a run
			lastCity, r = c.City, byCity[c.City]
			if r != nil && !counted[c.City] {
				counted[c.City] = true
				r.Cities++
			}
		}
		if r == nil { // a cell of a city the campaign no longer has
			continue
		}
		if category {
			var ok bool
			if col, ok = colIdx[c.Category]; !ok {
				col = -1
			}
		} else if c.Material != lastMat {
			lastMat = c.Material
			var ok bool
			if col, ok = colIdx[c.Material]; !ok {
				col = -1
			}
		}
		if col >= 0 {
			r.Pieces[col] += c.Pieces
			a.Totals[col] += c.Pieces
		}
		r.Total += c.Pieces
		a.Sum += c.Pieces
	}
	for _, r := range rows {
		if r.Cities > 0 {
			a.Rows = append(a.Rows, *r)
		}
	}
	// Cities without a state come last.
	slices.SortFunc(a.Rows, func(x, y stateAggRow) int {
		if (x.State == "") != (y.State == "") {
			if x.State == "" {
				return 1
			}
			return -1
		}
		return strings.Compare(x.State, y.State)
	})
	return a
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
func (d *planPageData) fill(camp *planner.Campaign, p *planner.Plan, q planQuery, id int64) error {
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
			if d.Warnings.ScarceCount++; d.Warnings.ScarceCount <= warnLimit {
				d.Warnings.Scarce = append(d.Warnings.Scarce, t)
			}
		}
	}
	for i := range p.Cells {
		cell := &p.Cells[i]
		if cell.Demand > 0 && cell.Packs == 0 && !cell.Locked {
			if d.Warnings.ZeroCount++; d.Warnings.ZeroCount <= warnLimit {
				d.Warnings.ZeroCells = append(d.Warnings.ZeroCells, zeroCell{Cell: *cell, PackSize: packSize[cell.Material]})
			}
		}
	}
	for _, sh := range p.Shipments {
		if sh.LateDays > 0 {
			if d.Warnings.LateCount++; d.Warnings.LateCount <= warnLimit {
				d.Warnings.Late = append(d.Warnings.Late, sh)
			}
		}
	}
	if p.RequiredBoxesPerDay != nil {
		d.Warnings.Required, d.Warnings.HasRequired = *p.RequiredBoxesPerDay, true
	}
	d.Warnings.Unassigned = len(p.UnassignedVenues)
	d.Warnings.BoxesPerDay = camp.Dispatch.BoxesPerDay
	d.Schedule, d.ScheduleTotal = p.Shipments[:min(len(p.Shipments), scheduleLimit)], len(p.Shipments)
	m, err := buildMatrix(camp, p, q, id)
	d.Matrix = m
	if err != nil {
		return err
	}
	d.ByState = aggregateByState(camp, p, m, q.Agg)
	return nil
}
