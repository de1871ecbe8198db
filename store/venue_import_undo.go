package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/reparto/reparto/planner"
)

// VenueImport is one confirmed venue import in the campaign's history.
type VenueImport struct {
	ID                          int64
	At                          time.Time
	Actor                       string // the email of who imported it
	FileName                    string
	Source                      string // the registry ("denue", "clues"); "" for a venue CSV
	Created, Changed, Unchanged int
	UndoneAt                    *time.Time // nil while not undone
	UndoneBy                    string
}

type venueImportRow struct {
	ID        int64          `db:"id"`
	At        time.Time      `db:"at"`
	Actor     string         `db:"actor"`
	FileName  string         `db:"file_name"`
	Source    string         `db:"source"`
	Created   int            `db:"created"`
	Changed   int            `db:"changed"`
	Unchanged int            `db:"unchanged"`
	UndoneAt  sql.NullTime   `db:"undone_at"`
	UndoneBy  sql.NullString `db:"undone_by"`
}

func (r venueImportRow) toImport() VenueImport {
	im := VenueImport{ID: r.ID, At: r.At.UTC(), Actor: r.Actor, FileName: r.FileName, Source: r.Source, Created: r.Created,
		Changed: r.Changed, Unchanged: r.Unchanged, UndoneBy: r.UndoneBy.String}
	if r.UndoneAt.Valid {
		t := r.UndoneAt.Time.UTC()
		im.UndoneAt = &t
	}
	return im
}

const venueImportCols = `id, at, actor, file_name, source, created, changed, unchanged, undone_at, undone_by`

// ListVenueImports returns the campaign's venue imports, latest first.
// Errors: ENotFound (campaign).
func (db *DB) ListVenueImports(ctx context.Context, campaignID int64) ([]VenueImport, error) {
	var rows []venueImportRow
	err := db.readTx(ctx, func(tx *sqlx.Tx) error {
		if err := campaignExists(ctx, tx, campaignID); err != nil {
			return err
		}
		return tx.SelectContext(ctx, &rows, tx.Rebind(`SELECT `+venueImportCols+
			` FROM venue_imports WHERE campaign_id = ? ORDER BY at DESC, id DESC`), campaignID)
	})
	if err != nil {
		return nil, err
	}
	out := make([]VenueImport, len(rows))
	for i, r := range rows {
		out[i] = r.toImport()
	}
	return out, nil
}

// VenueUndo is what undoing an import does (or would do): the venues it
// created that are deleted, the venues it changed that get their earlier
// values back, and those left as they are because they were edited or
// deleted after the import (by id, sorted).
type VenueUndo struct {
	Import   VenueImport
	Delete   []string
	Restore  []string
	Kept     []string
	restores []planner.Venue
}

// PreviewUndoVenueImport tells what UndoVenueImport would do, writing
// nothing. Errors: ENotFound (campaign or import), EConflict (already undone).
func (db *DB) PreviewUndoVenueImport(ctx context.Context, campaignID, importID int64) (VenueUndo, error) {
	var u VenueUndo
	err := db.readTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		u, err = planUndo(ctx, tx, campaignID, importID)
		return err
	})
	return u, err
}

// UndoVenueImport undoes an import in one transaction: the venues it
// created are deleted and those it changed get their values from before
// the import back — each only while it is still exactly what the import
// wrote; a venue edited or deleted since is left alone (Kept). The import
// stays in the history, marked undone, and the undo is audited.
// Errors: ENotFound, EConflict (already undone, or an earlier value that
// no longer fits, such as a city deleted since).
func (db *DB) UndoVenueImport(ctx context.Context, campaignID, importID int64) (VenueUndo, error) {
	var u VenueUndo
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := touchCampaign(ctx, tx, campaignID, 0, db.now()); err != nil {
			return err
		}
		var err error
		if u, err = planUndo(ctx, tx, campaignID, importID); err != nil {
			return err
		}
		for _, id := range u.Delete {
			if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM venues WHERE campaign_id = ? AND id = ?`),
				campaignID, id); err != nil {
				return fmt.Errorf("delete venue %q: %w", id, err)
			}
		}
		for _, v := range u.restores {
			if err := rewriteVenue(ctx, tx, campaignID, v); err != nil {
				return err
			}
		}
		if err := enforceSensitive(ctx, tx, campaignID); err != nil {
			return err
		}
		a := ActorFrom(ctx)
		if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE venue_imports SET undone_at = ?, undone_by = ?
			WHERE id = ?`), db.now(), a.Email, importID); err != nil {
			return fmt.Errorf("mark import %d undone: %w", importID, err)
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditUndo, Entity: "venue_import",
			EntityID: strconv.FormatInt(importID, 10), CampaignID: campaignID,
			After: map[string]any{"deleted": len(u.Delete), "restored": len(u.Restore), "kept": len(u.Kept)}})
	})
	return u, err
}

type importItemRow struct {
	VenueID string         `db:"venue_id"`
	Before  sql.NullString `db:"before"`
	After   string         `db:"after"`
}

// planUndo decides, inside q's snapshot, what undoing the import does.
func planUndo(ctx context.Context, q queryer, campaignID, importID int64) (VenueUndo, error) {
	var r venueImportRow
	err := q.GetContext(ctx, &r, q.Rebind(`SELECT `+venueImportCols+
		` FROM venue_imports WHERE campaign_id = ? AND id = ?`), campaignID, importID)
	if errors.Is(err, sql.ErrNoRows) {
		return VenueUndo{}, notFound(thingVenueImport, importID)
	}
	if err != nil {
		return VenueUndo{}, fmt.Errorf("venue import %d: %w", importID, err)
	}
	u := VenueUndo{Import: r.toImport()}
	if u.Import.UndoneAt != nil {
		return VenueUndo{}, conflict(planner.MsgImportUndone, "venue import %d was already undone", importID)
	}
	var stored []importItemRow
	if err := q.SelectContext(ctx, &stored, q.Rebind(`SELECT venue_id, before, after FROM venue_import_items
		WHERE import_id = ?`), importID); err != nil {
		return VenueUndo{}, fmt.Errorf("venue import %d items: %w", importID, err)
	}
	items, err := unpackItems(stored)
	if err != nil {
		return VenueUndo{}, fmt.Errorf("venue import %d items: %w", importID, err)
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.VenueID
	}
	rows, err := venuesWhere(ctx, q, campaignID, "id", ids)
	if err != nil {
		return VenueUndo{}, err
	}
	now := make(map[string]planner.Venue, len(rows))
	for _, r := range rows {
		now[r.ID] = r.storedVenue()
	}
	for _, it := range items {
		var after planner.Venue
		if err := json.Unmarshal([]byte(it.After), &after); err != nil {
			return VenueUndo{}, fmt.Errorf("venue import %d item %q: %w", importID, it.VenueID, err)
		}
		cur, ok := now[it.VenueID]
		switch {
		case !ok || cur != after:
			u.Kept = append(u.Kept, it.VenueID)
		case !it.Before.Valid:
			u.Delete = append(u.Delete, it.VenueID)
		default:
			var before planner.Venue
			if err := json.Unmarshal([]byte(it.Before.String), &before); err != nil {
				return VenueUndo{}, fmt.Errorf("venue import %d item %q: %w", importID, it.VenueID, err)
			}
			u.Restore = append(u.Restore, it.VenueID)
			u.restores = append(u.restores, before)
		}
	}
	return u, nil
}

// unpackItems expands the items that hold many created venues (a JSON
// array, recordImportItems with packNew) into one item per venue, in
// venue id order as planUndo lists them.
func unpackItems(stored []importItemRow) ([]importItemRow, error) {
	items := make([]importItemRow, 0, len(stored))
	for _, it := range stored {
		if it.Before.Valid || !strings.HasPrefix(it.After, "[") {
			items = append(items, it)
			continue
		}
		var created []json.RawMessage
		if err := json.Unmarshal([]byte(it.After), &created); err != nil {
			return nil, fmt.Errorf("item %q: %w", it.VenueID, err)
		}
		for _, raw := range created {
			var v struct{ ID string }
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, fmt.Errorf("item %q: %w", it.VenueID, err)
			}
			items = append(items, importItemRow{VenueID: v.ID, After: string(raw)})
		}
	}
	slices.SortFunc(items, func(a, b importItemRow) int { return strings.Compare(a.VenueID, b.VenueID) })
	return items, nil
}

// sortVenueRows orders rows by id, byte order.
func sortVenueRows(rows []venueRow) {
	slices.SortFunc(rows, func(a, b venueRow) int { return strings.Compare(a.ID, b.ID) })
}
