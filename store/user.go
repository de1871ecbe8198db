package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/account"
)

// DefaultPasswordCost is the bcrypt cost for production: about a quarter
// of a second per check, which makes offline guessing expensive. Tests
// pass bcrypt.MinCost to stay fast.
const DefaultPasswordCost = 12

// User is an account. The password hash stays inside the store: callers
// check a password with CheckPassword and never see the hash.
type User struct {
	ID                 int64     `json:"id"`
	Email              string    `json:"email"`
	Role               string    `json:"role"`
	Disabled           bool      `json:"disabled"`
	MustChangePassword bool      `json:"must_change_password"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
	// Places are a field account's states and cities; nil for the other
	// roles, which see every place.
	Places *account.Places `json:"places,omitempty"`

	passwordHash string
}

// CheckPassword reports whether password is the user's password.
func (u User) CheckPassword(password string) bool {
	return u.passwordHash != "" && CheckPasswordHash(u.passwordHash, password)
}

// PasswordStamp is a short fingerprint of the user's password hash, which
// changes with every new password (bcrypt salts each hash). A session
// keeps the stamp of the password it was signed in with, so a session
// written after a password change by a sign-in that checked the old
// password is refused at its first request.
func (u User) PasswordStamp() string {
	sum := sha256.Sum256([]byte(u.passwordHash))
	return hex.EncodeToString(sum[:8])
}

// CheckPasswordHash reports whether password matches a bcrypt hash from
// HashPassword; the login checks unknown accounts against a dummy hash
// with it, so that they cost as much time as known ones.
func CheckPasswordHash(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// auditView is what the audit log records of a user: never the hash.
func (u User) auditView() map[string]any {
	v := map[string]any{"email": u.Email, "role": u.Role, "disabled": u.Disabled}
	if u.Places != nil {
		v["states"], v["cities"] = strings.Join(u.Places.States, ","), strings.Join(u.Places.Cities, ",")
	}
	return v
}

type userRow struct {
	ID                 int64     `db:"id"`
	Email              string    `db:"email"`
	PasswordHash       string    `db:"password_hash"`
	Role               string    `db:"role"`
	Disabled           bool      `db:"disabled"`
	MustChangePassword bool      `db:"must_change_password"`
	CreatedAt          time.Time `db:"created_at"`
	UpdatedAt          time.Time `db:"updated_at"`
}

const userColumns = `id, email, password_hash, role, disabled, must_change_password, created_at, updated_at`

func (r userRow) toUser() User {
	return User{ID: r.ID, Email: r.Email, Role: r.Role, Disabled: r.Disabled,
		MustChangePassword: r.MustChangePassword, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		passwordHash: r.PasswordHash}
}

// normalizeEmail: see account.NormalizeEmail.
func normalizeEmail(s string) string { return account.NormalizeEmail(s) }

// HashPassword checks the password policy and returns its bcrypt hash.
// Errors: EInvalid naming field.
func HashPassword(field, password string, cost int) (string, error) {
	if err := account.CheckPasswordRules(field, password); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// GeneratePassword returns a random password of 20 URL-safe characters
// (120 bits), for accounts created without one.
func GeneratePassword() (string, error) {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// NewUser describes an account to create. PasswordHash comes from
// HashPassword.
type NewUser struct {
	Email              string
	Role               string
	PasswordHash       string
	MustChangePassword bool
	Places             account.Places // a field account's; none for the other roles
}

const insertUserSQL = `INSERT INTO users (email, password_hash, role, disabled, must_change_password,
	created_at, updated_at) VALUES (?, ?, ?, FALSE, ?, ?, ?) RETURNING id`

// CreateUser adds an account and audits it.
// Errors: EInvalid (email, role), EConflict (email taken).
func (db *DB) CreateUser(ctx context.Context, nu NewUser) (User, error) {
	var u User
	err := db.WithTx(ctx, func(tx *Tx) error {
		var err error
		u, err = db.createUser(ctx, tx, nu)
		return err
	})
	return u, err
}

func (db *DB) createUser(ctx context.Context, tx *Tx, nu NewUser) (User, error) {
	if err := errors.Join(account.ValidateEmail("email", nu.Email), account.ValidateRole("role", nu.Role),
		account.ValidatePlaces(account.Role(nu.Role), nu.Places)); err != nil {
		return User{}, joinInvalid(err)
	}
	if nu.PasswordHash == "" {
		return User{}, planner.Invalid(planner.Fieldf("password", planner.MsgRequired, "is required"))
	}
	now := db.now()
	u := User{Email: normalizeEmail(nu.Email), Role: nu.Role, MustChangePassword: nu.MustChangePassword,
		CreatedAt: now, UpdatedAt: now, passwordHash: nu.PasswordHash}
	err := tx.QueryRowxContext(ctx, tx.Rebind(insertUserSQL), u.Email, u.passwordHash, u.Role,
		u.MustChangePassword, now, now).Scan(&u.ID)
	if isUnique(err) {
		return User{}, conflict(planner.MsgEmailTaken, "a user with email %s already exists", u.Email)
	}
	if err != nil {
		return User{}, fmt.Errorf("insert user: %w", err)
	}
	if account.Role(u.Role).Scoped() {
		p := nu.Places.Normalize()
		u.Places = &p
		if err := writePlaces(ctx, tx, u.ID, p); err != nil {
			return User{}, err
		}
	}
	return u, db.Audit(ctx, tx, AuditEntry{Action: AuditCreate, Entity: "user",
		EntityID: fmt.Sprint(u.ID), After: u.auditView()})
}

// joinInvalid merges the field errors of several EInvalid errors.
func joinInvalid(err error) error {
	var fields []planner.FieldError
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		fields = append(fields, planner.ErrorFields(e)...)
	}
	return planner.Invalid(fields...)
}

// CreateFirstAdmin creates an admin account when there is no user at all
// (a fresh database) and reports whether it did. Two servers starting
// together cannot both create one: the loser sees the unique email.
func (db *DB) CreateFirstAdmin(ctx context.Context, email, passwordHash string) (bool, error) {
	created := false
	err := db.WithTx(ctx, func(tx *Tx) error {
		var n int64
		if err := tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM users`); err != nil {
			return fmt.Errorf("count users: %w", err)
		}
		if n > 0 {
			return nil
		}
		_, err := db.createUser(ctx, tx, NewUser{Email: email, Role: string(account.Admin),
			PasswordHash: passwordHash, MustChangePassword: true})
		created = err == nil
		return err
	})
	if planner.ErrorCode(err) == planner.EConflict {
		return false, nil
	}
	return created, err
}

// GetUser returns a user by id. Errors: ENotFound.
func (db *DB) GetUser(ctx context.Context, id int64) (User, error) {
	var r userRow
	if err := db.readGet(ctx, &r, `SELECT `+userColumns+` FROM users WHERE id = ?`, id); err != nil {
		return User{}, translate(orNotFound(err, thingUser, id))
	}
	u := r.toUser()
	var err error
	u.Places, err = userPlaces(ctx, db.read, u)
	return u, err
}

// GetUserByEmail returns a user by email, in any letter case.
// Errors: ENotFound.
func (db *DB) GetUserByEmail(ctx context.Context, email string) (User, error) {
	return db.getUser(ctx, db.read, "email = ?", normalizeEmail(email), normalizeEmail(email))
}

func (db *DB) getUser(ctx context.Context, q queryer, cond string, arg any, key any) (User, error) {
	var r userRow
	err := q.GetContext(ctx, &r, q.Rebind(`SELECT `+userColumns+` FROM users WHERE `+cond), arg)
	if err != nil {
		return User{}, translate(orNotFound(err, thingUser, key))
	}
	return r.toUser(), nil
}

// ListUsers returns every account ordered by email.
func (db *DB) ListUsers(ctx context.Context) ([]User, error) {
	var rows []userRow
	if err := db.read.SelectContext(ctx, &rows, `SELECT `+userColumns+` FROM users ORDER BY email`); err != nil {
		return nil, translate(fmt.Errorf("list users: %w", err))
	}
	var places []struct {
		UserID int64  `db:"user_id"`
		Kind   string `db:"kind"`
		Code   string `db:"code"`
	}
	if err := db.read.SelectContext(ctx, &places, `SELECT user_id, kind, code FROM user_places ORDER BY user_id, kind, code`); err != nil {
		return nil, translate(fmt.Errorf("list user places: %w", err))
	}
	byUser := map[int64]*account.Places{}
	for _, p := range places {
		up := byUser[p.UserID]
		if up == nil {
			up = &account.Places{States: []string{}, Cities: []string{}}
			byUser[p.UserID] = up
		}
		if p.Kind == "state" {
			up.States = append(up.States, p.Code)
		} else {
			up.Cities = append(up.Cities, p.Code)
		}
	}
	out := make([]User, len(rows))
	for i, r := range rows {
		out[i] = r.toUser()
		if account.Role(r.Role).Scoped() {
			out[i].Places = byUser[r.ID]
			if out[i].Places == nil {
				out[i].Places = &account.Places{States: []string{}, Cities: []string{}}
			}
		}
	}
	return out, nil
}

// CountUsers returns the number of accounts.
func (db *DB) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	if err := db.read.GetContext(ctx, &n, `SELECT COUNT(*) FROM users`); err != nil {
		return 0, translate(fmt.Errorf("count users: %w", err))
	}
	return n, nil
}

// UserChange is a change to an account; nil fields stay as they are.
type UserChange struct {
	Role     *string
	Disabled *bool
	// Places replaces a field account's places. Nil keeps them while the
	// account stays field and drops them when it becomes another role.
	Places *account.Places
	// PasswordHash sets a new password (from HashPassword);
	// MustChangePassword says whether the user must change it again.
	PasswordHash       *string
	MustChangePassword bool
	// RevokeTokens revokes the user's API tokens too (with a new
	// password, when the user asks; disabling a user always does).
	RevokeTokens bool
}

// UpdateUser applies ch to user id and audits it (a new password shows
// in the log as "password": "changed", never as a hash). Disabling a user
// or setting a password ends the user's sessions (a caller that keeps its
// own session renews it); disabling, or ch.RevokeTokens, also revokes the
// user's API tokens, so that enabling the account again does not bring
// an old token back. The last enabled admin can be neither demoted
// nor disabled, so the application always keeps an administrator.
// Errors: ENotFound, EInvalid (role), EConflict (last admin).
func (db *DB) UpdateUser(ctx context.Context, id int64, ch UserChange) (User, error) {
	if ch.Role != nil {
		if err := account.ValidateRole("role", *ch.Role); err != nil {
			return User{}, err
		}
	}
	var u User
	err := db.WithTx(ctx, func(tx *Tx) error {
		old, err := db.getUser(ctx, tx, "id = ?", id, id)
		if err != nil {
			return err
		}
		u = old
		if ch.Role != nil {
			u.Role = *ch.Role
		}
		if ch.Disabled != nil {
			u.Disabled = *ch.Disabled
		}
		if old.Places, err = userPlaces(ctx, tx, old); err != nil {
			return err
		}
		u.Places = nil
		if account.Role(u.Role).Scoped() {
			p := account.Places{}
			switch {
			case ch.Places != nil:
				p = *ch.Places
			case old.Places != nil:
				p = *old.Places
			}
			if err := account.ValidatePlaces(account.Role(u.Role), p); err != nil {
				return err
			}
			p = p.Normalize()
			u.Places = &p
		} else if ch.Places != nil && !ch.Places.Normalize().Empty() {
			return account.ValidatePlaces(account.Role(u.Role), *ch.Places)
		}
		if !samePlaces(old.Places, u.Places) {
			p := account.Places{}
			if u.Places != nil {
				p = *u.Places
			}
			if err := writePlaces(ctx, tx, id, p); err != nil {
				return err
			}
		}
		before, after := old.auditView(), map[string]any{}
		if ch.PasswordHash != nil {
			u.passwordHash, u.MustChangePassword = *ch.PasswordHash, ch.MustChangePassword
			after["password"] = "changed"
		}
		if old.Role == string(account.Admin) && !old.Disabled && (u.Role != string(account.Admin) || u.Disabled) {
			if err := refuseLastAdmin(ctx, tx, id); err != nil {
				return err
			}
		}
		u.UpdatedAt = db.now()
		_, err = tx.ExecContext(ctx, tx.Rebind(`UPDATE users SET role = ?, disabled = ?, password_hash = ?,
			must_change_password = ?, updated_at = ? WHERE id = ?`),
			u.Role, u.Disabled, u.passwordHash, u.MustChangePassword, u.UpdatedAt, id)
		if err != nil {
			return fmt.Errorf("update user %d: %w", id, err)
		}
		if (u.Disabled && !old.Disabled) || ch.PasswordHash != nil {
			if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM sessions WHERE user_id = ?`), id); err != nil {
				return fmt.Errorf("end sessions of user %d: %w", id, err)
			}
		}
		if (u.Disabled && !old.Disabled) || ch.RevokeTokens {
			if _, err := db.revokeUserTokens(ctx, tx, id); err != nil {
				return err
			}
		}
		for k, v := range u.auditView() {
			if before[k] != v {
				after[k] = v
			} else {
				delete(before, k)
			}
		}
		before["email"], after["email"] = u.Email, u.Email
		return db.Audit(ctx, tx, AuditEntry{Action: AuditUpdate, Entity: "user",
			EntityID: fmt.Sprint(id), Before: before, After: after})
	})
	return u, err
}

// UserPlaces returns the places of a field account, and nil for the other
// roles (they are not limited to places). Errors: ENotFound.
func (db *DB) UserPlaces(ctx context.Context, id int64) (*account.Places, error) {
	u, err := db.getUser(ctx, db.read, "id = ?", id, id)
	if err != nil {
		return nil, err
	}
	return userPlaces(ctx, db.read, u)
}

// userPlaces reads u's places when u is a field account.
func userPlaces(ctx context.Context, q queryer, u User) (*account.Places, error) {
	if !account.Role(u.Role).Scoped() {
		return nil, nil
	}
	var rows []struct {
		Kind string `db:"kind"`
		Code string `db:"code"`
	}
	if err := q.SelectContext(ctx, &rows, q.Rebind(`SELECT kind, code FROM user_places WHERE user_id = ? ORDER BY kind, code`), u.ID); err != nil {
		return nil, translate(fmt.Errorf("places of user %d: %w", u.ID, err))
	}
	p := account.Places{States: []string{}, Cities: []string{}}
	for _, r := range rows {
		if r.Kind == "state" {
			p.States = append(p.States, r.Code)
		} else {
			p.Cities = append(p.Cities, r.Code)
		}
	}
	return &p, nil
}

// writePlaces replaces the places of user id by p (normalized), inside tx.
func writePlaces(ctx context.Context, tx *Tx, id int64, p account.Places) error {
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM user_places WHERE user_id = ?`), id); err != nil {
		return fmt.Errorf("clear places of user %d: %w", id, err)
	}
	p = p.Normalize()
	for _, kp := range []struct {
		kind  string
		codes []string
	}{{"state", p.States}, {"city", p.Cities}} {
		for _, code := range kp.codes {
			if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO user_places (user_id, kind, code) VALUES (?, ?, ?)`),
				id, kp.kind, code); err != nil {
				return fmt.Errorf("place %s %s of user %d: %w", kp.kind, code, id, err)
			}
		}
	}
	return nil
}

func samePlaces(a, b *account.Places) bool {
	if a == nil || b == nil {
		return a == b
	}
	return slices.Equal(a.States, b.States) && slices.Equal(a.Cities, b.Cities)
}

func refuseLastAdmin(ctx context.Context, tx *Tx, id int64) error {
	var n int64
	err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM users
		WHERE role = 'admin' AND disabled = FALSE AND id <> ?`), id)
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	if n == 0 {
		return conflict(planner.MsgLastAdmin, "this is the last enabled administrator; make another user admin first")
	}
	return nil
}
