package store

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/account"
)

func TestFieldUserPlaces(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		hash := testHash(t, "correct horse")

		_, err := db.CreateUser(ctx, NewUser{Email: "nowhere@example.org", Role: "field", PasswordHash: hash})
		wantFields(t, err, "states")
		_, err = db.CreateUser(ctx, NewUser{Email: "bad@example.org", Role: "field", PasswordHash: hash,
			Places: account.Places{States: []string{"Jalisco"}, Cities: []string{"G D L"}}})
		wantFields(t, err, "states[0]", "cities[0]")
		_, err = db.CreateUser(ctx, NewUser{Email: "viewer@example.org", Role: "viewer", PasswordHash: hash,
			Places: account.Places{Cities: []string{"GDL"}}})
		wantFields(t, err, "states")

		u, err := db.CreateUser(ctx, NewUser{Email: "campo@example.org", Role: "field", PasswordHash: hash,
			Places: account.Places{States: []string{" mx-jal", "MX-JAL"}, Cities: []string{"MTY"}}})
		assertNoError(t, err)
		want := account.Places{States: []string{"MX-JAL"}, Cities: []string{"MTY"}}
		checkPlaces(t, db, u.ID, &want)
		users, err := db.ListUsers(ctx)
		assertNoError(t, err)
		for _, lu := range users {
			if lu.ID == u.ID && (lu.Places == nil || !slices.Equal(lu.Places.States, want.States)) {
				t.Errorf("ListUsers places %+v, want %+v", lu.Places, want)
			}
		}

		// New places replace the old ones, in one audited write.
		next := account.Places{Cities: []string{"GDL", "ZAP"}}
		_, err = db.UpdateUser(ctx, u.ID, UserChange{Places: &next})
		assertNoError(t, err)
		checkPlaces(t, db, u.ID, &account.Places{States: []string{}, Cities: []string{"GDL", "ZAP"}})
		page, err := db.ListAudit(ctx, AuditFilter{Entity: "user", Limit: 10})
		assertNoError(t, err)
		if len(page.Items) == 0 || page.Items[0].Action != AuditUpdate || !strings.Contains(page.Items[0].After, "GDL,ZAP") {
			t.Errorf("latest audit row %+v, want the update naming the new cities", page.Items)
		}

		// Emptying the places of a field account is refused and changes nothing.
		_, err = db.UpdateUser(ctx, u.ID, UserChange{Places: &account.Places{}})
		wantFields(t, err, "states")
		checkPlaces(t, db, u.ID, &account.Places{States: []string{}, Cities: []string{"GDL", "ZAP"}})

		// Another role sees everything: its places go.
		viewer := "viewer"
		_, err = db.UpdateUser(ctx, u.ID, UserChange{Role: &viewer})
		assertNoError(t, err)
		checkPlaces(t, db, u.ID, nil)
		// Becoming field again needs places.
		field := "field"
		_, err = db.UpdateUser(ctx, u.ID, UserChange{Role: &field})
		wantFields(t, err, "states")
		_, err = db.UpdateUser(ctx, u.ID, UserChange{Role: &field, Places: &want})
		assertNoError(t, err)
		checkPlaces(t, db, u.ID, &want)
	})
}

func checkPlaces(t *testing.T, db *DB, id int64, want *account.Places) {
	t.Helper()
	got, err := db.UserPlaces(context.Background(), id)
	assertNoError(t, err)
	if (got == nil) != (want == nil) || (got != nil && (!slices.Equal(got.States, want.States) || !slices.Equal(got.Cities, want.Cities))) {
		t.Errorf("places %+v, want %+v", got, want)
	}
}

func wantFields(t *testing.T, err error, paths ...string) {
	t.Helper()
	wantCode(t, err, planner.EInvalid)
	var got []string
	for _, f := range planner.ErrorFields(err) {
		got = append(got, f.Path)
	}
	if !slices.Equal(got, paths) {
		t.Errorf("error fields %v, want %v (%v)", got, paths, err)
	}
}
