package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/reparto/reparto/geo"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/registry"
)

// Registry imports (DENUE, CLUES) are keyed by (campaign, source, source
// id), not by venue id: a venue keeps its registry row through an edit of
// its id, and next year's file updates it instead of adding it again.
// The registry wins on re-import: a changed row rewrites the venue's name,
// category, coordinates, city and address (docs/registries.md#re-import).

type ruleRow struct {
	Source   string `db:"source"`
	Activity string `db:"activity"`
	Center   string `db:"center"`
	Name     string `db:"name"`
	Category string `db:"category"`
}

// RegistryRules returns the campaign's own mapping from registry rows to
// venue categories, in its order; own is false when the campaign has none
// (the shipped default, registry.LoadDefaultRules, applies). Errors:
// ENotFound (campaign).
func (db *DB) RegistryRules(ctx context.Context, campaignID int64) (rules []registry.Rule, own bool, err error) {
	err = db.readTx(ctx, func(tx *sqlx.Tx) error {
		if err := campaignExists(ctx, tx, campaignID); err != nil {
			return err
		}
		rules, err = loadRules(ctx, tx, campaignID)
		return err
	})
	return rules, len(rules) > 0, err
}

func loadRules(ctx context.Context, q queryer, campaignID int64) ([]registry.Rule, error) {
	var rows []ruleRow
	err := q.SelectContext(ctx, &rows, q.Rebind(`SELECT source, activity, center, name, category
		FROM venue_category_rules WHERE campaign_id = ? ORDER BY position`), campaignID)
	if err != nil {
		return nil, fmt.Errorf("read registry rules: %w", err)
	}
	out := make([]registry.Rule, len(rows))
	for i, r := range rows {
		out[i] = registry.Rule{Source: registry.Source(r.Source), Activity: r.Activity, Center: r.Center,
			Name: r.Name, Category: r.Category}
	}
	return out, nil
}

var ruleCols = []string{"campaign_id", "position", "source", "activity", "center", "name", "category"}

// SetRegistryRules replaces the campaign's mapping with rules (checked by
// registry.ValidateRules against the campaign's categories), in one
// transaction; an empty list goes back to the shipped default. Errors:
// ENotFound (campaign), EInvalid (paths rules[i].field), EConflict
// (closed campaign).
func (db *DB) SetRegistryRules(ctx context.Context, campaignID int64, rules []registry.Rule) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		if err := touchCampaign(ctx, tx, campaignID, 0, db.now()); err != nil {
			return err
		}
		cats, err := loadCategories(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		if err := registry.ValidateRules(rules, cats); err != nil {
			return err
		}
		before, err := loadRules(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM venue_category_rules WHERE campaign_id = ?`), campaignID); err != nil {
			return fmt.Errorf("delete registry rules: %w", err)
		}
		err = insertBatch(ctx, tx, "venue_category_rules", ruleCols, len(rules), func(i int) []any {
			r := rules[i]
			return []any{campaignID, i, string(r.Source), r.Activity, r.Center, r.Name, r.Category}
		})
		if err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditUpdate, Entity: "registry_rules", CampaignID: campaignID,
			Before: before, After: rules})
	})
}

// RegistryImport says how to import one registry file.
type RegistryImport struct {
	Source   registry.Source
	FileName string
	// Default is the mapping used when the campaign has none of its own
	// (registry.LoadDefaultRules on the embedded assets).
	Default []registry.Rule
	States  *geo.StateIndex // the shipped state outlines, for "outside Mexico"
}

// RegistryImportResult is what an import did (or, in a dry run, would do).
type RegistryImportResult struct {
	ID                          int64 // the import's id in the venue import history; 0 in a dry run
	Summary                     registry.Summary
	Created, Changed, Unchanged int
	// Missing counts the campaign's venues from this registry that the
	// file no longer has (closed since, or dropped this time): they are
	// left alone, and the preview says how many.
	Missing int
}

// registryBatch is how many kept rows are looked up and written at once:
// large enough that a million rows are a few hundred round trips, small
// enough that memory stays flat whatever the file's size.
const registryBatch = 4000

// ImportRegistry reads a registry file row by row, decides each row
// (registry.Importer: the campaign's mapping or opts.Default, its
// categories and cities) and upserts the kept venues by (source, source
// id), in ONE transaction: new venues are added (id "denue-<id>"),
// changed ones rewritten, unchanged ones left alone. The import is
// recorded in the venue import history with what it created and changed,
// so UndoVenueImport undoes it. With DryRun(ctx) nothing is written: the
// result has the counts a preview shows. Errors: ENotFound (campaign),
// EConflict (closed campaign; a new venue's id is taken by another venue),
// EInvalid (the campaign would exceed planner.MaxVenues; a row the file
// cannot be read at, as registry.FileError.Invalid: nothing is written).
func (db *DB) ImportRegistry(ctx context.Context, campaignID int64, opts RegistryImport, r registry.Reader) (RegistryImportResult, error) {
	var res RegistryImportResult
	dry := isDryRun(ctx)
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := touchCampaign(ctx, tx, campaignID, 0, db.now()); err != nil {
			return err
		}
		c := &planner.Campaign{}
		var err error
		if c.Categories, err = loadCategories(ctx, tx, campaignID); err != nil {
			return err
		}
		if c.Cities, err = loadCities(ctx, tx, campaignID); err != nil {
			return err
		}
		var had int
		if err := tx.GetContext(ctx, &had, tx.Rebind(`SELECT COUNT(*) FROM venues WHERE campaign_id = ? AND source = ?`),
			campaignID, string(opts.Source)); err != nil {
			return fmt.Errorf("count registry venues: %w", err)
		}
		rules, err := loadRules(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		if len(rules) == 0 {
			rules = opts.Default
		}
		im := registry.NewImporter(opts.Source, c, registry.NewMapping(rules), opts.States)
		// With no venue of this registry in the campaign yet (a first
		// import), no row can match one: the look-up by source id is
		// skipped. The file's own repeats are dropped by the Importer.
		w := &registryWriter{db: db, tx: tx, campaignID: campaignID, source: string(opts.Source), dry: dry,
			lookup: had > 0, sqlite: tx.DriverName() != Postgres}
		if !dry {
			if w.importID, err = db.startImport(ctx, tx, campaignID, opts); err != nil {
				return err
			}
		}
		err = pipeRegistry(im, r, func(batch []registry.Venue) error { return w.write(ctx, batch) })
		var fe *registry.FileError
		if errors.As(err, &fe) {
			return fe.Invalid()
		}
		if err != nil {
			return err
		}
		res = RegistryImportResult{ID: w.importID, Summary: im.Summary(), Created: w.created, Changed: w.changed,
			Unchanged: w.unchanged, Missing: had - w.changed - w.unchanged}
		if dry {
			return nil
		}
		if err := venueRoom(ctx, tx, campaignID, 0, planner.MaxVenues); err != nil {
			return err
		}
		if err := enforceSensitive(ctx, tx, campaignID); err != nil {
			return err
		}
		if err := db.finishImport(ctx, tx, res); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditImport, Entity: "venue_import",
			EntityID: strconv.FormatInt(res.ID, 10), CampaignID: campaignID,
			After: map[string]any{"file": opts.FileName, "source": opts.Source, "read": res.Summary.Read,
				"created": res.Created, "changed": res.Changed, "unchanged": res.Unchanged}})
	})
	if err != nil {
		return RegistryImportResult{}, err
	}
	return res, nil
}

// startImport records the import before its venues (their history items
// refer to it); finishImport fills in the counts.
func (db *DB) startImport(ctx context.Context, tx *Tx, campaignID int64, opts RegistryImport) (int64, error) {
	a := ActorFrom(ctx)
	var id int64
	err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO venue_imports (campaign_id, at, user_id, actor, file_name,
		created, changed, unchanged, source) VALUES (?, ?, ?, ?, ?, 0, 0, 0, ?) RETURNING id`),
		campaignID, db.now(), nullID(a.UserID), a.Email, opts.FileName, string(opts.Source)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("record registry import: %w", err)
	}
	return id, nil
}

func (db *DB) finishImport(ctx context.Context, tx *Tx, res RegistryImportResult) error {
	summary, err := json.Marshal(res.Summary)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(`UPDATE venue_imports SET created = ?, changed = ?, unchanged = ?,
		summary = ? WHERE id = ?`), res.Created, res.Changed, res.Unchanged, string(summary), res.ID)
	if err != nil {
		return fmt.Errorf("record registry import counts: %w", err)
	}
	return nil
}

// pipeRegistry reads and decides the rows of r (im.Kept) in a goroutine
// of its own while write stores the kept venues a batch of registryBatch
// at a time: parsing, decoding and placing a row is about a third of an
// import's work, and on two cores it overlaps the database's. Batches are
// written in the file's order, so the outcome is the one a single loop
// gives. The first error of either side stops both and is returned (the
// reader's when the writer stopped for want of rows); the goroutine has
// ended, and no longer reads r, when pipeRegistry returns, even by a
// panic. A panic of the reader is raised again here, where the caller's
// recovery sees it.
func pipeRegistry(im *registry.Importer, r registry.Reader, write func([]registry.Venue) error) error {
	full := make(chan []registry.Venue, 1)  // batches to write
	empty := make(chan []registry.Venue, 2) // written ones, to reuse
	stop := make(chan struct{})             // closed when the writer fails
	var readErr error
	var panicked any
	go func() {
		defer close(full)
		defer func() { panicked = recover() }()
		batch := make([]registry.Venue, 0, registryBatch)
		send := func() error {
			// stop first: the writer drains full once it failed, and a
			// select with both ready would pick either.
			select {
			case <-stop:
				return errWriterStopped
			default:
			}
			select {
			case full <- batch:
			case <-stop:
				return errWriterStopped
			}
			select {
			case batch = <-empty:
				batch = batch[:0]
			default:
				batch = make([]registry.Venue, 0, registryBatch)
			}
			return nil
		}
		readErr = im.Kept(r, func(v registry.Venue) error {
			batch = append(batch, v)
			if len(batch) >= registryBatch {
				return send()
			}
			return nil
		})
		if readErr == nil && len(batch) > 0 {
			readErr = send()
		}
	}()
	var writeErr error
	defer func() {
		// A panic of the writer: the reader is stopped and waited for
		// before the panic goes on, so that it does not block for ever
		// on a batch nobody takes.
		if p := recover(); p != nil {
			if writeErr == nil {
				close(stop)
			}
			for range full {
			}
			panic(p)
		}
	}()
	for batch := range full {
		if writeErr != nil {
			continue // drain until the reader has seen stop
		}
		if writeErr = write(batch); writeErr != nil {
			close(stop)
			continue
		}
		clear(batch) // the strings of the rows, for the collector
		select {
		case empty <- batch:
		default:
		}
	}
	// full is closed: the reader's writes to readErr and panicked happen
	// before this point.
	if panicked != nil {
		panic(panicked)
	}
	if writeErr != nil {
		return writeErr
	}
	return readErr
}

// errWriterStopped ends the reader of pipeRegistry after the writer
// failed; the writer's error is the one returned.
var errWriterStopped = errors.New("registry import: the writer stopped")

// registryWriter upserts kept venues a batch at a time.
type registryWriter struct {
	db                          *DB
	tx                          *Tx
	campaignID                  int64
	source                      string
	dry                         bool
	lookup                      bool // the campaign may have venues of this registry: look them up
	sqlite                      bool
	importID                    int64
	created, changed, unchanged int
	update                      *sqlx.Stmt

	// Reused from batch to batch: a million-row import makes 250.
	ids     []string
	fresh   []registry.Venue
	changes []VenueChange
	news    []planner.Venue
	ins     sqliteVenueInsert
}

// registryVenueCols are venueCols with the registry key.
var registryVenueCols = append(append([]string(nil), venueCols...), "source", "source_id")

const updateRegistryVenueSQL = `UPDATE venues SET name = ?, category = ?, lat = ?, lon = ?, city = ?,
	address = ?, confidential = ?, marked_confidential = ? WHERE campaign_id = ? AND id = ?`

// write stores one batch: new venues inserted, changed ones updated,
// unchanged ones counted, and the new and changed ones recorded in the
// import's history. In a dry run it only counts.
func (w *registryWriter) write(ctx context.Context, batch []registry.Venue) error {
	if len(batch) == 0 {
		return nil
	}
	w.fresh, w.changes = w.fresh[:0], w.changes[:0]
	if !w.lookup {
		w.fresh = append(w.fresh, batch...)
	} else {
		w.ids = w.ids[:0]
		for _, v := range batch {
			w.ids = append(w.ids, v.SourceID)
		}
		existing, err := w.existing(ctx, w.ids)
		if err != nil {
			return err
		}
		for _, v := range batch {
			before, found := existing[v.SourceID]
			if !found {
				w.fresh = append(w.fresh, v)
				continue
			}
			after := v.Venue
			after.ID = before.ID // the venue keeps the id it has now
			if before == after {
				w.unchanged++
				continue
			}
			w.changes = append(w.changes, VenueChange{Before: before, After: after})
		}
	}
	fresh, changes := w.fresh, w.changes
	w.created += len(fresh)
	w.changed += len(changes)
	if w.dry {
		return nil
	}
	var err error
	if w.sqlite {
		err = w.ins.insert(ctx, w.tx, w.campaignID, w.source, fresh)
	} else {
		err = insertBatch(ctx, w.tx, "venues", registryVenueCols, len(fresh), func(i int) []any {
			return append(venueArgs(w.campaignID, fresh[i].Venue), w.source, fresh[i].SourceID)
		})
	}
	if err != nil {
		err = translate(err)
		if planner.ErrorCode(err) == planner.EConflict {
			return planner.Errorm(planner.EConflict, planner.MsgAlreadyExists,
				"a venue id of the form %s-<id> is already used by another venue", w.source)
		}
		return err
	}
	if len(changes) > 0 && w.update == nil {
		if w.update, err = w.tx.PreparexContext(ctx, w.tx.Rebind(updateRegistryVenueSQL)); err != nil {
			return fmt.Errorf("prepare venue update: %w", err)
		}
	}
	for _, ch := range changes {
		a := ch.After
		if _, err := w.update.ExecContext(ctx, a.Name, a.Category, a.Lat, a.Lon, nullString(a.City), a.Address,
			a.Confidential, a.Confidential, w.campaignID, a.ID); err != nil {
			return fmt.Errorf("update venue %q: %w", a.ID, err)
		}
	}
	w.news = w.news[:0]
	for _, v := range fresh {
		w.news = append(w.news, v.Venue)
	}
	return recordImportItems(ctx, w.tx, w.importID, VenueImportDiff{New: w.news, Changed: changes}, true)
}

// sqliteVenueInsert inserts new registry venues on SQLite: multi-row
// INSERTs of sqliteInsertRows rows through one statement prepared once per
// import (insertBatch prepares its own for each call, which for 250 calls
// was a twentieth of the import), with the argument list reused and the
// values every row shares (campaign, registry, category, city) boxed once.
type sqliteVenueInsert struct {
	full  *sqlx.Stmt
	args  []any
	boxed map[string]any // category and city codes, id prefixes, as arguments
}

// sqliteInsertRows is how many venues one INSERT carries: 15,000
// parameters (below maxBatchParams), and registryBatch is a multiple.
const sqliteInsertRows = 1000

func (s *sqliteVenueInsert) insert(ctx context.Context, tx *Tx, campaignID int64, source string, vs []registry.Venue) error {
	if s.boxed == nil {
		s.boxed = map[string]any{}
	}
	box := func(code string) any {
		a, ok := s.boxed[code]
		if !ok {
			a = code
			s.boxed[code] = a
		}
		return a
	}
	var campaign, src any = campaignID, source
	for start := 0; start < len(vs); start += sqliteInsertRows {
		end := min(start+sqliteInsertRows, len(vs))
		s.args = s.args[:0]
		for _, v := range vs[start:end] {
			var city any // NULL when the venue has no city, as nullString gives
			if v.City != "" {
				city = box(v.City)
			}
			prefix, n, number := naturalKey(v.ID)
			s.args = append(s.args, campaign, v.ID, v.Name, box(v.Category), v.Lat, v.Lon, city, v.Address,
				v.Confidential, v.Confidential, box(prefix), n, number, src, v.SourceID)
		}
		var err error
		switch {
		case end-start < sqliteInsertRows:
			_, err = tx.ExecContext(ctx, insertSQL("venues", registryVenueCols, end-start), s.args...)
		case s.full == nil:
			if s.full, err = tx.PreparexContext(ctx, insertSQL("venues", registryVenueCols, sqliteInsertRows)); err != nil {
				return fmt.Errorf("prepare insert venues: %w", err)
			}
			fallthrough
		default:
			_, err = s.full.ExecContext(ctx, s.args...)
		}
		if err != nil {
			return fmt.Errorf("insert venues rows %d-%d: %w", start, end-1, err)
		}
	}
	clear(s.args) // let the batch's strings go
	return nil
}

// existing reads the campaign's venues of this source among ids, by
// source id, as their own flags say (storedVenue).
func (w *registryWriter) existing(ctx context.Context, ids []string) (map[string]planner.Venue, error) {
	type row struct {
		venueRow
		SourceID string `db:"source_id"`
	}
	var rows []row
	args := make([]any, 0, len(ids)+2)
	args = append(args, w.campaignID, w.source)
	for _, id := range ids {
		args = append(args, id)
	}
	query := `SELECT ` + venueList.columns + `, source_id FROM venues WHERE campaign_id = ? AND source = ?
		AND source_id IN (?` + strings.Repeat(", ?", len(ids)-1) + `)`
	if err := w.tx.SelectContext(ctx, &rows, w.tx.Rebind(query), args...); err != nil {
		return nil, fmt.Errorf("read venues by source id: %w", err)
	}
	out := make(map[string]planner.Venue, len(rows))
	for _, r := range rows {
		out[r.SourceID] = r.storedVenue()
	}
	return out, nil
}
