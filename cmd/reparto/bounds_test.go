package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportRefusesQuantitiesAboveBounds: the command line reads campaign
// files with the planner's bounds; the 10^15 pieces of issue 12 are refused
// naming the field.
func TestImportRefusesQuantitiesAboveBounds(t *testing.T) {
	demo, err := os.ReadFile(demoFile)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(demo), `"printed": 1500000`, `"printed": 1000000000000000`, 1)
	if text == string(demo) {
		t.Fatal(`the demo has no "printed": 1500000 to change`)
	}
	file := filepath.Join(t.TempDir(), "huge.json")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "r.db")
	e, _, errb := testEnv(t, nil)
	if code := run(context.Background(), []string{"import", file, "--db", db}, e); code == 0 {
		t.Fatal("import of 10^15 pieces succeeded")
	}
	if msg := errb.String(); !strings.Contains(msg, ".printed: must be <= 10000000000") {
		t.Errorf("want an error naming materials[i].printed, got %q", msg)
	}
}
