package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/geo"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/registry"
)

var (
	registryStatesOnce sync.Once
	registryStates     *geo.StateIndex
)

func testRegistryImport(tb testing.TB) RegistryImport {
	tb.Helper()
	registryStatesOnce.Do(func() {
		f, err := assets.FS.Open(geo.StatesFile)
		if err != nil {
			panic(err)
		}
		defer f.Close()
		if registryStates, err = geo.LoadStates(f); err != nil {
			panic(err)
		}
	})
	return RegistryImport{Source: registry.SourceDENUE, FileName: "denue_inegi_07_.csv", States: registryStates}
}

// fixtureRules maps the DENUE fixture's bars and clubs to NIGHTCLUB and
// its shelter to SHELTER (the fixture campaign's categories).
var fixtureRules = []registry.Rule{
	{Source: registry.SourceDENUE, Activity: "722412", Category: "NIGHTCLUB"},
	{Source: registry.SourceDENUE, Activity: "722411", Category: "NIGHTCLUB"},
	{Source: registry.SourceDENUE, Activity: "624221", Category: "SHELTER"},
}

// denueFile is the registry package's DENUE fixture (Latin-1 bytes) with
// edit applied to its text; the edits are ASCII, so the bytes above 0x7F
// stay Latin-1.
func denueFile(t *testing.T, edit func(string) string) registry.Reader {
	t.Helper()
	data, err := os.ReadFile("../planner/registry/testdata/denue_inegi_07_.csv")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if edit != nil {
		text = edit(text)
	}
	r, err := registry.NewDENUEReader(strings.NewReader(text), "denue_inegi_07_.csv")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestImportRegistryReimportUpdates(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		assertNoError(t, db.SetRegistryRules(ctx, id, fixtureRules))
		opts := testRegistryImport(t)

		preview, err := db.ImportRegistry(DryRun(ctx), id, opts, denueFile(t, nil))
		assertNoError(t, err)
		// 1001 bar, 1002 and 1003 clubs, 1004 shelter; 1008-1010 and the
		// second 1001 are dropped, the rest unmapped.
		if preview.Created != 4 || preview.ID != 0 || preview.Summary.Read != 15 ||
			preview.Summary.Kept["NIGHTCLUB"] != 3 || preview.Summary.Dropped[registry.DropUnmapped] != 6 {
			t.Fatalf("preview %+v", preview)
		}
		if got := listedVenueIDs(t, db, id); len(got) != 2 {
			t.Fatalf("the preview wrote venues: %v", got)
		}

		first, err := db.ImportRegistry(ctx, id, opts, denueFile(t, nil))
		assertNoError(t, err)
		if first.Created != 4 || first.Changed != 0 || first.Unchanged != 0 || first.ID == 0 {
			t.Fatalf("first import %+v", first)
		}
		shelter, err := db.GetVenue(ctx, id, "denue-1004")
		assertNoError(t, err)
		if !shelter.Confidential || shelter.City != "TAP" {
			t.Errorf("shelter %+v", shelter)
		}

		// A venue renamed by hand is still the registry's row 1001.
		bar, err := db.GetVenue(ctx, id, "denue-1001")
		assertNoError(t, err)
		bar.ID = "bar-paso"
		assertNoError(t, db.UpdateVenue(ctx, id, "denue-1001", bar))

		tests := []struct {
			name                        string
			edit                        func(string) string
			created, changed, unchanged int
			missing                     int
		}{
			{"same file again", nil, 0, 0, 4, 0}, // the hand-renamed bar is unchanged: its id is not compared
			{"next year: one renamed", func(s string) string {
				return strings.Replace(s, "DISCO LA NOCHE", "DISCO LA NOCHE 2", 1)
			}, 0, 1, 3, 0},
			{"1003 gone, 1003x new, the renamed club back", func(s string) string {
				return strings.Replace(s, "1003,", "1003x,", 1)
			}, 1, 1, 2, 1},
			{"a new club, 1003 back and 1003x gone", func(s string) string {
				return strings.Replace(s, "1006,07089461110000000000000000,ABARROTES LA ESQUINA,,461110",
					"1020,07089461110000000000000000,CLUB NUEVO,,722411", 1)
			}, 1, 0, 4, 1},
		}
		for _, tt := range tests {
			res, err := db.ImportRegistry(ctx, id, opts, denueFile(t, tt.edit))
			assertNoError(t, err)
			if res.Created != tt.created || res.Changed != tt.changed || res.Unchanged != tt.unchanged ||
				res.Missing != tt.missing {
				t.Fatalf("%s: %d created, %d changed, %d unchanged, %d missing; want %d, %d, %d, %d", tt.name,
					res.Created, res.Changed, res.Unchanged, res.Missing, tt.created, tt.changed, tt.unchanged, tt.missing)
			}
		}
		ids := listedVenueIDs(t, db, id)
		slices.Sort(ids) // the natural order of "denue-1003x" differs between the databases
		if strings.Join(ids, " ") != "bar-paso denue-1002 denue-1003 denue-1003x denue-1004 denue-1020 v-000001 v-000002" {
			t.Errorf("venues %v", ids)
		}
		v, err := db.GetVenue(ctx, id, "denue-1020")
		assertNoError(t, err)
		if v.Name != "CLUB NUEVO" || v.Category != "NIGHTCLUB" {
			t.Errorf("new club %+v", v)
		}

		// The import is in the history and undoes like a venue CSV.
		imports, err := db.ListVenueImports(ctx, id)
		assertNoError(t, err)
		if len(imports) != 5 || imports[0].FileName != "denue_inegi_07_.csv" || imports[0].Created != 1 {
			t.Fatalf("history %+v", imports)
		}
		_, err = db.UndoVenueImport(ctx, id, imports[0].ID)
		assertNoError(t, err)
		if _, err := db.GetVenue(ctx, id, "denue-1020"); planner.ErrorCode(err) != planner.ENotFound {
			t.Errorf("undo left the new club: %v", err)
		}
	})
}

func TestImportRegistryDefaultRules(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		opts := testRegistryImport(t)
		opts.Default = fixtureRules[:1]
		res, err := db.ImportRegistry(DryRun(ctx), id, opts, denueFile(t, nil))
		assertNoError(t, err)
		if res.Created != 1 || res.Summary.Kept["NIGHTCLUB"] != 1 {
			t.Fatalf("with the default mapping: %+v", res)
		}
		rules, own, err := db.RegistryRules(ctx, id)
		assertNoError(t, err)
		if own || len(rules) != 0 {
			t.Fatalf("rules %v own %v before any were set", rules, own)
		}
	})
}

func TestSetRegistryRules(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		bad := append([]registry.Rule(nil), fixtureRules...)
		bad[1].Category = "BAR"
		err := db.SetRegistryRules(ctx, id, bad)
		wantCode(t, err, planner.EInvalid)
		if !strings.Contains(err.Error(), "rules[1].category") {
			t.Errorf("error %v does not name rules[1].category", err)
		}
		assertNoError(t, db.SetRegistryRules(ctx, id, fixtureRules))
		// Renaming a category carries its rules along.
		assertNoError(t, db.UpdateCategory(ctx, id, "NIGHTCLUB", planner.VenueCategory{Code: "CLUB", Name: "Clubs"}))
		rules, own, err := db.RegistryRules(ctx, id)
		assertNoError(t, err)
		if !own || len(rules) != 3 || rules[0].Category != "CLUB" || rules[2].Category != "SHELTER" {
			t.Fatalf("rules %+v own %v", rules, own)
		}
		assertNoError(t, db.SetRegistryRules(ctx, id, nil))
		if _, own, _ := db.RegistryRules(ctx, id); own {
			t.Error("an empty mapping did not go back to the default")
		}
	})
}

// TestImportRegistryBadFileChangesNothing: a row the reader cannot read,
// after rows already written in batches, refuses the whole file as
// invalid on "file" with its line, and the registry is as it was.
func TestImportRegistryBadFileChangesNothing(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		assertNoError(t, db.SetRegistryRules(ctx, id, fixtureRules))
		// 5,000 more bars (more than a batch, so some are written before
		// the bad row is read), then a row of four fields.
		broken := func(s string) string {
			lines := strings.SplitAfter(s, "\r\n")
			var b strings.Builder
			b.WriteString(s)
			for i := range 5000 {
				b.WriteString(strings.Replace(lines[1], "1001,", fmt.Sprintf("%d,", 20000+i), 1))
			}
			return b.String() + "9999,too,few,fields\r\n"
		}
		_, err := db.ImportRegistry(ctx, id, testRegistryImport(t), denueFile(t, broken))
		wantCode(t, err, planner.EInvalid)
		var pe *planner.Error
		if !errors.As(err, &pe) || pe.Fields[0].Path != "file" || pe.Fields[0].ID != planner.MsgRegistrySyntax ||
			pe.Fields[0].Args["B"] != 5017 {
			t.Fatalf("error %#v, want invalid file at line 5017 with %s", err, planner.MsgRegistrySyntax)
		}
		if got := listedVenueIDs(t, db, id); len(got) != 2 {
			t.Errorf("venues after a refused file: %v", got)
		}
		imports, err := db.ListVenueImports(ctx, id)
		assertNoError(t, err)
		if len(imports) != 0 {
			t.Errorf("a refused file is in the history: %+v", imports)
		}
	})
}

// TestUndoRegistryImportPacked: a registry import records the venues it
// creates as one item per batch (recordImportItems packNew); undo still
// deletes each created venue while it is as imported, keeps one edited
// or deleted since, and restores a venue a later import changed.
func TestUndoRegistryImportPacked(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		assertNoError(t, db.SetRegistryRules(ctx, id, fixtureRules))
		opts := testRegistryImport(t)
		first, err := db.ImportRegistry(ctx, id, opts, denueFile(t, nil))
		assertNoError(t, err)
		var items int
		assertNoError(t, db.read.GetContext(ctx, &items, db.read.Rebind(`SELECT COUNT(*) FROM venue_import_items WHERE import_id = ?`), first.ID))
		if first.Created != 4 || items != 1 {
			t.Fatalf("%d created in %d items, want 4 in 1", first.Created, items)
		}
		second, err := db.ImportRegistry(ctx, id, opts, denueFile(t, func(s string) string {
			return strings.Replace(s, "DISCO LA NOCHE", "DISCO LA NOCHE 2", 1)
		}))
		assertNoError(t, err)
		bar, err := db.GetVenue(ctx, id, "denue-1001")
		assertNoError(t, err)
		bar.Name = "BAR EL PASO (editado)"
		assertNoError(t, db.UpdateVenue(ctx, id, "denue-1001", bar))
		assertNoError(t, db.DeleteVenue(ctx, id, "denue-1003"))

		u, err := db.UndoVenueImport(ctx, id, second.ID)
		assertNoError(t, err)
		if strings.Join(u.Restore, " ") != "denue-1002" || len(u.Delete)+len(u.Kept) != 0 {
			t.Fatalf("undo of the re-import %+v", u)
		}
		u, err = db.UndoVenueImport(ctx, id, first.ID)
		assertNoError(t, err)
		if strings.Join(u.Delete, " ") != "denue-1002 denue-1004" || strings.Join(u.Kept, " ") != "denue-1001 denue-1003" {
			t.Fatalf("undo %+v", u)
		}
		if got := listedVenueIDs(t, db, id); strings.Join(got, " ") != "denue-1001 v-000001 v-000002" {
			t.Errorf("venues after undo %v", got)
		}
	})
}
