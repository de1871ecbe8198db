package planio

import (
	"encoding/json"
	"strconv"

	"github.com/reparto/reparto/planner"
)

// Summary is the one shape of a plan's summary: summary.json
// (docs/planning.md#summaryjson) and the "summary" of the API's previews
// and plan versions (the PlanSummary schema of the OpenAPI document).
type Summary struct {
	Materials           []SummaryMaterial `json:"materials"`
	UnassignedVenues    []string          `json:"unassigned_venues"`
	Shipments           int               `json:"shipments"`
	TotalBoxes          int64             `json:"total_boxes"`
	TotalPieces         int64             `json:"total_pieces"`
	TotalWeightKg       *float64          `json:"total_weight_kg"`
	LateCities          []SummaryLateCity `json:"late_cities"`
	RequiredBoxesPerDay *int64            `json:"required_boxes_per_day"`
}

// SummaryMaterial is one material of the summary. Fills are JSON numbers
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

// NewSummary sums up a plan. Lists are never null, so that readers need
// not tell "none" from "missing".
func NewSummary(p *planner.Plan) Summary {
	s := Summary{
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
		s.TotalPieces += sh.Pieces
		if sh.LateDays > 0 {
			s.LateCities = append(s.LateCities, SummaryLateCity{City: sh.City, LateDays: sh.LateDays})
		}
	}
	return s
}

// fillNumber is a fill ratio as a JSON number with 4 decimals, the way
// allocation.csv writes it.
func fillNumber(f *float64) *json.Number {
	if f == nil {
		return nil
	}
	n := json.Number(strconv.FormatFloat(*f, 'f', 4, 64))
	return &n
}
