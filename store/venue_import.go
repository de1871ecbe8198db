package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/reparto/reparto/planner"
)

// A venue import updates the registry by id instead of adding to it, so
// that importing the same file twice changes nothing. A row with an id is
// that venue: new when the campaign has no venue with the id, else changed
// or unchanged. A row without an id is the venue with the same name,
// category and coordinates when there is one (its city, address and
// confidential flag may change), else a new venue named imp-N. Every
// import is recorded with what it created and changed, so that it can be
// undone as a whole (UndoVenueImport).

// ImportIDPrefix names the venues an import creates from rows without an
// id: imp-1, imp-2, …
const ImportIDPrefix = "imp-"

// VenueImportDiff is what importing rows would do to the registry.
type VenueImportDiff struct {
	New       []planner.Venue // ID "" for rows without an id (named on write)
	Changed   []VenueChange
	Unchanged int
}

// VenueChange is a venue an import rewrites: as it is and as the file has it.
type VenueChange struct {
	Before, After planner.Venue
}

// DiffVenueImport tells what importing vs (rows of a venue file, already
// checked by planio.ParseVenueCSV; ids unique) would do, writing nothing.
// Errors: ENotFound (campaign).
func (db *DB) DiffVenueImport(ctx context.Context, campaignID int64, vs []planner.Venue) (VenueImportDiff, error) {
	var d VenueImportDiff
	err := db.readTx(ctx, func(tx *sqlx.Tx) error {
		if err := campaignExists(ctx, tx, campaignID); err != nil {
			return err
		}
		var err error
		d, err = diffVenueImport(ctx, tx, campaignID, vs)
		return err
	})
	return d, err
}

// venueBatch bounds the ids or names of one IN (...) lookup.
const venueBatch = 500

// storedVenue is a venue as its own flags say (Confidential is what was
// marked, not what the category forces): what a file row is compared with.
func (r venueRow) storedVenue() planner.Venue {
	v, _ := r.toVenue()
	v.Confidential = r.Marked
	return v
}

// venuesWhere reads the campaign's venues whose column col is one of
// values, in batches.
func venuesWhere(ctx context.Context, q queryer, campaignID int64, col string, values []string) ([]venueRow, error) {
	var out []venueRow
	for start := 0; start < len(values); start += venueBatch {
		part := values[start:min(start+venueBatch, len(values))]
		args := make([]any, 0, len(part)+1)
		args = append(args, campaignID)
		for _, v := range part {
			args = append(args, v)
		}
		var rows []venueRow
		query := `SELECT ` + venueList.columns + ` FROM venues WHERE campaign_id = ? AND ` + col +
			` IN (?` + strings.Repeat(", ?", len(part)-1) + `)`
		if err := q.SelectContext(ctx, &rows, q.Rebind(query), args...); err != nil {
			return nil, fmt.Errorf("read venues by %s: %w", col, err)
		}
		out = append(out, rows...)
	}
	return out, nil
}

// contentKey is how a row without an id finds its venue.
type contentKey struct {
	name, category string
	lat, lon       float64
}

func venueKey(v planner.Venue) contentKey { return contentKey{v.Name, v.Category, v.Lat, v.Lon} }

func diffVenueImport(ctx context.Context, q queryer, campaignID int64, vs []planner.Venue) (VenueImportDiff, error) {
	var ids, names []string
	for _, v := range vs {
		if v.ID != "" {
			ids = append(ids, v.ID)
		} else {
			names = append(names, v.Name)
		}
	}
	byID := map[string]planner.Venue{}
	rows, err := venuesWhere(ctx, q, campaignID, "id", ids)
	if err != nil {
		return VenueImportDiff{}, err
	}
	for _, r := range rows {
		byID[r.ID] = r.storedVenue()
	}
	// Candidates for rows without an id, in id order so that a match does
	// not depend on the database; a venue named by an id row is taken.
	byKey := map[contentKey][]planner.Venue{}
	if rows, err = venuesWhere(ctx, q, campaignID, "name", dedupe(names)); err != nil {
		return VenueImportDiff{}, err
	}
	sortVenueRows(rows)
	named := make(map[string]bool, len(ids))
	for _, id := range ids {
		named[id] = true
	}
	for _, r := range rows {
		if v := r.storedVenue(); !named[v.ID] {
			byKey[venueKey(v)] = append(byKey[venueKey(v)], v)
		}
	}
	var d VenueImportDiff
	for _, v := range vs {
		before, found := byID[v.ID]
		if v.ID == "" {
			if cands := byKey[venueKey(v)]; len(cands) > 0 {
				before, found, byKey[venueKey(v)] = cands[0], true, cands[1:]
				v.ID = before.ID
			}
		}
		switch {
		case !found:
			d.New = append(d.New, v)
		case before == v:
			d.Unchanged++
		default:
			d.Changed = append(d.Changed, VenueChange{Before: before, After: v})
		}
	}
	return d, nil
}

func dedupe(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// nextImportNumber returns the first n such that imp-n, imp-n+1, … are
// free: one more than the largest imp-number in the campaign (read from
// the natural-order index, not by scanning every venue).
func nextImportNumber(ctx context.Context, q queryer, campaignID int64) (int, error) {
	var ids []string
	err := q.SelectContext(ctx, &ids, q.Rebind(`SELECT id FROM venues WHERE campaign_id = ? AND `+
		venueNaturalOrder[0]+` = ? ORDER BY `+venueNaturalOrder[1]+` DESC, `+venueNaturalOrder[2]+` DESC LIMIT 1`),
		campaignID, ImportIDPrefix)
	if err != nil {
		return 0, fmt.Errorf("last imported venue id: %w", err)
	}
	if len(ids) == 0 {
		return 1, nil
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(ids[0], ImportIDPrefix)) // "imp-" alone is 0
	return n + 1, nil
}

// VenueImportResult counts what a confirmed import did.
type VenueImportResult struct {
	ID                          int64 // the import's id in the history
	Created, Changed, Unchanged int
}

// ImportVenues writes a venue file in one transaction: it adds the new
// rows (naming those without an id imp-N), rewrites the changed ones,
// records the import with what it created and changed (for undo) and
// audits it. The diff is made again inside the transaction, so it is what
// is written even if the registry changed since the preview. Errors:
// ENotFound (campaign), EInvalid (a row the campaign does not accept).
func (db *DB) ImportVenues(ctx context.Context, campaignID int64, fileName string, vs []planner.Venue) (VenueImportResult, error) {
	var res VenueImportResult
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := touchCampaign(ctx, tx, campaignID, 0, db.now()); err != nil {
			return err
		}
		d, err := diffVenueImport(ctx, tx, campaignID, vs)
		if err != nil {
			return err
		}
		next, err := nextImportNumber(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		for _, v := range vs { // an id in the file may be imp-N too
			if n, err := strconv.Atoi(strings.TrimPrefix(v.ID, ImportIDPrefix)); err == nil &&
				strings.HasPrefix(v.ID, ImportIDPrefix) && n >= next {
				next = n + 1
			}
		}
		for i := range d.New {
			if d.New[i].ID == "" {
				d.New[i].ID = ImportIDPrefix + strconv.Itoa(next)
				next++
			}
		}
		written := append([]planner.Venue(nil), d.New...)
		for _, ch := range d.Changed {
			written = append(written, ch.After)
		}
		c, err := loadCampaign(ctx, tx, campaignID, false)
		if err != nil {
			return err
		}
		c.Venues = written
		if err := c.Validate(); err != nil {
			return err
		}
		if err := venueRoom(ctx, tx, campaignID, len(d.New), planner.MaxVenues); err != nil {
			return err
		}
		if err := insertVenues(ctx, tx, campaignID, d.New); err != nil {
			return err
		}
		for _, ch := range d.Changed {
			if err := rewriteVenue(ctx, tx, campaignID, ch.After); err != nil {
				return err
			}
		}
		if err := enforceSensitive(ctx, tx, campaignID); err != nil {
			return err
		}
		res = VenueImportResult{Created: len(d.New), Changed: len(d.Changed), Unchanged: d.Unchanged}
		if res.ID, err = db.recordImport(ctx, tx, campaignID, fileName, res, d); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditImport, Entity: "venue_import",
			EntityID: strconv.FormatInt(res.ID, 10), CampaignID: campaignID,
			After: map[string]any{"file": fileName, "created": res.Created, "changed": res.Changed, "unchanged": res.Unchanged}})
	})
	return res, err
}

// AuditImport and AuditUndo are the audit actions of venue imports.
const (
	AuditImport = "import"
	AuditUndo   = "undo"
)

// rewriteVenue stores v over the venue with its id, keeping v.Confidential
// as the venue's own flag (enforceSensitive runs after).
func rewriteVenue(ctx context.Context, tx *Tx, campaignID int64, v planner.Venue) error {
	args := append(venueArgs(campaignID, v)[1:], campaignID, v.ID)
	res, err := tx.ExecContext(ctx, tx.Rebind(updateVenueSQL), args...)
	if err != nil {
		return fmt.Errorf("update venue %q: %w", v.ID, err)
	}
	return mustAffect(res, notFound(thingVenue, v.ID))
}

const insertImportSQL = `INSERT INTO venue_imports (campaign_id, at, user_id, actor, file_name, created,
	changed, unchanged) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`

var importItemCols = []string{"import_id", "venue_id", "before", "after"}

func (db *DB) recordImport(ctx context.Context, tx *Tx, campaignID int64, fileName string,
	res VenueImportResult, d VenueImportDiff) (int64, error) {
	a := ActorFrom(ctx)
	var id int64
	err := tx.QueryRowxContext(ctx, tx.Rebind(insertImportSQL), campaignID, db.now(), nullID(a.UserID), a.Email,
		fileName, res.Created, res.Changed, res.Unchanged).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("record venue import: %w", err)
	}
	if err := recordImportItems(ctx, tx, id, d, false); err != nil {
		return 0, err
	}
	return id, nil
}

// recordImportItems stores, for undo, each venue the import id created
// and each it changed (as it was and as the import wrote it). With
// packNew the created venues are stored as one item holding them all
// (a JSON array, keyed by the first one's id) instead of one item each:
// a registry import creates up to a million venues a batch at a time,
// and one row per venue was a sixth of its cost. planUndo reads both.
func recordImportItems(ctx context.Context, tx *Tx, id int64, d VenueImportDiff, packNew bool) error {
	type item struct {
		venue         string
		before, after []byte
	}
	items := make([]item, 0, len(d.New)+len(d.Changed))
	switch {
	case packNew && len(d.New) > 0:
		after, err := json.Marshal(d.New)
		if err != nil {
			return err
		}
		items = append(items, item{venue: d.New[0].ID, after: after})
	default:
		for _, v := range d.New {
			after, err := json.Marshal(v)
			if err != nil {
				return err
			}
			items = append(items, item{venue: v.ID, after: after})
		}
	}
	for _, ch := range d.Changed {
		before, err := json.Marshal(ch.Before)
		if err != nil {
			return err
		}
		after, err := json.Marshal(ch.After)
		if err != nil {
			return err
		}
		items = append(items, item{ch.After.ID, before, after})
	}
	err := insertBatch(ctx, tx, "venue_import_items", importItemCols, len(items), func(i int) []any {
		before := nullString(string(items[i].before))
		return []any{id, items[i].venue, before, string(items[i].after)}
	})
	if err != nil {
		return fmt.Errorf("record venue import items: %w", err)
	}
	return nil
}
