package store

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// at sets db's clock to 2009-03-20 plus d.
func at(db *DB, d time.Duration) {
	t := time.Date(2009, 3, 20, 9, 30, 0, 0, time.UTC).Add(d)
	db.Now = func() time.Time { return t }
}

func TestSessionLifecycle(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := addUser(t, db, "ana@example.org", "viewer")
		at(db, 0)
		expiry := db.now().Add(2 * time.Hour)
		assertNoError(t, db.InsertSession(ctx, "tok-a", []byte("one"), expiry, u.ID))
		assertNoError(t, db.InsertSession(ctx, "tok-b", []byte("two"), expiry, 0))

		data, found, err := db.FindSession(ctx, "tok-a")
		assertNoError(t, err)
		if !found || string(data) != "one" {
			t.Fatalf("find = %q %v", data, found)
		}
		// Update replaces the data.
		updated, err := db.UpdateSession(ctx, "tok-a", []byte("three"), expiry, u.ID)
		assertNoError(t, err)
		if !updated {
			t.Error("update of an existing session reports it missing")
		}
		if data, _, _ := db.FindSession(ctx, "tok-a"); string(data) != "three" {
			t.Errorf("after commit data = %q", data)
		}
		// One second before the expiry it is found, at the expiry it is not.
		at(db, 2*time.Hour-time.Second)
		if _, found, _ := db.FindSession(ctx, "tok-a"); !found {
			t.Error("session gone before its expiry")
		}
		at(db, 2*time.Hour)
		if _, found, _ := db.FindSession(ctx, "tok-a"); found {
			t.Error("expired session found")
		}
		n, err := db.DeleteExpiredSessions(ctx)
		assertNoError(t, err)
		if n != 2 {
			t.Errorf("deleted %d expired sessions, want 2", n)
		}
		assertNoError(t, db.DeleteSession(ctx, "missing")) // no-op
	})
}

func TestUpdateSessionSkipsSmallExpiryMoves(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		at(db, 0)
		e0 := db.now().Add(time.Hour)
		assertNoError(t, db.InsertSession(ctx, "tok", []byte("d"), e0, 0))
		// 30 s later with the same data: not rewritten, expiry stays e0.
		_, err := db.UpdateSession(ctx, "tok", []byte("d"), e0.Add(30*time.Second), 0)
		assertNoError(t, err)
		var got time.Time
		assertNoError(t, db.read.GetContext(ctx, &got, db.read.Rebind(`SELECT expiry FROM sessions WHERE token = ?`), "tok"))
		if !got.Equal(e0) {
			t.Errorf("expiry = %v, want unchanged %v", got, e0)
		}
		// A minute later it is rewritten.
		_, err = db.UpdateSession(ctx, "tok", []byte("d"), e0.Add(time.Minute), 0)
		assertNoError(t, err)
		assertNoError(t, db.read.GetContext(ctx, &got, db.read.Rebind(`SELECT expiry FROM sessions WHERE token = ?`), "tok"))
		if !got.Equal(e0.Add(time.Minute)) {
			t.Errorf("expiry = %v, want %v", got, e0.Add(time.Minute))
		}
	})
}

func TestRevokeSessionsOfOneUser(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		ana := addUser(t, db, "ana@example.org", "viewer")
		bea := addUser(t, db, "bea@example.org", "viewer")
		exp := db.now().Add(time.Hour)
		for tok, uid := range map[string]int64{"a1": ana.ID, "a2": ana.ID, "b1": bea.ID} {
			assertNoError(t, db.InsertSession(ctx, tok, []byte(tok), exp, uid))
		}
		n, err := db.RevokeSessions(ctx, ana.ID, false)
		assertNoError(t, err)
		if n != 2 {
			t.Errorf("revoked %d, want 2", n)
		}
		for tok, want := range map[string]bool{"a1": false, "a2": false, "b1": true} {
			if _, found, _ := db.FindSession(ctx, tok); found != want {
				t.Errorf("session %s found = %v, want %v", tok, found, want)
			}
		}
		p, err := db.ListAudit(ctx, AuditFilter{Action: AuditRevokeSessions})
		assertNoError(t, err)
		if p.Total != 1 || p.Items[0].EntityID != strconv.FormatInt(ana.ID, 10) {
			t.Errorf("audit = %+v", p)
		}
		// Disabling a user ends their sessions too.
		disabled := true
		_, err = db.UpdateUser(ctx, bea.ID, UserChange{Disabled: &disabled})
		assertNoError(t, err)
		if _, found, _ := db.FindSession(ctx, "b1"); found {
			t.Error("disabled user's session survives")
		}
	})
}

// TestUpdateNeverResurrectsARevokedSession: a request reads its session,
// the session is ended while the request runs (revoked, user disabled,
// password changed, signed out), and the request saves the session when
// it ends. The save must not write the row again (issue 12, defect 1).
func TestUpdateNeverResurrectsARevokedSession(t *testing.T) {
	hash, err := HashPassword("password", "a new password here", 4)
	assertNoError(t, err)
	disabled := true
	cases := []struct {
		name string
		end  func(ctx context.Context, db *DB, userID int64) error
	}{
		{"sessions revoked", func(ctx context.Context, db *DB, id int64) error {
			_, err := db.RevokeSessions(ctx, id, false)
			return err
		}},
		{"user disabled", func(ctx context.Context, db *DB, id int64) error {
			_, err := db.UpdateUser(ctx, id, UserChange{Disabled: &disabled})
			return err
		}},
		{"password changed", func(ctx context.Context, db *DB, id int64) error {
			_, err := db.UpdateUser(ctx, id, UserChange{PasswordHash: &hash})
			return err
		}},
		{"signed out", func(ctx context.Context, db *DB, _ int64) error { return db.DeleteSession(ctx, "tok") }},
	}
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				u := addUser(t, db, "user"+strconv.Itoa(i)+"@example.org", "planner")
				exp := db.now().Add(time.Hour)
				_, err := db.exec(ctx, `DELETE FROM sessions`)
				assertNoError(t, err)
				assertNoError(t, db.InsertSession(ctx, "tok", []byte("signed in"), exp, u.ID))
				data, found, err := db.FindSession(ctx, "tok") // the request starts
				assertNoError(t, err)
				if !found {
					t.Fatal("session not found")
				}
				assertNoError(t, tc.end(ctx, db, u.ID))
				// The request ends and saves its session: changed data and a
				// later expiry, so that it is not skipped as unchanged.
				updated, err := db.UpdateSession(ctx, "tok", append(data, '!'), exp.Add(time.Hour), u.ID)
				assertNoError(t, err)
				if updated {
					t.Error("UpdateSession reports a revoked session updated")
				}
				if _, found, _ := db.FindSession(ctx, "tok"); found {
					t.Fatal("the revoked session is back")
				}
			})
		}
	})
}

// TestRevocationsRevokeTokens: ending a user's sessions with tokens, a
// new password with RevokeTokens and disabling the user revoke the user's
// live API tokens, each audited; without the option tokens stay.
func TestRevocationsRevokeTokens(t *testing.T) {
	hash, err := HashPassword("password", "a new password here", 4)
	assertNoError(t, err)
	disabled := true
	cases := []struct {
		name  string
		act   func(ctx context.Context, db *DB, id int64) error
		alive bool
	}{
		{"sessions ended", func(ctx context.Context, db *DB, id int64) error {
			_, err := db.RevokeSessions(ctx, id, false)
			return err
		}, true},
		{"sessions and tokens ended", func(ctx context.Context, db *DB, id int64) error {
			_, err := db.RevokeSessions(ctx, id, true)
			return err
		}, false},
		{"new password", func(ctx context.Context, db *DB, id int64) error {
			_, err := db.UpdateUser(ctx, id, UserChange{PasswordHash: &hash})
			return err
		}, true},
		{"new password, tokens revoked", func(ctx context.Context, db *DB, id int64) error {
			_, err := db.UpdateUser(ctx, id, UserChange{PasswordHash: &hash, RevokeTokens: true})
			return err
		}, false},
		{"disabled", func(ctx context.Context, db *DB, id int64) error {
			_, err := db.UpdateUser(ctx, id, UserChange{Disabled: &disabled})
			return err
		}, false},
	}
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				u := addUser(t, db, "user"+strconv.Itoa(i)+"@example.org", "planner")
				_, secret, err := db.CreateToken(ctx, u.ID, "phone")
				assertNoError(t, err)
				assertNoError(t, tc.act(ctx, db, u.ID))
				toks, err := db.ListTokens(ctx, u.ID)
				assertNoError(t, err)
				if alive := toks[0].RevokedAt == nil; alive != tc.alive {
					t.Errorf("token alive = %v, want %v", alive, tc.alive)
				}
				if tc.alive {
					return
				}
				if _, _, err := db.AuthenticateToken(ctx, secret); err == nil {
					t.Error("a revoked token still authenticates")
				}
				p, err := db.ListAudit(ctx, AuditFilter{Action: AuditRevoke, Entity: "token"})
				assertNoError(t, err)
				if p.Total == 0 || p.Items[0].EntityID != strconv.FormatInt(toks[0].ID, 10) {
					t.Errorf("token revocation not audited: %+v", p.Items)
				}
			})
		}
	})
}
