package api

import (
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
	states, places, err := geo.LoadFS(assets.FS, geo.StatesFile, geo.PlacesFile)
	if err != nil {
		return nil, err
	}
	return &geoData{states: states, places: places}, nil
}
