package planner

import (
	"cmp"
	"maps"
	"slices"
)

// PlanDiff is what changed between two plan versions, from the shipments'
// point of view: what each city receives and when. Only changed rows are
// listed; totals cover both plans whole.
type PlanDiff struct {
	Lines     []LineDiff     `json:"lines"`     // per material and city; sorted by material, city
	Materials []QuantityDiff `json:"materials"` // per material; sorted by code
	Cities    []CityDiff     `json:"cities"`    // per city; sorted by code
	Totals    DiffTotals     `json:"totals"`
}

// QuantityDiff is an old and a new quantity in pieces and boxes; Pieces and
// Boxes are the signed changes (new - old).
type QuantityDiff struct {
	Material  string `json:"material,omitempty"`
	OldPieces int64  `json:"old_pieces"`
	NewPieces int64  `json:"new_pieces"`
	Pieces    int64  `json:"pieces"`
	OldBoxes  int64  `json:"old_boxes"`
	NewBoxes  int64  `json:"new_boxes"`
	Boxes     int64  `json:"boxes"`
}

func (q *QuantityDiff) add(oldPieces, newPieces, oldBoxes, newBoxes int64) {
	q.OldPieces += oldPieces
	q.NewPieces += newPieces
	q.OldBoxes += oldBoxes
	q.NewBoxes += newBoxes
	q.Pieces, q.Boxes = q.NewPieces-q.OldPieces, q.NewBoxes-q.OldBoxes
}

func (q QuantityDiff) changed() bool { return q.Pieces != 0 || q.Boxes != 0 }

// LineDiff is the change of one material in one city's shipment.
type LineDiff struct {
	City string `json:"city"`
	QuantityDiff
}

// CityChange says how a city's shipment changed.
type CityChange string

const (
	CityAdded   CityChange = "added"
	CityRemoved CityChange = "removed"
	CityChanged CityChange = "changed"
)

// DateChange is a planned date before and after; nil when the plan has no
// shipment for the city.
type DateChange struct {
	Old *Date `json:"old"`
	New *Date `json:"new"`
}

// Changed reports whether the date moved (or appeared, or disappeared).
func (d DateChange) Changed() bool {
	if d.Old == nil || d.New == nil {
		return d.Old != d.New
	}
	return !d.Old.Equal(*d.New)
}

// CityDiff is the change of a city's whole shipment: quantities and the
// planned first dispatch, dispatch and arrival days.
type CityDiff struct {
	City          string     `json:"city"`
	Change        CityChange `json:"change"`
	QuantityDiff             // Material is empty
	FirstDispatch DateChange `json:"first_dispatch"`
	Dispatch      DateChange `json:"dispatch"`
	Arrival       DateChange `json:"arrival"`
}

// DiffTotals sums both plans and counts the cities by kind of change.
type DiffTotals struct {
	QuantityDiff
	CitiesAdded   int `json:"cities_added"`
	CitiesRemoved int `json:"cities_removed"`
	CitiesChanged int `json:"cities_changed"`
}

// DiffPlans compares two plans by their shipments. before may be nil (the first
// version): then everything is added. Quantities come from the shipment
// lines, so a change of category split inside a city that leaves the city's
// pieces of a material equal is not a change here.
func DiffPlans(before, after *Plan) PlanDiff {
	oldS, newS := shipmentsByCity(before), shipmentsByCity(after)
	d := PlanDiff{Lines: []LineDiff{}, Materials: []QuantityDiff{}, Cities: []CityDiff{}}
	materials := map[string]*QuantityDiff{}
	for _, city := range unionKeys(oldS, newS) {
		o, inOld := oldS[city]
		n, inNew := newS[city]
		c := CityDiff{City: city, Change: CityChanged,
			FirstDispatch: dateChange(o.FirstDispatch, n.FirstDispatch, inOld, inNew),
			Dispatch:      dateChange(o.Dispatch, n.Dispatch, inOld, inNew),
			Arrival:       dateChange(o.Arrival, n.Arrival, inOld, inNew)}
		c.add(o.Pieces, n.Pieces, o.Boxes, n.Boxes)
		d.Totals.add(o.Pieces, n.Pieces, o.Boxes, n.Boxes)
		switch {
		case !inOld:
			c.Change = CityAdded
			d.Totals.CitiesAdded++
		case !inNew:
			c.Change = CityRemoved
			d.Totals.CitiesRemoved++
		case c.changed() || c.FirstDispatch.Changed() || c.Dispatch.Changed() || c.Arrival.Changed():
			d.Totals.CitiesChanged++
		default:
			c.Change = ""
		}
		if c.Change != "" {
			d.Cities = append(d.Cities, c)
		}
		oldL, newL := linesByMaterial(o.Lines), linesByMaterial(n.Lines)
		for _, m := range unionKeys(oldL, newL) {
			l := LineDiff{City: city, QuantityDiff: QuantityDiff{Material: m}}
			l.add(oldL[m].Pieces, newL[m].Pieces, oldL[m].Boxes, newL[m].Boxes)
			if materials[m] == nil {
				materials[m] = &QuantityDiff{Material: m}
			}
			materials[m].add(oldL[m].Pieces, newL[m].Pieces, oldL[m].Boxes, newL[m].Boxes)
			if l.changed() {
				d.Lines = append(d.Lines, l)
			}
		}
	}
	slices.SortFunc(d.Lines, func(a, b LineDiff) int {
		return cmp.Or(cmp.Compare(a.Material, b.Material), cmp.Compare(a.City, b.City))
	})
	for _, m := range slices.Sorted(maps.Keys(materials)) {
		if materials[m].changed() {
			d.Materials = append(d.Materials, *materials[m])
		}
	}
	return d
}

func dateChange(o, n Date, inOld, inNew bool) DateChange {
	var c DateChange
	if inOld {
		c.Old = &o
	}
	if inNew {
		c.New = &n
	}
	return c
}

func shipmentsByCity(p *Plan) map[string]Shipment {
	out := map[string]Shipment{}
	if p != nil {
		for _, s := range p.Shipments {
			out[s.City] = s
		}
	}
	return out
}

func linesByMaterial(lines []ShipmentLine) map[string]ShipmentLine {
	out := map[string]ShipmentLine{}
	for _, l := range lines {
		out[l.Material] = l
	}
	return out
}

// unionKeys returns the keys of both maps, sorted by byte order.
func unionKeys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	for k := range a {
		seen[k] = true
	}
	for k := range b {
		seen[k] = true
	}
	return slices.Sorted(maps.Keys(seen))
}
