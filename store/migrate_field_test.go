package store

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/reparto/reparto/assets"
)

// TestFieldMigrationKeepsAccounts: 00012 rebuilds SQLite's users table to
// widen its role CHECK. Existing accounts, their sessions and tokens must
// survive it, and the foreign keys must point at the new table and be
// enforced again afterwards.
func TestFieldMigrationKeepsAccounts(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fsys, err := fs.Sub(assets.FS, "migrations/sqlite")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db.w.DB, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 11); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2009, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, w := range []struct {
		q    string
		args []any
	}{
		{`INSERT INTO users (id, email, password_hash, role, disabled, must_change_password, created_at, updated_at) VALUES (7, 'ana@example.org', 'h', 'planner', FALSE, FALSE, ?, ?)`, []any{now, now}},
		{`INSERT INTO sessions (token, data, expiry, user_id) VALUES ('s1', x'00', ?, 7)`, []any{now}},
		{`INSERT INTO api_tokens (user_id, name, hash, prefix, created_at) VALUES (7, 'ci', 'abc', 'ab', ?)`, []any{now}},
	} {
		if _, err := db.w.ExecContext(ctx, w.q, w.args...); err != nil {
			t.Fatalf("%s: %v", w.q, err)
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := db.GetUser(ctx, 7)
	if err != nil || u.Email != "ana@example.org" || u.Role != "planner" {
		t.Fatalf("user after the migration: %+v %v", u, err)
	}
	var n int
	if err := db.w.GetContext(ctx, &n, `SELECT COUNT(*) FROM sessions WHERE user_id = 7`); err != nil || n != 1 {
		t.Errorf("sessions after the migration: %d %v", n, err)
	}
	var fk int
	if err := db.w.GetContext(ctx, &fk, `PRAGMA foreign_keys`); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d %v after the migration, want 1", fk, err)
	}
	if _, err := db.w.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry, user_id) VALUES ('s2', x'00', ?, 999)`, now); err == nil {
		t.Error("a session of no user was accepted: the foreign key is lost")
	}
	if _, err := db.w.ExecContext(ctx, `INSERT INTO users (email, password_hash, role, created_at, updated_at) VALUES ('campo@example.org', 'h', 'field', ?, ?)`, now, now); err != nil {
		t.Errorf("the field role is refused after the migration: %v", err)
	}
	if _, err := db.w.ExecContext(ctx, `INSERT INTO users (email, password_hash, role, created_at, updated_at) VALUES ('boss@example.org', 'h', 'boss', ?, ?)`, now, now); err == nil {
		t.Error("an unknown role is accepted after the migration")
	}
}
