package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/reparto/reparto/planner"
)

func testEnv(t *testing.T, vars map[string]string) (*env, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var out, errb bytes.Buffer
	return &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}, &out, &errb
}

const demoFile = "../../assets/data/campaign-2009.json"

func TestHelpListsEveryCommand(t *testing.T) {
	e, out, _ := testEnv(t, nil)
	if code := run(context.Background(), []string{"help"}, e); code != 0 {
		t.Fatalf("help: exit %d", code)
	}
	for _, name := range []string{"serve", "plan", "import", "export", "migrate", "user", "version"} {
		if !strings.Contains(out.String(), "  "+name) {
			t.Errorf("help does not list %q:\n%s", name, out)
		}
	}
}

func TestUnknownCommandExits2(t *testing.T) {
	e, _, errb := testEnv(t, nil)
	if code := run(context.Background(), []string{"frobnicate"}, e); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if !strings.Contains(errb.String(), "unknown command") {
		t.Errorf("stderr: %s", errb)
	}
}

func TestPlanWritesTheFourFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out", "nested")
	e, _, errb := testEnv(t, nil)
	if code := run(context.Background(), []string{"plan", "--campaign", demoFile, "--out", dir}, e); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	for _, f := range []string{"allocation.csv", "schedule.csv", "summary.json", "gaps.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	// Every material's allocated + reserve + leftover equals its printed
	// quantity (allocated includes locks).
	var sum struct {
		Materials []struct {
			Code                                  string
			Printed, Reserve, Allocated, Leftover int64
		}
		Shipments int
	}
	b, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Materials) != 19 {
		t.Fatalf("%d materials, want 19", len(sum.Materials))
	}
	var printed int64
	for _, m := range sum.Materials {
		printed += m.Printed
		if m.Allocated+m.Reserve+m.Leftover != m.Printed {
			t.Errorf("%s: %d+%d+%d != %d", m.Code, m.Allocated, m.Reserve, m.Leftover, m.Printed)
		}
	}
	if printed != 7_800_000 {
		t.Errorf("printed %d, want 7,800,000", printed)
	}
	f, _ := os.Open(filepath.Join(dir, "schedule.csv"))
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 71 { // header + one shipment per city
		t.Errorf("schedule has %d rows, want 71", len(rows))
	}
}

func TestPlanRejectsInvalidFileAndWritesNothing(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"campaign":{"name":"x","start":"2009-03-01","deadline":"2009-02-01","depot":{"name":"d","lat":0,"lon":0},"dispatch":{"boxes_per_day":1}},"materials":[]}`), 0o644)
	out := filepath.Join(t.TempDir(), "out")
	e, _, errb := testEnv(t, nil)
	if code := run(context.Background(), []string{"plan", "--campaign", bad, "--out", out}, e); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if msg := errb.String(); !strings.Contains(msg, "campaign.deadline") || strings.Count(msg, "\n") != 1 {
		t.Errorf("want one line naming campaign.deadline, got %q", msg)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("out dir was created")
	}
}

// TestImportExportRoundTrip: import then export reproduces the campaign
// file (semantically equal JSON).
func TestImportExportRoundTrip(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	e, out, errb := testEnv(t, nil)
	if code := run(context.Background(), []string{"import", demoFile, "--db", db}, e); code != 0 {
		t.Fatalf("import exit %d: %s", code, errb)
	}
	exported := filepath.Join(t.TempDir(), "export.json")
	if code := run(context.Background(), []string{"export", "--campaign", "1", "--db", db, "--out", exported}, e); code != 0 {
		t.Fatalf("export exit %d: %s %s", code, errb, out)
	}
	want, _ := os.ReadFile(demoFile)
	got, _ := os.ReadFile(exported)
	var a, b any
	if err := json.Unmarshal(want, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &b); err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(normalise(a))
	jb, _ := json.Marshal(normalise(b))
	if !bytes.Equal(ja, jb) {
		t.Fatalf("export differs from the imported file")
	}
}

// normalise sorts the top-level lists of a campaign file: the store keeps
// them in code order, and their order carries no meaning (the plan does not
// depend on it), so equal sets are equal campaigns.
func normalise(v any) any {
	m := v.(map[string]any)
	for k, list := range m {
		items, ok := list.([]any)
		if !ok {
			continue
		}
		keys := make([]string, len(items))
		for i, it := range items {
			b, _ := json.Marshal(it)
			keys[i] = string(b)
		}
		sort.Sort(byKey{items, keys})
		m[k] = items
	}
	return m
}

type byKey struct {
	items []any
	keys  []string
}

func (b byKey) Len() int           { return len(b.items) }
func (b byKey) Less(i, j int) bool { return b.keys[i] < b.keys[j] }
func (b byKey) Swap(i, j int) {
	b.items[i], b.items[j] = b.items[j], b.items[i]
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
}

func TestImportInvalidChangesNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	bad := filepath.Join(t.TempDir(), "bad.json")
	b, _ := os.ReadFile(demoFile)
	os.WriteFile(bad, bytes.Replace(b, []byte(`"pack_size": 25`), []byte(`"pack_size": 0`), 1), 0o644)
	e, _, errb := testEnv(t, nil)
	if code := run(context.Background(), []string{"import", bad, "--db", db}, e); code != 2 {
		t.Fatalf("exit %d, want 2: %s", code, errb)
	}
	if !strings.Contains(errb.String(), "pack_size") {
		t.Errorf("error does not name pack_size: %s", errb)
	}
	if code := run(context.Background(), []string{"export", "--campaign", "1", "--db", db}, e); code != 1 {
		t.Fatalf("export after failed import: exit %d, want 1 (not found)", code)
	}
}

// TestServeStartsWithDemo runs the real server on a random port.
func TestServeStartsWithDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	e, _, errb := testEnv(t, map[string]string{"REPARTO_DB": db, "REPARTO_BCRYPT_COST": "4"})
	ready := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	cmd := &serveCmd{env: e, ready: ready}
	go func() { done <- cmd.Run(ctx, []string{"--addr", "127.0.0.1:0"}) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve stopped: %v\n%s", err, errb)
	case <-time.After(5 * time.Minute): // generous: -race on a loaded 2-core CI machine
		t.Fatal("serve did not start")
	}
	for _, p := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get("http://" + addr + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	log := errb.String()
	for _, want := range []string{"loaded the 2009 demo campaign", "admin account created", "Reparto is listening"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	_ = planner.DefaultGapKm
}
