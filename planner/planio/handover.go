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
	ManifestColumns = []string{"shipment", "city", "city_name", "state", "material", "packs", "boxes", "pieces", "weight_kg",
		"shipment_boxes", "box_weight_kg"}
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
// shipment column empty. shipment_boxes is the shipment's packed box
// count (the N of its labels; boxes is what the material fills on its
// own), box_weight_kg the weight of the first box holding the material
// (docs/planning.md#packing-boxes), empty when unknown.
func WriteManifest(o *CSV, camp *planner.Campaign, p *planner.Plan, ids map[string]int64) {
	o.Header(ManifestColumns...)
	for _, sh := range p.Shipments {
		k, _ := camp.City(sh.City)
		for _, l := range sh.Lines {
			o.ID(ids[sh.City]).Text(sh.City).Text(CityName(camp, sh.City)).Text(k.State).Text(l.Material).
				Int(l.Packs).Int(l.Boxes).Int(l.Pieces).Rat(WeightKg(camp, []planner.ShipmentLine{l}), 3).
				Int(LabelledBoxes(sh.Packing, sh.Boxes)).Rat(boxWeightKg(sh.Packing, l.Material), 3).End()
		}
	}
}

// LabelledBoxes is the number of boxes a shipment's labels count: its
// packing's, or one material per box for a plan committed before boxes
// were packed.
func LabelledBoxes(packing []planner.BoxRun, boxes int64) int64 {
	if len(packing) == 0 {
		return boxes
	}
	return planner.BoxCount(packing)
}

// boxWeightKg is the exact weight of the first box holding material, nil
// when unknown (a material without piece_grams, or a plan committed
// before boxes were packed).
func boxWeightKg(packing []planner.BoxRun, material string) *big.Rat {
	if r, ok := planner.FirstBoxOf(packing, material); ok && r.WeightKg != nil {
		return r.WeightKg.Rat()
	}
	return nil
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
