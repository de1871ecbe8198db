// Package geo holds Reparto's geospatial helpers: great-circle distances,
// the Mexican state polygons (which state is this point in?), the GeoNames
// populated places, a spatial index of campaign cities for assigning venues
// and the population left uncovered by a campaign.
//
// It is a pure library: no I/O beyond the io.Reader it is given, no HTTP,
// no SQL, and it does not import planner (planner imports geo).
package geo
