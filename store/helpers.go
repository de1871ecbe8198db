package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// convertRows converts row structs to domain values, stopping at the first
// row that does not decode (a corrupt database, not a user error).
func convertRows[R, T any](rows []R, conv func(R) (T, error)) ([]T, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	out := make([]T, len(rows))
	for i, r := range rows {
		v, err := conv(r)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// indexOf returns the index of the first element matching, or -1.
func indexOf[T any](xs []T, match func(T) bool) int {
	for i, x := range xs {
		if match(x) {
			return i
		}
	}
	return -1
}

// rename sets *ref to to when it is from: a reference following a renamed code.
func rename(ref *string, from, to string) {
	if *ref == from {
		*ref = to
	}
}

// campaignWhere is the condition every child list starts with.
func campaignWhere(campaignID int64) where {
	var w where
	w.add("campaign_id = ?", campaignID)
	return w
}

// list runs one page of a child list in a read transaction after checking
// that the campaign exists, so that an unknown campaign is ENotFound rather
// than an empty page.
func (db *DB) list(ctx context.Context, campaignID int64, l listQuery, w where, o ListOptions, dest any) (int64, error) {
	var total int64
	err := db.readTx(ctx, func(tx *sqlx.Tx) error {
		if err := campaignExists(ctx, tx, campaignID); err != nil {
			return err
		}
		var err error
		total, err = l.run(ctx, tx, w, o, dest)
		return err
	})
	return total, err
}

func campaignExists(ctx context.Context, q queryer, id int64) error {
	var n int64
	if err := q.GetContext(ctx, &n, q.Rebind(`SELECT COUNT(*) FROM campaigns WHERE id = ?`), id); err != nil {
		return fmt.Errorf("campaign %d: %w", id, err)
	}
	if n == 0 {
		return notFound(thingCampaign, id)
	}
	return nil
}
