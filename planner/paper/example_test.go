package paper_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/paper"
)

// A handler builds one Renderer at start-up and calls it per request; the
// language is the page's ("es" or "en").
func Example() {
	r, err := paper.New(assets.FS)
	if err != nil {
		panic(err)
	}
	kg := 12.5
	s := paper.Shipment{
		Campaign: "Prevención 2009", ID: 42, Number: "E-0042",
		Depot:       paper.Depot{Name: "Almacén central"},
		Destination: paper.Destination{City: "Mérida", State: "Yucatán"},
		Carrier:     "Transportes del Sur", Dispatch: planner.NewDate(2009, time.May, 4),
		Lines: []paper.Line{{Code: "CARTEL", Name: "Cartel", Pieces: 500, Packs: 10, Boxes: 1}},
		Boxes: []paper.Box{{Number: 1, WeightKg: &kg,
			Contents: []paper.BoxLine{{Code: "CARTEL", Name: "Cartel", Pieces: 500, Packs: 10}}}},
		ReceiptURL: "https://reparto.example.org/campaigns/1/shipments/42/receipt",
	}
	var docs, labels bytes.Buffer
	if err := r.ShipmentDocuments(&docs, s, "es"); err != nil {
		panic(err)
	}
	if err := r.Labels(&labels, []paper.Shipment{s}, paper.Thermal4x6, "es"); err != nil {
		panic(err)
	}
	fmt.Println(bytes.HasPrefix(docs.Bytes(), []byte("%PDF")), bytes.HasPrefix(labels.Bytes(), []byte("%PDF")))
	// Output: true true
}
