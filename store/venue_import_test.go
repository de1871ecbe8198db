package store

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/reparto/reparto/planner"
)

// importFile is a venue file as rows: two without an id and one with.
func importFile() []planner.Venue {
	return []planner.Venue{
		{Name: "Bar Uno", Category: "NIGHTCLUB", Lat: 14.91, Lon: -92.26},
		{Name: "Bar Dos", Category: "NIGHTCLUB", Lat: 14.92, Lon: -92.26, Address: "Calle 2"},
		{ID: "ext-7", Name: "Albergue Sur", Category: "SHELTER", Lat: 14.90, Lon: -92.25, City: "TAP"},
	}
}

func listedVenueIDs(t *testing.T, db *DB, id int64) []string {
	t.Helper()
	page, err := db.ListVenues(context.Background(), id, VenueFilter{})
	assertNoError(t, err)
	out := make([]string, len(page.Items))
	for i, v := range page.Items {
		out[i] = v.ID
	}
	return out
}

func TestImportVenuesUpsertsByID(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		first, err := db.ImportVenues(ctx, id, "a.csv", importFile())
		assertNoError(t, err)
		if first.Created != 3 || first.Changed != 0 || first.Unchanged != 0 {
			t.Fatalf("first import %+v, want 3 created", first)
		}
		before := listedVenueIDs(t, db, id)
		tests := []struct {
			name                        string
			rows                        []planner.Venue
			created, changed, unchanged int
		}{
			{"same file again", importFile(), 0, 0, 3},
			{"one address and one id row changed", func() []planner.Venue {
				vs := importFile()
				vs[0].Address = "Calle 1"
				vs[2].Name = "Albergue Sur (nuevo)"
				return vs
			}(), 0, 2, 1},
		}
		for _, tt := range tests {
			d, err := db.DiffVenueImport(ctx, id, tt.rows)
			assertNoError(t, err)
			if len(d.New) != tt.created || len(d.Changed) != tt.changed || d.Unchanged != tt.unchanged {
				t.Fatalf("%s: preview %d new, %d changed, %d unchanged; want %d, %d, %d", tt.name,
					len(d.New), len(d.Changed), d.Unchanged, tt.created, tt.changed, tt.unchanged)
			}
			got, err := db.ImportVenues(ctx, id, "b.csv", tt.rows)
			assertNoError(t, err)
			if got.Created != tt.created || got.Changed != tt.changed || got.Unchanged != tt.unchanged {
				t.Fatalf("%s: import %+v", tt.name, got)
			}
			if after := listedVenueIDs(t, db, id); !slices.Equal(after, before) {
				t.Fatalf("%s: venues %v, want %v (nothing doubled)", tt.name, after, before)
			}
		}
		v, err := db.GetVenue(ctx, id, "imp-1")
		assertNoError(t, err)
		if v.Address != "Calle 1" {
			t.Fatalf("imp-1 = %+v, want the new address", v)
		}
	})
}

func TestUndoVenueImport(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		_, err := db.ImportVenues(ctx, id, "a.csv", importFile())
		assertNoError(t, err)
		// The second import changes Bar Uno, adds Bar Tres; Bar Dos is then
		// edited by hand, so undo must leave it alone.
		vs := append(importFile(), planner.Venue{Name: "Bar Tres", Category: "NIGHTCLUB", Lat: 14.93, Lon: -92.26})
		vs[0].Address = "Calle 1"
		vs[1].Address = "Calle 22"
		second, err := db.ImportVenues(ctx, id, "b.csv", vs)
		assertNoError(t, err)
		if second.Created != 1 || second.Changed != 2 {
			t.Fatalf("second import %+v", second)
		}
		edited, err := db.GetVenue(ctx, id, "imp-2")
		assertNoError(t, err)
		edited.Name = "Bar Dos (editado)"
		assertNoError(t, db.UpdateVenue(ctx, id, "imp-2", edited))

		preview, err := db.PreviewUndoVenueImport(ctx, id, second.ID)
		assertNoError(t, err)
		u, err := db.UndoVenueImport(ctx, id, second.ID)
		assertNoError(t, err)
		for _, got := range []VenueUndo{preview, u} {
			if fmt.Sprint(got.Delete, got.Restore, got.Kept) != "[imp-3] [imp-1] [imp-2]" {
				t.Fatalf("undo delete %v restore %v kept %v", got.Delete, got.Restore, got.Kept)
			}
		}
		if ids := listedVenueIDs(t, db, id); slices.Contains(ids, "imp-3") {
			t.Fatalf("imp-3 survived the undo: %v", ids)
		}
		if v, _ := db.GetVenue(ctx, id, "imp-1"); v.Address != "" {
			t.Fatalf("imp-1 not restored: %+v", v)
		}
		if v, _ := db.GetVenue(ctx, id, "imp-2"); v.Name != "Bar Dos (editado)" {
			t.Fatalf("the hand edit was undone: %+v", v)
		}
		_, err = db.UndoVenueImport(ctx, id, second.ID)
		wantCode(t, err, planner.EConflict)
		hist, err := db.ListVenueImports(ctx, id)
		assertNoError(t, err)
		if len(hist) != 2 || hist[0].ID != second.ID || hist[0].UndoneAt == nil || hist[1].UndoneAt != nil ||
			hist[0].FileName != "b.csv" || hist[0].Created != 1 {
			t.Fatalf("history %+v", hist)
		}
		var audits int64
		assertNoError(t, db.read.GetContext(ctx, &audits, db.read.Rebind(`SELECT COUNT(*) FROM audit_log
			WHERE entity = 'venue_import' AND action IN ('import', 'undo')`)))
		if audits != 3 {
			t.Fatalf("%d audit rows, want 3 (two imports, one undo)", audits)
		}
	})
}

func TestSensitiveCategoryVenuesAreConfidential(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		confidential := func(vid string) bool {
			t.Helper()
			v, err := db.GetVenue(ctx, id, vid)
			assertNoError(t, err)
			return v.Confidential
		}
		shelter := planner.Venue{ID: "s-1", Name: "Refugio", Category: "SHELTER", Lat: 14.9, Lon: -92.26}
		assertNoError(t, db.CreateVenue(ctx, id, shelter))
		assertNoError(t, db.AddVenues(ctx, id, []planner.Venue{{ID: "s-2", Name: "Refugio 2", Category: "SHELTER", Lat: 14.9, Lon: -92.26}}))
		_, err := db.ImportVenues(ctx, id, "x.csv", []planner.Venue{{ID: "s-3", Name: "Refugio 3", Category: "SHELTER", Lat: 14.9, Lon: -92.26}})
		assertNoError(t, err)
		club := planner.Venue{ID: "c-1", Name: "Club", Category: "NIGHTCLUB", Lat: 14.9, Lon: -92.26}
		assertNoError(t, db.CreateVenue(ctx, id, club))
		for _, vid := range []string{"s-1", "s-2", "s-3"} {
			if !confidential(vid) {
				t.Errorf("%s in a sensitive category stored public", vid)
			}
		}
		if confidential("c-1") {
			t.Error("c-1 became confidential")
		}
		// Moving a venue into the sensitive category hides it too.
		club.Category = "SHELTER"
		assertNoError(t, db.UpdateVenue(ctx, id, "c-1", club))
		if !confidential("c-1") {
			t.Error("c-1 moved into SHELTER stayed public")
		}
		// Turning "sensitive" off: the fixture's v-000001 was marked
		// confidential on its own and stays so; the others are revealed.
		n, err := db.CountRevealedVenues(ctx, id, "SHELTER")
		assertNoError(t, err)
		if n != 4 {
			t.Fatalf("%d venues would be revealed, want 4", n)
		}
		assertNoError(t, db.UpdateCategory(ctx, id, "SHELTER", planner.VenueCategory{Code: "SHELTER", Name: "Albergues"}))
		if !confidential("v-000001") || confidential("s-1") || confidential("c-1") {
			t.Error("turning sensitive off did not give each venue its own flag back")
		}
		assertNoError(t, db.UpdateCategory(ctx, id, "SHELTER", planner.VenueCategory{Code: "SHELTER", Name: "Albergues", Sensitive: true}))
		if !confidential("s-1") {
			t.Error("turning sensitive on left s-1 public")
		}
	})
}

func TestVenueListNaturalIDOrder(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		var vs []planner.Venue
		for _, vid := range []string{"imp-10", "imp-2", "imp-1", "a", "imp-", "imp-010", "b2", "b10"} {
			vs = append(vs, planner.Venue{ID: vid, Name: vid, Category: "NIGHTCLUB", Lat: 14.9, Lon: -92.26})
		}
		assertNoError(t, db.AddVenues(ctx, id, vs))
		want := []string{"a", "b2", "b10", "imp-", "imp-1", "imp-2", "imp-010", "imp-10", "v-000001", "v-000002"}
		if got := listedVenueIDs(t, db, id); !slices.Equal(got, want) {
			t.Fatalf("ids %v, want %v", got, want)
		}
		page, err := db.ListVenues(ctx, id, VenueFilter{ListOptions: ListOptions{Sort: "id", Desc: true, Limit: 3}})
		assertNoError(t, err)
		if got := []string{page.Items[0].ID, page.Items[1].ID, page.Items[2].ID}; !slices.Equal(got, []string{"v-000002", "v-000001", "imp-10"}) {
			t.Fatalf("descending %v", got)
		}
	})
}
