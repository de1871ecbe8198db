package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/reparto/reparto/planner"
)

// ListAlerts returns the discrepancy alerts of a campaign (planner.Alerts
// over its shipments, corrections applied) that nobody has acknowledged
// yet. Acknowledging is per delivered event: every material alert of that
// delivery goes away together. Errors: ENotFound (campaign).
func (db *DB) ListAlerts(ctx context.Context, campaignID int64) ([]planner.Alert, error) {
	e, err := db.trackingEntryFor(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.alerts), nil
}

// AckAlert acknowledges the alerts of delivered event eventID in a
// campaign, as the actor of ctx. Acknowledging twice is harmless: the
// first acknowledgement is kept and created reports whether this call made
// it. Errors: ENotFound when the campaign has no alert for that event.
func (db *DB) AckAlert(ctx context.Context, campaignID, eventID int64) (created bool, err error) {
	err = db.WithTx(ctx, func(tx *Tx) error {
		if err := refuseClosed(ctx, tx, campaignID); err != nil {
			return err
		}
		shipments, err := loadCampaignShipments(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		if indexOf(planner.Alerts(shipments), func(a planner.Alert) bool { return a.EventID == eventID }) < 0 {
			return notFound(thingAlert, eventID)
		}
		who := ActorFrom(ctx).Email
		res, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO alert_acks (campaign_id, event_id, acked_by, acked_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, event_id) DO NOTHING`), campaignID, eventID, who, db.now())
		if err != nil {
			return fmt.Errorf("acknowledge alert %d: %w", eventID, err)
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
		created = true
		return db.Audit(ctx, tx, AuditEntry{Action: "ack_alert", Entity: "alert",
			EntityID: strconv.FormatInt(eventID, 10), CampaignID: campaignID,
			After: map[string]any{"event_id": eventID, "acked_by": who}})
	})
	return created, err
}
