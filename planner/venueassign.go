package planner

import (
	"cmp"
	"context"
	"slices"
)

// AssignedCities returns, for each venue, the code of the city a plan
// delivers it to (docs/planning.md#venue-assignment): its own city when it names one, else
// the nearest city whose radius reaches it, "" when none does. It is the
// planner's own assignment (nearestCities, as Compute uses), so a list of
// venues can show what a plan will do with each.
func AssignedCities(cities []City, venues []Venue) []string {
	ix := &campaignIndex{cities: slices.Clone(cities)}
	slices.SortFunc(ix.cities, func(a, b City) int { return cmp.Compare(a.Code, b.Code) })
	nearest := nearestCities(context.Background(), ix, venues)
	out := make([]string, len(venues))
	for i, v := range venues {
		switch {
		case v.City != "":
			out[i] = v.City
		case nearest[i] >= 0:
			out[i] = ix.cities[nearest[i]].Code
		}
	}
	return out
}
