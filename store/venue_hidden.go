package store

import (
	"context"
	"fmt"
)

// HiddenVenueIDs returns the ids of a campaign's venues that viewers may
// not identify: confidential venues and venues of sensitive categories.
// Venue ids are free text, so the API leaves them out of what viewers read
// (shipment events name the venue a distribution went to).
func (db *DB) HiddenVenueIDs(ctx context.Context, campaignID int64) (map[string]bool, error) {
	var ids []string
	err := db.read.SelectContext(ctx, &ids, db.read.Rebind(`SELECT v.id FROM venues v
		JOIN venue_categories k ON k.campaign_id = v.campaign_id AND k.code = v.category
		WHERE v.campaign_id = ? AND (v.confidential OR k.sensitive)`), campaignID)
	if err != nil {
		return nil, translate(fmt.Errorf("hidden venues of campaign %d: %w", campaignID, err))
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
