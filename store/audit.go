package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/reparto/reparto/planner"
)

// Audit actions. Store methods use the generic create/update/delete;
// other areas may add their own (commit_plan, event) as plain strings.
const (
	AuditCreate          = "create"
	AuditUpdate          = "update"
	AuditDelete          = "delete"
	AuditLogin           = "login"
	AuditLoginFailed     = "login_failed"
	AuditLogout          = "logout"
	AuditRevoke          = "revoke"
	AuditRevokeSessions  = "revoke_sessions"
	AuditPasswordChanged = "password_change"
)

// Actors that are not users.
const (
	ActorSystem    = "system"    // the server itself, the CLI, start-up tasks
	ActorAnonymous = "anonymous" // a request with no signed-in user
)

// Actor is who causes the writes of a request. The api middleware puts it
// in every request's context (WithActor) so that store methods can audit
// without an extra parameter.
type Actor struct {
	UserID int64  // 0 when not a user
	Email  string // the user's email, or ActorSystem / ActorAnonymous
	IP     string
}

type actorKey struct{}

// WithActor returns ctx carrying a as the actor of the writes made with it.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx; without one it is ActorSystem
// (command-line tools and start-up tasks).
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok && a.Email != "" {
		return a
	}
	return Actor{Email: ActorSystem}
}

// AuditEntry is one change to record. Before and After are marshalled to
// JSON (nil stays NULL): the value before the change and after it, so
// that an update shows both and a create or delete only one.
type AuditEntry struct {
	Action     string
	Entity     string // campaign, material, user, token, shipment, ...
	EntityID   string
	CampaignID int64 // 0 when not about one campaign
	Before     any
	After      any
}

const insertAuditSQL = `INSERT INTO audit_log (at, user_id, actor, ip, action, entity, entity_id,
	campaign_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// Audit records e inside tx, the transaction of the change it describes:
// the change and its record are committed together or not at all. The
// actor comes from ctx (see WithActor). Every write method of the store
// calls it; passwords and token secrets must never be in Before/After.
func (db *DB) Audit(ctx context.Context, tx *Tx, e AuditEntry) error {
	before, err := auditJSON(e.Before)
	if err != nil {
		return fmt.Errorf("audit %s %s: before: %w", e.Action, e.Entity, err)
	}
	after, err := auditJSON(e.After)
	if err != nil {
		return fmt.Errorf("audit %s %s: after: %w", e.Action, e.Entity, err)
	}
	a := ActorFrom(ctx)
	_, err = txExec(ctx, tx, insertAuditSQL, db.now(), nullID(a.UserID), a.Email, a.IP,
		e.Action, e.Entity, e.EntityID, nullID(e.CampaignID), before, after)
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", e.Action, e.Entity, err)
	}
	return nil
}

// LogAudit records an entry that goes with no other write (a login, a
// failed login) in a transaction of its own.
func (db *DB) LogAudit(ctx context.Context, e AuditEntry) error {
	return db.WithTx(ctx, func(tx *Tx) error { return db.Audit(ctx, tx, e) })
}

func auditJSON(v any) (sql.NullString, error) {
	if v == nil {
		return sql.NullString{}, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return sql.NullString{}, err
	}
	return sql.NullString{String: string(b), Valid: true}, nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// AuditRecord is one stored row of the audit log.
type AuditRecord struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	UserID     int64     `json:"user_id,omitempty"` // 0 when not a user
	Actor      string    `json:"actor"`
	IP         string    `json:"ip"`
	Action     string    `json:"action"`
	Entity     string    `json:"entity"`
	EntityID   string    `json:"entity_id"`
	CampaignID int64     `json:"campaign_id,omitempty"` // 0 when not about one campaign
	Before     string    `json:"before,omitempty"`      // JSON, "" when none
	After      string    `json:"after,omitempty"`       // JSON, "" when none
}

type auditRow struct {
	ID         int64          `db:"id"`
	At         time.Time      `db:"at"`
	UserID     sql.NullInt64  `db:"user_id"`
	Actor      string         `db:"actor"`
	IP         string         `db:"ip"`
	Action     string         `db:"action"`
	Entity     string         `db:"entity"`
	EntityID   string         `db:"entity_id"`
	CampaignID sql.NullInt64  `db:"campaign_id"`
	Before     sql.NullString `db:"before"`
	After      sql.NullString `db:"after"`
}

func (r auditRow) toRecord() (AuditRecord, error) {
	return AuditRecord{ID: r.ID, At: r.At.UTC(), UserID: r.UserID.Int64, Actor: r.Actor, IP: r.IP,
		Action: r.Action, Entity: r.Entity, EntityID: r.EntityID, CampaignID: r.CampaignID.Int64,
		Before: r.Before.String, After: r.After.String}, nil
}

// AuditFilter selects audit rows; empty fields do not filter. From is
// inclusive, To exclusive. Rows come newest first.
type AuditFilter struct {
	Actor      string
	Action     string
	Entity     string
	EntityID   string
	CampaignID int64
	From, To   time.Time
	Limit      int // rows per page; 0 means no limit
	Offset     int
}

var auditList = listQuery{
	table:   "audit_log",
	columns: "id, at, user_id, actor, ip, action, entity, entity_id, campaign_id, before, after",
	key:     "id DESC",
}

// ListAudit returns one page of the audit log, newest first, and the
// number of matching rows. The log has no update or delete method: it is
// read-only to the application (and triggers refuse changes in SQL).
func (db *DB) ListAudit(ctx context.Context, f AuditFilter) (Page[AuditRecord], error) {
	var w where
	w.add("1 = 1")
	w.eq("actor", normalizeEmail(f.Actor))
	w.eq("action", f.Action)
	w.eq("entity", f.Entity)
	w.eq("entity_id", f.EntityID)
	if f.CampaignID != 0 {
		w.add("campaign_id = ?", f.CampaignID)
	}
	if !f.From.IsZero() {
		w.add("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		w.add("at < ?", f.To.UTC())
	}
	var rows []auditRow
	total, err := auditList.run(ctx, db.read, w, ListOptions{Limit: f.Limit, Offset: f.Offset}, &rows)
	if err != nil {
		return Page[AuditRecord]{}, translate(err)
	}
	items, err := convertRows(rows, auditRow.toRecord)
	return Page[AuditRecord]{Items: items, Total: total}, err
}

// campaignAudit is what the audit log keeps of a campaign: its header and
// the size of each list, never the lists themselves (a million venues).
func campaignAudit(c *planner.Campaign) map[string]any {
	m := campaignHeaderAudit(c)
	for k, n := range map[string]int{"materials": len(c.Materials), "venue_categories": len(c.Categories),
		"targeting": len(c.Targeting), "cities": len(c.Cities), "venue_counts": len(c.VenueCounts),
		"venues": len(c.Venues), "locks": len(c.Locks)} {
		m[k] = n
	}
	return m
}

// campaignHeaderAudit is the header alone, for a change of the header.
func campaignHeaderAudit(c *planner.Campaign) map[string]any {
	return map[string]any{"name": c.Name, "start": c.Start, "deadline": c.Deadline, "as_of": c.AsOf,
		"depot": c.Depot, "dispatch": c.Dispatch, "transport": c.Transport,
		"local_distribution_days": c.LocalDistributionDays, "surplus": c.Surplus}
}

// storedCampaignAudit is campaignAudit of the stored campaign id, read in
// tx before it changes. Errors: ENotFound.
func storedCampaignAudit(ctx context.Context, tx *Tx, id int64) (map[string]any, error) {
	var r campaignRow
	err := tx.GetContext(ctx, &r, tx.Rebind(`SELECT `+campaignColumns+` FROM campaigns WHERE id = ?`), id)
	if err != nil {
		return nil, orNotFound(err, thingCampaign, id)
	}
	c, err := r.toCampaign()
	if err != nil {
		return nil, err
	}
	out := campaignAudit(c)
	for _, t := range []string{"materials", "venue_categories", "targeting", "cities", "venue_counts", "venues", "locks"} {
		var n int64
		if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM `+t+` WHERE campaign_id = ?`), id); err != nil {
			return nil, fmt.Errorf("count %s: %w", t, err)
		}
		out[t] = n
	}
	return out, nil
}

// rowSnapshot reads the row that a "DELETE FROM t WHERE ..." statement
// (or an update with the same WHERE) is about to change, as column →
// value, for the audit log's Before. Errors: sql.ErrNoRows.
func rowSnapshot(ctx context.Context, tx *Tx, deleteQuery string, args ...any) (map[string]any, error) {
	q, ok := strings.CutPrefix(strings.TrimSpace(deleteQuery), "DELETE FROM ")
	if !ok {
		return nil, fmt.Errorf("rowSnapshot: not a DELETE: %q", deleteQuery)
	}
	m := map[string]any{}
	if err := tx.QueryRowxContext(ctx, tx.Rebind("SELECT * FROM "+q), args...).MapScan(m); err != nil {
		return nil, err
	}
	for k, v := range m {
		if b, ok := v.([]byte); ok {
			m[k] = string(b)
		}
	}
	for _, k := range venueNaturalCols { // derived from the id: nothing the audit reader needs
		delete(m, k)
	}
	return m, nil
}
