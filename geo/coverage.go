package geo

// MexicoCityGeonamesID is the GeoNames id of the capital's own row
// ("Mexico City", 12,294,193 inhabitants), which already counts the
// people of every alcaldía and colonia GeoNames also lists separately.
const MexicoCityGeonamesID = 3530597

// mexicoCityState is the ISO 3166-2 code of Ciudad de México.
const mexicoCityState = "MX-CMX"

// Uncovered is one state's population reach: Population and Places count
// the places taken into account, Uncovered and UncoveredPlaces those
// farther than the cut-off from every campaign city.
type Uncovered struct {
	State           string `json:"state"`
	Population      int64  `json:"population"`
	Uncovered       int64  `json:"uncovered"`
	Places          int    `json:"places"`
	UncoveredPlaces int    `json:"uncovered_places"`
}

// UncoveredPopulation totals, per state (the place's polygon State), the
// population of places and the part of it farther than maxKm (great-circle)
// from every site in sites, regardless of the sites' own radii: it answers
// "how many people live far from any campaign city?". With a nil or empty
// index every place is uncovered.
//
// Mexico City is not counted twice. GeoNames lists the capital once as a
// city (MexicoCityGeonamesID) and again as 37 alcaldías, colonias and
// pueblos, plus one colonia (Lindavista) coded State of Mexico that lies in
// the CDMX polygon. When the capital row is among places, every other place
// whose GeoNames state or polygon state is Ciudad de México is skipped:
// its people are in the capital's figure, and the capital is judged covered
// or not by its own point (the centre). Azcapotzalco, whose point falls
// just inside the State of Mexico outline, is therefore skipped too rather
// than added to the State of Mexico. Without the capital row (a partial
// list) nothing is skipped. Elsewhere GeoNames' 32 "section of populated
// place" rows cannot be told apart in the places file and are counted.
func UncoveredPopulation(places []Place, sites *SiteIndex, maxKm float64) map[string]Uncovered {
	hasCapital := false
	for i := range places {
		if places[i].GeonamesID == MexicoCityGeonamesID {
			hasCapital = true
			break
		}
	}
	// Totals accumulate in a slice, one entry per state: a map read and
	// write per place cost more than the coverage test itself. Places of
	// a state share its code string, so the last state is recognised
	// without hashing, and a small direct-mapped cache on the code's last
	// two bytes (confirmed by comparing the code) finds most others: the
	// places come by population, so the state changes at almost every
	// place. Places are read where they lie, not copied.
	var totals []Uncovered
	at := make(map[string]int)
	var recent [64]int32 // 1 + index in totals; 0: empty
	last, lastAt := "", -1
	hint := int32(-1) // the site that covered the previous place
	mask := newCoverMask(sites, maxKm)
	for n := range places {
		p := &places[n]
		if hasCapital && partOfMexicoCity(p) {
			continue
		}
		if lastAt < 0 || p.State != last {
			h := stateSlot(p.State)
			i := int(recent[h]) - 1
			if i < 0 || totals[i].State != p.State {
				var ok bool
				if i, ok = at[p.State]; !ok {
					i = len(totals)
					at[p.State] = i
					totals = append(totals, Uncovered{State: p.State})
				}
				recent[h] = int32(i + 1)
			}
			last, lastAt = p.State, i
		}
		u := &totals[lastAt]
		u.Population += p.Population
		u.Places++
		covered := false
		if sites != nil {
			var ok bool
			if covered, ok = mask.anyWithin(p.Lat, p.Lon); !ok {
				covered = sites.anyWithin(p.Lat, p.Lon, maxKm, &hint)
			}
		}
		if !covered {
			u.Uncovered += p.Population
			u.UncoveredPlaces++
		}
	}
	out := make(map[string]Uncovered, len(totals))
	for _, u := range totals {
		out[u.State] = u
	}
	return out
}

// stateSlot is a state code's place in UncoveredPopulation's cache: ISO
// 3166-2 codes differ in their last letters.
func stateSlot(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	return (int(s[len(s)-1])*8 ^ int(s[len(s)-2])) & 63
}

// partOfMexicoCity reports whether p is a sub-place whose people the
// capital row already counts.
func partOfMexicoCity(p *Place) bool {
	return p.GeonamesID != MexicoCityGeonamesID &&
		(p.GeonamesState == mexicoCityState || p.State == mexicoCityState)
}
