package store

import (
	"context"
	"strconv"

	"github.com/reparto/reparto/planner"
)

// RescheduleShipment moves the planned loading day of an undispatched
// shipment (a truck booked for another day): its first and last loading
// day become dispatch and its planned arrival dispatch + transit days, so
// that Status warns when the new day misses the due date. The shipment
// must still be at version expect (its ETag), else EConflict: someone
// changed it since the client read it. A later plan commit replaces the
// planned dates again.
//
// Errors: ENotFound; EConflict (stale version); EInvalid naming "dispatch"
// when the day is outside the campaign or the shipment has already left or
// was cancelled.
func (db *DB) RescheduleShipment(ctx context.Context, id int64, expect int, dispatch planner.Date) (*planner.ShipmentRecord, error) {
	var out *planner.ShipmentRecord
	err := db.WithTx(ctx, func(tx *Tx) error {
		campaignID, version, err := db.lockShipment(ctx, tx, id)
		if err != nil {
			return err
		}
		if version != expect {
			return staleShipment(id, expect)
		}
		c, err := loadCampaignHeader(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		s, err := loadShipment(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkReschedule(c, s, dispatch); err != nil {
			return err
		}
		before := *s
		before.Events = nil
		s.FirstDispatch, s.Dispatch, s.Arrival = dispatch, dispatch, dispatch.AddDays(s.TransitDays)
		if err := updatePlanned(ctx, tx, *s, db.now()); err != nil {
			return err
		}
		s.Version++
		after := *s
		after.Events = nil
		out = s
		return db.Audit(ctx, tx, AuditEntry{Action: AuditUpdate, Entity: "shipment",
			EntityID: strconv.FormatInt(id, 10), CampaignID: campaignID,
			Before: map[string]any{"dispatch": before.Dispatch, "first_dispatch": before.FirstDispatch, "arrival": before.Arrival},
			After:  map[string]any{"dispatch": after.Dispatch, "first_dispatch": after.FirstDispatch, "arrival": after.Arrival}})
	})
	return out, err
}

func checkReschedule(c *planner.Campaign, s *planner.ShipmentRecord, d planner.Date) error {
	bad := func(id planner.MsgID, format string, args ...any) error {
		return planner.Invalid(planner.Fieldf("dispatch", id, format, args...))
	}
	switch st := s.State(); {
	case st.Stage == planner.StageCancelled:
		return bad(planner.MsgRescheduleCancelled, "the shipment was cancelled; it cannot be rescheduled")
	case st.Stage.Dispatched():
		return bad(planner.MsgRescheduleDispatched, "the shipment was already dispatched on %s; it cannot be rescheduled", st.DispatchedOn)
	case d.IsZero():
		return bad(planner.MsgRequired, "is required")
	case d.Before(c.Start):
		return bad(planner.MsgBeforeStart, "must not be before the campaign start %s", c.Start)
	case d.After(c.Deadline):
		return bad(planner.MsgAfterDeadline, "must not be after the campaign deadline %s", c.Deadline)
	}
	return nil
}
