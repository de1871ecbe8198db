package planio

import (
	"bytes"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/reparto/reparto/planner"
)

// planningExample is the example of docs/campaign-file.md#example.
const planningExample = `{
  "campaign": {
    "name": "Campaña nacional contra la trata 2009",
    "start": "2009-01-12",
    "deadline": "2009-03-31",
    "as_of": "2009-03-20",
    "depot": {"name": "CDMX", "lat": 19.4326, "lon": -99.1332},
    "dispatch": {"boxes_per_day": 400, "work_days": ["Mon","Tue","Wed","Thu","Fri"], "holidays": ["2009-02-02"]},
    "transport": {"road_km_per_day": 500, "circuity": 1.3, "handling_days": 1},
    "local_distribution_days": 5,
    "surplus": "spread"
  },
  "materials": [{"code": "L3-DEMAND", "name": "Tríptico: la trata es un delito", "format": "leaflet",
                 "audience": "demand", "printed": 900000, "reserve_pct": 2,
                 "pack_size": 100, "packs_per_box": 20, "piece_grams": 6}],
  "venue_categories": [{"code": "NIGHTCLUB", "name": "Centros nocturnos", "group": "nightlife", "sensitive": false}],
  "targeting": [{"material": "L3-DEMAND", "category": "NIGHTCLUB", "per_venue": 200}],
  "cities": [{"code": "TAP", "name": "Tapachula", "state": "MX-CHP", "lat": 14.9039, "lon": -92.2575,
              "population": 202672, "priority": 2.0, "radius_km": 15}],
  "venue_counts": [{"city": "TAP", "category": "NIGHTCLUB", "count": 40}],
  "venues": [{"id": "v-000123", "name": "…", "category": "NIGHTCLUB", "lat": 14.90, "lon": -92.26,
              "city": "TAP", "confidential": false}],
  "locks": [{"material": "L3-DEMAND", "city": "TAP", "category": "NIGHTCLUB", "pieces": 10000}]
}`

func TestMarshalCampaignFormat(t *testing.T) {
	c := &planner.Campaign{
		ID: 7, Name: "Mini", Start: planner.NewDate(2009, 1, 12), Deadline: planner.NewDate(2009, 3, 31),
		Depot:                 planner.Depot{Name: "CDMX", Lat: 19.5, Lon: -99},
		Dispatch:              planner.Dispatch{BoxesPerDay: 400, WorkDays: []time.Weekday{time.Monday, time.Friday}},
		Transport:             planner.Transport{RoadKmPerDay: 500, Circuity: 1.3, HandlingDays: 1},
		LocalDistributionDays: 5, Surplus: planner.SurplusSpread,
		Materials: []planner.Material{{Code: "L3", Name: "Tríptico & más", Printed: 1000, PackSize: 100, PacksPerBox: 20}},
		Cities:    []planner.City{{Code: "TAP", Name: "Tapachula", Lat: 14.9, Lon: -92.25, Priority: planner.MustDecimal("1.10"), RadiusKm: 15}},
	}
	// Written by hand in the key order of docs/campaign-file.md: optional keys left out,
	// defaults written, decimals as their literal, "&" not escaped.
	want := `{
  "campaign": {
    "name": "Mini",
    "start": "2009-01-12",
    "deadline": "2009-03-31",
    "depot": {
      "name": "CDMX",
      "lat": 19.5,
      "lon": -99
    },
    "dispatch": {
      "boxes_per_day": 400,
      "work_days": [
        "Mon",
        "Fri"
      ],
      "holidays": []
    },
    "transport": {
      "road_km_per_day": 500,
      "circuity": 1.3,
      "handling_days": 1
    },
    "local_distribution_days": 5,
    "surplus": "spread"
  },
  "materials": [
    {
      "code": "L3",
      "name": "Tríptico & más",
      "printed": 1000,
      "pack_size": 100,
      "packs_per_box": 20
    }
  ],
  "venue_categories": [],
  "targeting": [],
  "cities": [
    {
      "code": "TAP",
      "name": "Tapachula",
      "lat": 14.9,
      "lon": -92.25,
      "priority": 1.10,
      "radius_km": 15
    }
  ],
  "venue_counts": [],
  "venues": [],
  "locks": []
}
`
	got, err := MarshalCampaign(c)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("MarshalCampaign:\n%s\nwant:\n%s", got, want)
	}
}

// fullCampaign sets every field of the file format, extensions included.
func fullCampaign() *planner.Campaign {
	asOf := planner.NewDate(2009, 3, 20)
	pop := int64(202672)
	grams := planner.MustDecimal("6.5")
	return &planner.Campaign{
		Name: "Campaña 2009", Start: planner.NewDate(2009, 1, 12), Deadline: planner.NewDate(2009, 3, 31), AsOf: &asOf,
		Depot: planner.Depot{Name: "CDMX", Lat: 19.4326, Lon: -99.1332},
		Dispatch: planner.Dispatch{BoxesPerDay: 400, WorkDays: []time.Weekday{time.Sunday, time.Wednesday, time.Saturday},
			Holidays: []planner.Date{planner.NewDate(2009, 2, 2), planner.NewDate(2009, 3, 16)}},
		Transport:             planner.Transport{RoadKmPerDay: 450.5, Circuity: 1.25, HandlingDays: 2},
		LocalDistributionDays: 7, Surplus: planner.SurplusReserve,
		Materials: []planner.Material{
			{Code: "L3", Name: "Tríptico", Format: "leaflet", Audience: "demand", Printed: 900000,
				ReservePct: planner.MustDecimal("2.50"), PackSize: 100, PacksPerBox: 20, PieceGrams: &grams},
			{Code: "P1", Name: "Cartel", Printed: 500, ReservePct: planner.MustDecimal("0"), PackSize: 10, PacksPerBox: 5},
		},
		Categories: []planner.VenueCategory{{Code: "SHELTER", Name: "Albergues", Group: "ngo", Sensitive: true}},
		Targeting:  []planner.TargetingRule{{Material: "L3", Category: "SHELTER", PerVenue: 200}},
		Cities: []planner.City{{Code: "TAP", Name: "Tapachula", State: "MX-CHP", Lat: 14.9039, Lon: -92.2575,
			Population: &pop, Priority: planner.MustDecimal("1.1"), RadiusKm: 12.5, Note: "frontera sur"}},
		VenueCounts: []planner.VenueCount{{City: "TAP", Category: "SHELTER", Count: 4, Estimated: true}},
		Venues: []planner.Venue{{ID: "v-1", Name: "Casa <A>", Category: "SHELTER", Lat: 14.9, Lon: -92.26,
			City: "TAP", Address: "Calle 1", Confidential: true}},
		Locks: []planner.Lock{{Material: "L3", City: "TAP", Category: "SHELTER", Pieces: 1000}},
	}
}

func TestMarshalCampaignRoundTrip(t *testing.T) {
	c := fullCampaign()
	if err := c.Validate(); err != nil {
		t.Fatalf("full campaign invalid: %v", err)
	}
	b, err := MarshalCampaign(c)
	if err != nil {
		t.Fatal(err)
	}
	got := mustParse(t, string(b))
	if !reflect.DeepEqual(got, c) {
		t.Fatalf("round trip:\n got %+v\nwant %+v\nfile:\n%s", got, c, b)
	}
}

// TestMarshalParseIsStable checks Marshal∘Parse on files: the written file
// reads back as the same campaign and writing it again changes nothing.
func TestMarshalParseIsStable(t *testing.T) {
	for name, text := range map[string]string{"planning example": planningExample, "base": baseCampaign} {
		t.Run(name, func(t *testing.T) {
			c := mustParse(t, text)
			b1, err := MarshalCampaign(c)
			if err != nil {
				t.Fatal(err)
			}
			c2 := mustParse(t, string(b1))
			if !reflect.DeepEqual(c2, c) {
				t.Fatalf("parse(marshal(c)) != c:\n got %+v\nwant %+v", c2, c)
			}
			b2, err := MarshalCampaign(c2)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b1, b2) {
				t.Fatalf("second write differs:\n%s\nfirst:\n%s", b2, b1)
			}
		})
	}
}

func TestMarshalCampaignRejectsUnrepresentable(t *testing.T) {
	tests := map[string]func(c *planner.Campaign){
		"NaN latitude": func(c *planner.Campaign) { c.Cities[0].Lat = math.NaN() },
		"bad weekday":  func(c *planner.Campaign) { c.Dispatch.WorkDays = []time.Weekday{7} },
	}
	for name, change := range tests {
		t.Run(name, func(t *testing.T) {
			c := fullCampaign()
			change(c)
			if _, err := MarshalCampaign(c); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}
