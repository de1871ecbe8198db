package store

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/reparto/reparto/planner"
)

func TestTokenCreateAuthenticateRevoke(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := addUser(t, db, "courier@example.org", "viewer")
		at(db, 0)
		tok, secret, err := db.CreateToken(ctx, u.ID, " phone ")
		assertNoError(t, err)
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(secret, "rpt_"))
		if !strings.HasPrefix(secret, "rpt_") || err != nil || len(raw) != 32 {
			t.Fatalf("secret %q is not rpt_ + base64url of 32 bytes", secret)
		}
		if tok.Name != "phone" || tok.Prefix != secret[:10] || tok.LastUsedAt != nil {
			t.Errorf("token = %+v", tok)
		}
		// Only the hash is stored.
		var n int64
		assertNoError(t, db.read.GetContext(ctx, &n, db.read.Rebind(`SELECT COUNT(*) FROM api_tokens WHERE hash = ?`), secret))
		if n != 0 {
			t.Error("the secret itself is stored")
		}

		got, used, err := db.AuthenticateToken(ctx, secret)
		assertNoError(t, err)
		if got.ID != u.ID || used.LastUsedAt == nil || !used.LastUsedAt.Equal(db.now()) {
			t.Errorf("authenticated %+v with %+v", got, used)
		}
		// last_used_at moves only once a minute.
		at(db, 59*time.Second)
		_, _, err = db.AuthenticateToken(ctx, secret)
		assertNoError(t, err)
		list, err := db.ListTokens(ctx, u.ID)
		assertNoError(t, err)
		if want := time.Date(2009, 3, 20, 9, 30, 0, 0, time.UTC); len(list) != 1 || !list[0].LastUsedAt.Equal(want) {
			t.Errorf("last used = %v, want %v", list[0].LastUsedAt, want)
		}
		at(db, time.Minute)
		_, _, err = db.AuthenticateToken(ctx, secret)
		assertNoError(t, err)
		list, _ = db.ListTokens(ctx, u.ID)
		if want := time.Date(2009, 3, 20, 9, 31, 0, 0, time.UTC); !list[0].LastUsedAt.Equal(want) {
			t.Errorf("last used = %v, want %v", list[0].LastUsedAt, want)
		}

		for _, bad := range []string{"", "rpt_", secret + "x", "Bearer " + secret, strings.TrimPrefix(secret, "rpt_")} {
			_, _, err := db.AuthenticateToken(ctx, bad)
			wantCode(t, err, planner.EUnauthorized)
		}

		other := addUser(t, db, "other@example.org", "viewer")
		wantCode(t, db.RevokeToken(ctx, other.ID, tok.ID), planner.ENotFound)
		assertNoError(t, db.RevokeToken(ctx, u.ID, tok.ID))
		assertNoError(t, db.RevokeToken(ctx, u.ID, tok.ID)) // twice is harmless
		_, _, err = db.AuthenticateToken(ctx, secret)
		wantCode(t, err, planner.EUnauthorized)
		list, _ = db.ListTokens(ctx, u.ID)
		if list[0].RevokedAt == nil {
			t.Error("revoked_at not set")
		}
		p, err := db.ListAudit(ctx, AuditFilter{Entity: "token"})
		assertNoError(t, err)
		if p.Total != 2 || p.Items[0].Action != AuditRevoke || p.Items[1].Action != AuditCreate {
			t.Errorf("token audit = %+v", p.Items)
		}
		if strings.Contains(p.Items[1].After, secret) {
			t.Error("the secret is in the audit log")
		}
	})
}

func TestTokenOfDisabledUserIsRefused(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		addUser(t, db, "admin@example.org", "admin")
		u := addUser(t, db, "courier@example.org", "viewer")
		_, secret, err := db.CreateToken(ctx, u.ID, "phone")
		assertNoError(t, err)
		disabled := true
		_, err = db.UpdateUser(ctx, u.ID, UserChange{Disabled: &disabled})
		assertNoError(t, err)
		_, _, err = db.AuthenticateToken(ctx, secret)
		wantCode(t, err, planner.EUnauthorized)
		_, _, err = db.CreateToken(ctx, u.ID, "")
		wantCode(t, err, planner.EInvalid)
	})
}
