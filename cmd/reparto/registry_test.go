package main

import (
	"context"
	"strings"
	"testing"

	"github.com/reparto/reparto/store"
)

// TestImportRegistryCommand: the DENUE fixture into the demo campaign —
// a dry run prints the preview's summary and writes nothing, the import
// writes the venues, and importing again finds them all unchanged. A
// file of the other registry is bad input (exit 2).
func TestImportRegistryCommand(t *testing.T) {
	e, out, errb, path := userEnv(t, "")
	ctx := context.Background()
	if code := run(ctx, []string{"import", demoFile}, e); code != 0 {
		t.Fatalf("import the demo: exit %d: %s", code, errb)
	}
	const fixture = "../../planner/registry/testdata/denue_inegi_07_.csv"
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"dry run", []string{"--campaign", "1", "--dry-run", fixture}, 0, []string{
			"denue_inegi_07_.csv (denue, windows-1252): 15 rows read, 9 kept, 6 dropped",
			"  BAR                  2", "  duplicate_id         2 (12, 14)",
			"9 new, 0 changed, 0 unchanged", "dry run, nothing written"}},
		{"import", []string{fixture, "--campaign", "1", "--source", "denue"}, 0, []string{"9 new, 0 changed", "as import 1"}},
		{"again", []string{"--campaign", "1", fixture}, 0, []string{"0 new, 0 changed, 9 unchanged"}},
		{"wrong registry", []string{"--campaign", "1", "--source", "clues", fixture}, 2, nil},
		{"bad source", []string{"--campaign", "1", "--source", "inegi", fixture}, 2, nil},
		{"no campaign", []string{fixture}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out.Reset()
			errb.Reset()
			if code := run(ctx, append([]string{"import-registry"}, tt.args...), e); code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, errb)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ims, err := db.ListVenueImports(ctx, 1)
	if err != nil || len(ims) != 2 || ims[0].Source != "denue" {
		t.Errorf("history %+v, %v", ims, err)
	}
}
