package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/geo"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/planio"
)

// planCmd runs the planner on a campaign file with no database and writes
// the files of docs/planning.md#outputs.
type planCmd struct{ env *env }

func (*planCmd) Name() string     { return "plan" }
func (*planCmd) Synopsis() string { return "plan a campaign file offline (allocation, schedule, gaps)" }

func (c *planCmd) Run(ctx context.Context, args []string) error {
	fs := c.env.newFlags("plan", c.Synopsis())
	file := fs.String("campaign", "", "campaign file (JSON, docs/campaign-file.md)")
	out := fs.String("out", "", "output directory (created if missing)")
	gapKm := fs.Float64("gap-km", planner.DefaultGapKm, "places farther than this from every campaign city count as uncovered")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *file == "" || *out == "" {
		fmt.Fprintln(c.env.stderr, "reparto plan: --campaign and --out are required")
		return errUsage
	}
	f, err := os.Open(*file)
	if err != nil {
		return err
	}
	defer f.Close()
	camp, err := planio.ParseCampaign(f)
	if err != nil {
		return err
	}
	p, err := planner.ComputeContext(ctx, camp) // Ctrl-C stops a long plan
	if err != nil {
		return err
	}
	gaps, err := computeGaps(camp, p, *gapKm)
	if err != nil {
		return err
	}

	// Render everything in memory first so a failure writes nothing.
	files, err := planio.PlanFiles(p, gaps)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(*out, f.Name), f.Data, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(c.env.stdout, "wrote allocation.csv, schedule.csv, summary.json, gaps.json to %s\n", *out)
	return nil
}

// computeGaps loads the shipped geodata and computes coverage gaps.
func computeGaps(c *planner.Campaign, p *planner.Plan, km float64) (*planner.Gaps, error) {
	states, places, err := geo.LoadFS(assets.FS, geo.StatesFile, geo.PlacesFile)
	if err != nil {
		return nil, err
	}
	return planner.ComputeGaps(c, p, states, places, km), nil
}
