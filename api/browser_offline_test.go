package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/account"
	"github.com/reparto/reparto/store"
)

// offlineFront stands between the browser and the test server. Besides
// DevTools' offline emulation (which covers the page and its service
// worker), "down" makes the server itself unreachable, as a phone out of
// coverage finds it: a request that gets through anyway is cut.
type offlineFront struct {
	down     atomic.Bool
	cutReply atomic.Int32 // the next n API writes are served, their answers cut
	posts    atomic.Int32 // API writes that reached the server
	srv      *httptest.Server
}

func newOfflineFront(t *testing.T, ts *testServer) *offlineFront {
	f := &offlineFront{}
	h := ts.s.Handler()
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.down.Load() {
			panic(http.ErrAbortHandler) // closes the connection: a network error
		}
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/") {
			f.posts.Add(1)
		}
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/") && f.cutReply.Add(-1) >= 0 {
			h.ServeHTTP(httptest.NewRecorder(), r) // stored, but the phone never hears so
			panic(http.ErrAbortHandler)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// setOffline cuts or restores the connection: DevTools' network emulation
// for every request of the page and of the service worker, the browser's
// navigator.onLine (and its offline/online events), and the server.
func (f *offlineFront) setOffline(t *testing.T, b *chromeTab, offline bool) {
	t.Helper()
	f.down.Store(offline)
	yes := true
	if _, err := chromedp.Call(b.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &yes,
		MatchedNetworkConditions:    []*network.Conditions{{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		t.Fatalf("emulate offline=%v: %v", offline, err)
	}
	if _, err := chromedp.Call(b.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
		Offline: offline, DownloadThroughput: -1, UploadThroughput: -1,
	}); err != nil {
		t.Fatalf("navigator offline=%v: %v", offline, err)
	}
}

// signIn creates a user with role and signs the tab in.
// signIn creates an account with role (a field account limited to
// cities) and signs it in on b.
func signIn(t *testing.T, ts *testServer, b *chromeTab, email, role string, cities ...string) {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	nu := store.NewUser{Email: email, Role: role, PasswordHash: string(hash)}
	if role == web.RoleField {
		nu.Places = account.Places{Cities: cities}
	}
	if _, err := ts.db.CreateUser(context.Background(), nu); err != nil {
		t.Fatal(err)
	}
	b.open(t, "/login")
	b.do(t, "fill the login form",
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
	)
	if st, u := b.submit(t, `form[action="/login"] button[type=submit]`); st != 200 || strings.Contains(u, "/login") {
		t.Fatalf("after login: status %d at %s", st, u)
	}
}

// waitFor polls a JavaScript condition until it holds; the bound is
// generous (a shared, slow machine) and is no assertion of speed.
func waitFor(t *testing.T, b *chromeTab, what, cond string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 90*time.Second)
	defer cancel()
	for {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(async () => { try { return !!(await (`+cond+`)); } catch (e) { return false; } })()`, chromedp.EvalAwaitPromise)); err == nil && ok {
			return
		}
		select {
		case <-ctx.Done():
			state, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => { const o = document.getElementById('outbox'); return location.pathname + ' ' + (o ? o.outerHTML : 'no outbox'); })()`))
			t.Fatalf("waiting for %s (%s): gave up; page: %s", what, cond, state)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// pageExceptions fails t on script exceptions since the last check; the
// network errors of requests made offline are expected and dropped.
func pageExceptions(t *testing.T, b *chromeTab) {
	t.Helper()
	errs, foreign := b.problems()
	for _, e := range errs {
		if strings.HasPrefix(e, "exception") {
			t.Errorf("page error: %s", e)
		}
	}
	for _, u := range foreign {
		t.Errorf("request outside the test server: %s", u)
	}
}

func eventsOfKind(t *testing.T, ts *testServer, id int64, kind planner.EventKind) []planner.Event {
	t.Helper()
	sh, err := ts.db.GetShipment(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []planner.Event
	for _, e := range sh.Events {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// offlinePhone is a user with role signed in, in Spanish, on a
// phone-sized tab that reaches the demo (with its tracking log) through a
// front whose network the test can cut. A field account is limited to
// the cities places gives once the demo's log is in.
func offlinePhone(t *testing.T, email, role string, places func(*testServer) []string) (*testServer, *offlineFront, *chromeTab, *e2e, *planner.Campaign) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	chromiumPath(t)
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	front := newOfflineFront(t, ts)
	b := newChromeTab(t, front.srv.URL)
	e := &e2e{ts: ts, b: b, cid: ts.CampaignID}
	b.setLangCookie(t, "es")
	(&a11y{e: e}).viewport(t, a11yViewports[1])
	var cities []string
	if places != nil {
		cities = places(ts)
	}
	signIn(t, ts, b, email, role, cities...)
	camp, err := ts.db.GetCampaign(context.Background(), ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	return ts, front, b, e, camp
}

// TestBrowserOfflineCapture is issue 10's offline test on a phone: a
// planner opens the shipment list of a shipment in transit and of a
// delivered one while online (the service worker keeps their receipt and
// distribution pages), loses the connection, records the delivery on the
// receipt page opened from a scanned label (?box=1: it stays there and
// shows the record pending) and a distribution, reloads the page (it comes from the service worker and
// lists both as pending), gets the connection back, and the outbox sends
// both: each stored exactly once, and the dashboard counts them.
//
// Run it with: REPARTO_BROWSER_TESTS=1 go test -run TestBrowserOffline -count=1 -v ./api/
//
// It runs for a planner and for a field account limited to the two
// shipments' cities, the user the offline pages are made for.
func TestBrowserOfflineCapture(t *testing.T) {
	t.Run("planner", func(t *testing.T) { testOfflineCapture(t, web.RolePlanner) })
	t.Run("field", func(t *testing.T) { testOfflineCapture(t, web.RoleField) })
}

func testOfflineCapture(t *testing.T, role string) {
	ts, front, b, e, camp := offlinePhone(t, "offline-"+role+"@test.local", role, func(ts *testServer) []string {
		return []string{shipmentAtStage(t, ts, planner.StageInTransit).City, shipmentAtStage(t, ts, planner.StageDelivered).City}
	})
	ctx := context.Background()
	transit := shipmentAtStage(t, ts, planner.StageInTransit)
	delivered := shipmentAtStage(t, ts, planner.StageDelivered)
	receivePath := e.path(fmt.Sprintf("shipments/%d/receive", transit.ID))
	distributePath := e.path(fmt.Sprintf("shipments/%d/distribute", delivered.ID))
	today := camp.Today(ts.clock())
	before, err := ts.db.CampaignProgress(ctx, ts.CampaignID, today)
	if err != nil {
		t.Fatal(err)
	}
	distributedBefore := len(eventsOfKind(t, ts, delivered.ID, planner.EventDistributed))

	// Online: a short shipment list installs the worker and has it keep
	// the field pages of its shipments, which the user never opens online.
	for _, l := range []struct{ list, page string }{
		{e.path("shipments?city=" + transit.City), receivePath},
		{e.path("shipments?city=" + delivered.City), distributePath},
	} {
		if st := b.open(t, l.list); st != http.StatusOK {
			t.Fatalf("GET %s: %d", l.list, st)
		}
		waitFor(t, b, "the service worker", `navigator.serviceWorker.controller`)
		waitFor(t, b, l.page+" kept", `caches.open('reparto-pages-v1').then(c => c.match(`+jsString(l.page)+`))`)
	}
	pageExceptions(t, b)

	front.setOffline(t, b, true)
	t.Run("offline delivery", func(t *testing.T) {
		if st := b.open(t, receivePath+"?box=1"); st != http.StatusOK {
			t.Fatalf("offline GET %s?box=1: %d (not kept by the service worker?)", receivePath, st)
		}
		b.do(t, "fill the receipt",
			chromedp.WaitVisible(chromedp.ID("receive-form")),
			chromedp.SetValue(chromedp.ID("receive-delivered-by"), "Transportes del Golfo"),
			chromedp.SetValue(chromedp.ID("receive-received-by"), "Ana Pérez"),
		)
		// kept without a query, the page ticks the scanned box from its URL
		waitFor(t, b, "the scanned box ticked and counted", `document.getElementById('box-1').checked && document.getElementById('receive-boxes').value === '1'`)
		b.do(t, "send the receipt", chromedp.Click(chromedp.ID("receive-submit"), chromedp.NodeVisible))
		waitFor(t, b, "the delivery in the outbox", `document.getElementById('outbox').dataset.pending === '1'`)
		// The button is at the foot of a long page and the outbox at its
		// head: the user who just tapped it must see the record pending
		// without scrolling up.
		waitFor(t, b, "the pending record on screen", `(() => { const r = document.getElementById('outbox').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; })()`)
		if got := eval[string](t, b, `location.pathname`); got != receivePath {
			t.Errorf("offline, the receipt went to %s; want it to stay on %s", got, receivePath)
		}
		b.do(t, "reload the receipt", chromedp.Reload())
		waitFor(t, b, "the receipt pending after a reload", `document.querySelectorAll('#outbox-list li[data-state=pending][data-kind=delivered]').length === 1`)
	})
	t.Run("offline distribution", func(t *testing.T) {
		if st := b.open(t, distributePath); st != http.StatusOK {
			t.Fatalf("offline GET %s: %d", distributePath, st)
		}
		b.do(t, "fill the distribution form",
			chromedp.WaitVisible(chromedp.ID("form-distribute")),
			chromedp.SetValue(chromedp.ID("distribute-distribution-0-category"), camp.Categories[0].Code),
			chromedp.SetValue(chromedp.ID("distribute-distribution-0-pieces"), "7"),
			chromedp.Click(chromedp.ID("distribute-submit"), chromedp.NodeVisible),
		)
		waitFor(t, b, "both records in the outbox", `document.getElementById('outbox').dataset.pending === '2'`)
	})
	t.Run("reload offline", func(t *testing.T) {
		b.do(t, "reload", chromedp.Reload())
		waitFor(t, b, "the pending list after the reload", `document.querySelectorAll('#outbox-list li[data-state=pending]').length === 2`)
		if got := eval[string](t, b, `document.getElementById('outbox-list').textContent`); !strings.Contains(got, "Pendiente de envío") {
			t.Errorf("the outbox says %q, want the records marked pending", got)
		}
		if n := len(eventsOfKind(t, ts, transit.ID, planner.EventDelivered)); n != 0 {
			t.Fatalf("%d deliveries stored while offline", n)
		}
	})
	pageExceptions(t, b)

	front.setOffline(t, b, false)
	t.Run("back online", func(t *testing.T) {
		waitFor(t, b, "the outbox to empty", `document.getElementById('outbox').dataset.pending === '0' && document.querySelectorAll('#outbox-list li[data-state=sent]').length >= 1`)
		// a second flush (another page load) must not store anything again
		b.do(t, "reload", chromedp.Reload())
		waitFor(t, b, "the page after the reload", `document.getElementById('outbox').dataset.pending === '0'`)
		if n := len(eventsOfKind(t, ts, transit.ID, planner.EventDelivered)); n != 1 {
			t.Errorf("%d delivery events stored, want exactly 1", n)
		}
		dist := eventsOfKind(t, ts, delivered.ID, planner.EventDistributed)
		if n := len(dist) - distributedBefore; n != 1 {
			t.Fatalf("%d distribution events stored, want exactly 1", n)
		}
		if got := dist[len(dist)-1].Distribution; len(got) != 1 || got[0].Pieces != 7 || got[0].Category != camp.Categories[0].Code {
			t.Errorf("distribution stored as %+v", got)
		}
		if got := eventsOfKind(t, ts, transit.ID, planner.EventDelivered)[0]; got.ReceivedBy != "Ana Pérez" || got.DeliveredBy != "Transportes del Golfo" || got.Boxes != 1 || len(got.Lines) != len(transit.Lines) {
			t.Errorf("receipt stored as %+v", got)
		}
	})
	t.Run("dashboard", func(t *testing.T) {
		after, err := ts.db.CampaignProgress(ctx, ts.CampaignID, today)
		if err != nil {
			t.Fatal(err)
		}
		if after.Delivered.Pieces <= before.Delivered.Pieces || after.Distributed.Pieces != before.Distributed.Pieces+7 {
			t.Errorf("progress delivered %d→%d, distributed %d→%d (want +7)", before.Delivered.Pieces, after.Delivered.Pieces,
				before.Distributed.Pieces, after.Distributed.Pieces)
		}
		if role == web.RoleField {
			return // a field account has no dashboard; the counts above are what it would show
		}
		b.open(t, e.path("dashboard"))
		for id, want := range map[string]int64{"total-delivered": after.Delivered.Pieces, "total-distributed": after.Distributed.Pieces} {
			if got := strings.TrimSpace(b.text(t, "#"+id+" .pieces")); got != esNumber(want) {
				t.Errorf("dashboard %s shows %q, want %q", id, got, esNumber(want))
			}
		}
	})
	t.Run("answer lost", func(t *testing.T) {
		// The server stores a record but the answer never reaches the
		// phone: the outbox keeps it and sends it again with the same key,
		// and the server answers with the event it already has.
		before := len(eventsOfKind(t, ts, delivered.ID, planner.EventDistributed))
		// Chromium itself resends a POST once when a reused connection
		// closes without an answer; the second cut reaches the outbox.
		front.cutReply.Store(2)
		posts := front.posts.Load()
		b.open(t, distributePath)
		b.do(t, "fill the distribution form",
			chromedp.WaitVisible(chromedp.ID("form-distribute")),
			chromedp.SetValue(chromedp.ID("distribute-distribution-0-category"), camp.Categories[0].Code),
			chromedp.SetValue(chromedp.ID("distribute-distribution-0-pieces"), "3"),
			chromedp.Click(chromedp.ID("distribute-submit"), chromedp.NodeVisible),
		)
		waitFor(t, b, "the first try", `document.getElementById('outbox').dataset.pending === '1' || document.querySelectorAll('#outbox-list li[data-state=sent]').length >= 1`)
		// The outbox reloads the page once a record is sent, and a retry of
		// its own may already have been answered: between the wait above
		// and this look the page may be navigating, without #outbox for a
		// moment (a CI flake under load: "Cannot read properties of null").
		if eval[string](t, b, `(document.getElementById('outbox') || {dataset: {}}).dataset.pending || ''`) == "1" {
			// "pending" shows as soon as the record is queued, before the
			// first try has reached the server: wait for the cut request
			// to have been stored (a condition, not a sleep).
			n := 0
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				if n = len(eventsOfKind(t, ts, delivered.ID, planner.EventDistributed)) - before; n > 0 {
					break
				}
			}
			if n != 1 {
				t.Fatalf("%d events stored by the first try, want 1", n)
			}
			// Ask the outbox to send again as the connection's return does.
			// Not a reload: the outbox may be navigating the page itself
			// (it reloads after a record is sent), and two navigations at
			// once abort one of them (net::ERR_ABORTED).
			eval[chromedp.Void](t, b, `window.dispatchEvent(new Event('online'))`)
		}
		waitFor(t, b, "the retry to be answered", `document.getElementById('outbox').dataset.pending === '0' && document.querySelectorAll('#outbox-list li[data-state=sent]').length >= 1`)
		if n := front.posts.Load() - posts; n < 2 {
			t.Errorf("the record reached the server %d times; the test wants a retry", n)
		}
		if n := len(eventsOfKind(t, ts, delivered.ID, planner.EventDistributed)) - before; n != 1 {
			t.Errorf("%d events stored after the retries, want exactly 1", n)
		}
	})
	pageExceptions(t, b)
}

// TestBrowserOutboxRefused: a record the server refuses is never dropped.
// Online, a form refused as invalid comes back as a form, each message
// next to its field. Offline, a delivery is recorded on the phone while
// someone else records the same shipment's delivery; when the connection
// returns the server refuses the phone's record, and the outbox shows it
// as refused with the server's reason, keeps it across a reload and
// forgets it only when the user discards it.
func TestBrowserOutboxRefused(t *testing.T) {
	ts, front, b, e, camp := offlinePhone(t, "refused-planner@test.local", web.RolePlanner, nil)
	ctx := context.Background()
	delivered := shipmentAtStage(t, ts, planner.StageDelivered)
	transit := shipmentAtStage(t, ts, planner.StageInTransit)
	t.Run("invalid while online", func(t *testing.T) {
		before := len(eventsOfKind(t, ts, delivered.ID, planner.EventDistributed))
		too := delivered.State().Accepted[delivered.Lines[0].Material] + 1
		b.open(t, e.path(fmt.Sprintf("shipments/%d/distribute", delivered.ID)))
		b.do(t, "distribute more than was accepted",
			chromedp.WaitVisible(chromedp.ID("form-distribute")),
			chromedp.SetValue(chromedp.ID("distribute-distribution-0-category"), camp.Categories[0].Code),
			chromedp.SetValue(chromedp.ID("distribute-distribution-0-pieces"), fmt.Sprint(too)),
		)
		if st, _ := b.submit(t, "#distribute-submit"); st != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want the form back with 422", st)
		}
		waitFor(t, b, "the message next to the pieces", `document.getElementById('distribute-distribution-0-pieces').getAttribute('aria-invalid') === 'true'`)
		waitFor(t, b, "an empty outbox", `document.getElementById('outbox').dataset.pending === '0' && document.getElementById('outbox').dataset.refused === '0'`)
		if n := len(eventsOfKind(t, ts, delivered.ID, planner.EventDistributed)); n != before {
			t.Errorf("%d distribution events, want %d", n, before)
		}
	})

	t.Run("someone else delivered first", func(t *testing.T) {
		page := e.path(fmt.Sprintf("shipments/%d", transit.ID))
		b.open(t, e.path("shipments?city="+transit.City))
		waitFor(t, b, "the page kept", `caches.open('reparto-pages-v1').then(c => c.match(`+jsString(page)+`))`)
		front.setOffline(t, b, true)
		if st := b.open(t, page); st != http.StatusOK {
			t.Fatalf("offline GET %s: %d", page, st)
		}
		b.do(t, "record the delivery offline",
			chromedp.WaitVisible(chromedp.ID("form-delivered")),
			chromedp.SetValue(chromedp.ID("delivered-delivered_by"), "Transportes del Golfo"),
			chromedp.SetValue(chromedp.ID("delivered-received_by"), "Ana Pérez"),
			chromedp.Click(chromedp.ID("delivered-submit"), chromedp.NodeVisible),
		)
		waitFor(t, b, "the delivery pending", `document.getElementById('outbox').dataset.pending === '1'`)
		// meanwhile, at the office, a colleague records the delivery
		other := store.WithActor(ctx, store.Actor{Email: "colleague@test.local"})
		var lines []planner.DeliveryLine
		for m, n := range transit.State().Dispatched {
			lines = append(lines, planner.DeliveryLine{Material: m, Accepted: n})
		}
		if _, _, err := ts.db.AppendEvent(other, transit.ID, planner.Event{Kind: planner.EventDelivered, Date: camp.Today(ts.clock()),
			DeliveredBy: "Chofer", ReceivedBy: "Colega", Lines: lines}, ts.clock(), ""); err != nil {
			t.Fatal(err)
		}
		front.setOffline(t, b, false)
		waitFor(t, b, "the refusal", `document.getElementById('outbox').dataset.refused === '1'`)
		reason := eval[string](t, b, `document.querySelector('#outbox-list li[data-state=refused] .outbox-reason').textContent`)
		if strings.TrimSpace(reason) == "" || strings.HasPrefix(strings.TrimSpace(reason), "HTTP") {
			t.Errorf("the refusal shows %q, want the server's reason", reason)
		}
		t.Logf("refusal shown: %s", reason)
		b.do(t, "reload", chromedp.Reload())
		waitFor(t, b, "the refusal after a reload", `document.querySelectorAll('#outbox-list li[data-state=refused]').length === 1`)
		b.do(t, "discard", chromedp.Click(chromedp.CSS(`#outbox-list li[data-state=refused] button.outbox-discard`), chromedp.NodeVisible))
		waitFor(t, b, "the discarded record to go", `document.querySelectorAll('#outbox-list li[data-state=refused]').length === 0`)
		if n := len(eventsOfKind(t, ts, transit.ID, planner.EventDelivered)); n != 1 {
			t.Errorf("%d delivery events, want only the colleague's", n)
		}
	})
	pageExceptions(t, b)
}
