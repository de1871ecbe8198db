package store

import (
	"context"
	"fmt"

	"github.com/reparto/reparto/planner"
)

type lockRow struct {
	CampaignID int64  `db:"campaign_id"`
	Material   string `db:"material"`
	City       string `db:"city"`
	Category   string `db:"category"`
	Pieces     int64  `db:"pieces"`
}

var lockCols = []string{"campaign_id", "material", "city", "category", "pieces"}

func (r lockRow) toLock() (planner.Lock, error) {
	return planner.Lock{Material: r.Material, City: r.City, Category: r.Category, Pieces: r.Pieces}, nil
}

var lockList = listQuery{
	table:   "locks",
	columns: "campaign_id, material, city, category, pieces",
	key:     "material, city, category",
	sorts:   map[string]string{"material": "material", "city": "city", "category": "category", "pieces": "pieces"},
}

func loadLocks(ctx context.Context, q queryer, campaignID int64) ([]planner.Lock, error) {
	var rows []lockRow
	if _, err := lockList.run(ctx, q, campaignWhere(campaignID), ListOptions{}, &rows); err != nil {
		return nil, err
	}
	return convertRows(rows, lockRow.toLock)
}

func insertLocks(ctx context.Context, tx *Tx, campaignID int64, ls []planner.Lock) error {
	return insertBatch(ctx, tx, "locks", lockCols, len(ls), func(i int) []any {
		l := ls[i]
		return []any{campaignID, l.Material, l.City, l.Category, l.Pieces}
	})
}

// LockFilter selects locks by exact material, city and/or category.
// Sortable by material, city, category, pieces.
type LockFilter struct {
	Material string
	City     string
	Category string
	ListOptions
}

// ListLocks returns one page of a campaign's locks. Errors: ENotFound.
func (db *DB) ListLocks(ctx context.Context, campaignID int64, f LockFilter) (Page[planner.Lock], error) {
	var rows []lockRow
	w := campaignWhere(campaignID)
	w.eq("material", f.Material)
	w.eq("city", f.City)
	w.eq("category", f.Category)
	total, err := db.list(ctx, campaignID, lockList, w, f.ListOptions, &rows)
	if err != nil {
		return Page[planner.Lock]{}, err
	}
	items, err := convertRows(rows, lockRow.toLock)
	return Page[planner.Lock]{Items: items, Total: total}, err
}

// LockKey names the cell of a lock.
type LockKey struct{ Material, City, Category string }

func (k LockKey) String() string {
	return fmt.Sprintf("lock of %q for %q in %q", k.Material, k.Category, k.City)
}

// key names the lock's cell in a not-found error: material/city/category.
func (k LockKey) key() string { return k.Material + "/" + k.City + "/" + k.Category }

func sameLockCell(k LockKey) func(planner.Lock) bool {
	return func(l planner.Lock) bool {
		return l.Material == k.Material && l.City == k.City && l.Category == k.Category
	}
}

func keyOf(l planner.Lock) LockKey { return LockKey{l.Material, l.City, l.Category} }

// CreateLock fixes the pieces of one cell. The campaign is validated as a
// whole: pieces must be whole packs and the material's locks must fit its
// stock. Errors: ENotFound (campaign), EConflict (cell already locked), EInvalid.
func (db *DB) CreateLock(ctx context.Context, campaignID int64, l planner.Lock) error {
	apply := func(c *planner.Campaign) error {
		if indexOf(c.Locks, sameLockCell(keyOf(l))) >= 0 {
			return planner.Errorm(planner.EConflict, planner.MsgAlreadyExists, "%s already exists", keyOf(l))
		}
		c.Locks = append(c.Locks, l)
		return nil
	}
	write := func(ctx context.Context, tx *Tx) error {
		if err := insertLocks(ctx, tx, campaignID, []planner.Lock{l}); err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditCreate, Entity: "lock", EntityID: keyOf(l).String(),
			CampaignID: campaignID, After: l})
	}
	return db.edit(ctx, campaignID, 0, apply, write)
}

// UpdateLock replaces the lock of cell k with l (which may name another
// cell). Errors: ENotFound, EConflict, EInvalid.
func (db *DB) UpdateLock(ctx context.Context, campaignID int64, k LockKey, l planner.Lock) error {
	var before planner.Lock
	apply := func(c *planner.Campaign) error {
		i := indexOf(c.Locks, sameLockCell(k))
		if i < 0 {
			return notFound(thingLock, k.key())
		}
		if j := indexOf(c.Locks, sameLockCell(keyOf(l))); j >= 0 && j != i {
			return planner.Errorm(planner.EConflict, planner.MsgAlreadyExists, "%s already exists", keyOf(l))
		}
		before, c.Locks[i] = c.Locks[i], l
		return nil
	}
	write := func(ctx context.Context, tx *Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE locks SET material = ?, city = ?, category = ?, pieces = ?
			WHERE campaign_id = ? AND material = ? AND city = ? AND category = ?`),
			l.Material, l.City, l.Category, l.Pieces, campaignID, k.Material, k.City, k.Category)
		if err != nil {
			return err
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditUpdate, Entity: "lock", EntityID: k.String(),
			CampaignID: campaignID, Before: before, After: l})
	}
	return db.edit(ctx, campaignID, 0, apply, write)
}

// DeleteLock removes the lock of cell k. Errors: ENotFound.
func (db *DB) DeleteLock(ctx context.Context, campaignID int64, k LockKey) error {
	return db.deleteIn(ctx, campaignID, k.String(), notFound(thingLock, k.key()), nil, "lock", k.String(),
		`DELETE FROM locks WHERE campaign_id = ? AND material = ? AND city = ? AND category = ?`,
		campaignID, k.Material, k.City, k.Category)
}
