package resolve

import (
	"sync"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/geo"
)

// Geo is the shipped geography: state polygons and populated places
// (with states decided by point-in-polygon). Loaded once at start-up.
type Geo struct {
	States *geo.StateIndex
	Places []geo.Place
}

// The shipped geography never changes while the binary runs, so every
// Server in the process (tests start many) shares one copy.
var (
	geoOnce   sync.Once
	geoShared *Geo
	geoErr    error
)

// LoadGeo returns the shipped geography, read on first use.
func LoadGeo() (*Geo, error) {
	geoOnce.Do(func() { geoShared, geoErr = readGeoData() })
	return geoShared, geoErr
}

func readGeoData() (*Geo, error) {
	states, places, err := geo.LoadFS(assets.FS, geo.StatesFile, geo.PlacesFile)
	if err != nil {
		return nil, err
	}
	return &Geo{States: states, Places: places}, nil
}
