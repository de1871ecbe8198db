package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/reparto/reparto/planner"
)

// reference is one kind of row that may refer to a row about to be deleted,
// e.g. the locks of a material: "SELECT COUNT(*) FROM locks WHERE
// campaign_id = ? AND material = ?" with its arguments.
type reference struct {
	table string // the referring table: "locks"
	label string // plural noun for the message: "locks"
	query string
	args  []any
}

// refs builds the references to value in column col of each table.
func refs(campaignID int64, col, value string, tables ...string) []reference {
	out := make([]reference, len(tables))
	for i, t := range tables {
		out[i] = reference{
			table: t,
			label: tableLabels[t],
			query: fmt.Sprintf(`SELECT COUNT(*) FROM %s WHERE campaign_id = ? AND %s = ?`, t, col),
			args:  []any{campaignID, value},
		}
	}
	return out
}

var tableLabels = map[string]string{
	"targeting": "targeting rules", "venue_counts": "venue counts", "venues": "venues", "locks": "locks",
}

// refuseReferenced returns EConflict naming what still refers to what
// ("material \"L3\" is still used by 2 targeting rules, 1 locks"), so that a
// delete never orphans rows; the foreign keys are the safety net behind it.
//
// The error's message id is planner.MsgStillUsed: Args "Entity" and
// "Code" name the row, and each referring table (targeting, venue_counts,
// venues, locks) maps to its count.
func refuseReferenced(ctx context.Context, tx *Tx, what, entity, code string, rs []reference) error {
	var used []string
	args := map[string]any{"Entity": entity, "Code": code}
	for _, r := range rs {
		var n int64
		if err := tx.GetContext(ctx, &n, tx.Rebind(r.query), r.args...); err != nil {
			return fmt.Errorf("count %s of %s: %w", r.label, what, err)
		}
		if n > 0 {
			used = append(used, fmt.Sprintf("%d %s", n, r.label))
			args[r.table] = n
		}
	}
	if len(used) == 0 {
		return nil
	}
	e := planner.Errorf(planner.EConflict, "%s is still used by %s; remove those first", what, strings.Join(used, ", "))
	e.ID, e.Args = planner.MsgStillUsed, args
	return e
}
