package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/reparto/reparto/store"
	"github.com/reparto/reparto/store/storetest"
)

// Tests of the server as it runs in production: two replicas sharing one
// PostgreSQL, and a graceful shutdown that finishes what it started.

const replicaPassword = "replica test password"

// lockedBuffer is a log sink the servers write to while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServe runs 'reparto serve' in-process on a random loopback port with
// the clock on 2009-03-20 and returns its base URL; the server is shut down
// (and its error checked) at cleanup, or earlier through stop.
func startServe(t *testing.T, vars map[string]string) (base string, stop func() error) {
	t.Helper()
	logs := &lockedBuffer{}
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: logs, getenv: func(k string) string { return vars[k] }}
	ready := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	cmd := &serveCmd{env: e, ready: ready, now: func() time.Time { return time.Date(2009, 3, 20, 9, 30, 0, 0, time.UTC) }}
	go func() { done <- cmd.Run(ctx, []string{"--addr", "127.0.0.1:0"}) }()
	select {
	case addr := <-ready:
		base = "http://" + addr
	case err := <-done:
		cancel()
		t.Fatalf("serve stopped: %v\n%s", err, logs)
	case <-time.After(120 * time.Second):
		cancel()
		t.Fatalf("serve did not start:\n%s", logs)
	}
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() { cancel(); err = <-done })
		return err
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("serve %s: %v\n%s", base, err, logs)
		}
	})
	return base, stop
}

// plannerToken adds a planner with replicaPassword and returns the email
// and a bearer token of theirs.
func plannerToken(t *testing.T, dsn string) (string, string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	hash, _ := bcrypt.GenerateFromPassword([]byte(replicaPassword), bcrypt.MinCost)
	u, err := db.CreateUser(ctx, store.NewUser{Email: "planner@replicas.test", Role: "planner", PasswordHash: string(hash)})
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := db.CreateToken(ctx, u.ID, "replicas test")
	if err != nil {
		t.Fatal(err)
	}
	return u.Email, token
}

// apiResult is a response: status and body.
type apiResult struct {
	status int
	body   []byte
}

// call sends a JSON API request with a bearer token and optional headers
// as name, value pairs.
func call(t *testing.T, method, url, token, body string, headers ...string) apiResult {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("%s %s: %v", method, url, err)
		return apiResult{}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return apiResult{resp.StatusCode, b}
}

func decodeInto(t *testing.T, r apiResult, dst any) {
	t.Helper()
	if err := json.Unmarshal(r.body, dst); err != nil {
		t.Fatalf("decode %d %q: %v", r.status, r.body, err)
	}
}

// TestGracefulShutdownFinishesInFlightRequest: a request whose body is
// still arriving when the server is told to stop is answered 200; the
// port stops taking new connections meanwhile, and serve returns no error.
func TestGracefulShutdownFinishesInFlightRequest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	_, token := plannerToken(t, path)
	// The demo campaign without its tracking story, which is slow to record.
	if code := run(context.Background(), []string{"import", demoFile, "--db", path}, &env{stdout: io.Discard, stderr: io.Discard,
		getenv: func(string) string { return "" }}); code != 0 {
		t.Fatalf("import the demo campaign: exit %d", code)
	}
	base, stop := startServe(t, map[string]string{"REPARTO_DB": path, "REPARTO_DEMO": "0"})

	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", base+"/api/v1/campaigns/1/plan/replan-preview", pr)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	// With Expect: 100-continue the client sends the body only once the
	// handler starts reading it, so the first write below returns when the
	// request is surely in the handler, not still in the accept queue.
	req.Header.Set("Expect", "100-continue")
	client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: time.Minute}}
	got := make(chan apiResult, 1)
	go func() {
		resp, err := client.Do(req)
		if err != nil {
			t.Errorf("in-flight request: %v", err)
			got <- apiResult{}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- apiResult{resp.StatusCode, b}
	}()
	io.WriteString(pw, `{"release_reserve":`) // returns once the handler reads the body

	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	host := strings.TrimPrefix(base, "http://")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", host, time.Second)
		if err != nil {
			break // shutting down: the listener is closed
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections 10 s after shutdown began")
		}
	}
	io.WriteString(pw, `false}`)
	pw.Close()
	if r := <-got; r.status != http.StatusOK {
		t.Errorf("in-flight request during shutdown: %d %s, want 200", r.status, r.body)
	}
	if err := <-stopped; err != nil {
		t.Errorf("serve returned %v after a graceful shutdown", err)
	}
}

// TestTwoReplicasShareOnePostgres runs two servers on one database, as
// docker-compose.yml does behind its proxy: commits racing on both get
// consecutive versions (the loser 409, then fine on retry), events posted
// to both are each stored once (even one key retried on both), and a
// session from one replica is valid on the other.
func TestTwoReplicasShareOnePostgres(t *testing.T) {
	dsn := storetest.ScratchPostgres(t, "r").String()
	vars := map[string]string{"DATABASE_URL": dsn}
	a, _ := startServe(t, vars) // loads the demo and its tracking story
	b, _ := startServe(t, vars)
	email, token := plannerToken(t, dsn)
	replicas := []string{a, b}

	t.Run("commits", func(t *testing.T) { raceCommits(t, replicas, token) })
	t.Run("events", func(t *testing.T) { eventsOnBoth(t, replicas, token) })
	t.Run("session", func(t *testing.T) { sessionOnBoth(t, replicas, email) })
}

// latestVersion reads the newest committed plan version of campaign 1.
func latestVersion(t *testing.T, base, token string) int {
	t.Helper()
	var list struct {
		Versions []struct{ Version int } `json:"versions"`
	}
	decodeInto(t, call(t, "GET", base+"/api/v1/campaigns/1/plan/versions", token, ""), &list)
	latest := 0
	for _, v := range list.Versions {
		latest = max(latest, v.Version)
	}
	return latest
}

func raceCommits(t *testing.T, replicas []string, token string) {
	for round := range 2 {
		start := latestVersion(t, replicas[0], token)
		results := make([]apiResult, len(replicas))
		var wg sync.WaitGroup
		for i, base := range replicas {
			wg.Go(func() {
				body := fmt.Sprintf(`{"expected_version":%d,"note":"round %d replica %d"}`, start, round, i)
				results[i] = call(t, "POST", base+"/api/v1/campaigns/1/plan/commit", token, body)
			})
		}
		wg.Wait()
		var won, lost []int
		for i, r := range results {
			switch r.status {
			case http.StatusCreated:
				won = append(won, i)
			case http.StatusConflict:
				lost = append(lost, i)
			default:
				t.Fatalf("round %d replica %d: %d %s", round, i, r.status, r.body)
			}
		}
		if len(won) != 1 || len(lost) != 1 {
			t.Fatalf("round %d: %d commits won and %d lost, want 1 and 1", round, len(won), len(lost))
		}
		var v struct{ Version int }
		decodeInto(t, results[won[0]], &v)
		if v.Version != start+1 {
			t.Errorf("round %d: the winner committed version %d, want %d", round, v.Version, start+1)
		}
		// The loser reloads and commits on top: nothing is lost.
		retry := call(t, "POST", replicas[lost[0]]+"/api/v1/campaigns/1/plan/commit", token,
			fmt.Sprintf(`{"expected_version":%d,"note":"retry"}`, start+1))
		if retry.status != http.StatusCreated {
			t.Fatalf("round %d: the loser's retry: %d %s", round, retry.status, retry.body)
		}
		if got := latestVersion(t, replicas[1-lost[0]], token); got != start+2 {
			t.Errorf("round %d: latest version %d seen from the other replica, want %d", round, got, start+2)
		}
	}
}

// shipmentView is what the event test reads of a shipment.
type shipmentView struct {
	ID    int64 `json:"id"`
	State struct {
		Stage string `json:"stage"`
	} `json:"state"`
	Events []struct {
		Checkpoint string `json:"checkpoint"`
	} `json:"events"`
}

func eventsOnBoth(t *testing.T, replicas []string, token string) {
	var list struct{ Shipments []shipmentView }
	decodeInto(t, call(t, "GET", replicas[0]+"/api/v1/campaigns/1/shipments", token, ""), &list)
	var moving []int64 // shipments that may take an in-transit checkpoint
	for _, s := range list.Shipments {
		if s.State.Stage == "dispatched" || s.State.Stage == "in_transit" {
			moving = append(moving, s.ID)
		}
	}
	if len(moving) == 0 {
		t.Fatal("no dispatched shipment in the demo")
	}
	// 20 distinct events spread over both replicas, and 5 keys each sent to
	// both replicas at once (a client retrying through the balancer).
	type post struct {
		replica  int
		shipment int64
		key, cp  string
	}
	var posts []post
	for i := range 20 {
		posts = append(posts, post{i % 2, moving[i%len(moving)], fmt.Sprintf("distinct-%d", i), fmt.Sprintf("Distinct %d", i)})
	}
	for i := range 5 {
		for r := range 2 {
			posts = append(posts, post{r, moving[i%len(moving)], fmt.Sprintf("twice-%d", i), fmt.Sprintf("Twice %d", i)})
		}
	}
	statuses := make([]int, len(posts))
	var wg sync.WaitGroup
	for i, p := range posts {
		wg.Go(func() {
			body := fmt.Sprintf(`{"kind":"in_transit","date":"2009-03-20","checkpoint":%q}`, p.cp)
			r := call(t, "POST", fmt.Sprintf("%s/api/v1/shipments/%d/events", replicas[p.replica], p.shipment), token, body,
				"Idempotency-Key", p.key)
			statuses[i] = r.status
			if r.status != http.StatusCreated && r.status != http.StatusOK {
				t.Errorf("event %s on replica %d: %d %s", p.key, p.replica, r.status, r.body)
			}
		})
	}
	wg.Wait()
	created := map[string]int{}
	for i, p := range posts {
		if statuses[i] == http.StatusCreated {
			created[p.key]++
		}
	}
	stored := map[string]int{}
	for _, id := range moving {
		var s shipmentView
		decodeInto(t, call(t, "GET", fmt.Sprintf("%s/api/v1/shipments/%d", replicas[1], id), token, ""), &s)
		for _, e := range s.Events {
			stored[e.Checkpoint]++
		}
	}
	for _, p := range posts {
		if created[p.key] != 1 || stored[p.cp] != 1 {
			t.Errorf("%s: created %d times, stored %d times; want once", p.key, created[p.key], stored[p.cp])
		}
	}
}

func sessionOnBoth(t *testing.T, replicas []string, email string) {
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(replicas[0]+"/login", url.Values{"email": {email}, "password": {replicaPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "reparto_session" {
			session = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil {
		t.Fatalf("login on replica A: %d, session cookie %v", resp.StatusCode, session)
	}
	for _, path := range []string{"/api/v1/campaigns", "/campaigns/1/dashboard"} {
		req, _ := http.NewRequest("GET", replicas[1]+path, nil)
		req.AddCookie(session)
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s on replica B with A's session: %d, want 200", path, resp.StatusCode)
		}
	}
}
