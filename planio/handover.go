package planio

import (
	"math/big"
	"slices"
	"strings"

	"github.com/reparto/reparto/planner"
)

// Header rows of the printer's and the warehouse's files: stable English
// names, whatever the reader's language. They carry codes, city names and
// quantities, never venue names, so nothing in them can reveal a
// confidential shelter.
var (
	PrintOrderColumns = []string{"material", "name", "format", "printed", "pack_size", "packs_per_box",
		"city", "city_name", "packs", "boxes", "pieces"}
	ManifestColumns = []string{"shipment", "city", "city_name", "state", "material", "packs", "boxes", "pieces", "weight_kg"}
)

// WritePrintOrder writes the print-and-pack order in long format: per
// material (by code), one row per city that receives it (by city code)
// with its packs, boxes and pieces, then a TOTAL row (city "TOTAL", no
// city name) whose packs equal the material's allocated packs.
func WritePrintOrder(o *CSV, camp *planner.Campaign, p *planner.Plan) {
	o.Header(PrintOrderColumns...)
	lines := map[string][]cityLine{}
	for _, sh := range p.Shipments {
		for _, l := range sh.Lines {
			lines[l.Material] = append(lines[l.Material], cityLine{sh.City, l})
		}
	}
	for _, mr := range p.Materials {
		m, _ := camp.Material(mr.Code)
		material := func() *CSV {
			return o.Text(mr.Code).Text(m.Name).Text(m.Format).Int(mr.Printed).ID(m.PackSize).ID(m.PacksPerBox)
		}
		ls := lines[mr.Code]
		slices.SortFunc(ls, func(a, b cityLine) int { return strings.Compare(a.City, b.City) })
		var total planner.ShipmentLine
		for _, cl := range ls {
			material().Text(cl.City).Text(CityName(camp, cl.City)).Int(cl.Packs).Int(cl.Boxes).Int(cl.Pieces).End()
			total.Packs, total.Boxes, total.Pieces = total.Packs+cl.Packs, total.Boxes+cl.Boxes, total.Pieces+cl.Pieces
		}
		material().Text("TOTAL").Blank().Int(total.Packs).Int(total.Boxes).Int(total.Pieces).End()
	}
}

// cityLine is a shipment line with the city it goes to.
type cityLine struct {
	City string
	planner.ShipmentLine
}

// WriteManifest writes the packing list: one row per shipment (loading
// order) and material (by code). ids maps a city to its tracked shipment's
// id once a plan is committed; a missing one (the preview) leaves the
// shipment column empty.
func WriteManifest(o *CSV, camp *planner.Campaign, p *planner.Plan, ids map[string]int64) {
	o.Header(ManifestColumns...)
	for _, sh := range p.Shipments {
		k, _ := camp.City(sh.City)
		for _, l := range sh.Lines {
			o.ID(ids[sh.City]).Text(sh.City).Text(CityName(camp, sh.City)).Text(k.State).Text(l.Material).
				Int(l.Packs).Int(l.Boxes).Int(l.Pieces).Rat(WeightKg(camp, []planner.ShipmentLine{l}), 3).End()
		}
	}
}

// WeightKg is the exact weight of some lines, or nil when a material's
// piece weight is unknown.
func WeightKg(camp *planner.Campaign, lines []planner.ShipmentLine) *big.Rat {
	kg := new(big.Rat)
	for _, l := range lines {
		m, ok := camp.Material(l.Material)
		if !ok || m.PieceGrams == nil {
			return nil
		}
		kg.Add(kg, new(big.Rat).Mul(m.PieceGrams.Rat(), big.NewRat(l.Pieces, 1000)))
	}
	return kg
}

// CityName is a city's name, or its code when the campaign lacks it.
func CityName(camp *planner.Campaign, code string) string {
	if k, ok := camp.City(code); ok {
		return k.Name
	}
	return code
}
