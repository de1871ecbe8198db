package main

import (
	"context"
	"fmt"
	"os"

	"github.com/reparto/reparto/planner/planio"
	"github.com/reparto/reparto/store"
)

// openDB opens and migrates the configured database.
func openDB(ctx context.Context, cfg *dbConfig) (*store.DB, error) {
	dsn, err := cfg.dsn()
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return db, nil
}

type migrateCmd struct{ env *env }

func (*migrateCmd) Name() string     { return "migrate" }
func (*migrateCmd) Synopsis() string { return "apply database migrations" }
func (c *migrateCmd) Run(ctx context.Context, args []string) error {
	fs := c.env.newFlags("migrate", c.Synopsis())
	cfg := c.env.dbFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintln(c.env.stdout, "database is up to date")
	return nil
}

// importCmd loads a campaign file in one transaction: all or nothing.
type importCmd struct{ env *env }

func (*importCmd) Name() string     { return "import" }
func (*importCmd) Synopsis() string { return "import a campaign file: reparto import FILE.json" }
func (c *importCmd) Run(ctx context.Context, args []string) error {
	fs := c.env.newFlags("import", c.Synopsis())
	cfg := c.env.dbFlags(fs)
	// Accept the file before or after the flags.
	var file string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 || file == "" {
		fs.Usage()
		return errUsage
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	// Read and stored at once: a national file's venues are inserted
	// while the rest of it is read.
	id, camp, err := db.ImportCampaignFile(ctx, f)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.env.stdout, "imported campaign %d: %s (%d materials, %d cities)\n", id, camp.Name, len(camp.Materials), len(camp.Cities))
	return nil
}

// exportCmd writes a stored campaign back as a campaign file.
type exportCmd struct{ env *env }

func (*exportCmd) Name() string { return "export" }
func (*exportCmd) Synopsis() string {
	return "export a campaign file: reparto export --campaign ID [--out FILE]"
}
func (c *exportCmd) Run(ctx context.Context, args []string) error {
	fs := c.env.newFlags("export", c.Synopsis())
	cfg := c.env.dbFlags(fs)
	id := fs.Int64("campaign", 0, "campaign id (see the web app or 'reparto import' output)")
	out := fs.String("out", "", "output file (default: standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *id <= 0 {
		fmt.Fprintln(c.env.stderr, "reparto export: --campaign ID is required")
		return errUsage
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	camp, err := db.GetCampaign(ctx, *id)
	if err != nil {
		return err
	}
	b, err := planio.MarshalCampaign(camp)
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = c.env.stdout.Write(b)
		return err
	}
	return os.WriteFile(*out, b, 0o644)
}
