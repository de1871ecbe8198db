package planner

import (
	"cmp"
	"fmt"
	"slices"
)

// ReconcileShipments says what committing plan version p does to the
// shipments already recorded for the campaign:
//
//   - update: every undispatched shipment of a city that p still serves,
//     with p's lines, boxes, pieces and dates and the new plan version (id,
//     campaign, events and concurrency version are kept for the store);
//   - create: a planned shipment for every city of p that has no live
//     shipment (none yet, or only cancelled ones);
//   - cancel: the ids of undispatched shipments whose city p no longer
//     serves; the caller appends a "cancelled" event to each (see
//     PlanCancellation).
//
// A shipment that has been dispatched (or is further along) is never
// rewritten, even if p gives its city other quantities: what left the depot
// is history (ReplanInput locks those cities so that p agrees). Cancelled
// shipments are ignored. Should a city have several live undispatched
// shipments, the one with the lowest id is updated and the others cancelled,
// restoring the one-live-shipment-per-city invariant this function keeps.
// Results are sorted by city code (cancel by id).
func ReconcileShipments(existing []ShipmentRecord, p *Plan, version int) (update, create []ShipmentRecord, cancel []int64) {
	planned := map[string]Shipment{}
	if p != nil {
		for _, sh := range p.Shipments {
			planned[sh.City] = sh
		}
	}
	var campaignID int64
	live := map[string][]ShipmentRecord{}
	for _, s := range existing {
		campaignID = s.CampaignID
		stage := s.State().Stage
		if stage == StageCancelled {
			continue
		}
		live[s.City] = append(live[s.City], s)
	}
	for city, recs := range live {
		slices.SortFunc(recs, func(a, b ShipmentRecord) int { return cmp.Compare(a.ID, b.ID) })
		sh, kept := planned[city]
		updated := false
		for _, s := range recs {
			switch {
			case s.State().Stage.Dispatched():
				// never rewritten
			case kept && !updated:
				update = append(update, replanned(s, sh, version))
				updated = true
			default:
				cancel = append(cancel, s.ID)
			}
		}
	}
	for city, sh := range planned {
		if len(live[city]) == 0 {
			rec := shipmentFromPlan(sh, version)
			rec.CampaignID = campaignID
			create = append(create, rec)
		}
	}
	byCity := func(a, b ShipmentRecord) int { return cmp.Compare(a.City, b.City) }
	slices.SortFunc(update, byCity)
	slices.SortFunc(create, byCity)
	slices.Sort(cancel)
	return update, create, cancel
}

// replanned returns s with the planned content of sh from plan version.
func replanned(s ShipmentRecord, sh Shipment, version int) ShipmentRecord {
	n := shipmentFromPlan(sh, version)
	n.ID, n.CampaignID, n.Events, n.Version = s.ID, s.CampaignID, s.Events, s.Version
	return n
}

// PlanCancellation is the event that cancels a shipment dropped by plan
// version; the store appends it to each id ReconcileShipments returns.
func PlanCancellation(version int, date Date) Event {
	return Event{Kind: EventCancelled, Date: date, Reason: fmt.Sprintf("city no longer in plan version %d", version)}
}
