package pages

import (
	"math/big"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// planCellData is what plan_cell.html renders: every number behind one
// cell, so that a planner can redo the arithmetic of docs/planning.md#allocation-modes by hand.
type planCellData struct {
	ID                                   int64
	Cell                                 planner.Cell
	MaterialName, CityName, CategoryName string
	PackSize                             int64
	ReservePct                           string
	Surplus                              string
	Result                               planner.MaterialResult
	Available                            int64 // printed - reserve - locks of the material
	Fill                                 *float64

	Quota        *ratView // exact e
	QuotaPacks   *ratView // e / P, before rounding
	Lambda       *ratView // water level in scarcity
	LevelFill    *ratView // min(1, λ·priority): the fill the water level gives this cell
	SurplusShare *ratView

	// The cell divided among the city's registered venues of the category
	// (docs/planning.md#per-venue-allocation).
	Venues             []cellVenue
	Unregistered       int64 // "N venues not yet registered"
	UnregisteredPacks  int64
	UnregisteredPieces int64
}

// cellVenue is one registered venue's share of the cell. Hidden venues
// (confidential, or of a sensitive category, for users who may not see
// them) show their planner.ConfidentialRef only: ID is empty, as an id
// may be a shelter's name.
type cellVenue struct {
	ID, Name, Ref string
	Hidden        bool
	Packs, Pieces int64
	ExtraPack     bool
}

// ratView shows an exact rational as a fraction and a decimal. Num and Den
// are set when both fit in 64 bits (so the page can group digits);
// NumText and DenText always hold them.
type ratView struct {
	IsInt            bool
	Fits             bool
	Num, Den         int64
	NumText, DenText string
	IntPart          int64  // integer part of the decimal
	Frac             string // its decimals
	Exact            bool   // the decimal is exact, not rounded
}

// newRatView returns nil for a nil rational; decimals is how many digits
// the decimal shows.
func newRatView(r *big.Rat, decimals int) *ratView {
	if r == nil {
		return nil
	}
	v := &ratView{IsInt: r.IsInt(), NumText: r.Num().String(), DenText: r.Denom().String()}
	v.Fits = r.Num().IsInt64() && r.Denom().IsInt64()
	if v.Fits {
		v.Num, v.Den = r.Num().Int64(), r.Denom().Int64()
	}
	s := r.FloatString(decimals)
	whole, frac, _ := strings.Cut(s, ".")
	ip, ok := new(big.Int).SetString(whole, 10)
	if ok && ip.IsInt64() {
		v.IntPart = ip.Int64()
	}
	v.Frac = frac
	back, _ := new(big.Rat).SetString(s)
	v.Exact = back != nil && back.Cmp(r) == 0
	return v
}

// planCellPage: GET /campaigns/:id/plan/cell?material=&city=&category=
func (s *handlers) planCellPage(c *gin.Context) {
	id, err := resolve.CampaignID(c)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	key := planner.CellKey{Material: c.Query("material"), City: c.Query("city"), Category: c.Query("category")}
	if key.Material == "" || key.City == "" || key.Category == "" {
		s.Web.PageError(c, web.BadRequestm(planner.MsgBrokenForm, "material, city and category are required"))
		return
	}
	pl, err := s.Res.Planned(c, id)
	if err == nil && pl.Err != nil {
		err = pl.Err
	}
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	plan, err := s.Res.PreviewPlan(c, id, pl)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	d, err := newPlanCellData(id, pl.Campaign, plan, key)
	if err == nil {
		var hidden map[string]bool
		if hidden, err = s.Res.HiddenVenueIDs(c.Request.Context(), web.CurrentUser(c), id); err == nil {
			err = d.allocate(pl.Campaign, plan, hidden)
		}
	}
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	s.Web.Render(c, http.StatusOK, "plan_cell", d)
}

func newPlanCellData(id int64, camp *planner.Campaign, p *planner.Plan, key planner.CellKey) (*planCellData, error) {
	var cell *planner.Cell
	for i := range p.Cells {
		k := &p.Cells[i]
		if k.Material == key.Material && k.City == key.City && k.Category == key.Category {
			cell = k
			break
		}
	}
	mat, ok := camp.Material(key.Material)
	if cell == nil || !ok {
		return nil, planner.Errorm(planner.ENotFound, planner.MsgNoCell, "the plan has no cell for %s in %s, %s", key.Material, key.City, key.Category)
	}
	d := &planCellData{ID: id, Cell: *cell, MaterialName: mat.Name, PackSize: mat.PackSize,
		ReservePct: mat.ReservePct.String(), Surplus: string(camp.Surplus)}
	for _, k := range camp.Cities {
		if k.Code == key.City {
			d.CityName = k.Name
		}
	}
	for _, k := range camp.Categories {
		if k.Code == key.Category {
			d.CategoryName = k.Name
		}
	}
	for _, r := range p.Materials {
		if r.Code == key.Material {
			d.Result = r
			d.Available = r.Printed - r.Reserve - r.Locked
		}
	}
	if f, ok := cell.Fill(); ok {
		d.Fill = &f
	}
	why := cell.Why
	quota := cell.Quota()
	d.Quota = newRatView(quota, 4)
	if quota != nil {
		d.QuotaPacks = newRatView(new(big.Rat).Quo(quota, big.NewRat(mat.PackSize, 1)), 4)
	}
	d.Lambda = newRatView(why.Lambda, 8)
	if why.Lambda != nil {
		level := new(big.Rat).Mul(why.Lambda, why.Priority.Rat())
		if level.Cmp(big.NewRat(1, 1)) > 0 {
			level.SetInt64(1)
		}
		d.LevelFill = newRatView(level, 6)
	}
	d.SurplusShare = newRatView(cell.SurplusShare(), 4)
	return d, nil
}

// allocate divides the cell among its venues (planner.AllocateVenues on
// the cell alone); ids in hidden show no name.
func (d *planCellData) allocate(camp *planner.Campaign, p *planner.Plan, hidden map[string]bool) error {
	one := *p
	one.Cells = []planner.Cell{d.Cell}
	cells, err := planner.AllocateVenues(camp, &one)
	if err != nil {
		return err
	}
	vc := cells[0]
	names := make(map[string]string, len(vc.Venues))
	for _, s := range vc.Venues {
		names[s.VenueID] = ""
	}
	for _, v := range camp.Venues {
		if _, ok := names[v.ID]; ok {
			names[v.ID] = v.Name
		}
	}
	for _, s := range vc.Venues {
		v := cellVenue{Hidden: hidden[s.VenueID], Packs: s.Packs, Pieces: s.Pieces, ExtraPack: s.ExtraPack}
		if v.Hidden {
			v.Ref = planner.ConfidentialRef(camp.ID, s.VenueID)
		} else {
			v.ID, v.Name = s.VenueID, names[s.VenueID]
		}
		d.Venues = append(d.Venues, v)
	}
	d.Unregistered, d.UnregisteredPacks, d.UnregisteredPieces = vc.Unregistered, vc.UnregisteredPacks, vc.UnregisteredPieces
	return nil
}
