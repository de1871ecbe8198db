package pages

import (
	"slices"
	"strings"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// planMatrix is the allocation matrix of the plan page: either the cities ×
// categories of one material (each cell links to its explanation) or the
// cities × materials, summed over categories. 70 cities by ~27 categories
// does not fit a screen, so the table scrolls under sticky headers.
type planMatrix struct {
	View      string // "cells" or "cities"
	Material  string // the selected material ("cells" view)
	Materials []matrixHeader
	Columns   []matrixHeader
	Rows      []matrixRow
}

type matrixHeader struct{ Code, Name string }

type matrixRow struct {
	City, Name     string
	Cells          []matrixCell // one per column
	Pieces, Demand int64
}

// Fill is the row's pieces over its demand, nil without demand.
func (r matrixRow) Fill() *float64 { return ratio(r.Pieces, r.Demand) }

// matrixCell is one intersection; Present is false where the planner has
// no cell (no demand and no lock).
type matrixCell struct {
	Present            bool
	Material, Category string
	Pieces, Demand     int64
	Locked             bool
}

// Fill is pieces over demand, nil without demand.
func (c matrixCell) Fill() *float64 { return ratio(c.Pieces, c.Demand) }

// Class names the fill band for the stylesheet.
func (c matrixCell) Class() string {
	switch {
	case !c.Present:
		return "empty"
	case c.Locked:
		return "locked"
	case c.Demand == 0:
		return "nodemand"
	case c.Pieces == 0:
		return "fill-zero"
	case c.Pieces < c.Demand:
		return "fill-part"
	default:
		return "fill-full"
	}
}

func ratio(a, b int64) *float64 {
	if b == 0 {
		return nil
	}
	f := float64(a) / float64(b)
	return &f
}

// buildMatrix lays the plan out as q asks. An unknown material in the URL
// is a malformed request.
func buildMatrix(camp *planner.Campaign, p *planner.Plan, q planQuery) (planMatrix, error) {
	m := planMatrix{View: q.View, Material: q.Material}
	for _, mr := range p.Materials {
		name := ""
		if mat, ok := camp.Material(mr.Code); ok {
			name = mat.Name
		}
		m.Materials = append(m.Materials, matrixHeader{Code: mr.Code, Name: name})
	}
	if m.Material == "" && len(m.Materials) > 0 {
		m.Material = m.Materials[0].Code
	}
	if m.Material != "" && !slices.ContainsFunc(m.Materials, func(h matrixHeader) bool { return h.Code == m.Material }) {
		return m, web.ErrBadRequest("unknown material %q", m.Material)
	}
	cityName := map[string]string{}
	for _, k := range camp.Cities {
		cityName[k.Code] = k.Name
	}
	if m.View == "cities" {
		m.Columns = m.Materials
		m.Rows = matrixRows(p.Cells, cityName, m.Columns, func(c planner.Cell) string { return c.Material })
		return m, nil
	}
	var cells []planner.Cell
	used := map[string]bool{}
	for _, c := range p.Cells {
		if c.Material == m.Material {
			cells = append(cells, c)
			used[c.Category] = true
		}
	}
	cats := slices.Clone(camp.Categories)
	slices.SortFunc(cats, func(a, b planner.VenueCategory) int { return strings.Compare(a.Code, b.Code) })
	for _, v := range cats {
		if used[v.Code] {
			m.Columns = append(m.Columns, matrixHeader{Code: v.Code, Name: v.Name})
		}
	}
	m.Rows = matrixRows(cells, cityName, m.Columns, func(c planner.Cell) string { return c.Category })
	return m, nil
}

// matrixRows sums cells (sorted by city) into one row per city, with one
// matrix cell per column; column picks a cell's column code.
func matrixRows(cells []planner.Cell, cityName map[string]string, cols []matrixHeader, column func(planner.Cell) string) []matrixRow {
	colIdx := make(map[string]int, len(cols))
	for i, h := range cols {
		colIdx[h.Code] = i
	}
	byCity := map[string]*matrixRow{}
	var order []string
	for _, c := range cells {
		r := byCity[c.City]
		if r == nil {
			r = &matrixRow{City: c.City, Name: cityName[c.City], Cells: make([]matrixCell, len(cols))}
			byCity[c.City] = r
			order = append(order, c.City)
		}
		i, ok := colIdx[column(c)]
		if !ok {
			continue
		}
		mc := &r.Cells[i]
		mc.Present, mc.Material, mc.Category = true, c.Material, c.Category
		mc.Pieces += c.Pieces
		mc.Demand += c.Demand
		mc.Locked = mc.Locked || c.Locked
		r.Pieces += c.Pieces
		r.Demand += c.Demand
	}
	slices.Sort(order)
	rows := make([]matrixRow, len(order))
	for i, city := range order {
		rows[i] = *byCity[city]
	}
	return rows
}
