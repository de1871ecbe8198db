package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/planio"
)

// importChunkForTests makes ImportCampaignFile hand over and insert a few
// venues at a time, so that a small file takes many runs, on two
// goroutines, before the parse ends.
const importChunkForTests = 7

// demoFileText is the 2009 demo campaign file.
func demoFileText(t *testing.T) []byte {
	t.Helper()
	f, err := assets.FS.Open("data/campaign-2009.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// grownCampaign is fixtureCampaign with n more venues, a tenth of them
// shelters (a sensitive category) not marked confidential.
func grownCampaign(n int) *planner.Campaign {
	c := fixtureCampaign()
	vs := manyVenues(n)
	for i := range vs {
		if i%10 == 3 {
			vs[i].Category, vs[i].Confidential = "SHELTER", false
		}
	}
	c.Venues = append(c.Venues, vs...)
	return c
}

func marshalCampaign(t *testing.T, c *planner.Campaign) []byte {
	t.Helper()
	b, err := planio.MarshalCampaign(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// reorder writes the top-level keys of a campaign file in the order given
// first, then the others in their own order.
func reorder(t *testing.T, text []byte, first ...string) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(text, &m); err != nil {
		t.Fatal(err)
	}
	keys := append([]string{}, first...)
	for _, k := range []string{"campaign", "materials", "venue_categories", "targeting", "cities", "venue_counts", "venues", "locks"} {
		if _, ok := m[k]; ok && !strings.Contains(" "+strings.Join(first, " ")+" ", " "+k+" ") {
			keys = append(keys, k)
		}
	}
	var b bytes.Buffer
	b.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "%q: %s", k, m[k])
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// TestImportCampaignFileStoresAsCreate: whatever the order of the file's
// keys (the venues inserted while the file is read, or after), the
// stored campaign, the campaign returned and the audit entry are those of
// ParseCampaign and CreateCampaign.
func TestImportCampaignFileStoresAsCreate(t *testing.T) {
	base, err := os.ReadFile("../planner/testdata/base-campaign.json")
	if err != nil {
		t.Fatal(err)
	}
	grown := marshalCampaign(t, grownCampaign(300))
	files := []struct {
		name string
		text []byte
	}{
		{"demo", demoFileText(t)},
		{"base", base},
		{"grown", grown},
		{"venues first", reorder(t, grown, "venues")},
		{"cities after venues", reorder(t, grown, "campaign", "venue_categories", "venues")},
		{"header last", reorder(t, grown, "venue_categories", "cities", "venues")},
		{"materials and locks after venues", reorder(t, grown, "campaign", "venue_categories", "cities", "venue_counts", "venues")},
		{"targeting before materials", reorder(t, grown, "campaign", "venue_categories", "targeting", "cities", "venues", "materials")},
		{"locks before venues", reorder(t, grown, "campaign", "materials", "venue_categories", "cities", "locks", "venues")},
	}
	eachDB(t, func(t *testing.T, db *DB) {
		db.importChunk = importChunkForTests
		ctx := context.Background()
		events := watchImport(db)
		for _, f := range files {
			t.Run(f.name, func(t *testing.T) {
				defer func() {
					// The order planio writes has the venues stored while the file is read.
					if overlap := bytes.Equal(f.text, grown); events()["start"] != overlap && overlap {
						t.Errorf("the venues were not inserted while the file was read")
					}
				}()
				want, err := planio.ParseCampaign(bytes.NewReader(f.text))
				assertNoError(t, err)
				wantID, err := db.CreateCampaign(ctx, want)
				assertNoError(t, err)
				id, got, err := db.ImportCampaignFile(ctx, bytes.NewReader(f.text))
				assertNoError(t, err)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("returned campaign differs from ParseCampaign's")
				}
				stored, err := db.GetCampaign(ctx, id)
				assertNoError(t, err)
				wantStored, err := db.GetCampaign(ctx, wantID)
				assertNoError(t, err)
				stored.ID, wantStored.ID = 0, 0
				if !reflect.DeepEqual(stored, wantStored) {
					t.Errorf("stored campaign differs from CreateCampaign's:\n got %+v\nwant %+v", stored, wantStored)
				}
				sensitive := map[string]bool{}
				for _, k := range stored.Categories {
					sensitive[k.Code] = k.Sensitive
				}
				for _, v := range stored.Venues {
					if sensitive[v.Category] && !v.Confidential {
						t.Fatalf("venue %s of sensitive category %s stored public", v.ID, v.Category)
					}
				}
				if a, b := auditAfter(t, db, id), auditAfter(t, db, wantID); a != b {
					t.Errorf("audit entry %s, CreateCampaign's %s", a, b)
				}
			})
		}
	})
}

// watchImport records db's import events; the function returned gives
// those since its last call.
func watchImport(db *DB) func() map[string]bool {
	var mu sync.Mutex
	seen := map[string]bool{}
	db.importEvent = func(e string) {
		mu.Lock()
		defer mu.Unlock()
		seen[e] = true
	}
	return func() map[string]bool {
		mu.Lock()
		defer mu.Unlock()
		out := seen
		seen = map[string]bool{}
		return out
	}
}

// auditAfter is the After of the one audit entry of campaign id.
func auditAfter(t *testing.T, db *DB, id int64) string {
	t.Helper()
	p, err := db.ListAudit(context.Background(), AuditFilter{CampaignID: id, Entity: "campaign", Action: AuditCreate})
	assertNoError(t, err)
	if len(p.Items) != 1 {
		t.Fatalf("campaign %d: %d audit entries, want 1", id, len(p.Items))
	}
	return p.Items[0].After
}

// TestImportCampaignFileInvalid: an invalid file gives ParseCampaign's
// error, not the database's about the rows inserted meanwhile (a repeated
// venue id or category, an unknown category or city are refused by the
// database long before the end of the file), and stores nothing.
func TestImportCampaignFileInvalid(t *testing.T) {
	const n = 400
	edit := func(f func(c *planner.Campaign)) []byte {
		c := grownCampaign(n)
		f(c)
		return marshalCampaign(t, c)
	}
	last := len(grownCampaign(n).Venues) - 1
	grown := marshalCampaign(t, grownCampaign(n))
	lastLat := regexp.MustCompile(`"lat": [0-9.]+`)
	tests := []struct {
		name      string
		text      []byte
		dbRefuses bool // the database refuses an insert made before the parse ends
	}{
		{"repeated venue id", edit(func(c *planner.Campaign) { c.Venues[last].ID = c.Venues[2].ID }), true},
		{"venue of an unknown category", edit(func(c *planner.Campaign) { c.Venues[last].Category = "NOPE" }), true},
		{"venue in an unknown city", edit(func(c *planner.Campaign) { c.Venues[n/2].City = "NOPE" }), true},
		{"repeated category", edit(func(c *planner.Campaign) {
			c.Categories = append(c.Categories, c.Categories[0])
		}), true},
		{"lock of an unknown material", edit(func(c *planner.Campaign) {
			c.Locks = append(c.Locks, planner.Lock{Material: "NOPE", City: "TAP", Category: "NIGHTCLUB", Pieces: 1})
		}), false},
		{"bad value in the last venue", func() []byte {
			locs := lastLat.FindAllIndex(grown, -1)
			at := locs[len(locs)-1]
			return joined(grown[:at[0]], []byte(`"lat": "x"`), grown[at[1]:])
		}(), false},
		{"bad JSON at the very end", grown[:bytes.LastIndexByte(grown, '}')], false},
		{"trailing data", joined(grown, []byte("x")), false},
		{"repeated venues key", joined(grown[:bytes.LastIndexByte(grown, '}')], []byte(`, "venues": []}`)), false},
		{"repeated campaign key", joined(grown[:bytes.LastIndexByte(grown, '}')], []byte(`, "campaign": {}}`)), false},
	}
	eachDB(t, func(t *testing.T, db *DB) {
		db.importChunk = importChunkForTests
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				// The file is held after the venues until an insert
				// fails, so that it fails before the parse has ended.
				failed := make(chan struct{})
				var once sync.Once
				db.importEvent = func(e string) {
					if e == "insert failed" {
						once.Do(func() { close(failed) })
					}
				}
				defer func() {
					db.importEvent = nil
					select {
					case <-failed:
					default:
						if tt.dbRefuses {
							t.Errorf("no insert failed: the test shows nothing")
						}
					}
				}()
				r := &gatedReader{text: tt.text, at: bytes.LastIndex(tt.text, []byte(`"locks"`)), gate: failed}
				if !tt.dbRefuses {
					r.at = len(tt.text) + 1
				}
				_, want := planio.ParseCampaign(bytes.NewReader(tt.text))
				if want == nil {
					t.Fatal("the file is valid")
				}
				_, c, err := db.ImportCampaignFile(context.Background(), r)
				if !reflect.DeepEqual(err, want) {
					t.Errorf("error %v\nwant ParseCampaign's %v", err, want)
				}
				if c != nil {
					t.Error("a campaign was returned")
				}
				wantNothingStored(t, db)
			})
		}
	})
}

// gatedReader gives its text a little at a time and, from offset at on,
// only once gate is closed (or after hangGuard).
type gatedReader struct {
	text []byte
	off  int
	at   int
	gate <-chan struct{}
}

func (r *gatedReader) Read(p []byte) (int, error) {
	if r.off >= r.at && r.gate != nil {
		select {
		case <-r.gate:
		case <-time.After(hangGuard):
		}
		r.gate = nil
	}
	if r.off == len(r.text) {
		return 0, io.EOF
	}
	end := len(r.text)
	if r.off < r.at {
		end = min(end, r.at)
	}
	n := copy(p[:min(len(p), 512)], r.text[r.off:end])
	r.off += n
	return n, nil
}

func joined(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// TestImportCampaignFileDatabaseError: an insert that fails for a reason
// the file does not explain gives the database's error, wrapped, and
// stores nothing; the same failure in an invalid file gives the file's
// error.
func TestImportCampaignFileDatabaseError(t *testing.T) {
	c := grownCampaign(300)
	c.Venues[len(c.Venues)/2].ID = "boom"
	valid := marshalCampaign(t, c)
	c.Venues[len(c.Venues)-1].Lat = 91
	invalid := marshalCampaign(t, c)
	eachDB(t, func(t *testing.T, db *DB) {
		db.importChunk = importChunkForTests
		ctx := context.Background()
		trigger := []string{`CREATE TRIGGER boom BEFORE INSERT ON venues WHEN NEW.id = 'boom'
			BEGIN SELECT RAISE(ABORT, 'no boom here'); END`}
		if db.Dialect == Postgres {
			trigger = []string{`CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN
				IF NEW.id = 'boom' THEN RAISE EXCEPTION 'no boom here'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
				`CREATE TRIGGER boom BEFORE INSERT ON venues FOR EACH ROW EXECUTE FUNCTION boom()`}
		}
		err := db.WithTx(ctx, func(tx *Tx) error {
			for _, q := range trigger {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			return nil
		})
		assertNoError(t, err)

		_, _, err = db.ImportCampaignFile(ctx, bytes.NewReader(valid))
		if err == nil || !strings.Contains(err.Error(), "no boom here") || !strings.HasPrefix(err.Error(), "store campaign: ") {
			t.Errorf("valid file: error %v, want the database's, wrapped", err)
		}
		if planner.ErrorCode(err) == planner.EInvalid {
			t.Errorf("valid file: EInvalid: %v", err)
		}
		_, want := planio.ParseCampaign(bytes.NewReader(invalid))
		_, _, err = db.ImportCampaignFile(ctx, bytes.NewReader(invalid))
		if want == nil || !reflect.DeepEqual(err, want) {
			t.Errorf("invalid file: error %v, want ParseCampaign's %v", err, want)
		}
		wantNothingStored(t, db)
	})
}

// cancellingReader gives its text a little at a time and cancels after at
// bytes.
type cancellingReader struct {
	text   []byte
	off    int
	at     int
	cancel func()
}

func (r *cancellingReader) Read(p []byte) (int, error) {
	if r.off >= r.at {
		r.cancel()
	}
	if r.off == len(r.text) {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), 512)], r.text[r.off:])
	r.off += n
	return n, nil
}

// TestImportCampaignFileCancelled: cancelling the context stops the
// import wherever it is, stores nothing, leaves no goroutine behind and
// the database usable.
func TestImportCampaignFileCancelled(t *testing.T) {
	text := marshalCampaign(t, grownCampaign(2000))
	venues := bytes.Index(text, []byte(`"venues"`))
	eachDB(t, func(t *testing.T, db *DB) {
		db.importChunk = importChunkForTests
		for _, at := range []int{0, venues, venues + (len(text)-venues)/2, len(text) - 1, len(text)} {
			t.Run(fmt.Sprint(at), func(t *testing.T) {
				before := runtime.NumGoroutine()
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				_, c, err := db.ImportCampaignFile(ctx, &cancellingReader{text: text, at: at, cancel: cancel})
				if !errors.Is(err, context.Canceled) || c != nil {
					t.Fatalf("error %v, want context.Canceled", err)
				}
				wantNothingStored(t, db)
				for deadline := time.Now().Add(hangGuard); runtime.NumGoroutine() > before; {
					if time.Now().After(deadline) {
						buf := make([]byte, 1<<20)
						t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
					}
					time.Sleep(10 * time.Millisecond)
				}
			})
		}
		if _, _, err := db.ImportCampaignFile(context.Background(), bytes.NewReader(text)); err != nil {
			t.Fatalf("import after the cancelled ones: %v", err)
		}
	})
}

// wantNothingStored fails for every table that holds a row.
func wantNothingStored(t *testing.T, db *DB) {
	t.Helper()
	for table, rows := range rowCounts(t, db) {
		if rows != 0 {
			t.Errorf("%d rows in %s", rows, table)
		}
	}
}
