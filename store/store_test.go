package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store/storetest"
)

// The storage suite runs every test against SQLite (a temporary file) and,
// when REPARTO_TEST_DATABASE_URL names a PostgreSQL database, against it
// too, each test in its own scratch schema.
const postgresEnv = "REPARTO_TEST_DATABASE_URL"

func TestMain(m *testing.M) {
	if os.Getenv(postgresEnv) == "" {
		fmt.Fprintf(os.Stderr, "store: PostgreSQL tests SKIPPED: %s is not set (SQLite tests run)\n", postgresEnv)
	}
	os.Exit(m.Run())
}

// opener makes a fresh, migrated, empty database for one test.
type opener struct {
	name string
	open func(tb testing.TB) *DB
}

func openers() []opener {
	o := []opener{{SQLite, openTestSQLite}}
	if os.Getenv(postgresEnv) != "" {
		o = append(o, opener{Postgres, openTestPostgres})
	}
	return o
}

// eachDB runs fn as a subtest per database.
func eachDB(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	for _, o := range openers() {
		t.Run(o.name, func(t *testing.T) { fn(t, o.open(t)) })
	}
}

func openTestSQLite(tb testing.TB) *DB {
	tb.Helper()
	return openMigrated(tb, filepath.Join(tb.TempDir(), "reparto.db"))
}

// openTestPostgres opens a migrated scratch schema (storetest): search_path
// is a run-time parameter of every connection (lib/pq passes unknown URL
// parameters to the server) and the schema is dropped at cleanup.
func openTestPostgres(tb testing.TB) *DB {
	tb.Helper()
	return openMigrated(tb, storetest.ScratchPostgres(tb, "t").String())
}

func openMigrated(tb testing.TB, dsn string) *DB {
	tb.Helper()
	ctx := context.Background()
	db, err := Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return time.Date(2009, 3, 20, 9, 30, 0, 0, time.UTC) }
	if err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return db
}

// fixtureCampaign is a small valid campaign with every kind of row and
// every optional field both set and unset. Lists are already in the order
// GetCampaign returns them (by key, byte order).
func fixtureCampaign() *planner.Campaign {
	pop := int64(202672)
	grams := planner.MustDecimal("6.5")
	asOf := planner.NewDate(2009, time.March, 20)
	return &planner.Campaign{
		Name:     "Campaña nacional contra la trata 2009",
		Start:    planner.NewDate(2009, time.January, 12),
		Deadline: planner.NewDate(2009, time.March, 31),
		AsOf:     &asOf,
		Depot:    planner.Depot{Name: "CDMX", Lat: 19.4326, Lon: -99.1332},
		Dispatch: planner.Dispatch{BoxesPerDay: 400,
			WorkDays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
			Holidays: []planner.Date{planner.NewDate(2009, time.February, 2), planner.NewDate(2009, time.March, 16)}},
		Transport:             planner.Transport{RoadKmPerDay: 500, Circuity: 1.3, HandlingDays: 1},
		LocalDistributionDays: 5,
		Surplus:               planner.SurplusSpread,
		Materials: []planner.Material{
			{Code: "L3-DEMAND", Name: "Tríptico: la trata es un delito", Format: "leaflet", Audience: "demand",
				Printed: 900000, ReservePct: planner.MustDecimal("2.5"), PackSize: 100, PacksPerBox: 20, PieceGrams: &grams},
			{Code: "P1-POSTER", Name: "Cartel", Printed: 5000, PackSize: 10, PacksPerBox: 50},
		},
		Categories: []planner.VenueCategory{
			{Code: "NIGHTCLUB", Name: "Centros nocturnos", Group: "nightlife"},
			{Code: "SHELTER", Name: "Albergues", Group: "ngo", Sensitive: true},
		},
		Targeting: []planner.TargetingRule{
			{Material: "L3-DEMAND", Category: "NIGHTCLUB", PerVenue: 200},
			{Material: "P1-POSTER", Category: "SHELTER", PerVenue: 2},
		},
		Cities: []planner.City{
			{Code: "MEX", Name: "Ciudad de México", Lat: 19.4326, Lon: -99.1332, Priority: planner.DecimalInt(1), RadiusKm: 15},
			{Code: "TAP", Name: "Tapachula", State: "MX-CHP", Lat: 14.9039, Lon: -92.2575, Population: &pop,
				Priority: planner.MustDecimal("2.0"), RadiusKm: 15, Note: "border city"},
		},
		VenueCounts: []planner.VenueCount{{City: "TAP", Category: "NIGHTCLUB", Count: 40, Estimated: true}},
		Venues: []planner.Venue{
			{ID: "v-000001", Name: "Albergue Belén", Category: "SHELTER", Lat: 14.90, Lon: -92.26, City: "TAP",
				Address: "Calle 1", Confidential: true},
			{ID: "v-000002", Name: "Club Norte", Category: "NIGHTCLUB", Lat: 19.44, Lon: -99.13},
		},
		Locks: []planner.Lock{{Material: "L3-DEMAND", City: "TAP", Category: "NIGHTCLUB", Pieces: 10000}},
	}
}

// createFixture stores fixtureCampaign and returns its id.
func createFixture(t *testing.T, db *DB) int64 {
	t.Helper()
	id, err := db.CreateCampaign(context.Background(), fixtureCampaign())
	if err != nil {
		t.Fatalf("create fixture: %v", err)
	}
	return id
}

// venues builds n valid venues v-1000000.. of category NIGHTCLUB in TAP.
func manyVenues(n int) []planner.Venue {
	vs := make([]planner.Venue, n)
	for i := range vs {
		vs[i] = planner.Venue{ID: fmt.Sprintf("v-%07d", 1000000+i), Name: fmt.Sprintf("Local %d", i),
			Category: "NIGHTCLUB", Lat: 14.9 + float64(i%1000)/100000, Lon: -92.26, City: "TAP"}
	}
	return vs
}

// wantCode fails unless err carries the given planner code.
func wantCode(t *testing.T, err error, code planner.Code) {
	t.Helper()
	if got := planner.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}

// rowCounts counts the rows of every table, to show that a failed write
// changed nothing.
func rowCounts(t *testing.T, db *DB) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, tb := range []string{"campaigns", "materials", "venue_categories", "targeting", "cities",
		"venue_counts", "venues", "locks"} {
		var n int64
		if err := db.read.GetContext(context.Background(), &n, "SELECT COUNT(*) FROM "+tb); err != nil {
			t.Fatal(err)
		}
		out[tb] = n
	}
	return out
}

func assertNoError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		var pe *planner.Error
		if errors.As(err, &pe) && len(pe.Fields) > 0 {
			t.Fatalf("unexpected error: %v %v", err, pe.Fields)
		}
		t.Fatalf("unexpected error: %v", err)
	}
}
