package planner

import (
	"cmp"
	"slices"
)

// ProgressLine is one material of a distribution list: the pieces
// allocated (AllocateVenues) and those reported handed out.
type ProgressLine struct {
	Material    string `json:"material"`
	Allocated   int64  `json:"allocated"`
	Distributed int64  `json:"distributed"`
}

// VenueProgress is one registered venue of a city's distribution list.
// Confidential is set when the venue is confidential, its category is
// sensitive, or it is no longer registered (nothing says it may be named):
// lists then show its ConfidentialRef, never its id.
type VenueProgress struct {
	Venue        Venue
	Confidential bool
	Lines        []ProgressLine // by material code
}

// UnregisteredProgress is what a city keeps for the unregistered venues of
// a category, and what was handed out to the category without naming a
// venue.
type UnregisteredProgress struct {
	Category string
	Venues   int64          // "N venues not yet registered" (LoadsByCity)
	Lines    []ProgressLine // by material code
}

// CityProgress is a city's distribution list, allocated against handed
// out (docs/tracking.md#coverage-by-venue).
type CityProgress struct {
	City         string
	Venues       []VenueProgress        // by venue id
	Unregistered []UnregisteredProgress // by category
}

// CityDistributionProgress puts what the city's shipments handed out
// (lines: DistributedLines of the city's shipments) beside its
// distribution list (load: the city's LoadsByCity entry). A venue line
// counts for its venue, a line without venue for its category's
// unregistered part; venues and categories that received pieces without
// an allocation are listed with 0 allocated.
func CityDistributionProgress(c *Campaign, load CityLoads, lines []DistributionLine) CityProgress {
	venues := make(map[string]Venue, len(c.Venues))
	for _, v := range c.Venues {
		venues[v.ID] = v
	}
	sensitive := map[string]bool{}
	for _, k := range c.Categories {
		sensitive[k.Code] = k.Sensitive
	}
	// One row per venue ("v" + id) or category ("k" + code), its
	// amounts by material.
	type row struct {
		venue *VenueProgress
		unreg *UnregisteredProgress
		by    map[string]*ProgressLine
	}
	rows := map[string]*row{}
	venueRow := func(id string) *row {
		r := rows["v"+id]
		if r == nil {
			v, known := venues[id]
			if !known {
				v = Venue{ID: id}
			}
			r = &row{venue: &VenueProgress{Venue: v, Confidential: !known || v.Confidential || sensitive[v.Category]},
				by: map[string]*ProgressLine{}}
			rows["v"+id] = r
		}
		return r
	}
	categoryRow := func(code string) *row {
		r := rows["k"+code]
		if r == nil {
			r = &row{unreg: &UnregisteredProgress{Category: code}, by: map[string]*ProgressLine{}}
			rows["k"+code] = r
		}
		return r
	}
	amount := func(r *row, material string) *ProgressLine {
		if r.by[material] == nil {
			r.by[material] = &ProgressLine{Material: material}
		}
		return r.by[material]
	}
	for _, vl := range load.Venues {
		r := venueRow(vl.Venue.ID)
		for _, l := range vl.Lines {
			a := amount(r, l.Material)
			a.Allocated = addPieces(a.Allocated, l.Pieces)
		}
	}
	for _, u := range load.Unregistered {
		r := categoryRow(u.Category)
		r.unreg.Venues = max(r.unreg.Venues, u.Venues)
		a := amount(r, u.Material)
		a.Allocated = addPieces(a.Allocated, u.Pieces)
	}
	for _, l := range lines {
		var r *row
		if l.VenueID != "" {
			r = venueRow(l.VenueID)
		} else {
			r = categoryRow(l.Category)
		}
		a := amount(r, l.Material)
		a.Distributed = addPieces(a.Distributed, l.Pieces)
	}
	out := CityProgress{City: load.City, Venues: []VenueProgress{}, Unregistered: []UnregisteredProgress{}}
	for _, r := range rows {
		ls := make([]ProgressLine, 0, len(r.by))
		for _, a := range r.by {
			ls = append(ls, *a)
		}
		slices.SortFunc(ls, func(a, b ProgressLine) int { return cmp.Compare(a.Material, b.Material) })
		if r.venue != nil {
			r.venue.Lines = ls
			out.Venues = append(out.Venues, *r.venue)
		} else {
			r.unreg.Lines = ls
			out.Unregistered = append(out.Unregistered, *r.unreg)
		}
	}
	slices.SortFunc(out.Venues, func(a, b VenueProgress) int { return cmp.Compare(a.Venue.ID, b.Venue.ID) })
	slices.SortFunc(out.Unregistered, func(a, b UnregisteredProgress) int { return cmp.Compare(a.Category, b.Category) })
	return out
}
