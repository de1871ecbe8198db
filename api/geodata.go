package api

import (
	"fmt"
	"sync"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/geo"
)

// geoData is the shipped geography: state polygons and populated places
// (with states decided by point-in-polygon). Loaded once at start-up.
type geoData struct {
	states *geo.StateIndex
	places []geo.Place
}

// The shipped geography never changes while the binary runs, so every
// Server in the process (tests start many) shares one copy.
var (
	geoOnce   sync.Once
	geoShared *geoData
	geoErr    error
)

func loadGeoData() (*geoData, error) {
	geoOnce.Do(func() { geoShared, geoErr = readGeoData() })
	return geoShared, geoErr
}

func readGeoData() (*geoData, error) {
	sf, err := assets.FS.Open("geo/mx_states.geojson")
	if err != nil {
		return nil, err
	}
	defer sf.Close()
	states, err := geo.LoadStates(sf)
	if err != nil {
		return nil, fmt.Errorf("load states: %w", err)
	}
	pf, err := assets.FS.Open("geo/mx_places.csv")
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	places, err := geo.LoadPlaces(pf, states)
	if err != nil {
		return nil, fmt.Errorf("load places: %w", err)
	}
	return &geoData{states: states, places: places}, nil
}
