package planner

import (
	"encoding/json"
	"fmt"
	"sort"
)

// VenueCities is the city the planner assigned each registered venue, by
// venue id; unassigned venues are not in it. A nil *VenueCities has no
// venue (a plan restored from storage).
//
// When the campaign lists its venues in id order (registry imports,
// gendemo) it is two slices searched by halving instead of a map: a
// national campaign has a million venues, and the map was a third of the
// CPU and of the allocations of its plan.
type VenueCities struct {
	byID  map[string]string // venues not in id order; nil otherwise
	ids   []string          // sorted ascending, no repeats
	city  []int32           // index in codes per ids[i], -1 unassigned
	codes []string
	n     int // assigned venues
}

// NewVenueCities is m (venue id -> city code) as a VenueCities; it keeps m.
func NewVenueCities(m map[string]string) *VenueCities {
	return &VenueCities{byID: m}
}

// City is the city code of venue id, ok false when the venue is not
// assigned or not known.
func (v *VenueCities) City(id string) (city string, ok bool) {
	if v == nil {
		return "", false
	}
	if v.byID != nil {
		city, ok = v.byID[id]
		return city, ok
	}
	i := sort.SearchStrings(v.ids, id)
	if i == len(v.ids) || v.ids[i] != id || v.city[i] < 0 {
		return "", false
	}
	return v.codes[v.city[i]], true
}

// CityAt is City for a venue that was at position i of the campaign's
// venues: when the campaign has not changed since the plan, the venue is
// still there and no search is needed.
func (v *VenueCities) CityAt(i int, id string) (city string, ok bool) {
	if v != nil && v.byID == nil && i >= 0 && i < len(v.ids) && v.ids[i] == id {
		if k := v.city[i]; k >= 0 {
			return v.codes[k], true
		}
		return "", false
	}
	return v.City(id)
}

// Len is the number of assigned venues.
func (v *VenueCities) Len() int {
	if v == nil {
		return 0
	}
	if v.byID != nil {
		return len(v.byID)
	}
	return v.n
}

// Map is a new map of venue id to city code, for callers that want one.
func (v *VenueCities) Map() map[string]string {
	if v == nil {
		return nil
	}
	m := make(map[string]string, v.Len())
	if v.byID != nil {
		for id, k := range v.byID {
			m[id] = k
		}
		return m
	}
	for i, id := range v.ids {
		if k := v.city[i]; k >= 0 {
			m[id] = v.codes[k]
		}
	}
	return m
}

// String prints the venues as fmt prints a map of them: tests and logs
// compare it.
func (v *VenueCities) String() string { return fmt.Sprint(v.Map()) }

// MarshalJSON writes the venues as the JSON object of id to city code,
// keys in order: byte for byte what the map this type replaced wrote, so
// stored plan versions read back the same either way.
func (v *VenueCities) MarshalJSON() ([]byte, error) {
	if v == nil {
		return []byte("null"), nil
	}
	if v.byID != nil {
		return json.Marshal(v.byID)
	}
	codes := make([][]byte, len(v.codes)) // each city's code encoded once
	for k, code := range v.codes {
		b, err := json.Marshal(code)
		if err != nil {
			return nil, fmt.Errorf("venue city %q: %w", code, err)
		}
		codes[k] = b
	}
	out := append(make([]byte, 0, 2+v.n*(len(`"":,`)+16)), '{')
	for i, id := range v.ids {
		k := v.city[i]
		if k < 0 {
			continue
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		b, err := json.Marshal(id)
		if err != nil {
			return nil, fmt.Errorf("venue id %q: %w", id, err)
		}
		out = append(append(append(out, b...), ':'), codes[k]...)
	}
	return append(out, '}'), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (v *VenueCities) UnmarshalJSON(b []byte) error {
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("venue cities: %w", err)
	}
	*v = VenueCities{byID: m}
	return nil
}
