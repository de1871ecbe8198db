package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/geo"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/registry"
	"github.com/reparto/reparto/store"
)

// importRegistryCmd imports a DENUE or CLUES file into a stored campaign,
// as the web page does (docs/registries.md): one transaction, recorded in
// the campaign's import history so it can be undone from the web.
type importRegistryCmd struct{ env *env }

func (*importRegistryCmd) Name() string { return "import-registry" }
func (*importRegistryCmd) Synopsis() string {
	return "import venues from DENUE (.csv, .zip) or CLUES (.xlsx): reparto import-registry --campaign ID [--source denue|clues] [--dry-run] FILE"
}

func (c *importRegistryCmd) Run(ctx context.Context, args []string) error {
	fs := c.env.newFlags("import-registry", c.Synopsis())
	cfg := c.env.dbFlags(fs)
	id := fs.Int64("campaign", 0, "campaign id")
	source := fs.String("source", "", "denue or clues; empty: recognised by the file's content")
	dry := fs.Bool("dry-run", false, "print what the import would do and write nothing")
	// Accept the file before or after the flags, like 'reparto import'.
	var file string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 || file == "" || *id <= 0 {
		fmt.Fprintln(c.env.stderr, "reparto import-registry: --campaign ID and one FILE are required")
		return errUsage
	}
	want, ok := registry.ParseSource(*source)
	if !ok {
		return planner.Invalid(planner.FieldError{Path: "source", ID: planner.MsgUnknownRef,
			Message: fmt.Sprintf("--source: want denue or clues, got %q", *source)})
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	name := filepath.Base(file)
	rf, err := registry.Open(f, st.Size(), name, want)
	if err != nil {
		var fe *registry.FileError
		if errors.As(err, &fe) {
			return fe.Invalid()
		}
		return err
	}
	defer rf.Close()
	def, err := registry.LoadDefaultRules(assets.FS)
	if err != nil {
		return err
	}
	states, _, err := geo.LoadFS(assets.FS, geo.StatesFile, geo.PlacesFile)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if *dry {
		ctx = store.DryRun(ctx)
	}
	res, err := db.ImportRegistry(ctx, *id, store.RegistryImport{Source: rf.Source, FileName: name, Default: def, States: states}, rf)
	if err != nil {
		return err
	}
	writeRegistrySummary(c.env.stdout, name, rf.Source, res, *dry)
	return nil
}

// writeRegistrySummary prints what the web preview shows: rows read,
// kept by category, dropped by reason with their first lines, and what
// happened to the venues.
func writeRegistrySummary(w io.Writer, name string, src registry.Source, res store.RegistryImportResult, dry bool) {
	s := res.Summary
	fmt.Fprintf(w, "%s (%s, %s): %d rows read, %d kept, %d dropped\n", name, src, s.Encoding, s.Read, s.KeptTotal(), s.Read-s.KeptTotal())
	if len(s.Kept) > 0 {
		fmt.Fprintln(w, "kept by category:")
		for _, k := range slices.Sorted(maps.Keys(s.Kept)) {
			fmt.Fprintf(w, "  %-20s %d\n", k, s.Kept[k])
		}
	}
	if len(s.Dropped) > 0 {
		fmt.Fprintln(w, "dropped by reason (first lines):")
		for _, r := range registry.Reasons {
			n := s.Dropped[r]
			if n == 0 {
				continue
			}
			lines := make([]string, len(s.Examples[r]))
			for i, l := range s.Examples[r] {
				lines[i] = fmt.Sprint(l)
			}
			more := ""
			if n > len(lines) {
				more = ", …"
			}
			fmt.Fprintf(w, "  %-20s %d (%s%s)\n", r, n, strings.Join(lines, ", "), more)
		}
	}
	verb := "imported"
	if dry {
		verb = "dry run, nothing written"
	}
	fmt.Fprintf(w, "venues: %d new, %d changed, %d unchanged, %d of this registry missing from the file (left as they are) — %s",
		res.Created, res.Changed, res.Unchanged, res.Missing, verb)
	if res.ID > 0 {
		fmt.Fprintf(w, " as import %d (undo it from the web's import history)", res.ID)
	}
	fmt.Fprintln(w)
}
