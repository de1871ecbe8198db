package planner

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// WritePlanFiles writes allocation.csv, schedule.csv and summary.json
// (docs/planning.md#outputs) into dir, creating it if missing. Each file is written
// to a temporary name first and renamed, so a failed run leaves no
// half-written file under a final name.
func WritePlanFiles(dir string, p *Plan) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	files := []struct {
		name  string
		write func(io.Writer, *Plan) error
	}{
		{"allocation.csv", WriteAllocationCSV},
		{"schedule.csv", WriteScheduleCSV},
		{"summary.json", WriteSummaryJSON},
	}
	for _, f := range files {
		if err := writeFileAtomic(filepath.Join(dir, f.name), func(w io.Writer) error { return f.write(w, p) }); err != nil {
			return err
		}
	}
	return nil
}

func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// WriteAllocationCSV writes one row per cell (demand > 0 or locked) in the
// plan's order: material, city, category.
func WriteAllocationCSV(w io.Writer, p *Plan) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"material", "city", "category", "demand", "pieces", "packs", "locked", "fill"})
	for _, c := range p.Cells {
		fill := ""
		if f, ok := c.Fill(); ok {
			fill = formatFill(f)
		}
		cw.Write([]string{c.Material, c.City, c.Category, fmtInt(c.Demand), fmtInt(c.Pieces),
			fmtInt(c.Packs), strconv.FormatBool(c.Locked), fill})
	}
	cw.Flush()
	return cw.Error()
}

// WriteScheduleCSV writes one row per shipment in loading order.
func WriteScheduleCSV(w io.Writer, p *Plan) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"city", "boxes", "road_km", "transit_days", "latest_dispatch",
		"first_dispatch", "dispatch", "arrival", "due", "late_days"})
	for _, s := range p.Shipments {
		cw.Write([]string{s.City, fmtInt(s.Boxes), strconv.FormatFloat(s.RoadKm, 'f', 1, 64),
			strconv.Itoa(s.TransitDays), s.LatestDispatch.String(), s.FirstDispatch.String(),
			s.Dispatch.String(), s.Arrival.String(), s.Due.String(), strconv.Itoa(s.LateDays)})
	}
	cw.Flush()
	return cw.Error()
}

// PlanSummary is the JSON shape of summary.json; keys follow docs/planning.md#summaryjson.
type PlanSummary struct {
	Materials           []SummaryMaterial `json:"materials"`
	UnassignedVenues    []string          `json:"unassigned_venues"`
	Shipments           int               `json:"shipments"`
	TotalBoxes          int64             `json:"total_boxes"`
	TotalWeightKg       *float64          `json:"total_weight_kg"`
	LateCities          []SummaryLateCity `json:"late_cities"`
	RequiredBoxesPerDay *int64            `json:"required_boxes_per_day"`
}

// SummaryMaterial is one material in summary.json. Fills are JSON numbers
// with exactly 4 decimals, or null without demand.
type SummaryMaterial struct {
	Code           string       `json:"code"`
	Printed        int64        `json:"printed"`
	Reserve        int64        `json:"reserve"`
	Locked         int64        `json:"locked"`
	Allocated      int64        `json:"allocated"`
	Leftover       int64        `json:"leftover"`
	Demand         int64        `json:"demand"`
	MinFill        *json.Number `json:"min_fill"`
	MaxFill        *json.Number `json:"max_fill"`
	NoTargetVenues bool         `json:"no_target_venues"`
}

// SummaryLateCity is a shipment at risk: it arrives after its due day.
type SummaryLateCity struct {
	City     string `json:"city"`
	LateDays int    `json:"late_days"`
}

// NewPlanSummary builds the summary of a plan. "shipments" is their number.
func NewPlanSummary(p *Plan) PlanSummary {
	s := PlanSummary{
		Materials:           make([]SummaryMaterial, 0, len(p.Materials)),
		UnassignedVenues:    append([]string{}, p.UnassignedVenues...),
		Shipments:           len(p.Shipments),
		TotalBoxes:          p.TotalBoxes,
		TotalWeightKg:       p.TotalWeightKg,
		LateCities:          []SummaryLateCity{},
		RequiredBoxesPerDay: p.RequiredBoxesPerDay,
	}
	for _, m := range p.Materials {
		s.Materials = append(s.Materials, SummaryMaterial{
			Code: m.Code, Printed: m.Printed, Reserve: m.Reserve, Locked: m.Locked,
			Allocated: m.Allocated, Leftover: m.Leftover, Demand: m.Demand,
			MinFill: fillNumber(m.MinFill), MaxFill: fillNumber(m.MaxFill),
			NoTargetVenues: m.NoTargetVenues,
		})
	}
	for _, sh := range p.Shipments {
		if sh.LateDays > 0 {
			s.LateCities = append(s.LateCities, SummaryLateCity{City: sh.City, LateDays: sh.LateDays})
		}
	}
	return s
}

// WriteSummaryJSON writes summary.json, indented for people to read.
func WriteSummaryJSON(w io.Writer, p *Plan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewPlanSummary(p))
}

// formatFill writes a fill ratio with 4 decimals, correctly rounded.
func formatFill(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }

func fillNumber(f *float64) *json.Number {
	if f == nil {
		return nil
	}
	n := json.Number(formatFill(*f))
	return &n
}

func fmtInt(n int64) string { return strconv.FormatInt(n, 10) }
