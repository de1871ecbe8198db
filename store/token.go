package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/reparto/reparto/planner"
)

// TokenPrefix starts every API token, so that a leaked token is easy to
// recognise (and to search for in code and logs).
const TokenPrefix = "rpt_"

// tokenTouch is how stale last_used_at may get: a busy client would
// otherwise turn every read into a write.
const tokenTouch = time.Minute

// Token is an API token as its owner sees it; the secret itself is shown
// once, when created, and only its SHA-256 is stored.
type Token struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"` // the first characters, to recognise it
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

type tokenRow struct {
	ID         int64        `db:"id"`
	UserID     int64        `db:"user_id"`
	Name       string       `db:"name"`
	Prefix     string       `db:"prefix"`
	CreatedAt  time.Time    `db:"created_at"`
	LastUsedAt sql.NullTime `db:"last_used_at"`
	RevokedAt  sql.NullTime `db:"revoked_at"`
}

const tokenColumns = `id, user_id, name, prefix, created_at, last_used_at, revoked_at`

func (r tokenRow) toToken() Token {
	t := Token{ID: r.ID, UserID: r.UserID, Name: r.Name, Prefix: r.Prefix, CreatedAt: r.CreatedAt.UTC()}
	if r.LastUsedAt.Valid {
		v := r.LastUsedAt.Time.UTC()
		t.LastUsedAt = &v
	}
	if r.RevokedAt.Valid {
		v := r.RevokedAt.Time.UTC()
		t.RevokedAt = &v
	}
	return t
}

func (t Token) auditView() map[string]any {
	return map[string]any{"name": t.Name, "prefix": t.Prefix, "user_id": t.UserID}
}

// hashToken is how a token is looked up: SHA-256 is enough because the
// token has 256 random bits (no guessing to slow down, unlike passwords).
func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a new API token for a user and returns it with its
// secret ("rpt_" + 32 random bytes in base64url), which is not stored and
// cannot be shown again. Errors: EInvalid (name), ENotFound (user).
func (db *DB) CreateToken(ctx context.Context, userID int64, name string) (Token, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return Token{}, "", planner.Invalid(planner.Fieldf("name", planner.MsgTokenName, "is required (at most %d characters)", 100))
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return Token{}, "", fmt.Errorf("token: %w", err)
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	t := Token{UserID: userID, Name: name, Prefix: secret[:len(TokenPrefix)+6], CreatedAt: db.now()}
	err := db.WithTx(ctx, func(tx *Tx) error {
		if _, err := db.getUser(ctx, tx, "id = ?", userID, userID); err != nil {
			return err
		}
		err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO api_tokens (user_id, name, hash, prefix, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`), userID, name, hashToken(secret), t.Prefix, t.CreatedAt).Scan(&t.ID)
		if err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditCreate, Entity: "token",
			EntityID: fmt.Sprint(t.ID), After: t.auditView()})
	})
	if err != nil {
		return Token{}, "", err
	}
	return t, secret, nil
}

// ListTokens returns a user's tokens, revoked ones included, newest first.
func (db *DB) ListTokens(ctx context.Context, userID int64) ([]Token, error) {
	var rows []tokenRow
	err := db.read.SelectContext(ctx, &rows, db.read.Rebind(`SELECT `+tokenColumns+
		` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`), userID)
	if err != nil {
		return nil, translate(fmt.Errorf("list tokens: %w", err))
	}
	out := make([]Token, len(rows))
	for i, r := range rows {
		out[i] = r.toToken()
	}
	return out, nil
}

// RevokeToken revokes token id of user userID (a user revokes only their
// own tokens). Revoking twice is harmless. Errors: ENotFound.
func (db *DB) RevokeToken(ctx context.Context, userID, id int64) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		var r tokenRow
		err := tx.GetContext(ctx, &r, tx.Rebind(`SELECT `+tokenColumns+` FROM api_tokens WHERE id = ? AND user_id = ?`), id, userID)
		if err != nil {
			return orNotFound(err, thingToken, id)
		}
		if r.RevokedAt.Valid {
			return nil
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE api_tokens SET revoked_at = ? WHERE id = ?`), now, id); err != nil {
			return fmt.Errorf("revoke token %d: %w", id, err)
		}
		t := r.toToken()
		return db.Audit(ctx, tx, AuditEntry{Action: AuditRevoke, Entity: "token",
			EntityID: fmt.Sprint(id), Before: t.auditView(), After: map[string]any{"revoked_at": now}})
	})
}

// revokeUserTokens revokes every live token of a user inside tx, each
// audited as RevokeToken does, and returns how many there were: a new
// password, ended sessions (when asked) and a disabled account take the
// user's programs out too.
func (db *DB) revokeUserTokens(ctx context.Context, tx *Tx, userID int64) (int64, error) {
	var rows []tokenRow
	err := tx.SelectContext(ctx, &rows, tx.Rebind(`SELECT `+tokenColumns+
		` FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL ORDER BY id`), userID)
	if err != nil {
		return 0, fmt.Errorf("tokens of user %d: %w", userID, err)
	}
	now := db.now()
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE api_tokens SET revoked_at = ? WHERE id = ?`), now, r.ID); err != nil {
			return 0, fmt.Errorf("revoke token %d: %w", r.ID, err)
		}
		err := db.Audit(ctx, tx, AuditEntry{Action: AuditRevoke, Entity: "token",
			EntityID: fmt.Sprint(r.ID), Before: r.toToken().auditView(), After: map[string]any{"revoked_at": now}})
		if err != nil {
			return 0, err
		}
	}
	return int64(len(rows)), nil
}

// errBadToken is the one answer for an unknown, revoked or disabled
// user's token: the caller learns nothing about which.
var errBadToken = planner.Errorf(planner.EUnauthorized, "invalid or revoked API token")

// tokenUserSQL reads a token with its user in one query: every API request
// authenticates, and reading both afresh each time is what makes a
// revoked token or a disabled user fail at once.
const tokenUserSQL = `SELECT t.id, t.user_id, t.name, t.prefix, t.created_at, t.last_used_at, t.revoked_at,
	u.id AS "u.id", u.email AS "u.email", u.password_hash AS "u.password_hash", u.role AS "u.role",
	u.disabled AS "u.disabled", u.must_change_password AS "u.must_change_password",
	u.created_at AS "u.created_at", u.updated_at AS "u.updated_at"
	FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?`

// AuthenticateToken returns the user a token belongs to, and records that
// it was used (at most once a minute). Errors: EUnauthorized for a token
// that is unknown or revoked, or whose user is disabled.
func (db *DB) AuthenticateToken(ctx context.Context, secret string) (User, Token, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return User{}, Token{}, errBadToken
	}
	var r struct {
		tokenRow
		User userRow `db:"u"`
	}
	err := db.readGet(ctx, &r, tokenUserSQL, hashToken(secret))
	if errors.Is(err, sql.ErrNoRows) { // unknown token, or its user is gone
		return User{}, Token{}, errBadToken
	}
	if err != nil {
		return User{}, Token{}, translate(fmt.Errorf("find token: %w", err))
	}
	u := r.User.toUser()
	if r.RevokedAt.Valid || u.Disabled {
		return User{}, Token{}, errBadToken
	}
	if u.Places, err = userPlaces(ctx, db.read, u); err != nil {
		return User{}, Token{}, err
	}
	t := r.toToken()
	now := db.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= tokenTouch {
		_, err := db.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now, t.ID)
		if err != nil {
			return User{}, Token{}, translate(fmt.Errorf("touch token %d: %w", t.ID, err))
		}
		t.LastUsedAt = &now
	}
	return u, t, nil
}
