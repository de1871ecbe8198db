package planner

import (
	"maps"
	"slices"
	"testing"
)

// replanCampaign is a small national campaign Compute can plan: four cities
// with 40 nightclubs and 5 shelters each, stock well above demand.
func replanCampaign() *Campaign {
	c := trCampaign()
	c.Depot = Depot{Name: "CDMX", Lat: 19.4326, Lon: -99.1332}
	c.Transport = Transport{RoadKmPerDay: 500, Circuity: 1.3, HandlingDays: 1}
	c.Surplus = SurplusSpread
	c.Materials[0].ReservePct = MustDecimal("10")
	c.Venues = nil
	city := func(code string, lat, lon float64, prio string) City {
		return City{Code: code, Lat: lat, Lon: lon, Priority: MustDecimal(prio), RadiusKm: 15}
	}
	c.Cities = []City{city("GDL", 20.6597, -103.3496, "1.5"), city("MTY", 25.6866, -100.3161, "1"),
		city("OAX", 17.0732, -96.7266, "1"), city("TAP", 14.9039, -92.2575, "2")}
	c.Targeting = []TargetingRule{{Material: "L3", Category: "NIGHTCLUB", PerVenue: 200}, {Material: "L3", Category: "SHELTER", PerVenue: 500},
		{Material: "P1", Category: "NIGHTCLUB", PerVenue: 5}, {Material: "P1", Category: "SHELTER", PerVenue: 20}}
	for _, k := range c.Cities {
		c.VenueCounts = append(c.VenueCounts, VenueCount{City: k.Code, Category: "NIGHTCLUB", Count: 40},
			VenueCount{City: k.Code, Category: "SHELTER", Count: 5})
	}
	return c
}

func replanMustCompute(t *testing.T, c *Campaign) *Plan {
	t.Helper()
	p, err := Compute(c)
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	return p
}

func cityCells(p *Plan, city string) map[CellKey]int64 {
	out := map[CellKey]int64{}
	for _, c := range p.Cells {
		if c.City == city {
			out[CellKey{c.Material, c.City, c.Category}] = c.Pieces
		}
	}
	return out
}

// TestReplanNeverChangesDispatched dispatches the first two shipments of
// version 1, then changes priorities and demand, adds a city and releases
// the reserve: version 2 must give the dispatched cities exactly what left.
func TestReplanNeverChangesDispatched(t *testing.T) {
	c := replanCampaign()
	v1 := replanMustCompute(t, c)
	shipments := ShipmentsFromPlan(v1, 1)
	if len(shipments) != 4 {
		t.Fatalf("version 1 has %d shipments, want 4", len(shipments))
	}
	for i := range shipments {
		shipments[i].ID = int64(i + 1)
	}
	for i := range 2 {
		e := evDispatched(int64(10+i), "2009-03-02")
		e.Boxes = shipments[i].Boxes
		shipments[i].Events = []Event{e}
	}
	dispatched := []string{shipments[0].City, shipments[1].City}

	c2 := replanCampaign()
	for i := range c2.Cities {
		c2.Cities[i].Priority = MustDecimal("5")
	}
	for i := range c2.VenueCounts {
		c2.VenueCounts[i].Count *= 2
	}
	c2.Cities = append(c2.Cities, City{Code: "PUE", Lat: 19.0414, Lon: -98.2063, Priority: MustDecimal("1"), RadiusKm: 15})
	c2.VenueCounts = append(c2.VenueCounts, VenueCount{City: "PUE", Category: "NIGHTCLUB", Count: 30})

	if naive := replanMustCompute(t, c2); maps.Equal(cityCells(naive, dispatched[0]), cityCells(v1, dispatched[0])) {
		t.Fatal("the changes do not move the dispatched city without locks: the test proves nothing")
	}
	in, err := ReplanInput(c2, v1, shipments, ReplanOptions{ReleaseReserve: true})
	if err != nil {
		t.Fatal(err)
	}
	v2 := replanMustCompute(t, in)

	for _, city := range dispatched {
		before, after := cityCells(v1, city), cityCells(v2, city)
		for k, n := range after {
			if before[k] != n {
				t.Errorf("%v: %d pieces in version 2, %d dispatched", k, n, before[k])
			}
		}
		for k, n := range before {
			if after[k] != n {
				t.Errorf("%v: %d dispatched, %d in version 2", k, n, after[k])
			}
		}
	}
	for _, m := range v2.Materials {
		if m.Reserve != 0 {
			t.Errorf("%s keeps a reserve of %d after release", m.Code, m.Reserve)
		}
	}
	update, create, cancel := ReconcileShipments(shipments, v2, 2)
	for _, u := range update {
		if slices.Contains(dispatched, u.City) {
			t.Errorf("dispatched shipment to %s rewritten", u.City)
		}
	}
	if len(update) != 2 || len(create) != 1 || create[0].City != "PUE" || len(cancel) != 0 {
		t.Errorf("reconcile: update %v, create %v, cancel %v", trCities(update), trCities(create), cancel)
	}
	// re-planning again from version 2 keeps the same dispatched quantities
	for i := range shipments[:2] {
		shipments[i].PlanVersion = 2
	}
	if _, err := ReplanInput(c2, v2, shipments, ReplanOptions{}); err != nil {
		t.Errorf("re-plan from version 2: %v", err)
	}
}
