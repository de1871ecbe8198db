// Command gendemo writes the real-data demo campaign: the national campaign
// against trafficking in persons that Mexico's FEVIMTRA (PGR) launched in
// January 2009, with 19 materials, 7.8 million pieces and 70 cities. Cities
// come from the GeoNames places and the Natural Earth state polygons that
// the binary embeds; every assumption is written up in
// assets/data/README.md. The output is deterministic: the same bytes on
// every run, which main_test.go checks against the committed file.
//
//	go run ./cmd/gendemo [-out assets/data/campaign-2009.json]
//
// With -national it writes instead the synthetic national campaign that
// `reparto plan` and `reparto import` are measured on (cmd/gendemo/national.sh):
// 2,500 cities from the embedded places and -venues venues given only by
// their coordinates, the same bytes for the same -venues and -seed.
//
//	go run ./cmd/gendemo -national -venues 1000000 -out national.json
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/geo"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/planio"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gendemo:", err)
		os.Exit(1)
	}
}

// run parses the flags, generates the campaign and writes it.
func run(args []string, stderr io.Writer) error {
	fl := flag.NewFlagSet("gendemo", flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("out", "assets/data/campaign-2009.json", "file to write")
	national := fl.Bool("national", false, "write the synthetic national campaign instead of the 2009 demo")
	venues := fl.Int("venues", 1_000_000, "venues of the national campaign")
	seed := fl.Int64("seed", 1, "random seed of the national campaign")
	if err := fl.Parse(args); err != nil {
		return err
	}
	var b []byte
	var err error
	if *national {
		b, err = generateNational(assets.FS, *venues, *seed)
	} else {
		b, err = generate(assets.FS)
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return fmt.Errorf("write campaign: %w", err)
	}
	return nil
}

// generate builds the campaign from the embedded geodata and returns the
// campaign file, after checking that the planner reads it back.
func generate(fsys fs.FS) ([]byte, error) {
	c, err := load(fsys)
	if err != nil {
		return nil, err
	}
	b, err := planio.MarshalCampaign(c)
	if err != nil {
		return nil, err
	}
	if _, err := planio.ParseCampaign(bytes.NewReader(b)); err != nil {
		return nil, fmt.Errorf("generated campaign does not parse: %w", err)
	}
	return b, nil
}

// generateNational builds the synthetic national campaign and checks, as
// generate does, that the planner reads it back.
func generateNational(fsys fs.FS, venues int, seed int64) ([]byte, error) {
	if venues < 0 || venues > planner.MaxVenues {
		return nil, fmt.Errorf("-venues must be between 0 and %d", planner.MaxVenues)
	}
	pf, err := fsys.Open("geo/mx_places.csv")
	if err != nil {
		return nil, fmt.Errorf("open places: %w", err)
	}
	defer pf.Close()
	c, err := planner.SynthesizeNational(pf, venues, seed)
	if err != nil {
		return nil, err
	}
	indented, err := planio.MarshalCampaign(c)
	if err != nil {
		return nil, err
	}
	// Compact, as a registry export would be: a million indented venues
	// are 180 MB, compact ones 105 MB.
	var b bytes.Buffer
	if err := json.Compact(&b, indented); err != nil {
		return nil, fmt.Errorf("compact campaign: %w", err)
	}
	b.WriteByte('\n')
	if _, err := planio.ParseCampaign(bytes.NewReader(b.Bytes())); err != nil {
		return nil, fmt.Errorf("generated campaign does not parse: %w", err)
	}
	return b.Bytes(), nil
}

// load reads geo/mx_places.csv and geo/mx_states.geojson from fsys and
// builds the campaign.
func load(fsys fs.FS) (*planner.Campaign, error) {
	pf, err := fsys.Open("geo/mx_places.csv")
	if err != nil {
		return nil, fmt.Errorf("open places: %w", err)
	}
	defer pf.Close()
	places, err := readPlaces(pf)
	if err != nil {
		return nil, err
	}
	sf, err := fsys.Open("geo/mx_states.geojson")
	if err != nil {
		return nil, fmt.Errorf("open states: %w", err)
	}
	defer sf.Close()
	states, err := geo.LoadStates(sf)
	if err != nil {
		return nil, fmt.Errorf("load states: %w", err)
	}
	return build(places, states)
}
