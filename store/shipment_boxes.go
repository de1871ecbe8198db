package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/reparto/reparto/planner"
)

// boxRunJSON is how a run of identical boxes is kept in shipments.packing.
type boxRunJSON struct {
	First    int64            `json:"first"`
	Last     int64            `json:"last"`
	Items    []boxItemJSON    `json:"items"`
	WeightKg *planner.Decimal `json:"weight_kg"`
}

type boxItemJSON struct {
	Material string `json:"material"`
	Packs    int64  `json:"packs"`
	Pieces   int64  `json:"pieces"`
}

// packingText encodes a shipment's boxes; nil (not packed) stays NULL.
func packingText(runs []planner.BoxRun) (*string, error) {
	if runs == nil {
		return nil, nil
	}
	out := make([]boxRunJSON, len(runs))
	for i, r := range runs {
		out[i] = boxRunJSON{First: r.First, Last: r.Last, WeightKg: r.WeightKg, Items: make([]boxItemJSON, len(r.Items))}
		for j, it := range r.Items {
			out[i].Items[j] = boxItemJSON{Material: it.Material, Packs: it.Packs, Pieces: it.Pieces}
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

func packingFromText(text *string) ([]planner.BoxRun, error) {
	if text == nil {
		return nil, nil
	}
	var runs []boxRunJSON
	if err := json.Unmarshal([]byte(*text), &runs); err != nil {
		return nil, err
	}
	out := make([]planner.BoxRun, len(runs))
	for i, r := range runs {
		out[i] = planner.BoxRun{First: r.First, Last: r.Last, WeightKg: r.WeightKg, Items: make([]planner.BoxItem, len(r.Items))}
		for j, it := range r.Items {
			out[i].Items[j] = planner.BoxItem{Material: it.Material, Packs: it.Packs, Pieces: it.Pieces}
		}
	}
	return out, nil
}

// ShipmentBoxes returns what goes in which box of a shipment of a
// campaign: runs of identical boxes numbered 1..N (planner.BoxCount) as
// the committed plan version packed them (planner.PackBoxes). Packing
// lists, box labels ("box i of N", planner.BoxAt) and receipts read them
// here so that they all agree with the truck.
//
// Errors: ENotFound when the shipment does not exist or belongs to another
// campaign (a caller scoped to one campaign learns nothing about others),
// and also when the shipment was committed before boxes were packed: the
// next commit of the plan packs it if it has not left yet.
func (db *DB) ShipmentBoxes(ctx context.Context, campaignID, shipmentID int64) ([]planner.BoxRun, error) {
	var runs []planner.BoxRun
	err := db.readTx(ctx, func(tx *sqlx.Tx) error {
		var row struct {
			Packing *string `db:"packing"`
		}
		err := tx.GetContext(ctx, &row, tx.Rebind(`SELECT packing FROM shipments WHERE id = ? AND campaign_id = ?`),
			shipmentID, campaignID)
		if err != nil {
			return orNotFound(err, thingShipment, shipmentID)
		}
		if row.Packing == nil {
			return planner.Errorm(planner.ENotFound, planner.MsgBoxesNotPacked,
				"shipment %d has no boxes: it was committed before boxes were packed; commit the plan again", shipmentID)
		}
		runs, err = packingFromText(row.Packing)
		if err != nil {
			return fmt.Errorf("shipment %d packing: %w", shipmentID, err)
		}
		return nil
	})
	return runs, err
}
