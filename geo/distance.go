package geo

import "math"

// EarthRadiusKm is the mean Earth radius (IUGG R1) used for every
// great-circle distance in Reparto (docs/planning.md#distances). Planner results are
// checked against this exact value, so it must not change.
const EarthRadiusKm = 6371.0088

// degToRad converts degrees to radians.
const degToRad = math.Pi / 180

// DistanceKm is the great-circle (haversine) distance in kilometres between
// two WGS84 points given in degrees, on a sphere of radius EarthRadiusKm,
// as docs/planning.md#distances defines it. Haversine is used rather than the spherical
// law of cosines because it stays accurate for the short distances (a few
// km between a venue and its city) that matter most here.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	return haversineKm(lat1, lon1, math.Cos(lat1*degToRad), lat2, lon2, math.Cos(lat2*degToRad))
}

// haversineKm is DistanceKm with the cosines of both latitudes given, so
// that SiteIndex can precompute them and still return bit for bit the
// same distances as DistanceKm (ties and radius limits depend on it).
func haversineKm(lat1, lon1, cosLat1, lat2, lon2, cosLat2 float64) float64 {
	dPhi := (lat2 - lat1) * degToRad
	dLambda := (lon2 - lon1) * degToRad
	s1 := math.Sin(dPhi / 2)
	s2 := math.Sin(dLambda / 2)
	h := s1*s1 + cosLat1*cosLat2*s2*s2
	// Rounding can push h a hair above 1 for antipodal points.
	h = math.Min(1, h)
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(h))
}
