package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/reparto/reparto/planner"
)

// ListOptions pages and orders a list for the web forms. Sort names one of
// the list's sortable columns (see each List method); "" is the list's key
// order. The key always breaks ties, so pages never overlap or skip.
type ListOptions struct {
	Sort   string
	Desc   bool
	Limit  int // rows per page; 0 means no limit
	Offset int
}

// Page is one page of a list and the number of rows matching the filter.
type Page[T any] struct {
	Items []T
	Total int64
}

// where accumulates the conditions of a WHERE clause and their arguments.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// eq adds col = value when value is not "" (an unset filter).
func (w *where) eq(col, value string) {
	if value != "" {
		w.add(col+" = ?", value)
	}
}

// search adds a case-insensitive substring match of query on any of cols.
// LOWER folds only ASCII in SQLite but all letters in PostgreSQL; codes
// are ASCII, names may differ by dialect on accented capitals.
func (w *where) search(query string, cols ...string) {
	if query == "" {
		return
	}
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(query))
	var ors []string
	for _, c := range cols {
		ors = append(ors, "LOWER("+c+`) LIKE ? ESCAPE '\'`)
		w.args = append(w.args, "%"+esc+"%")
	}
	w.conds = append(w.conds, "("+strings.Join(ors, " OR ")+")")
}

func (w *where) String() string { return strings.Join(w.conds, " AND ") }

// listQuery describes one list: its table, columns, key order and the
// columns it may be sorted by (form name → SQL column).
type listQuery struct {
	table   string
	columns string
	key     string // ORDER BY for the key, e.g. "material, city, category"
	sorts   map[string]string
}

// run counts the matching rows and selects one page of them into dest.
func (l listQuery) run(ctx context.Context, q queryer, w where, o ListOptions, dest any) (int64, error) {
	order := l.key
	if o.Sort != "" {
		col, ok := l.sorts[o.Sort]
		if !ok {
			return 0, planner.Invalid(planner.Fieldf("sort", planner.MsgSort, "cannot sort by %q", o.Sort))
		}
		order = col
	}
	if o.Desc {
		order += " DESC"
	}
	if o.Sort != "" {
		order += ", " + l.key
	}
	if o.Limit < 0 || o.Offset < 0 {
		return 0, planner.Invalid(planner.Fieldf("limit", planner.MsgMin, "must be at least %d", 0))
	}
	var total int64
	cond := w.String()
	count := "SELECT COUNT(*) FROM " + l.table + " WHERE " + cond
	if err := q.GetContext(ctx, &total, q.Rebind(count), w.args...); err != nil {
		return 0, fmt.Errorf("count %s: %w", l.table, err)
	}
	sel := "SELECT " + l.columns + " FROM " + l.table + " WHERE " + cond + " ORDER BY " + order
	args := w.args
	if o.Limit > 0 || o.Offset > 0 {
		limit := int64(o.Limit)
		if limit == 0 {
			limit = 1 << 62 // SQLite has no OFFSET without LIMIT
		}
		sel += " LIMIT ? OFFSET ?"
		args = append(args[:len(args):len(args)], limit, o.Offset)
	}
	if err := q.SelectContext(ctx, dest, q.Rebind(sel), args...); err != nil {
		return 0, fmt.Errorf("list %s: %w", l.table, err)
	}
	return total, nil
}
