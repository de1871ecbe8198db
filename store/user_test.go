package store

import (
	"context"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/reparto/reparto/planner"
)

// testHash hashes a password at bcrypt's minimum cost, to keep tests fast.
func testHash(t *testing.T, password string) string {
	t.Helper()
	h, err := HashPassword("password", password, bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// addUser creates an account with password "correct horse".
func addUser(t *testing.T, db *DB, email, role string) User {
	t.Helper()
	u, err := db.CreateUser(context.Background(), NewUser{Email: email, Role: role, PasswordHash: testHash(t, "correct horse")})
	assertNoError(t, err)
	return u
}

func TestCreateUserAndLookUpCaseInsensitively(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := addUser(t, db, "  Ana.Lopez@Example.ORG ", "planner")
		if u.Email != "ana.lopez@example.org" || u.ID == 0 || u.Role != "planner" || u.Disabled {
			t.Fatalf("created %+v", u)
		}
		got, err := db.GetUserByEmail(ctx, "ANA.LOPEZ@example.org")
		assertNoError(t, err)
		if got.ID != u.ID || !got.CreatedAt.Equal(db.now()) {
			t.Errorf("got %+v, want id %d created at %v", got, u.ID, db.now())
		}
		if !got.CheckPassword("correct horse") || got.CheckPassword("Correct horse") {
			t.Error("CheckPassword accepts the wrong password or rejects the right one")
		}
		_, err = db.CreateUser(ctx, NewUser{Email: "ana.lopez@EXAMPLE.org", Role: "viewer", PasswordHash: testHash(t, "another password")})
		wantCode(t, err, planner.EConflict)
		_, err = db.GetUserByEmail(ctx, "nobody@example.org")
		wantCode(t, err, planner.ENotFound)
	})
}

func TestCreateUserNamesInvalidFields(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		_, err := db.CreateUser(context.Background(), NewUser{Email: "not an email", Role: "boss", PasswordHash: "x"})
		wantCode(t, err, planner.EInvalid)
		got := map[string]bool{}
		for _, f := range planner.ErrorFields(err) {
			got[f.Path] = true
		}
		if !got["email"] || !got["role"] || len(got) != 2 {
			t.Errorf("fields = %v, want email and role", planner.ErrorFields(err))
		}
	})
}

func TestHashPasswordPolicy(t *testing.T) {
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{"123456789", false}, // 9 characters
		{"kq7-vZ2pLm", true}, // 10 characters (1234567890 is refused as common: password.go)
		{"1234567890", false},
		{"ñandú ñandú", true},
		{string(make([]byte, 73)), false},
	} {
		_, err := HashPassword("new_password", tc.pw, bcrypt.MinCost)
		if (err == nil) != tc.ok {
			t.Errorf("HashPassword(%q) err = %v, want ok=%v", tc.pw, err, tc.ok)
		}
		if err != nil && planner.ErrorFields(err)[0].Path != "new_password" {
			t.Errorf("error names %v, want new_password", planner.ErrorFields(err))
		}
	}
}

func TestCreateFirstAdminOnlyOnEmptyDatabase(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		created, err := db.CreateFirstAdmin(ctx, "admin@reparto.local", testHash(t, "first password"))
		assertNoError(t, err)
		if !created {
			t.Fatal("first admin not created on an empty database")
		}
		u, err := db.GetUserByEmail(ctx, "admin@reparto.local")
		assertNoError(t, err)
		if u.Role != "admin" || !u.MustChangePassword {
			t.Errorf("first admin = %+v, want admin who must change the password", u)
		}
		created, err = db.CreateFirstAdmin(ctx, "other@reparto.local", testHash(t, "first password"))
		assertNoError(t, err)
		if created {
			t.Error("a second first admin was created")
		}
	})
}

func TestUpdateUserKeepsOneAdmin(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		admin := addUser(t, db, "admin@example.org", "admin")
		viewer := addUser(t, db, "viewer@example.org", "viewer")
		plannerRole, disabled := "planner", true
		_, err := db.UpdateUser(ctx, admin.ID, UserChange{Role: &plannerRole})
		wantCode(t, err, planner.EConflict)
		_, err = db.UpdateUser(ctx, admin.ID, UserChange{Disabled: &disabled})
		wantCode(t, err, planner.EConflict)

		adminRole := "admin"
		_, err = db.UpdateUser(ctx, viewer.ID, UserChange{Role: &adminRole})
		assertNoError(t, err)
		u, err := db.UpdateUser(ctx, admin.ID, UserChange{Disabled: &disabled})
		assertNoError(t, err)
		if !u.Disabled {
			t.Error("not disabled")
		}
		got, err := db.GetUser(ctx, admin.ID)
		assertNoError(t, err)
		if !got.Disabled || got.Role != "admin" {
			t.Errorf("stored %+v", got)
		}
		bad := "boss"
		_, err = db.UpdateUser(ctx, viewer.ID, UserChange{Role: &bad})
		wantCode(t, err, planner.EInvalid)
		_, err = db.UpdateUser(ctx, 999, UserChange{Disabled: &disabled})
		wantCode(t, err, planner.ENotFound)
	})
}

func TestUpdatePasswordAuditsWithoutHash(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := addUser(t, db, "ana@example.org", "viewer")
		h := testHash(t, "a new password")
		got, err := db.UpdateUser(ctx, u.ID, UserChange{PasswordHash: &h})
		assertNoError(t, err)
		stored, err := db.GetUser(ctx, u.ID)
		assertNoError(t, err)
		if !stored.CheckPassword("a new password") || stored.CheckPassword("correct horse") || got.MustChangePassword {
			t.Error("password not changed")
		}
		p, err := db.ListAudit(ctx, AuditFilter{Entity: "user", Action: AuditUpdate})
		assertNoError(t, err)
		if p.Total != 1 {
			t.Fatalf("%d update rows, want 1", p.Total)
		}
		if a := p.Items[0].After; a != `{"email":"ana@example.org","password":"changed"}` {
			t.Errorf("after = %s", a)
		}
	})
}

// TestHashPasswordAppliesRules: the account rules apply where hashes are
// made, so no caller can store a password the rules refuse.
func TestHashPasswordAppliesRules(t *testing.T) {
	tests := []struct {
		password string
		ok       bool
	}{
		{"correct horse battery staple", true},
		{"short", false},
		{"password2024!", false},
		{"abababababab", false},
	}
	for _, tt := range tests {
		if _, err := HashPassword("new_password", tt.password, 4); (err == nil) != tt.ok {
			t.Errorf("HashPassword(%q) = %v, want ok %v", tt.password, err, tt.ok)
		}
	}
}
