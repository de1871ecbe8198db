package pages

import (
	"slices"
	"strings"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// matrixPageSize is how many cities one page of the matrix shows. A
// national campaign has 2,500 cities; all of them at once made a 27 MB
// page no browser opens, and the 2009 demo's 70 still fit on one page.
const matrixPageSize = 100

// planMatrix is the allocation matrix of the plan page: either the cities ×
// categories of one material (each cell links to its explanation) or the
// cities × materials, summed over categories. The rows are the cities the
// filters keep, one page of them at a time; the table scrolls under sticky
// headers because ~27 categories do not fit a screen.
type planMatrix struct {
	View      string // "cells" or "cities"
	Material  string // the selected material ("cells" view)
	Materials []matrixHeader
	Columns   []matrixHeader
	Rows      []matrixRow // the current page

	// The filters as the form shows them, and what they leave.
	State, Category, City string
	States                []matrixHeader // states that have a city in the plan
	Categories            []matrixHeader
	Total                 int // rows the filters keep, over every page
	First, Last           int // 1-based positions of this page's rows, 0 when none
	Pager                 dataPager
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

// buildMatrix lays the plan out as q asks. An unknown material, state or
// category in the URL is a malformed request, named by its parameter; a
// page past the last shows the last.
func buildMatrix(camp *planner.Campaign, p *planner.Plan, q planQuery, id int64) (planMatrix, error) {
	m := planMatrix{View: q.View, Material: q.Material, State: q.State, Category: q.Category, City: q.City}
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
		return m, web.BadField("material", planner.MsgNotInPlan, "unknown material %q", m.Material)
	}
	cityName := make(map[string]string, len(camp.Cities))
	cityState := make(map[string]string, len(camp.Cities))
	for _, k := range camp.Cities {
		cityName[k.Code] = k.Name
		cityState[k.Code] = k.State
	}
	m.States = planStates(camp, p)
	if m.State != "" && !slices.ContainsFunc(m.States, func(h matrixHeader) bool { return h.Code == m.State }) {
		return m, web.BadField("state", planner.MsgNotInPlan, "unknown state %q", m.State)
	}
	cats := slices.Clone(camp.Categories)
	slices.SortFunc(cats, func(a, b planner.VenueCategory) int { return strings.Compare(a.Code, b.Code) })
	for _, v := range cats {
		m.Categories = append(m.Categories, matrixHeader{Code: v.Code, Name: v.Name})
	}
	if m.Category != "" && !slices.ContainsFunc(m.Categories, func(h matrixHeader) bool { return h.Code == m.Category }) {
		return m, web.BadField("category", planner.MsgNotInPlan, "unknown category %q", m.Category)
	}
	search := strings.ToLower(strings.TrimSpace(m.City))
	filtered := m.Category != "" || m.State != "" || search != ""
	// Cells are big (each carries its explanation) and a national plan has
	// ~300,000 of them: they are read in place, never copied.
	keep := func(c *planner.Cell) bool {
		if !filtered {
			return true
		}
		if m.Category != "" && c.Category != m.Category {
			return false
		}
		if m.State != "" && cityState[c.City] != m.State {
			return false
		}
		return search == "" || strings.Contains(strings.ToLower(cityName[c.City]), search) ||
			strings.Contains(strings.ToLower(c.City), search)
	}
	cells := p.Cells
	column := func(c *planner.Cell) string { return c.Material }
	if m.View == "cities" {
		m.Columns = m.Materials
	} else {
		// Cells are sorted by material: the selected one is a run of them.
		lo, _ := slices.BinarySearchFunc(cells, m.Material, func(c planner.Cell, mat string) int { return strings.Compare(c.Material, mat) })
		hi := lo
		for hi < len(cells) && cells[hi].Material == m.Material {
			hi++
		}
		cells = cells[lo:hi]
		column = func(c *planner.Cell) string { return c.Category }
		used := map[string]bool{}
		for i := range cells {
			if c := &cells[i]; keep(c) {
				used[c.Category] = true
			}
		}
		for _, h := range m.Categories {
			if used[h.Code] {
				m.Columns = append(m.Columns, h)
			}
		}
	}
	cities := matrixCities(cells, keep)
	m.Total = len(cities)
	page := q.Page
	pages := max((m.Total+matrixPageSize-1)/matrixPageSize, 1)
	page = min(max(page, 1), pages)
	lo, hi := (page-1)*matrixPageSize, min(page*matrixPageSize, m.Total)
	if lo < hi {
		m.First, m.Last = lo+1, hi
		m.Rows = matrixRows(cells, keep, cities[lo:hi], cityName, m.Columns, column)
	}
	pq := q
	pq.Page = page
	m.Pager = newPlanPager(pq, pages, id)
	return m, nil
}

// planStates lists the states of the plan's cities, by code; a city
// without a state is not filterable by state.
func planStates(camp *planner.Campaign, p *planner.Plan) []matrixHeader {
	inPlan := map[string]bool{}
	for _, sh := range p.Shipments {
		inPlan[sh.City] = true
	}
	seen := map[string]bool{}
	var out []matrixHeader
	for _, k := range camp.Cities {
		if k.State == "" || seen[k.State] || (len(inPlan) > 0 && !inPlan[k.Code]) {
			continue
		}
		seen[k.State] = true
		out = append(out, matrixHeader{Code: k.State})
	}
	slices.SortFunc(out, func(a, b matrixHeader) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// matrixCities is the sorted set of the cities of the cells kept.
func matrixCities(cells []planner.Cell, keep func(*planner.Cell) bool) []string {
	seen := map[string]bool{}
	var out []string
	last := ""
	for i := range cells {
		c := &cells[i]
		if c.City == last || !keep(c) {
			continue
		}
		last = c.City
		if !seen[c.City] {
			seen[c.City] = true
			out = append(out, c.City)
		}
	}
	slices.Sort(out)
	return out
}

// matrixRows sums the cells kept of the given cities (sorted) into one row
// per city, with one matrix cell per column; column picks a cell's column.
func matrixRows(cells []planner.Cell, keep func(*planner.Cell) bool, cities []string, cityName map[string]string, cols []matrixHeader, column func(*planner.Cell) string) []matrixRow {
	colIdx := make(map[string]int, len(cols))
	for i, h := range cols {
		colIdx[h.Code] = i
	}
	rows := make([]matrixRow, len(cities))
	byCity := make(map[string]*matrixRow, len(cities))
	for i, city := range cities {
		rows[i] = matrixRow{City: city, Name: cityName[city], Cells: make([]matrixCell, len(cols))}
		byCity[city] = &rows[i]
	}
	for i := range cells {
		c := &cells[i]
		r := byCity[c.City]
		if r == nil || !keep(c) {
			continue
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
	return rows
}
