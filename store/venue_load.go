package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reparto/reparto/planner"
)

// Loading a national campaign's million venues is most of its plan's
// first view. The rows are scanned straight into a slice sized by a
// count, without sqlx's reflection, and the few distinct categories and
// cities share one string each (2.2 s of CPU through venueList before);
// a large list is read in two halves at once, on two connections, since
// nearly all of the time is the driver's, row by row, on one core.

// splitVenues is how many venues a campaign needs for GetCampaign to
// read them in two halves at once (a variable for tests).
var splitVenues int64 = 100_000

// connWait is how long the second half may wait for a read connection
// while the pool has one idle or room to open one (opening a SQLite
// connection and applying its pragmas takes a few milliseconds, tens on a
// busy machine). With every connection busy it does not wait at all: a
// pool whose every connection waited for a second one would deadlock.
const connWait = time.Second

func countVenues(ctx context.Context, q queryer, campaignID int64) (int64, error) {
	var n int64
	if err := q.GetContext(ctx, &n, q.Rebind(`SELECT COUNT(*) FROM venues WHERE campaign_id = ?`), campaignID); err != nil {
		return 0, fmt.Errorf("count venues: %w", err)
	}
	return n, nil
}

// loadVenues reads every venue of a campaign in id order.
func loadVenues(ctx context.Context, q queryer, campaignID int64) ([]planner.Venue, error) {
	n, err := countVenues(ctx, q, campaignID)
	if err != nil {
		return nil, err
	}
	return loadVenueRange(ctx, q, campaignID, "", "", make([]planner.Venue, 0, n))
}

// loadVenueRange appends to dst the venues of a campaign with from <= id
// < to, in id order ("" leaves that end open).
func loadVenueRange(ctx context.Context, q queryer, campaignID int64, from, to string, dst []planner.Venue) ([]planner.Venue, error) {
	query := `SELECT id, name, category, lat, lon, city, address, confidential FROM venues WHERE campaign_id = ?`
	args := []any{campaignID}
	if from != "" {
		query += ` AND id >= ?`
		args = append(args, from)
	}
	if to != "" {
		query += ` AND id < ?`
		args = append(args, to)
	}
	rows, err := q.QueryContext(ctx, q.Rebind(query+` ORDER BY id`), args...)
	if err != nil {
		return nil, fmt.Errorf("list venues: %w", err)
	}
	defer rows.Close()
	shared := map[string]string{}
	intern := func(b sql.RawBytes) string {
		if s, ok := shared[string(b)]; ok {
			return s
		}
		s := string(b)
		shared[s] = s
		return s
	}
	var category, city sql.RawBytes // NULL city: nil, read as ""
	for rows.Next() {
		var v planner.Venue
		if err := rows.Scan(&v.ID, &v.Name, &category, &v.Lat, &v.Lon, &city, &v.Address, &v.Confidential); err != nil {
			return nil, fmt.Errorf("read venue: %w", err)
		}
		v.Category, v.City = intern(category), intern(city)
		dst = append(dst, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list venues: %w", err)
	}
	return dst, nil
}

// venuesTwoWays reads a campaign's venues for GetCampaign inside tx, whose
// snapshot shows the campaign at version. From splitVenues on, tx reads
// the upper half while a second read connection reads the lower one. That
// connection's snapshot may be newer than tx's, so its half is kept only
// if it shows the same version, which every write to a campaign bumps
// first (touchCampaign); otherwise, or if no connection is free, tx reads
// the lower half too.
func (db *DB) venuesTwoWays(ctx context.Context, tx *sqlx.Tx, campaignID, version int64) ([]planner.Venue, error) {
	n, err := countVenues(ctx, tx, campaignID)
	if err != nil || n < splitVenues {
		if err != nil {
			return nil, err
		}
		return loadVenueRange(ctx, tx, campaignID, "", "", make([]planner.Venue, 0, n))
	}
	half := n / 2
	var pivot string // the first id of the upper half
	if err := tx.GetContext(ctx, &pivot, tx.Rebind(`SELECT id FROM venues WHERE campaign_id = ?
		ORDER BY id LIMIT 1 OFFSET ?`), campaignID, half); err != nil {
		return nil, fmt.Errorf("middle venue: %w", err)
	}
	out := make([]planner.Venue, n)
	lower := make(chan []planner.Venue, 1)
	go func() { lower <- db.lowerHalf(ctx, campaignID, version, pivot, out[:0:half]) }()
	upper, err := loadVenueRange(ctx, tx, campaignID, pivot, "", out[half:half:n])
	lo := <-lower
	if err != nil {
		return nil, err
	}
	if lo == nil {
		if db.afterLowerHalf != nil {
			db.afterLowerHalf(false)
		}
		if lo, err = loadVenueRange(ctx, tx, campaignID, "", pivot, out[:0:half]); err != nil {
			return nil, err
		}
	} else if db.afterLowerHalf != nil {
		db.afterLowerHalf(true)
	}
	if int64(len(lo)) == half && int64(len(upper)) == n-half {
		return out, nil // both halves filled out in place
	}
	return append(lo[:len(lo):len(lo)], upper...), nil // cannot happen in one snapshot
}

// lowerHalf reads the venues below pivot on a read connection of its own,
// or returns nil if none is free (see connWait), if its snapshot
// shows another version of the campaign, or on any error (the caller then
// reads them itself and meets the error there, if it is one).
func (db *DB) lowerHalf(ctx context.Context, campaignID, version int64, pivot string, dst []planner.Venue) []planner.Venue {
	if db.beforeLowerHalf != nil {
		db.beforeLowerHalf()
	}
	if st := db.read.Stats(); st.Idle == 0 && st.OpenConnections >= st.MaxOpenConnections && st.MaxOpenConnections > 0 {
		return nil
	}
	bctx, cancel := context.WithCancel(ctx)
	defer cancel()
	late := time.AfterFunc(connWait, cancel)
	tx, err := db.read.BeginTxx(bctx, db.readTxOptions())
	if !late.Stop() || err != nil {
		if err == nil {
			_ = tx.Rollback()
		}
		return nil
	}
	defer func() { _ = tx.Rollback() }()
	var v int64
	err = tx.GetContext(bctx, &v, tx.Rebind(`SELECT version FROM campaigns WHERE id = ?`), campaignID)
	if err != nil || v != version {
		return nil
	}
	vs, err := loadVenueRange(bctx, tx, campaignID, "", pivot, dst)
	if err != nil {
		return nil
	}
	return vs
}
