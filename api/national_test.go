package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// pageBudget is the most HTML one page of the application may weigh,
// uncompressed (issue 13: the national plan page weighed 27 MB).
const pageBudget = 1 << 20

// nationalVenues keeps the national test quick: venue counts for every
// city and category (nationalCampaign) fill the whole cell matrix, so the
// venues themselves only need to exist, not to number a million.
const nationalVenues = 20_000

var nationalCamp struct {
	once sync.Once
	c    *planner.Campaign
	err  error
}

// nationalCampaign is the synthetic national campaign (2,500 cities, 19
// materials, 25 categories) with a venue count in every city and
// category, so that every targeted (city, category) has demand: the
// ~285,000 cells of a national plan. Built once per test binary.
func nationalCampaign(t testing.TB) *planner.Campaign {
	t.Helper()
	nationalCamp.once.Do(func() {
		f, err := assets.FS.Open("geo/mx_places.csv")
		if err != nil {
			nationalCamp.err = err
			return
		}
		defer f.Close()
		c, err := planner.SynthesizeNational(f, nationalVenues, 1)
		if err != nil {
			nationalCamp.err = err
			return
		}
		for i, k := range c.Cities {
			for j, v := range c.Categories {
				c.VenueCounts = append(c.VenueCounts, planner.VenueCount{City: k.Code, Category: v.Code,
					Count: int64(1 + (i*7+j*3)%12), Estimated: true})
			}
		}
		nationalCamp.c = c
	})
	if nationalCamp.err != nil {
		t.Fatal(nationalCamp.err)
	}
	return nationalCamp.c
}

// newNationalServer is a test server whose campaign is the national one.
func newNationalServer(t testing.TB) *testServer {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "national.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	id, err := db.CreateCampaign(ctx, nationalCampaign(t))
	if err != nil {
		t.Fatal(err)
	}
	// This server is for weighing pages; their speed is the benchmark's
	// (BenchmarkPlanPageNational). Under -race on a busy CI machine, the
	// first decoding of two stored national plans outlasts the default
	// 30 s request deadline, which would answer 503 instead of a page.
	return serveTestDB(t, db, id, func(c *Config) { c.RequestTimeout = 10 * time.Minute })
}

var commitFormField = regexp.MustCompile(`<input type="hidden" name="(expected_version|campaign_version|fingerprint|mode)" value="([^"]*)">`)

// commitPlanPage commits the plan as the plan page's form does.
func commitPlanPage(t *testing.T, ts *testServer, cl *http.Client, note string) {
	t.Helper()
	code, body := ts.get(t, cl, planPath(ts, ""))
	if code != http.StatusOK {
		t.Fatalf("plan page: status %d", code)
	}
	form := url.Values{"note": {note}}
	for _, m := range commitFormField.FindAllStringSubmatch(body, -1) {
		if form.Get(m[1]) == "" {
			form.Set(m[1], m[2])
		}
	}
	if code, body, _ := ts.post(t, cl, planPath(ts, "/commit"), form); code != http.StatusSeeOther {
		t.Fatalf("commit: status %d\n%.2000s", code, body)
	}
}

// TestNationalPagesStayUnderOneMegabyte opens every page that lists
// cities, venues, cells or shipments of a national campaign, before and
// after two commits that differ in every city, and weighs its HTML.
func TestNationalPagesStayUnderOneMegabyte(t *testing.T) {
	if testing.Short() {
		t.Skip("national campaign: slow under -short")
	}
	start := time.Now()
	ts := newNationalServer(t)
	t.Logf("national campaign stored in %v", time.Since(start).Round(time.Millisecond))
	cl := ts.client(t, web.RolePlanner)
	ctx := context.Background()
	camp := nationalCampaign(t)
	p := func(rest string) string { return fmt.Sprintf("/campaigns/%d%s", ts.CampaignID, rest) }
	pages := []string{
		"/campaigns", p("/dashboard"), p("/settings"),
		p("/plan"), p("/plan?view=cities"), p("/plan?agg=category"), p("/plan?page=25"),
		p("/plan?material=MAT03&category=CAT05&page=3"), p("/plan?state=MX-JAL"),
		p("/plan/scenario"), p("/plan/scenario?run=1&boxes_per_day=300&reserve_pct=0"),
		p("/plan/cell?material=" + camp.Targeting[0].Material + "&city=K0000&category=" + camp.Targeting[0].Category),
		p("/map"), p("/exports"), p("/data"), p("/data/cities"), p("/data/venues"), p("/data/materials"),
		p("/data/categories"), p("/data/targeting"), p("/data/counts"), p("/data/locks"),
	}
	weigh := func(stage string, paths ...string) {
		t.Helper()
		for _, path := range paths {
			start := time.Now()
			code, body := ts.get(t, cl, path)
			t.Logf("%s GET %s: %d bytes, %v", stage, path, len(body), time.Since(start).Round(time.Millisecond))
			if code != http.StatusOK {
				t.Errorf("%s GET %s: status %d", stage, path, code)
				continue
			}
			if len(body) >= pageBudget {
				t.Errorf("%s GET %s: %d bytes of HTML, want < %d", stage, path, len(body), pageBudget)
			}
		}
	}
	weigh("before commit", pages...)

	commitPlanPage(t, ts, cl, "v1")
	// Cutting every material's print run by a third moves pieces in every
	// city: the widest comparison two versions can show.
	for _, m := range camp.Materials {
		m.Printed -= m.Printed / 3
		if err := ts.db.UpdateMaterial(ctx, ts.CampaignID, m.Code, m); err != nil {
			t.Fatal(err)
		}
	}
	weigh("after v1", append(pages, p("/shipments"), p("/plan?replan=1"))...)
	commitPlanPage(t, ts, cl, "v2")
	weigh("after v2", p("/plan/versions"), p("/plan/versions?from=1&to=2"), p("/plan/versions?confirm=1"), p("/shipments"),
		p("/dashboard"), p("/plan"))
}

// BenchmarkPlanPageNational weighs and times the national plan page: the
// first view of a server (the plan computed from the stored campaign) and
// the views after (the plan from the cache, one page rendered).
//
//	go test ./api -run '^$' -bench PlanPageNational -benchtime 5x
func BenchmarkPlanPageNational(b *testing.B) {
	ts := newNationalServer(b)
	cl := ts.client(b, web.RoleViewer)
	view := func(b *testing.B, ts *testServer, cl *http.Client, path string) {
		code, body := ts.get(b, cl, path)
		if code != http.StatusOK {
			b.Fatalf("GET %s: status %d", path, code)
		}
		b.ReportMetric(float64(len(body)), "html-bytes")
	}
	// cpu-ms/op is the process's CPU time (server, client and GC) per view:
	// on a shared machine the wall time mostly measures the neighbours.
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			b.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	var spent time.Duration
	measure := func(f func()) {
		start := cpu()
		f()
		spent += cpu() - start
	}
	report := func(b *testing.B) {
		b.ReportMetric(float64(spent.Milliseconds())/float64(b.N), "cpu-ms/op")
		spent = 0
	}
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			// A new server over the same database: nothing cached.
			fresh := serveTestDB(b, ts.db, ts.CampaignID)
			fresh.users = ts.users // the viewer exists already
			fcl := fresh.client(b, web.RoleViewer)
			b.StartTimer()
			measure(func() { view(b, fresh, fcl, planPath(fresh, "")) })
		}
		report(b)
	})
	for _, q := range []string{"", "?view=cities", "?page=13&state=MX-JAL", "?agg=category&material=MAT07&category=CAT03"} {
		b.Run("after"+q, func(b *testing.B) {
			view(b, ts, cl, planPath(ts, q)) // warm
			spent = 0
			for b.Loop() {
				measure(func() { view(b, ts, cl, planPath(ts, q)) })
			}
			report(b)
		})
	}
}
