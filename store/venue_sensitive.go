package store

import (
	"context"
	"fmt"
)

// A venue in a sensitive category (shelters) is always stored
// confidential, whatever a file, a form or the API said: the rule lives
// here, below every writer, so that no path can store a shelter's name as
// public. What the writer said is kept in marked_confidential, so that
// turning a category's "sensitive" off gives each venue back its own flag.

const enforceSensitiveSQL = `UPDATE venues SET confidential = TRUE
	WHERE campaign_id = ? AND confidential = FALSE AND category IN
	(SELECT code FROM venue_categories WHERE campaign_id = ? AND sensitive = TRUE)`

// enforceSensitive marks confidential every venue of the campaign whose
// category is sensitive. Every write of venues or categories calls it in
// its transaction.
func enforceSensitive(ctx context.Context, tx *Tx, campaignID int64) error {
	if _, err := tx.ExecContext(ctx, tx.Rebind(enforceSensitiveSQL), campaignID, campaignID); err != nil {
		return fmt.Errorf("confidential venues of sensitive categories: %w", err)
	}
	return nil
}

// restoreMarkedConfidential gives the venues of category their own
// confidential flag back (the category is no longer sensitive).
func restoreMarkedConfidential(ctx context.Context, tx *Tx, campaignID int64, category string) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE venues SET confidential = marked_confidential
		WHERE campaign_id = ? AND category = ?`), campaignID, category)
	if err != nil {
		return fmt.Errorf("venues of category %q: %w", category, err)
	}
	return nil
}

// CountRevealedVenues returns how many venues of category would show
// their names to viewers if the category stopped being sensitive: those
// not marked confidential on their own. Errors: ENotFound (campaign).
func (db *DB) CountRevealedVenues(ctx context.Context, campaignID int64, category string) (int64, error) {
	var n int64
	err := db.read.GetContext(ctx, &n, db.read.Rebind(`SELECT COUNT(*) FROM venues
		WHERE campaign_id = ? AND category = ? AND marked_confidential = FALSE`), campaignID, category)
	if err != nil {
		return 0, translate(fmt.Errorf("count venues of %q: %w", category, err))
	}
	return n, nil
}

// VenueMarkedConfidential reports what the venue's own confidential flag
// says, apart from its category (the edit form shows it). Errors: ENotFound.
func (db *DB) VenueMarkedConfidential(ctx context.Context, campaignID int64, id string) (bool, error) {
	var marked bool
	err := db.read.GetContext(ctx, &marked, db.read.Rebind(`SELECT marked_confidential FROM venues
		WHERE campaign_id = ? AND id = ?`), campaignID, id)
	if err != nil {
		return false, translate(orNotFound(err, thingVenue, id))
	}
	return marked, nil
}
