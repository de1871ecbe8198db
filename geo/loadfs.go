package geo

import (
	"fmt"
	"io/fs"
)

// Shipped file names of the Mexican geodata in Reparto's assets.
const (
	StatesFile = "geo/mx_states.geojson"
	PlacesFile = "geo/mx_places.csv"
)

// LoadFS reads the state polygons and the populated places (states
// decided by point-in-polygon) from fsys, e.g. the embedded assets.
func LoadFS(fsys fs.FS, statesPath, placesPath string) (*StateIndex, []Place, error) {
	sf, err := fsys.Open(statesPath)
	if err != nil {
		return nil, nil, err
	}
	defer sf.Close()
	states, err := LoadStates(sf)
	if err != nil {
		return nil, nil, fmt.Errorf("load states %s: %w", statesPath, err)
	}
	pf, err := fsys.Open(placesPath)
	if err != nil {
		return nil, nil, err
	}
	defer pf.Close()
	places, err := LoadPlaces(pf, states)
	if err != nil {
		return nil, nil, fmt.Errorf("load places %s: %w", placesPath, err)
	}
	return states, places, nil
}
