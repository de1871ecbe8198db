package store

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/reparto/reparto/planner"
)

func TestCreateDuplicateIsConflict(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		f := fixtureCampaign()
		tests := []struct {
			name string
			err  error
		}{
			{"material", db.CreateMaterial(ctx, id, f.Materials[0])},
			{"category", db.CreateCategory(ctx, id, f.Categories[0])},
			{"city", db.CreateCity(ctx, id, f.Cities[0])},
			{"venue count", db.CreateVenueCount(ctx, id, f.VenueCounts[0])},
			{"lock", db.CreateLock(ctx, id, f.Locks[0])},
			{"venue", db.CreateVenue(ctx, id, f.Venues[0])},
			{"venues", db.AddVenues(ctx, id, append(manyVenues(3), f.Venues[1]))},
			{"renamed material", db.UpdateMaterial(ctx, id, "L3-DEMAND", f.Materials[1])},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.err, planner.EConflict) })
		}
		if n := rowCounts(t, db)["venues"]; n != 2 {
			t.Errorf("venues = %d after refused imports, want 2", n)
		}
	})
}

// The driver's own unique and foreign-key errors are translated too, for
// writes that get past the checks in Go.
func TestDriverConstraintErrorsTranslated(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		dup := db.WithTx(ctx, func(tx *Tx) error {
			return insertMaterials(ctx, tx, id, fixtureCampaign().Materials[:1])
		})
		wantCode(t, dup, planner.EConflict)
		fk := db.WithTx(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM materials WHERE campaign_id = ? AND code = ?`), id, "L3-DEMAND")
			return err
		})
		wantCode(t, fk, planner.EConflict)
		missing := db.WithTx(ctx, func(tx *Tx) error {
			return insertLocks(ctx, tx, id, []planner.Lock{{Material: "NOPE", City: "TAP", Category: "NIGHTCLUB"}})
		})
		wantCode(t, missing, planner.EConflict)
	})
}

func TestDeleteReferencedIsRefused(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		tests := []struct {
			name string
			err  error
			says []string
		}{
			{"material", db.DeleteMaterial(ctx, id, "L3-DEMAND"), []string{`material "L3-DEMAND"`, "1 targeting rules", "1 locks"}},
			{"category", db.DeleteCategory(ctx, id, "NIGHTCLUB"), []string{"1 targeting rules", "1 venue counts", "1 venues", "1 locks"}},
			{"city", db.DeleteCity(ctx, id, "TAP"), []string{`city "TAP"`, "1 venue counts", "1 venues", "1 locks"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantCode(t, tt.err, planner.EConflict)
				for _, s := range tt.says {
					if !strings.Contains(tt.err.Error(), s) {
						t.Errorf("message %q does not say %q", tt.err, s)
					}
				}
			})
		}
		// Remove what refers to L3-DEMAND, then it can go.
		assertNoError(t, db.DeleteLock(ctx, id, LockKey{"L3-DEMAND", "TAP", "NIGHTCLUB"}))
		assertNoError(t, db.SetTargeting(ctx, id, fixtureCampaign().Targeting[1:]))
		assertNoError(t, db.DeleteMaterial(ctx, id, "L3-DEMAND"))
		assertNoError(t, db.DeleteCity(ctx, id, "MEX")) // nothing refers to it
		c, err := db.GetCampaign(ctx, id)
		assertNoError(t, err)
		if len(c.Materials) != 1 || len(c.Cities) != 1 || len(c.Locks) != 0 || c.Version != 5 {
			t.Errorf("after deletes: %d materials, %d cities, %d locks, version %d; want 1, 1, 0, 5",
				len(c.Materials), len(c.Cities), len(c.Locks), c.Version)
		}
	})
}

func TestEntityNotFound(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		f := fixtureCampaign()
		_, errGetM := db.GetMaterial(ctx, id, "NOPE")
		_, errGetV := db.GetVenue(ctx, id, "NOPE")
		for name, err := range map[string]error{
			"get material":    errGetM,
			"get venue":       errGetV,
			"update material": db.UpdateMaterial(ctx, id, "NOPE", f.Materials[0]),
			"update city":     db.UpdateCity(ctx, id, "NOPE", f.Cities[0]),
			"update category": db.UpdateCategory(ctx, id, "NOPE", f.Categories[0]),
			"update count":    db.UpdateVenueCount(ctx, id, "MEX", "NIGHTCLUB", f.VenueCounts[0]),
			"update lock":     db.UpdateLock(ctx, id, LockKey{"P1-POSTER", "TAP", "SHELTER"}, f.Locks[0]),
			"update venue":    db.UpdateVenue(ctx, id, "NOPE", planner.Venue{ID: "NOPE", Name: "x", Category: "SHELTER"}),
			"delete material": db.DeleteMaterial(ctx, id, "NOPE"),
			"delete city":     db.DeleteCity(ctx, id, "NOPE"),
			"delete category": db.DeleteCategory(ctx, id, "NOPE"),
			"delete count":    db.DeleteVenueCount(ctx, id, "MEX", "NIGHTCLUB"),
			"delete lock":     db.DeleteLock(ctx, id, LockKey{"P1-POSTER", "TAP", "SHELTER"}),
			"delete venue":    db.DeleteVenue(ctx, id, "NOPE"),
		} {
			t.Run(name, func(t *testing.T) { wantCode(t, err, planner.ENotFound) })
		}
	})
}

// Renaming a code carries its references along (ON UPDATE CASCADE), and
// every edit is validated against the whole campaign.
func TestUpdatesRenameAndValidate(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		f := fixtureCampaign()
		m := f.Materials[0]
		m.Code = "L4-DEMAND"
		assertNoError(t, db.UpdateMaterial(ctx, id, "L3-DEMAND", m))
		k := f.Cities[1]
		k.Code = "TAPACHULA"
		assertNoError(t, db.UpdateCity(ctx, id, "TAP", k))
		v := f.Categories[0]
		v.Code, v.Name = "CLUB", "Clubes"
		assertNoError(t, db.UpdateCategory(ctx, id, "NIGHTCLUB", v))

		got, err := db.GetCampaign(ctx, id)
		assertNoError(t, err)
		want := planner.Lock{Material: "L4-DEMAND", City: "TAPACHULA", Category: "CLUB", Pieces: 10000}
		if !reflect.DeepEqual(got.Locks, []planner.Lock{want}) {
			t.Errorf("locks = %+v, want %+v", got.Locks, want)
		}
		if got.Targeting[0] != (planner.TargetingRule{Material: "L4-DEMAND", Category: "CLUB", PerVenue: 200}) {
			t.Errorf("targeting = %+v", got.Targeting)
		}
		if got.Venues[0].City != "TAPACHULA" || got.Venues[1].Category != "CLUB" {
			t.Errorf("venues = %+v", got.Venues)
		}

		before := rowCounts(t, db)
		m.PackSize = 300 // the lock of 10000 pieces is no longer whole packs
		err = db.UpdateMaterial(ctx, id, "L4-DEMAND", m)
		wantCode(t, err, planner.EInvalid)
		if fs := planner.ErrorFields(err); len(fs) == 0 || fs[0].Path != "locks[0].pieces" {
			t.Errorf("fields = %v, want locks[0].pieces first", fs)
		}
		bad := f.Venues[1]
		bad.ID, bad.City = "v-9", "NOWHERE"
		wantCode(t, db.CreateVenue(ctx, id, bad), planner.EInvalid)
		wantCode(t, db.SetTargeting(ctx, id, []planner.TargetingRule{{Material: "NOPE", Category: "CLUB"}}), planner.EInvalid)
		after, err := db.GetCampaign(ctx, id)
		assertNoError(t, err)
		if !reflect.DeepEqual(rowCounts(t, db), before) || after.Materials[0].PackSize != 100 || after.Version != got.Version {
			t.Errorf("a refused edit changed the campaign")
		}
	})
}

func TestEntityCreateUpdateDelete(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		assertNoError(t, db.CreateVenueCount(ctx, id, planner.VenueCount{City: "MEX", Category: "SHELTER", Count: 7}))
		assertNoError(t, db.UpdateVenueCount(ctx, id, "MEX", "SHELTER", planner.VenueCount{City: "MEX", Category: "SHELTER", Count: 9}))
		assertNoError(t, db.CreateLock(ctx, id, planner.Lock{Material: "P1-POSTER", City: "MEX", Category: "SHELTER", Pieces: 30}))
		assertNoError(t, db.UpdateLock(ctx, id, LockKey{"P1-POSTER", "MEX", "SHELTER"},
			planner.Lock{Material: "P1-POSTER", City: "TAP", Category: "SHELTER", Pieces: 40}))
		v := planner.Venue{ID: "v-000003", Name: "Casa", Category: "SHELTER", Lat: 19.4, Lon: -99.1}
		assertNoError(t, db.CreateVenue(ctx, id, v))
		v.City, v.ID = "MEX", "v-000004"
		assertNoError(t, db.UpdateVenue(ctx, id, "v-000003", v))
		got, err := db.GetVenue(ctx, id, "v-000004")
		assertNoError(t, err)
		v.Confidential = true // SHELTER is sensitive: always stored confidential
		if got != v {
			t.Errorf("venue = %+v, want %+v", got, v)
		}
		assertNoError(t, db.DeleteVenue(ctx, id, "v-000004"))
		assertNoError(t, db.DeleteVenueCount(ctx, id, "MEX", "SHELTER"))

		c, err := db.GetCampaign(ctx, id)
		assertNoError(t, err)
		wantLocks := []planner.Lock{fixtureCampaign().Locks[0], {Material: "P1-POSTER", City: "TAP", Category: "SHELTER", Pieces: 40}}
		if !reflect.DeepEqual(c.Locks, wantLocks) {
			t.Errorf("locks = %+v, want %+v", c.Locks, wantLocks)
		}
		if len(c.VenueCounts) != 1 || len(c.Venues) != 2 || c.Version != 9 { // created at 1, then 8 edits
			t.Errorf("%d counts, %d venues, version %d; want 1, 2, 9", len(c.VenueCounts), len(c.Venues), c.Version)
		}
	})
}
