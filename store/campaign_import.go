package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"

	"github.com/jmoiron/sqlx"

	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/planio"
)

// ImportCampaignFile reads a campaign file (planio.ParseCampaign) from r
// and stores it as a new campaign (as CreateCampaign), returning its id
// and the campaign read. Storing a million venues takes longer than
// reading them, so the two overlap: when the file has "campaign",
// "venue_categories" and "cities" before "venues" (the order
// planio.MarshalCampaign writes), the write transaction begins as the
// venues begin, and a second goroutine inserts the campaign, the lists
// read so far and then the venues, in runs, while the file is still being
// read; the rest follows when the file has been read. In any other order
// the file is read first and stored after.
//
// Either way the campaign is validated once, by the parse, and stored
// whole or not at all. An invalid file gives exactly ParseCampaign's
// error, never the database's about what was inserted meanwhile (a
// repeated venue id is a unique violation in the database long before
// the parse gets to say so); a database error the file does not explain
// is returned wrapped. Cancelling ctx stops both the reading (at r's next
// Read) and the inserting; ImportCampaignFile returns only once both have
// stopped.
func (db *DB) ImportCampaignFile(ctx context.Context, r io.Reader) (int64, *planner.Campaign, error) {
	imp := &fileImport{db: db, ctx: ctx, notify: make(chan struct{}, 1), parsed: make(chan parseResult, 1)}
	step, chunk := db.importChunks()
	imp.chunk = chunk
	c, err := planio.ParseCampaignStream(ctxReader{ctx, r}, planio.CampaignStream{
		Start: imp.start, Venues: imp.venues, Step: step})
	if imp.done == nil { // nothing was handed over: store what was read
		if err != nil {
			return 0, nil, err
		}
		id, err := db.storeCampaign(ctx, c, createAudit(c))
		if err != nil {
			return 0, nil, fmt.Errorf("store campaign: %w", givenUp(ctx, err))
		}
		return id, c, nil
	}
	imp.parsed <- parseResult{c, err}
	res := <-imp.done
	switch {
	case err != nil:
		return 0, nil, err // the file's error, whatever the inserts met
	case res.err != nil:
		// givenUp: a cancelled BEGIN on PostgreSQL fails as a broken
		// connection, not as context.Canceled.
		return 0, nil, fmt.Errorf("store campaign: %w", givenUp(ctx, res.err))
	}
	return res.id, c, nil
}

// createAudit is CreateCampaign's audit entry for c.
func createAudit(c *planner.Campaign) func(id int64) AuditEntry {
	return func(id int64) AuditEntry {
		return AuditEntry{Action: AuditCreate, Entity: "campaign", EntityID: strconv.FormatInt(id, 10),
			CampaignID: id, After: campaignAudit(c)}
	}
}

// importChunks are how many venues the parse reads between two hand-overs
// and how many one insert run takes: on SQLite a whole number of
// insertBatchAppend's statements, on PostgreSQL one COPY (copyChunk).
func (db *DB) importChunks() (step, chunk int) {
	if db.importChunk > 0 {
		return max(1, db.importChunk/2), db.importChunk
	}
	if db.Dialect == Postgres {
		return 1000, copyChunk
	}
	return 1000, 8 * max(1, maxBatchParams/len(venueCols))
}

// ctxReader stops a read at ctx's end.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// fileImport is one ImportCampaignFile whose venues are handed over: the
// parse (the caller's goroutine) publishes the venues read so far, and the
// inserter (a goroutine of its own, the only one to use the transaction)
// takes them. The parse never waits for the inserter.
type fileImport struct {
	db    *DB
	ctx   context.Context
	chunk int

	// Published by the parse, taken by the inserter.
	mu     sync.Mutex
	vs     []planner.Venue // the venues read so far: a prefix of the parse's c.Venues
	vsDone bool            // vs is the whole list
	notify chan struct{}   // something was published (capacity 1: a flag)

	parsed chan parseResult  // the parse's result, sent once it has ended
	done   chan insertResult // the inserter's result, once it has stopped

	// Set by start before the inserter begins.
	head    *planner.Campaign // the header and the lists read before the venues
	inLists []string          // which lists those are

	// The inserter's own.
	parse *parseResult // the parse's result, once the inserter has it
	stmt  *sqlx.Stmt   // SQLite: a full batch of venues (insertBatchKeep)
}

type parseResult struct {
	c   *planner.Campaign
	err error
}

type insertResult struct {
	id  int64
	err error
}

// errFileInvalid rolls back an import whose file turned out invalid.
var errFileInvalid = errors.New("the campaign file is invalid")

// start is the parse's Start hook: it begins the inserter.
func (imp *fileImport) start(head *planner.Campaign, lists []string) bool {
	imp.head, imp.inLists = head, lists
	imp.done = make(chan insertResult, 1)
	go func() {
		var id int64
		err := imp.db.WithTx(imp.ctx, func(tx *Tx) error {
			var err error
			id, err = imp.insert(tx)
			return err
		})
		if errors.Is(err, errFileInvalid) {
			err = nil // the caller returns the parse's error
		}
		imp.done <- insertResult{id, err}
	}()
	return true
}

// venues is the parse's Venues hook.
func (imp *fileImport) venues(vs []planner.Venue, done bool) {
	imp.mu.Lock()
	imp.vs, imp.vsDone = vs, done
	imp.mu.Unlock()
	select {
	case imp.notify <- struct{}{}:
	default: // a notice is pending already
	}
}

// published is what the parse has handed over so far.
func (imp *fileImport) published() ([]planner.Venue, bool) {
	imp.mu.Lock()
	defer imp.mu.Unlock()
	return imp.vs, imp.vsDone
}

// insert is the inserter, inside the write transaction. It stops with
// errFileInvalid as soon as the parse fails. When an insert fails it
// inserts nothing more and waits for the parse: an invalid file explains
// the failure, a valid one does not.
func (imp *fileImport) insert(tx *Tx) (int64, error) {
	ctx := imp.ctx
	imp.event("start")
	id, sent, ierr := imp.insertVenues(ctx, tx)
	if ierr != nil && !errors.Is(ierr, errFileInvalid) {
		imp.event("insert failed")
	}
	switch {
	case errors.Is(ierr, errFileInvalid):
		return 0, ierr
	case ctx.Err() != nil:
		return 0, ctx.Err()
	}
	for imp.parse == nil {
		if err := imp.wait(ctx, true); err != nil {
			return 0, err
		}
	}
	if ierr != nil {
		return 0, ierr
	}
	c := imp.parse.c
	if err := insertVenueRows(ctx, tx, &imp.stmt, id, c.Venues[sent:]); err != nil {
		return 0, fmt.Errorf("venues from %d: %w", sent, err)
	}
	if campaignToRow(c) != campaignToRow(imp.head) { // cannot happen: the same text was read
		if err := updateCampaignHeader(ctx, tx, id, c); err != nil {
			return 0, err
		}
	}
	if err := insertListsExcept(ctx, tx, id, c, append(imp.early(), "venues")); err != nil {
		return 0, err
	}
	if err := enforceSensitive(ctx, tx, id); err != nil {
		return 0, err
	}
	return id, imp.db.Audit(ctx, tx, createAudit(c)(id))
}

func (imp *fileImport) event(e string) {
	if imp.db.importEvent != nil {
		imp.db.importEvent(e)
	}
}

// wait takes the parse's result if it is there, and else (block) waits for
// it or for more venues. It returns errFileInvalid if the parse failed.
func (imp *fileImport) wait(ctx context.Context, block bool) error {
	if block {
		select {
		case p := <-imp.parsed:
			imp.parse = &p
		case <-imp.notify:
		case <-ctx.Done():
			return ctx.Err()
		}
	} else {
		select {
		case p := <-imp.parsed:
			imp.parse = &p
		default:
		}
	}
	if imp.parse != nil && imp.parse.err != nil {
		return errFileInvalid
	}
	return nil
}

// insertVenues inserts the campaign row, the lists read before the venues
// and the venues as they are published, and returns how many of those it
// inserted.
func (imp *fileImport) insertVenues(ctx context.Context, tx *Tx) (id int64, sent int, err error) {
	if id, err = insertCampaignRow(ctx, tx, imp.head, imp.db.now()); err != nil {
		return 0, 0, err
	}
	if err := insertListsOnly(ctx, tx, id, imp.head, imp.early()); err != nil {
		return id, 0, err
	}
	for {
		// The latest venues on every run: an older vs may be an array the
		// parse has since outgrown, which would be kept alive, tens of
		// megabytes, for as long as the inserter worked through it.
		vs, done := imp.published()
		switch {
		case len(vs)-sent >= imp.chunk || done && sent < len(vs):
			if err := imp.wait(ctx, false); err != nil {
				return id, sent, err
			}
			end := min(sent+imp.chunk, len(vs))
			if err := insertVenueRows(ctx, tx, &imp.stmt, id, vs[sent:end]); err != nil {
				return id, sent, fmt.Errorf("venues from %d: %w", sent, err)
			}
			sent = end
		case done:
			return id, sent, nil
		default:
			if err := imp.wait(ctx, true); err != nil {
				return id, sent, err
			}
		}
	}
}

// early are the lists inserted before the venues: those read before them
// whose parents are too (venue_categories and cities always are).
func (imp *fileImport) early() []string {
	read := func(k string) bool { return slices.Contains(imp.inLists, k) }
	out := []string{"venue_categories", "cities"}
	if read("materials") {
		out = append(out, "materials")
		if read("targeting") {
			out = append(out, "targeting")
		}
	}
	if read("venue_counts") {
		out = append(out, "venue_counts")
	}
	return out
}
