package store

import (
	"context"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/planner"
)

// TestAddressesRoundTrip: the depot's and the cities' addresses (printed
// on waybills) survive every path a campaign is written and read by:
// create, header update, city update and list, re-import and copy.
func TestAddressesRoundTrip(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		c := fixtureCampaign()
		c.Depot.Address = "Av. Central 1, Tlalpan"
		c.Cities[0].Address = "Oficina estatal, calle 5 nº 12"
		id, err := db.CreateCampaign(ctx, c)
		assertNoError(t, err)
		got, err := db.GetCampaign(ctx, id)
		assertNoError(t, err)
		c.ID, c.Version = id, 1
		if !reflect.DeepEqual(got, c) {
			t.Fatalf("create round trip:\n got %+v\nwant %+v", got, c)
		}

		h := *got
		h.Depot.Address = "Bodega 2 — Iztapalapa"
		assertNoError(t, db.UpdateCampaign(ctx, id, &h))
		k := got.Cities[1]
		k.Address = "Recepción, planta baja"
		assertNoError(t, db.UpdateCity(ctx, id, k.Code, k))
		page, err := db.ListCities(ctx, id, CityFilter{Query: k.Code})
		assertNoError(t, err)
		if len(page.Items) != 1 || page.Items[0].Address != k.Address {
			t.Fatalf("listed cities %+v, want %q's address %q", page.Items, k.Code, k.Address)
		}
		got, err = db.GetCampaign(ctx, id)
		assertNoError(t, err)
		if got.Depot.Address != h.Depot.Address || got.Cities[1].Address != k.Address || got.Cities[0].Address != c.Cities[0].Address {
			t.Fatalf("after the updates: depot %q, cities %q %q", got.Depot.Address, got.Cities[0].Address, got.Cities[1].Address)
		}

		got.Cities[0].Address = ""
		assertNoError(t, db.ReplaceCampaign(ctx, id, got))
		copyID, err := db.CopyCampaign(ctx, id, CampaignCopy{Name: "Copia", Start: got.Start, Deadline: got.Deadline})
		assertNoError(t, err)
		cp, err := db.GetCampaign(ctx, copyID)
		assertNoError(t, err)
		if cp.Depot.Address != h.Depot.Address || cp.Cities[0].Address != "" || cp.Cities[1].Address != k.Address {
			t.Fatalf("the copy: depot %q, cities %q %q", cp.Depot.Address, cp.Cities[0].Address, cp.Cities[1].Address)
		}
	})
}

// TestAddressesInvalidChangeNothing: an address over the bound is refused
// at its path and the stored city keeps its old one.
func TestAddressesInvalidChangeNothing(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		k := fixtureCampaign().Cities[0]
		k.Address = strings.Repeat("x", planner.MaxTextLen+1)
		err := db.UpdateCity(ctx, id, k.Code, k)
		wantCode(t, err, planner.EInvalid)
		if fe := planner.ErrorFields(err); len(fe) != 1 || fe[0].Path != "cities[0].address" {
			t.Errorf("errors %+v, want one at cities[0].address", fe)
		}
		c, err := db.GetCampaign(ctx, id)
		assertNoError(t, err)
		if c.Cities[0].Address != "" {
			t.Errorf("address stored %q after a refused update", c.Cities[0].Address)
		}
	})
}

// TestAddressMigrationKeepsCampaigns: 00014 adds the columns, empty, to
// campaigns stored before it, and its Down removes them again.
func TestAddressMigrationKeepsCampaigns(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	first := openMigrated(t, path)
	id := createFixture(t, first)
	// The write pool's one connection stays pinned by the store's writes:
	// goose steps down on a store of its own, opened after this one closes.
	assertNoError(t, first.Close())
	down, err := Open(ctx, path)
	assertNoError(t, err)
	fsys, err := fs.Sub(assets.FS, "migrations/sqlite")
	assertNoError(t, err)
	p, err := goose.NewProvider(goose.DialectSQLite3, down.w.DB, fsys)
	assertNoError(t, err)
	if _, err := p.DownTo(ctx, 13); err != nil {
		t.Fatalf("down to 13: %v", err)
	}
	assertNoError(t, down.Close())
	db := openMigrated(t, path)
	got, err := db.GetCampaign(ctx, id)
	assertNoError(t, err)
	want := fixtureCampaign()
	want.ID, want.Version = id, 1
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after down and up:\n got %+v\nwant %+v", got, want)
	}
}
