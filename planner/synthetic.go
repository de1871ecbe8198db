package planner

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand"
	"strconv"
	"time"
)

// SynthesizeNational builds a campaign of national size for benchmarks
// and for `gendemo -national` (the file that `reparto plan` and `reparto
// import` are measured on): 2,500 cities taken from the first (most
// populous) rows of places, a table in the form of assets/geo/mx_places.csv, 25 venue categories, 19 materials targeting 6
// categories each, and the given number of venues known only by their
// coordinates, scattered around cities in proportion to √population (about
// one in ten beyond every radius). Decimal priorities, a few locks and
// stock from 70% to 130% of demand exercise every branch of the planner.
// The same venues and seed give the same campaign on every run.
func SynthesizeNational(places io.Reader, venues int, seed int64) (*Campaign, error) {
	rng := rand.New(rand.NewSource(seed))
	rows, err := readSyntheticPlaces(places, 2500)
	if err != nil {
		return nil, err
	}
	c := &Campaign{
		Name: "synthetic national", Start: NewDate(2009, 1, 12), Deadline: NewDate(2009, 3, 31),
		Depot: Depot{Name: "CDMX", Lat: 19.4326, Lon: -99.1332},
		Dispatch: Dispatch{BoxesPerDay: 400, WorkDays: []time.Weekday{
			time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}},
		Transport:             Transport{RoadKmPerDay: 500, Circuity: 1.3, HandlingDays: 1},
		LocalDistributionDays: 5, Surplus: SurplusSpread,
	}
	priorities := []string{"1", "1", "1", "1.5", "2", "0.75", "1.1", "3"}
	weights := make([]float64, len(rows))
	var totalWeight float64
	for i, p := range rows {
		c.Cities = append(c.Cities, City{Code: fmt.Sprintf("K%04d", i), Name: p.name, State: p.state, Lat: p.lat, Lon: p.lon,
			Priority: MustDecimal(priorities[rng.Intn(len(priorities))]), RadiusKm: float64(10 + rng.Intn(16))})
		weights[i] = math.Sqrt(p.population)
		totalWeight += weights[i]
	}
	for i := range 25 {
		c.Categories = append(c.Categories, VenueCategory{Code: fmt.Sprintf("CAT%02d", i), Name: "category"})
	}
	cumulative := make([]float64, len(weights))
	acc := 0.0
	for i, w := range weights {
		acc += w / totalWeight
		cumulative[i] = acc
	}
	perCat := make([]int64, 25)
	for i := range venues {
		k := c.Cities[searchFloat(cumulative, rng.Float64())]
		cat := rng.Intn(25)
		perCat[cat]++
		// Normal scatter with σ = 7 km: about one venue in ten lies beyond 15 km.
		dLat := rng.NormFloat64() * 7 / 111.2
		dLon := rng.NormFloat64() * 7 / (111.2 * math.Cos(k.Lat*math.Pi/180))
		c.Venues = append(c.Venues, Venue{ID: fmt.Sprintf("v%07d", i), Name: "venue", Category: c.Categories[cat].Code,
			Lat: k.Lat + dLat, Lon: k.Lon + dLon})
	}
	for i := range 19 {
		code := fmt.Sprintf("MAT%02d", i)
		pack := []int64{25, 50, 100, 10, 1}[i%5]
		var demand int64
		for _, cat := range rng.Perm(25)[:6] {
			pv := 1 + rng.Int63n(50)
			c.Targeting = append(c.Targeting, TargetingRule{Material: code, Category: c.Categories[cat].Code, PerVenue: pv})
			demand += pv * perCat[cat]
		}
		printed := demand * int64(70+rng.Intn(61)) / 100 // 70% to 130% of demand, roughly
		c.Materials = append(c.Materials, Material{Code: code, Name: code, Printed: printed,
			ReservePct: MustDecimal([]string{"0", "2", "2.5"}[i%3]), PackSize: pack, PacksPerBox: 20})
		k, cat := c.Cities[rng.Intn(len(c.Cities))], c.Targeting[len(c.Targeting)-1].Category
		c.Locks = append(c.Locks, Lock{Material: code, City: k.Code, Category: cat, Pieces: pack * 10})
	}
	return c, nil
}

type syntheticPlace struct {
	name, state          string
	lat, lon, population float64
}

// readSyntheticPlaces reads the first n rows of a places table.
func readSyntheticPlaces(r io.Reader, n int) ([]syntheticPlace, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read places: %w", err)
	}
	var out []syntheticPlace
	if len(rows) < 2 {
		return nil, errors.New("read places: no rows")
	}
	for _, r := range rows[1:min(n+1, len(rows))] { // geonames_id,name,state_code,state_name,lat,lon,population
		if len(r) < 7 {
			return nil, fmt.Errorf("bad place row %v", r)
		}
		lat, err1 := strconv.ParseFloat(r[4], 64)
		lon, err2 := strconv.ParseFloat(r[5], 64)
		pop, err3 := strconv.ParseFloat(r[6], 64)
		if err1 != nil || err2 != nil || err3 != nil {
			return nil, fmt.Errorf("bad place row %v", r)
		}
		out = append(out, syntheticPlace{name: r[1], state: r[2], lat: lat, lon: lon, population: pop})
	}
	return out, nil
}

// searchFloat returns the first index whose cumulative value exceeds x.
func searchFloat(cumulative []float64, x float64) int {
	lo, hi := 0, len(cumulative)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if cumulative[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}
