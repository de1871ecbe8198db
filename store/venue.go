package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/reparto/reparto/planner"
)

type venueRow struct {
	CampaignID   int64          `db:"campaign_id"`
	ID           string         `db:"id"`
	Name         string         `db:"name"`
	Category     string         `db:"category"`
	Lat          float64        `db:"lat"`
	Lon          float64        `db:"lon"`
	City         sql.NullString `db:"city"`
	Address      string         `db:"address"`
	Confidential bool           `db:"confidential"`
	Marked       bool           `db:"marked_confidential"`
}

// venueCols are written on insert. confidential and marked_confidential
// both start as what the caller said; enforceSensitive then sets
// confidential for venues of sensitive categories (see 00008_venue_imports.sql).
// The last three are the id's natural order parts (venue_order.go).
var venueCols = append([]string{"campaign_id", "id", "name", "category", "lat", "lon", "city", "address",
	"confidential", "marked_confidential"}, venueNaturalCols...)

func venueArgs(campaignID int64, v planner.Venue) []any {
	prefix, n, number := naturalKey(v.ID)
	return []any{campaignID, v.ID, v.Name, v.Category, v.Lat, v.Lon, nullString(v.City), v.Address,
		v.Confidential, v.Confidential, prefix, n, number}
}

func (r venueRow) toVenue() (planner.Venue, error) {
	return planner.Venue{ID: r.ID, Name: r.Name, Category: r.Category, Lat: r.Lat, Lon: r.Lon,
		City: r.City.String, Address: r.Address, Confidential: r.Confidential}, nil
}

var venueList = listQuery{
	table:   "venues",
	columns: "campaign_id, id, name, category, lat, lon, city, address, confidential, marked_confidential",
	key:     "id",
	sorts:   map[string]string{"id": "id", "name": "name", "category": "category", "city": "city"},
}

// insertVenues writes venues in multi-row batches (see insertBatch): a
// million venues are a few hundred statements.
//
// On PostgreSQL nearly all of a national import's time is the server's,
// and nearly all of that is per row. COPYing a million venues into a copy
// of the table one constraint or index at a time (PostgreSQL 15), each
// foreign key that is checked cost 4-5 s (one query per row), the five
// indexes about 5 s together and the rows themselves 1.4 s; 00016 dropped
// the key that the category key already implies and the index entries of
// venues without a source (16.1 s to 11.4 s). Neither a staging table with
// one INSERT ... SELECT (the triggers fire per row there too) nor the size
// of the COPY chunks (copyChunk) changes the rest.
// A venue of a sensitive category is always stored confidential, whatever
// the caller said.
func insertVenues(ctx context.Context, tx *Tx, campaignID int64, vs []planner.Venue) error {
	if err := insertVenueRows(ctx, tx, nil, campaignID, vs); err != nil {
		return err
	}
	return enforceSensitive(ctx, tx, campaignID)
}

// insertVenueRows is insertVenues without enforceSensitive, for a caller
// that inserts the venues in several runs (ImportCampaignFile) and then
// calls it once; keep is insertBatchKeep's.
func insertVenueRows(ctx context.Context, tx *Tx, keep **sqlx.Stmt, campaignID int64, vs []planner.Venue) error {
	id := any(campaignID) // boxed once, not per row
	var prefix string     // the last row's id prefix, boxed once for the rows that share it
	var boxedPrefix any = ""
	return insertBatchKeep(ctx, tx, keep, "venues", venueCols, len(vs),
		func(i int) []any { return venueArgs(campaignID, vs[i]) },
		func(buf []any, i int) []any {
			v := &vs[i]
			p, n, number := naturalKey(v.ID)
			if p != prefix {
				prefix, boxedPrefix = p, p
			}
			return append(buf, id, v.ID, v.Name, v.Category, v.Lat, v.Lon, nullString(v.City), v.Address,
				v.Confidential, v.Confidential, boxedPrefix, n, number) // as venueArgs
		})
}

// VenueFilter selects venues: Query matches id, name or address; Category
// and City are exact; NoCity keeps only venues placed by coordinates.
// Sortable by id (natural order: imp-2 before imp-10, the default), name,
// category, city.
type VenueFilter struct {
	Query    string
	Category string
	City     string
	NoCity   bool
	ListOptions
}

// ListVenues returns one page of a campaign's venues. Errors: ENotFound.
func (db *DB) ListVenues(ctx context.Context, campaignID int64, f VenueFilter) (Page[planner.Venue], error) {
	var rows []venueRow
	w := campaignWhere(campaignID)
	w.search(f.Query, "id", "name", "address")
	w.eq("category", f.Category)
	w.eq("city", f.City)
	if f.NoCity {
		w.add("city IS NULL")
	}
	l, o := venuePage(f.ListOptions)
	total, err := db.list(ctx, campaignID, l, w, o, &rows)
	if err != nil {
		return Page[planner.Venue]{}, err
	}
	items, err := convertRows(rows, venueRow.toVenue)
	return Page[planner.Venue]{Items: items, Total: total}, err
}

// GetVenue returns one venue. Errors: ENotFound.
func (db *DB) GetVenue(ctx context.Context, campaignID int64, id string) (planner.Venue, error) {
	var r venueRow
	err := db.read.GetContext(ctx, &r, db.read.Rebind(`SELECT `+venueList.columns+
		` FROM venues WHERE campaign_id = ? AND id = ?`), campaignID, id)
	if err != nil {
		return planner.Venue{}, translate(orNotFound(err, thingVenue, id))
	}
	return r.toVenue()
}

// withVenues is an edit's apply step for venue writes: the campaign is
// validated with only the venues being written (its other venues are not
// loaded; the primary key keeps ids unique).
func withVenues(vs []planner.Venue) func(c *planner.Campaign) error {
	return func(c *planner.Campaign) error {
		c.Venues = vs
		return nil
	}
}

// CreateVenue adds one venue. Errors: ENotFound (campaign), EConflict (id
// taken), EInvalid (including an unknown category or city).
func (db *DB) CreateVenue(ctx context.Context, campaignID int64, v planner.Venue) error {
	write := func(ctx context.Context, tx *Tx) error {
		if err := venueIDFree(ctx, tx, campaignID, v.ID); err != nil {
			return err
		}
		if err := venueRoom(ctx, tx, campaignID, 1, planner.MaxVenues); err != nil {
			return err
		}
		if err := insertVenues(ctx, tx, campaignID, []planner.Venue{v}); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditCreate, Entity: "venue", EntityID: v.ID,
			CampaignID: campaignID, After: v})
	}
	return db.edit(ctx, campaignID, 0, withVenues([]planner.Venue{v}), write)
}

// AddVenues adds many venues in one transaction (a registry import): all
// or none. Errors: ENotFound (campaign), EInvalid, EConflict when an id is
// already in the campaign.
func (db *DB) AddVenues(ctx context.Context, campaignID int64, vs []planner.Venue) error {
	write := func(ctx context.Context, tx *Tx) error {
		if err := venueRoom(ctx, tx, campaignID, len(vs), planner.MaxVenues); err != nil {
			return err
		}
		err := translate(insertVenues(ctx, tx, campaignID, vs))
		if planner.ErrorCode(err) == planner.EConflict {
			return conflict(planner.MsgVenueIDTaken, "a venue id is already in the campaign")
		}
		if err != nil {
			return err
		}
		// One entry for the whole import, not one per venue.
		return db.Audit(ctx, tx, AuditEntry{Action: AuditCreate, Entity: "venue", CampaignID: campaignID,
			After: map[string]any{"venues": len(vs)}})
	}
	return db.edit(ctx, campaignID, 0, withVenues(vs), write)
}

// venueRoom refuses adding venues beyond max in the campaign: edit
// validates only the venues being added (it does not load the others), so
// the campaign's running total is counted here. Errors: EInvalid on
// "venues", as Validate names a list that is too long.
func venueRoom(ctx context.Context, tx *Tx, campaignID int64, adding, max int) error {
	var n int
	err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM venues WHERE campaign_id = ?`), campaignID)
	if err != nil {
		return fmt.Errorf("count venues: %w", err)
	}
	if n+adding > max {
		return planner.Invalid(planner.Fieldf("venues", planner.MsgMaxItems, "must have at most %d entries", max))
	}
	return nil
}

func venueIDFree(ctx context.Context, tx *Tx, campaignID int64, id string) error {
	var n int64
	err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM venues WHERE campaign_id = ? AND id = ?`), campaignID, id)
	if err != nil {
		return fmt.Errorf("venue %q: %w", id, err)
	}
	if n > 0 {
		return planner.Errorm(planner.EConflict, planner.MsgAlreadyExists, "venue %q already exists", id)
	}
	return nil
}

// updateVenueSQL takes venueArgs without the campaign, then the campaign
// and the id to replace.
const updateVenueSQL = `UPDATE venues SET id = ?, name = ?, category = ?, lat = ?, lon = ?, city = ?,
	address = ?, confidential = ?, marked_confidential = ?, natural_prefix = ?, natural_len = ?,
	natural_number = ? WHERE campaign_id = ? AND id = ?`

// UpdateVenue replaces venue id with v (v.ID may differ: a new id).
// Errors: ENotFound, EConflict (new id taken), EInvalid.
func (db *DB) UpdateVenue(ctx context.Context, campaignID int64, id string, v planner.Venue) error {
	write := func(ctx context.Context, tx *Tx) error {
		if v.ID != id {
			if err := venueIDFree(ctx, tx, campaignID, v.ID); err != nil {
				return err
			}
		}
		before, err := rowSnapshot(ctx, tx, `DELETE FROM venues WHERE campaign_id = ? AND id = ?`, campaignID, id)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound(thingVenue, id)
		}
		if err != nil {
			return fmt.Errorf("read venue %q: %w", id, err)
		}
		args := append(venueArgs(campaignID, v)[1:], campaignID, id)
		res, err := tx.ExecContext(ctx, tx.Rebind(updateVenueSQL), args...)
		if err != nil {
			return fmt.Errorf("update venue %q: %w", id, err)
		}
		if err := mustAffect(res, notFound(thingVenue, id)); err != nil {
			return err
		}
		if err := enforceSensitive(ctx, tx, campaignID); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditUpdate, Entity: "venue", EntityID: id,
			CampaignID: campaignID, Before: before, After: v})
	}
	return db.edit(ctx, campaignID, 0, withVenues([]planner.Venue{v}), write)
}

// DeleteVenue deletes one venue. Errors: ENotFound.
func (db *DB) DeleteVenue(ctx context.Context, campaignID int64, id string) error {
	return db.deleteIn(ctx, campaignID, fmt.Sprintf("venue %q", id), notFound(thingVenue, id), nil, "venue", id,
		`DELETE FROM venues WHERE campaign_id = ? AND id = ?`, campaignID, id)
}
