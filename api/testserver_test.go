package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/planner/account"
	"github.com/reparto/reparto/planner/planio"
	"github.com/reparto/reparto/store"
	"golang.org/x/crypto/bcrypt"
)

// testServer is the real application on a loopback port over a fresh
// SQLite database holding the 2009 demo campaign, with the clock at
// 2009-03-20 09:30 UTC. Area tests share it through newTestServer.
type testServer struct {
	t          testing.TB
	s          *Server
	db         *store.DB
	srv        *httptest.Server
	URL        string
	CampaignID int64

	mu    sync.Mutex
	now   time.Time
	users map[string]bool
}

const testPassword = "correct horse battery staple"

func newTestServer(t testing.TB) *testServer {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "reparto.db")
	id := copyDemoDB(t, path)
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return serveTestDB(t, db, id)
}

// serveTestDB is the test server over db, whose campaign id is the demo.
// Options adjust the server's configuration.
func serveTestDB(t testing.TB, db *store.DB, id int64, options ...func(*Config)) *testServer {
	t.Helper()
	return serveTestDBAt(t, db, id, time.Date(2009, 3, 20, 9, 30, 0, 0, time.UTC), options...)
}

// serveTestDBAt is serveTestDB with the server's clock fixed at now.
func serveTestDBAt(t testing.TB, db *store.DB, id int64, now time.Time, options ...func(*Config)) *testServer {
	t.Helper()
	ts := &testServer{t: t, db: db, now: now, users: map[string]bool{}}
	ts.CampaignID = id
	cfg := DefaultConfig()
	cfg.UploadDir = t.TempDir() // registry uploads wait there for their confirmation
	for _, o := range options {
		o(&cfg)
	}
	s, err := New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)), ts.clock)
	if err != nil {
		t.Fatal(err)
	}
	s.SetPasswordCost(bcrypt.MinCost)
	ts.s = s
	ts.srv = httptest.NewServer(s.Handler())
	t.Cleanup(ts.srv.Close)
	ts.URL = ts.srv.URL
	return ts
}

// demoDB is a migrated SQLite file holding the demo campaign, built once
// per test binary; each test server gets its own copy of the file, which
// is much cheaper than migrating and importing again (-race makes that slow).
var demoDB struct {
	once sync.Once
	dir  string
	id   int64
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoDB.dir != "" {
		os.RemoveAll(demoDB.dir)
	}
	os.Exit(code)
}

func copyDemoDB(t testing.TB, dst string) int64 {
	t.Helper()
	demoDB.once.Do(func() {
		ctx := context.Background()
		if demoDB.dir, demoDB.err = os.MkdirTemp("", "reparto-api-test-"); demoDB.err != nil {
			return
		}
		db, err := store.Open(ctx, filepath.Join(demoDB.dir, "demo.db"))
		if err != nil {
			demoDB.err = err
			return
		}
		defer db.Close() // the last close checkpoints the WAL into the file
		if demoDB.err = db.Migrate(ctx); demoDB.err != nil {
			return
		}
		demoDB.id, demoDB.err = importDemo(db)
	})
	if demoDB.err != nil {
		t.Fatal(demoDB.err)
	}
	b, err := os.ReadFile(filepath.Join(demoDB.dir, "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return demoDB.id
}

func importDemo(db *store.DB) (int64, error) {
	f, err := assets.FS.Open("data/campaign-2009.json")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	c, err := planio.ParseCampaign(f)
	if err != nil {
		return 0, err
	}
	return db.CreateCampaign(context.Background(), c)
}

// loadDemoCampaign stores assets/data/campaign-2009.json in db.
func loadDemoCampaign(t testing.TB, db *store.DB) int64 {
	t.Helper()
	id, err := importDemo(db)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (ts *testServer) clock() time.Time {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.now
}

// client returns an HTTP client signed in as a new user with the given
// role ("" for anonymous). It does not follow redirects, so tests see 303s.
func (ts *testServer) client(t testing.TB, role string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if role == "" {
		return cl
	}
	email := role + "@test.local"
	ts.mu.Lock()
	exists := ts.users[email]
	ts.users[email] = true
	ts.mu.Unlock()
	if !exists {
		hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		nu := store.NewUser{Email: email, Role: role, PasswordHash: string(hash)}
		if role == web.RoleField {
			nu.Places = fieldTestPlaces(t, ts)
		}
		if _, err := ts.db.CreateUser(context.Background(), nu); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := cl.PostForm(ts.URL+"/login", url.Values{"email": {email}, "password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login as %s: status %d", role, resp.StatusCode)
	}
	return cl
}

// get fetches a path and returns the status and body.
func (ts *testServer) get(t testing.TB, cl *http.Client, path string) (int, string) {
	t.Helper()
	resp, err := cl.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// post sends a form and returns the status, the body and the Location header.
func (ts *testServer) post(t testing.TB, cl *http.Client, path string, form url.Values) (int, string, string) {
	t.Helper()
	resp, err := cl.Post(ts.URL+path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

func TestTestServerServesCampaignsToSignedInUsers(t *testing.T) {
	ts := newTestServer(t)
	if code, _ := ts.get(t, ts.client(t, ""), "/campaigns"); code != http.StatusSeeOther {
		t.Fatalf("anonymous: got %d, want 303 to login", code)
	}
	code, body := ts.get(t, ts.client(t, web.RoleViewer), "/campaigns")
	if code != http.StatusOK || !strings.Contains(body, "2009") {
		t.Fatalf("viewer: got %d, body without the 2009 campaign", code)
	}
}

// fieldTestPlaces are the places of the field user of client(t, "field"):
// the state of Guadalajara (GDL), whose shipment the access matrix uses.
func fieldTestPlaces(t testing.TB, ts *testServer) account.Places {
	t.Helper()
	camp, err := ts.db.GetCampaign(context.Background(), ts.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	k, ok := camp.City("GDL")
	if !ok || k.State == "" {
		t.Fatal("the demo has no GDL with a state")
	}
	return account.Places{States: []string{k.State}}
}
