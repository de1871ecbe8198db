package planner

import "context"

// Replan computes the plan a commit stores once part of the committed plan
// has left the depot (docs/planning.md#re-plans): ReplanInput locks the dispatched
// cities at what they loaded and Compute re-allocates only the rest; then,
// when any shipment has left, the cities still to dispatch are scheduled
// again from today (the first working day on or after max(start, today)),
// so no planned date lies in the past and the capacity needed counts only
// the working days left. The dispatched cities keep their committed
// shipments, dates included, and take no capacity from the days left.
//
// Before any shipment has left it is Compute over ReplanInput, which is the
// plain plan of the campaign (with opts applied). Errors: those of
// ReplanInput and Compute.
func Replan(c *Campaign, committed *Plan, shipments []ShipmentRecord, opts ReplanOptions, today Date) (*Plan, error) {
	return ReplanContext(context.Background(), c, committed, shipments, opts, today)
}

// ReplanContext is Replan for a caller that may stop waiting: the
// computation gives up with ctx's error once ctx ends (see ComputeContext).
func ReplanContext(ctx context.Context, c *Campaign, committed *Plan, shipments []ShipmentRecord, opts ReplanOptions, today Date) (*Plan, error) {
	input, err := ReplanInput(c, committed, shipments, opts)
	if err != nil {
		return nil, err
	}
	p, err := ComputeContext(ctx, input)
	if err != nil {
		return nil, err
	}
	frozen, err := frozenCities(committed, shipments)
	if err != nil || len(frozen) == 0 {
		return p, err
	}
	return p, rescheduleFrom(input, p, committed, frozen, today)
}

// AnyDispatched reports whether a shipment has left the depot (and was not
// cancelled before): from then on every commit is a re-plan.
func AnyDispatched(shipments []ShipmentRecord) bool {
	for i := range shipments {
		if shipments[i].State().Stage.Dispatched() {
			return true
		}
	}
	return false
}

// CheckDispatched reports whether plan p keeps every dispatched shipment
// exactly as it was loaded: the store's last guard before a commit, so a
// shipment dispatched while a preview was reviewed cannot end up with other
// pieces in the plan than on the truck. Errors: EConflict.
func CheckDispatched(p *Plan, shipments []ShipmentRecord) error {
	_, err := frozenCities(p, shipments)
	return err
}

// rescheduleFrom replaces p's schedule: the frozen cities' shipments as
// committed, then the other cities loaded from today on.
func rescheduleFrom(c *Campaign, p, committed *Plan, frozen map[string]bool, today Date) error {
	ix, err := indexCampaign(c)
	if err != nil {
		return err
	}
	rest := replanCopy(c)
	if today.After(rest.Start) {
		rest.Start = today
	}
	open := &Plan{}
	for _, cell := range p.Cells {
		if !frozen[cell.City] {
			open.Cells = append(open.Cells, cell)
		}
	}
	if err := schedule(rest, ix, open, nil); err != nil {
		return err
	}
	var ships []Shipment
	var boxes int64
	for _, s := range committed.Shipments {
		if frozen[s.City] {
			ships = append(ships, s)
			boxes += s.Boxes
		}
	}
	p.Shipments = append(ships, open.Shipments...)
	p.TotalBoxes = boxes + open.TotalBoxes
	p.RequiredBoxesPerDay = open.RequiredBoxesPerDay
	p.TotalWeightKg = totalWeight(c, p.Shipments)
	return nil
}
