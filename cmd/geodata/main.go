// Command geodata rebuilds assets/geo/ (mx_states.geojson and
// mx_places.csv) from the public source files, downloaded beforehand: it
// never touches the network.
//
//	go run ./cmd/geodata \
//	    --admin1 ne_10m_admin_1_states_provinces.geojson \
//	    --places MX.txt \
//	    --out assets/geo
//
// --admin1 is Natural Earth's 1:10m "Admin 1 – States, Provinces" as
// GeoJSON; --places is a GeoNames table (MX.txt, or cities1000.txt, which
// holds every country). assets/geo/README.md names the sources, their
// licences, and what differs from the files shipped today.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command; it returns the exit status: 2 for bad flags, 1
// when the sources cannot be read or do not look as expected.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("geodata", flag.ContinueOnError)
	fs.SetOutput(stderr)
	admin1 := fs.String("admin1", "", "Natural Earth ne_10m_admin_1_states_provinces as GeoJSON (required)")
	places := fs.String("places", "", "GeoNames table: MX.txt or cities1000.txt, tab-separated (required)")
	out := fs.String("out", "assets/geo", "output directory")
	keep := fs.Float64("keep", 0.6, "share of the removable state-outline vertices kept by the simplification (0 < keep <= 1)")
	decimals := fs.Int("decimals", 4, "decimals kept in state-outline coordinates (4 is about 11 m)")
	wantStates := fs.Int("states", 32, "number of states the admin-1 file must yield")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *admin1 == "" || *places == "" || fs.NArg() > 0 || !(*keep > 0 && *keep <= 1) || *decimals < 0 || *decimals > 8 {
		fmt.Fprintln(stderr, "geodata: --admin1 and --places are required; --keep must be in (0, 1], --decimals in 0..8")
		fs.Usage()
		return 2
	}
	if err := build(*admin1, *places, *out, options{keep: *keep, decimals: *decimals, wantStates: *wantStates}, stdout); err != nil {
		fmt.Fprintln(stderr, "geodata:", err)
		return 1
	}
	return 0
}

type options struct {
	keep       float64
	decimals   int
	wantStates int
}

// build reads both sources, checks them and writes both files; nothing is
// written unless everything could be built.
func build(admin1Path, placesPath, outDir string, opt options, log io.Writer) error {
	af, err := os.Open(admin1Path)
	if err != nil {
		return err
	}
	defer af.Close()
	states, err := readStates(af, opt)
	if err != nil {
		return fmt.Errorf("%s: %w", admin1Path, err)
	}
	pf, err := os.Open(placesPath)
	if err != nil {
		return err
	}
	defer pf.Close()
	rows, skipped, err := readPlaces(pf, states)
	if err != nil {
		return fmt.Errorf("%s: %w", placesPath, err)
	}
	statesJSON, vertices := encodeStates(states)
	placesCSV := encodePlaces(rows)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	for name, data := range map[string][]byte{"mx_states.geojson": statesJSON, "mx_places.csv": placesCSV} {
		if err := os.WriteFile(filepath.Join(outDir, name), data, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(log, "mx_states.geojson: %d states, %d vertices, %d bytes\n", len(states), vertices, len(statesJSON))
	fmt.Fprintf(log, "mx_places.csv: %d places, %d bytes", len(rows), len(placesCSV))
	if skipped > 0 {
		fmt.Fprintf(log, " (%d populated places left out: no state for their admin1 code)", skipped)
	}
	fmt.Fprintln(log)
	return nil
}
