package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Sessions live in the database so that every server replica sees the
// same ones and a restart signs nobody out. The key is whatever the
// session manager gives (api uses scs with HashTokenInStore, so it is a
// hash of the cookie's token, never the token itself).

// sessionRefresh is how much a session's expiry may lag before the
// unchanged session is written again: with an idle timeout every request
// moves the expiry, and rewriting it each time would make every page view
// a write (SQLite has one writer).
const sessionRefresh = time.Minute

// FindSession returns the data of an unexpired session; found is false
// for a missing or expired one.
func (db *DB) FindSession(ctx context.Context, token string) (data []byte, found bool, err error) {
	r, found, err := db.FindSessionRow(ctx, token)
	return r.Data, found, err
}

// SessionRow is a stored session: its data and when it expires.
type SessionRow struct {
	Data   []byte    `db:"data"`
	Expiry time.Time `db:"expiry"`
}

// Current reports whether saving data with expiry over r would change
// nothing worth writing: the same data, and an expiry that moved forward
// by less than sessionRefresh. A caller that read r at the start of a
// request can then skip the save, and with it a database round trip.
func (r SessionRow) Current(data []byte, expiry time.Time) bool {
	moved := expiry.UTC().Truncate(time.Microsecond).Sub(r.Expiry)
	return bytes.Equal(r.Data, data) && moved >= 0 && moved < sessionRefresh
}

// FindSessionRow is FindSession with the session's stored expiry, so
// that the request's save can tell whether it has anything to write
// (SessionRow.Current).
func (db *DB) FindSessionRow(ctx context.Context, token string) (SessionRow, bool, error) {
	var r SessionRow
	err := db.readGet(ctx, &r, `SELECT data, expiry FROM sessions WHERE token = ? AND expiry > ?`, token, db.now())
	if errors.Is(err, sql.ErrNoRows) {
		return SessionRow{}, false, nil
	}
	if err != nil {
		return SessionRow{}, false, translate(fmt.Errorf("find session: %w", err))
	}
	r.Expiry = r.Expiry.UTC()
	return r, true, nil
}

// InsertSession stores a new session (a token the session manager has
// just made, at sign-in or for a visitor's first flash message) with its
// expiry and the id of its user (0: none). Committing also removes
// expired sessions now and then.
func (db *DB) InsertSession(ctx context.Context, token string, data []byte, expiry time.Time, userID int64) error {
	expiry = expiry.UTC().Truncate(time.Microsecond)
	_, err := db.exec(ctx, `INSERT INTO sessions (token, data, expiry, user_id) VALUES (?, ?, ?, ?)`,
		token, data, expiry, nullID(userID))
	if err != nil {
		return translate(fmt.Errorf("insert session: %w", err))
	}
	db.sweepSessions(ctx)
	return nil
}

// UpdateSession saves a session that was read at the start of the
// request. It only ever updates: a session deleted meanwhile (signed out,
// its user's sessions revoked, password changed, user disabled) stays
// deleted, and updated reports false. A request in flight across a
// revocation used to insert its session again when it ended, undoing the
// revocation. An unchanged session whose expiry moved by less than a
// minute is not rewritten (see sessionRefresh).
func (db *DB) UpdateSession(ctx context.Context, token string, data []byte, expiry time.Time, userID int64) (updated bool, err error) {
	expiry = expiry.UTC().Truncate(time.Microsecond)
	var cur SessionRow
	err = db.readGet(ctx, &cur, `SELECT data, expiry FROM sessions WHERE token = ?`, token)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err == nil && cur.Current(data, expiry) {
		return true, nil
	}
	res, err := db.exec(ctx, `UPDATE sessions SET data = ?, expiry = ?, user_id = ? WHERE token = ?`,
		data, expiry, nullID(userID), token)
	if err != nil {
		return false, translate(fmt.Errorf("update session: %w", err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, translate(fmt.Errorf("update session: %w", err))
	}
	db.sweepSessions(ctx)
	return n > 0, nil
}

// sweepSessions deletes expired sessions about once in 256 commits: often
// enough to keep the table small, rarely enough to cost nothing. Expired
// rows are never returned anyway (FindSession checks the expiry).
func (db *DB) sweepSessions(ctx context.Context) {
	if rand.IntN(256) != 0 {
		return
	}
	_, _ = db.DeleteExpiredSessions(ctx)
}

// DeleteSession removes a session; a missing one is not an error.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	if _, err := db.exec(ctx, `DELETE FROM sessions WHERE token = ?`, token); err != nil {
		return translate(fmt.Errorf("delete session: %w", err))
	}
	return nil
}

// DeleteExpiredSessions removes every expired session and returns how
// many there were.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res, err := db.exec(ctx, `DELETE FROM sessions WHERE expiry <= ?`, db.now())
	if err != nil {
		return 0, translate(fmt.Errorf("delete expired sessions: %w", err))
	}
	return res.RowsAffected()
}

// RevokeSessions signs a user out everywhere (an administrator's action),
// and with tokens revokes the user's API tokens too; audited. It returns
// how many sessions ended. Errors: ENotFound.
func (db *DB) RevokeSessions(ctx context.Context, userID int64, tokens bool) (int64, error) {
	var n int64
	err := db.WithTx(ctx, func(tx *Tx) error {
		u, err := db.getUser(ctx, tx, "id = ?", userID, userID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM sessions WHERE user_id = ?`), userID)
		if err != nil {
			return fmt.Errorf("revoke sessions of user %d: %w", userID, err)
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		after := map[string]any{"email": u.Email, "sessions": n}
		if tokens {
			if after["tokens"], err = db.revokeUserTokens(ctx, tx, userID); err != nil {
				return err
			}
		}
		return db.Audit(ctx, tx, AuditEntry{Action: AuditRevokeSessions, Entity: "user",
			EntityID: fmt.Sprint(userID), After: after})
	})
	return n, err
}
