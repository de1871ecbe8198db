// Package mapdata is the coverage map surface: the map page and the
// GeoJSON/JSON layers it draws (states, cities, venues, gaps) under
// /api/v1/campaigns/:id/map. A new map layer is one more handler here,
// registered in Routes; it gets what it needs through Deps, which the top
// package api fills. It imports api/web and api/resolve, never a sibling
// surface.
package mapdata
