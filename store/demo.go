package store

import (
	"context"
	"fmt"
	"time"

	"github.com/reparto/reparto/planner"
)

// The demo's tracking story, as the logistics office would have recorded
// it by 2009-03-20 (the campaign's as_of):
//
//   - every shipment left on its planned loading day, except Mexicali
//     (MXL), held back at the depot past its latest dispatch day (at risk),
//     and Xalapa (XALA), planned for 03-17 and rebooked (still on time);
//   - every shipment that left was delivered on its planned arrival day,
//     except San Luis Potosí (SLP): seen on the road the next day, then
//     nothing: overdue (at risk);
//   - Guadalajara (GDL) accepted all but 150 pieces of its first material,
//     rejected as damaged by rain: the one discrepancy alert;
//   - every third delivered city reported handing its materials out to the
//     venues three days after delivery.
//
// Carriers, waybills and names are invented; quantities follow the plan.
const (
	seedHeldBack  = "MXL"
	seedRebooked  = "XALA"
	seedOverdue   = "SLP"
	seedDamaged   = "GDL"
	seedRejected  = 150
	seedAuthor    = "demo"
	seedEveningUT = 23 // hour (UTC) at which a day's events are typed in: 17:00 in Mexico City
)

var seedCarriers = []string{"Estafeta", "Paquetexpress", "Tres Guerras", "Castores"}

// SeedDemoTracking commits plan version 1 of the demo campaign (the 2009
// campaign, stored as campaignID) and records the events above. It is
// deterministic: the same campaign gives the same log. `reparto serve`
// calls it on an empty database; tests call it to get the same demo.
// It returns the number of shipments and events.
func (db *DB) SeedDemoTracking(ctx context.Context, campaignID int64, camp *planner.Campaign) (shipments, events int, err error) {
	ctx = WithActor(ctx, Actor{Email: seedAuthor})
	plan, err := planner.Compute(camp)
	if err != nil {
		return 0, 0, fmt.Errorf("demo plan: %w", err)
	}
	if _, err := db.CommitPlan(ctx, campaignID, 0, seedAuthor, "Plan inicial aprobado por FEVIMTRA", plan); err != nil {
		return 0, 0, fmt.Errorf("demo plan commit: %w", err)
	}
	asOf := camp.Today(time.Now())
	list, err := db.ListShipments(ctx, campaignID, ShipmentFilter{})
	if err != nil {
		return 0, 0, err
	}
	order := map[string]int{}
	for i, sh := range plan.Shipments {
		order[sh.City] = i
	}
	for _, s := range list {
		n, err := seedShipment(ctx, db, camp, s, order[s.City], plan, asOf)
		if err != nil {
			return 0, 0, fmt.Errorf("demo events of %s: %w", s.City, err)
		}
		events += n
	}
	return len(list), events, nil
}

// seedShipment records the story of one shipment and returns how many
// events it took.
func seedShipment(ctx context.Context, db *DB, camp *planner.Campaign, s planner.ShipmentRecord, i int,
	plan *planner.Plan, asOf planner.Date) (int, error) {
	if s.City == seedHeldBack || s.City == seedRebooked || s.Dispatch.After(asOf) {
		return 0, nil
	}
	var evs []planner.Event
	evs = append(evs, planner.Event{Kind: planner.EventDispatched, Date: s.Dispatch, Carrier: seedCarriers[i%len(seedCarriers)],
		Waybill: fmt.Sprintf("FEV-2009-%04d", 101+i), Vehicle: fmt.Sprintf("Camión %02d", 1+i%12), Boxes: s.Boxes})
	if s.City == seedOverdue {
		evs = append(evs, planner.Event{Kind: planner.EventInTransit, Date: s.Dispatch.AddDays(1), Checkpoint: "Caseta de Querétaro"})
	} else if !s.Arrival.After(asOf) {
		del := planner.Event{Kind: planner.EventDelivered, Date: s.Arrival, DeliveredBy: "Operador " + seedCarriers[i%len(seedCarriers)],
			ReceivedBy: "Delegación estatal de la PGR"}
		for j, l := range s.Lines {
			dl := planner.DeliveryLine{Material: l.Material, Accepted: l.Pieces}
			if s.City == seedDamaged && j == 0 {
				dl.Accepted, dl.Rejected, dl.Reason = l.Pieces-seedRejected, seedRejected, planner.RejectDamaged
				del.Note = "una caja mojada por la lluvia"
			}
			del.Lines = append(del.Lines, dl)
		}
		evs = append(evs, del)
		if out := s.Arrival.AddDays(3); i%3 == 0 && s.City != seedDamaged && !out.After(asOf) {
			evs = append(evs, planner.Event{Kind: planner.EventDistributed, Date: out, Distribution: seedDistribution(plan, s.City)})
		}
	}
	for _, e := range evs {
		at := time.Date(e.Date.Time().Year(), e.Date.Time().Month(), e.Date.Time().Day(), seedEveningUT, 0, 0, 0, time.UTC)
		if _, _, err := db.AppendEvent(ctx, s.ID, e, at, ""); err != nil {
			return 0, err
		}
	}
	return len(evs), nil
}

// seedDistribution hands out every planned cell of a city: what the plan
// gave each venue category is what the state office reports.
func seedDistribution(plan *planner.Plan, city string) []planner.DistributionLine {
	var out []planner.DistributionLine
	for _, c := range plan.Cells {
		if c.City == city && c.Pieces > 0 {
			out = append(out, planner.DistributionLine{Material: c.Material, Category: c.Category, Pieces: c.Pieces})
		}
	}
	return out
}
