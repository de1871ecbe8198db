package planner

import (
	"slices"
	"strings"
	"time"
)

// PlanVersion is one committed plan of a campaign. Versions are kept so that
// a planner can see what changed between two commits (DiffPlans) and so that
// every shipment names the version it was created from.
type PlanVersion struct {
	CampaignID int64
	Version    int
	Author     string
	CreatedAt  time.Time
	Note       string
	Plan       *Plan
}

// ShipmentRecord is a city's shipment as tracked after a plan is committed:
// the planned content and dates of the version it belongs to, plus its
// append-only event log. Its current state is never stored; it is derived
// from Events by State, so that a correction is visible in the log and in
// the state at once.
type ShipmentRecord struct {
	ID          int64
	CampaignID  int64
	PlanVersion int
	City        string
	Lines       []ShipmentLine // planned, sorted by material code
	Boxes       int64          // planned
	Packing     []BoxRun       // planned boxes 1..Boxes (PackBoxes); nil when committed before boxes were packed
	Pieces      int64          // planned
	TransitDays int            // planned transit, used to expect an arrival from the real dispatch day

	LatestDispatch Date
	FirstDispatch  Date // planned day its first box is loaded
	Dispatch       Date // planned day its last box is loaded: the day it leaves
	Arrival        Date // planned
	Due            Date

	Events  []Event
	Version int // optimistic concurrency: the store refuses a write made from a stale copy

	memo *stateMemo // see WithState
}

// ShipmentsFromPlan returns one planned shipment per city of p, in p's
// loading order, with no id and no events: the store assigns ids.
func ShipmentsFromPlan(p *Plan, version int) []ShipmentRecord {
	if p == nil {
		return nil
	}
	out := make([]ShipmentRecord, 0, len(p.Shipments))
	for _, sh := range p.Shipments {
		out = append(out, shipmentFromPlan(sh, version))
	}
	return out
}

func shipmentFromPlan(sh Shipment, version int) ShipmentRecord {
	lines := slices.Clone(sh.Lines)
	slices.SortFunc(lines, func(a, b ShipmentLine) int { return strings.Compare(a.Material, b.Material) })
	return ShipmentRecord{
		PlanVersion:    version,
		City:           sh.City,
		Lines:          lines,
		Boxes:          sh.Boxes,
		Packing:        slices.Clone(sh.Packing),
		Pieces:         sh.Pieces,
		TransitDays:    sh.TransitDays,
		LatestDispatch: sh.LatestDispatch,
		FirstDispatch:  sh.FirstDispatch,
		Dispatch:       sh.Dispatch,
		Arrival:        sh.Arrival,
		Due:            sh.Due,
	}
}

// plannedLine returns the planned line of a material.
func (s *ShipmentRecord) plannedLine(material string) (ShipmentLine, bool) {
	for _, l := range s.Lines {
		if l.Material == material {
			return l, true
		}
	}
	return ShipmentLine{}, false
}

// eventByID returns the event of this shipment with the given id.
func (s *ShipmentRecord) eventByID(id int64) (Event, bool) {
	for _, e := range s.Events {
		if e.ID == id {
			return e, true
		}
	}
	return Event{}, false
}
