// Package geo holds Reparto's geospatial helpers: great-circle distances,
// the Mexican state polygons (which state is this point in?), the GeoNames
// populated places, a spatial index of campaign cities for assigning venues,
// the population left uncovered by a campaign and the visiting order of a
// city's venues (PlanTour).
//
// It is a pure library: no I/O beyond the io.Reader it is given, no HTTP,
// no SQL, and it does not import planner (planner imports geo).
package geo
