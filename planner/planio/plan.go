package planio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/reparto/reparto/planner"
)

// AllocationColumns is the header row of allocation.csv
// (docs/planning.md#allocationcsv); it stays in English whatever the
// reader's language, because planners' scripts read it.
var AllocationColumns = []string{"material", "city", "category", "demand", "pieces", "packs", "locked", "fill"}

// ScheduleColumns is the header row of schedule.csv
// (docs/planning.md#schedulecsv).
var ScheduleColumns = []string{"city", "boxes", "road_km", "transit_days", "latest_dispatch",
	"first_dispatch", "dispatch", "arrival", "due", "late_days"}

// WriteAllocation writes allocation.csv's rows to o: one per cell (demand
// > 0 or locked) in the plan's order (material, city, category).
func WriteAllocation(o *CSV, p *planner.Plan) {
	o.Header(AllocationColumns...)
	for _, c := range p.Cells {
		o.Text(c.Material).Text(c.City).Text(c.Category).Int(c.Demand).Int(c.Pieces).
			Int(c.Packs).Bool(c.Locked).Number(c.FillText()).End()
	}
}

// WriteSchedule writes schedule.csv's rows to o: one per shipment in
// loading order, road_km with 1 decimal.
func WriteSchedule(o *CSV, p *planner.Plan) {
	o.Header(ScheduleColumns...)
	for _, s := range p.Shipments {
		o.Text(s.City).Int(s.Boxes).Float(s.RoadKm, 1).Int(int64(s.TransitDays)).Date(s.LatestDispatch).
			Date(s.FirstDispatch).Date(s.Dispatch).Date(s.Arrival).Date(s.Due).Int(int64(s.LateDays)).End()
	}
}

// WriteAllocationCSV writes the whole allocation.csv file to w.
func WriteAllocationCSV(w io.Writer, p *planner.Plan) error {
	o := NewCSV(w)
	WriteAllocation(o, p)
	return o.Flush()
}

// WriteScheduleCSV writes the whole schedule.csv file to w.
func WriteScheduleCSV(w io.Writer, p *planner.Plan) error {
	o := NewCSV(w)
	WriteSchedule(o, p)
	return o.Flush()
}

// WriteSummaryJSON writes summary.json, indented for people to read.
func WriteSummaryJSON(w io.Writer, p *planner.Plan) error {
	return writeJSON(w, NewSummary(p))
}

// WriteGapsJSON writes gaps.json (docs/planning.md#gapsjson), indented.
func WriteGapsJSON(w io.Writer, g *planner.Gaps) error { return writeJSON(w, g) }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// File is one rendered output file.
type File struct {
	Name string
	Data []byte
}

// PlanFiles renders allocation.csv, schedule.csv, summary.json and, when g
// is not nil, gaps.json, all in memory: a caller that writes them to disk
// only starts once every file is ready, so a failure writes nothing.
func PlanFiles(p *planner.Plan, g *planner.Gaps) ([]File, error) {
	renders := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"allocation.csv", func(w io.Writer) error { return WriteAllocationCSV(w, p) }},
		{"schedule.csv", func(w io.Writer) error { return WriteScheduleCSV(w, p) }},
		{"summary.json", func(w io.Writer) error { return WriteSummaryJSON(w, p) }},
	}
	if g != nil {
		renders = append(renders, struct {
			name  string
			write func(io.Writer) error
		}{"gaps.json", func(w io.Writer) error { return WriteGapsJSON(w, g) }})
	}
	files := make([]File, 0, len(renders))
	for _, r := range renders {
		var b bytes.Buffer
		if err := r.write(&b); err != nil {
			return nil, fmt.Errorf("render %s: %w", r.name, err)
		}
		files = append(files, File{Name: r.name, Data: b.Bytes()})
	}
	return files, nil
}
