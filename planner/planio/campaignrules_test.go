package planio

import "testing"

// The rules of docs/campaign-file.md as a file states them: each case is
// a campaign file, read and validated in one pass, and the error is the
// one a user of `reparto plan` sees.

func TestBaseCampaignIsValid(t *testing.T) {
	mustParse(t, baseCampaign)
}

// TestValidationRules has one case per rule: a mutation of baseCampaign,
// the path of the first error and a fragment of its message.
func TestValidationRules(t *testing.T) {
	tests := []struct {
		name  string
		edits []edit
		path  string
		msg   string
	}{
		// campaign
		{"campaign required", []edit{del("campaign")}, "campaign", "is required"},
		{"campaign name required", []edit{del("campaign.name")}, "campaign.name", "is required"},
		{"campaign name not empty", []edit{set("campaign.name", `""`)}, "campaign.name", "must not be empty"},
		{"start required", []edit{del("campaign.start")}, "campaign.start", "is required"},
		{"start is a date", []edit{set("campaign.start", `"2009-02-30"`)}, "campaign.start", "must be a date YYYY-MM-DD"},
		{"deadline required", []edit{del("campaign.deadline")}, "campaign.deadline", "is required"},
		{"deadline not before start", []edit{set("campaign.deadline", `"2009-01-11"`)}, "campaign.deadline", "must not be before start (2009-01-12)"},
		{"as_of is a date", []edit{set("campaign.as_of", `"20 March 2009"`)}, "campaign.as_of", "must be a date YYYY-MM-DD"},
		{"depot required", []edit{del("campaign.depot")}, "campaign.depot", "is required"},
		{"depot name required", []edit{del("campaign.depot.name")}, "campaign.depot.name", "is required"},
		{"depot lat required", []edit{del("campaign.depot.lat")}, "campaign.depot.lat", "is required"},
		{"depot lon required", []edit{del("campaign.depot.lon")}, "campaign.depot.lon", "is required"},
		{"depot lat range", []edit{set("campaign.depot.lat", "90.01")}, "campaign.depot.lat", "must be between -90 and 90"},
		{"depot lon range", []edit{set("campaign.depot.lon", "-180.5")}, "campaign.depot.lon", "must be between -180 and 180"},
		{"dispatch required", []edit{del("campaign.dispatch")}, "campaign.dispatch", "is required"},
		{"boxes_per_day required", []edit{del("campaign.dispatch.boxes_per_day")}, "campaign.dispatch.boxes_per_day", "is required"},
		{"boxes_per_day >= 1", []edit{set("campaign.dispatch.boxes_per_day", "0")}, "campaign.dispatch.boxes_per_day", "must be >= 1"},
		{"at least one work day", []edit{set("campaign.dispatch.work_days", "[]")}, "campaign.dispatch.work_days", "at least one work day"},
		{"work day names", []edit{set("campaign.dispatch.work_days", `["Mon","Funday"]`)}, "campaign.dispatch.work_days[1]", "must be one of Mon, Tue"},
		{"work day names are case-sensitive", []edit{set("campaign.dispatch.work_days", `["mon"]`)}, "campaign.dispatch.work_days[0]", "must be one of"},
		{"work days unique", []edit{set("campaign.dispatch.work_days", `["Tue","Mon","Tue"]`)}, "campaign.dispatch.work_days[2]", `duplicate day "Tue"`},
		{"holidays are dates", []edit{set("campaign.dispatch.holidays", `["2009-13-01"]`)}, "campaign.dispatch.holidays[0]", "must be a date"},
		{"holidays unique", []edit{set("campaign.dispatch.holidays", `["2009-02-02","2009-02-02"]`)}, "campaign.dispatch.holidays[1]", `duplicate date "2009-02-02"`},
		{"road_km_per_day > 0", []edit{set("campaign.transport", `{"road_km_per_day": 0}`)}, "campaign.transport.road_km_per_day", "must be a number between 1 and 5000"},
		{"circuity >= 1", []edit{set("campaign.transport", `{"circuity": 0.99}`)}, "campaign.transport.circuity", "must be a number between 1 and 5"},
		{"handling_days >= 0", []edit{set("campaign.transport", `{"handling_days": -1}`)}, "campaign.transport.handling_days", "must be between 0 and 365"},
		{"local_distribution_days >= 0", []edit{set("campaign.local_distribution_days", "-1")}, "campaign.local_distribution_days", "must be between 0 and 365"},
		{"surplus spread or reserve", []edit{set("campaign.surplus", `"hoard"`)}, "campaign.surplus", `must be "spread" or "reserve"`},

		// materials
		{"material code required", []edit{del("materials[0].code")}, "materials[0].code", "is required"},
		{"material code form", []edit{set("materials[0].code", `"L 3"`)}, "materials[0].code", "must be 1 to 32 letters"},
		{"material code length", []edit{set("materials[0].code", `"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"`)}, "materials[0].code", "must be 1 to 32 letters"},
		{"material code unique", []edit{set("materials[1].code", `"L3"`)}, "materials[1].code", `duplicate code "L3"`},
		{"material name required", []edit{del("materials[1].name")}, "materials[1].name", "is required"},
		{"printed required", []edit{del("materials[0].printed")}, "materials[0].printed", "is required"},
		{"printed >= 0", []edit{set("materials[1].printed", "-1")}, "materials[1].printed", "must be >= 0"},
		{"printed is whole", []edit{set("materials[1].printed", "2.5")}, "materials[1].printed", "must be an integer"},
		{"reserve_pct >= 0", []edit{set("materials[0].reserve_pct", "-0.5")}, "materials[0].reserve_pct", "must be between 0 and 50"},
		{"reserve_pct <= 50", []edit{set("materials[0].reserve_pct", "50.01")}, "materials[0].reserve_pct", "must be between 0 and 50"},
		{"pack_size required", []edit{del("materials[0].pack_size")}, "materials[0].pack_size", "is required"},
		{"pack_size >= 1", []edit{set("materials[1].pack_size", "0")}, "materials[1].pack_size", "must be >= 1"},
		{"packs_per_box required", []edit{del("materials[0].packs_per_box")}, "materials[0].packs_per_box", "is required"},
		{"packs_per_box >= 1", []edit{set("materials[0].packs_per_box", "0")}, "materials[0].packs_per_box", "must be >= 1"},
		{"piece_grams > 0", []edit{set("materials[0].piece_grams", "0")}, "materials[0].piece_grams", "must be > 0"},
		{"locks within printed - reserve", []edit{set("locks[0].pieces", "9900")}, "materials[0]", `locks of "L3" total 9900 pieces, more than printed minus reserve (9800)`},
		{"reserve rounds up", []edit{set("materials[0].printed", "10050"), set("materials[0].reserve_pct", "1"), set("locks[0].pieces", "10000")},
			"materials[0]", "(9949)"}, // ceil(100.5) = 101

		// venue categories
		{"category code required", []edit{del("venue_categories[0].code")}, "venue_categories[0].code", "is required"},
		{"category code unique", []edit{set("venue_categories[1].code", `"NIGHTCLUB"`)}, "venue_categories[1].code", `duplicate code "NIGHTCLUB"`},
		{"category name required", []edit{del("venue_categories[0].name")}, "venue_categories[0].name", "is required"},

		// targeting
		{"targeting material exists", []edit{set("targeting[1].material", `"P2"`)}, "targeting[1].material", `unknown material "P2"`},
		{"targeting category exists", []edit{set("targeting[1].category", `"BAR"`)}, "targeting[1].category", `unknown category "BAR"`},
		{"targeting material required", []edit{del("targeting[0].material")}, "targeting[0].material", "is required"},
		{"per_venue required", []edit{del("targeting[0].per_venue")}, "targeting[0].per_venue", "is required"},
		{"per_venue >= 0", []edit{set("targeting[0].per_venue", "-1")}, "targeting[0].per_venue", "must be >= 0"},
		{"targeting rows unique", []edit{set("targeting[1]", `{"material":"L3","category":"NIGHTCLUB","per_venue":1}`)}, "targeting[1]", `duplicate targeting row for material "L3" and category "NIGHTCLUB"`},

		// cities
		{"city code required", []edit{del("cities[1].code")}, "cities[1].code", "is required"},
		{"city code unique", []edit{set("cities[1].code", `"TAP"`)}, "cities[1].code", `duplicate code "TAP"`},
		{"city codes are case-sensitive", []edit{set("cities[1].code", `"tap"`), set("venue_counts[1].city", `"tap"`)}, "", ""},
		{"city name required", []edit{del("cities[0].name")}, "cities[0].name", "is required"},
		{"city lat required", []edit{del("cities[0].lat")}, "cities[0].lat", "is required"},
		{"city lat range", []edit{set("cities[0].lat", "-90.5")}, "cities[0].lat", "must be between -90 and 90"},
		{"city lon range", []edit{set("cities[0].lon", "180.5")}, "cities[0].lon", "must be between -180 and 180"},
		{"population >= 0", []edit{set("cities[0].population", "-1")}, "cities[0].population", "must be >= 0"},
		{"priority > 0", []edit{set("cities[1].priority", "0")}, "cities[1].priority", "must be > 0"},
		{"radius_km > 0", []edit{set("cities[1].radius_km", "0")}, "cities[1].radius_km", "> 0"},

		// venue counts
		{"venue count city exists", []edit{set("venue_counts[0].city", `"MTY"`)}, "venue_counts[0].city", `unknown city "MTY"`},
		{"venue count category exists", []edit{set("venue_counts[0].category", `"BAR"`)}, "venue_counts[0].category", `unknown category "BAR"`},
		{"count required", []edit{del("venue_counts[0].count")}, "venue_counts[0].count", "is required"},
		{"count >= 0", []edit{set("venue_counts[0].count", "-3")}, "venue_counts[0].count", "must be >= 0"},
		{"one venue count per cell", []edit{set("venue_counts[1].city", `"TAP"`)}, "venue_counts[1]", `duplicate venue count for city "TAP" and category "NIGHTCLUB"`},

		// venues
		{"venue id required", []edit{del("venues[0].id")}, "venues[0].id", "is required"},
		{"venue ids unique", []edit{set("venues[1].id", `"v1"`)}, "venues[1].id", `duplicate venue id "v1"`},
		{"venue name required", []edit{del("venues[1].name")}, "venues[1].name", "is required"},
		{"venue category exists", []edit{set("venues[0].category", `"BAR"`)}, "venues[0].category", `unknown category "BAR"`},
		{"venue city exists", []edit{set("venues[0].city", `"MTY"`)}, "venues[0].city", `unknown city "MTY"`},
		{"venue lat range", []edit{set("venues[1].lat", "95")}, "venues[1].lat", "must be between -90 and 90"},

		// locks
		{"lock material exists", []edit{set("locks[0].material", `"X"`)}, "locks[0].material", `unknown material "X"`},
		{"lock city exists", []edit{set("locks[0].city", `"MTY"`)}, "locks[0].city", `unknown city "MTY"`},
		{"lock category exists", []edit{set("locks[0].category", `"BAR"`)}, "locks[0].category", `unknown category "BAR"`},
		{"pieces required", []edit{del("locks[0].pieces")}, "locks[0].pieces", "is required"},
		{"pieces >= 0", []edit{set("locks[0].pieces", "-100")}, "locks[0].pieces", "must be >= 0"},
		{"pieces in whole packs", []edit{set("locks[0].pieces", "150")}, "locks[0].pieces", `must be a multiple of the pack size of "L3" (100)`},
		{"one lock per cell", []edit{set("locks[1]", `{"material":"L3","city":"TAP","category":"NIGHTCLUB","pieces":0}`)}, "locks[1]", `duplicate lock for material "L3", city "TAP" and category "NIGHTCLUB"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseString(t, mutated(t, tt.edits...))
			if tt.path == "" && tt.msg == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			wantFirstError(t, err, tt.path, tt.msg)
		})
	}
}

// TestValidationBoundaries checks that the limits themselves are allowed.
func TestValidationBoundaries(t *testing.T) {
	tests := []struct {
		name  string
		edits []edit
	}{
		{"locks equal to printed - reserve", []edit{set("locks[0].pieces", "9800")}},
		{"reserve_pct 0 and 50", []edit{set("materials[0].reserve_pct", "0"), set("materials[1].reserve_pct", "50"), set("locks[0].pieces", "0")}},
		{"deadline equal to start", []edit{set("campaign.deadline", `"2009-01-12"`)}},
		{"printed, per_venue, count and population 0", []edit{set("materials[1].printed", "0"), set("targeting[0].per_venue", "0"),
			set("venue_counts[0].count", "0"), set("cities[0].population", "0")}},
		{"lat and lon at their limits", []edit{set("cities[0].lat", "-90"), set("cities[0].lon", "180"), set("venues[0].lat", "90"), set("venues[0].lon", "-180")}},
		{"circuity 1, zero days", []edit{set("campaign.transport", `{"circuity": 1, "handling_days": 0}`), set("campaign.local_distribution_days", "0")}},
		{"a lock on a cell without demand", []edit{set("locks[0].category", `"SHELTER"`)}},
		{"code of 32 characters", []edit{set("materials[1].code", `"ABCDEFGHIJKLMNOPQRSTUVWXYZ_-0123"`), set("targeting[1].material", `"ABCDEFGHIJKLMNOPQRSTUVWXYZ_-0123"`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseString(t, mutated(t, tt.edits...)); err != nil {
				t.Fatalf("want valid, got %v", err)
			}
		})
	}
}

// TestBoundsInTheCampaignFile: the file reader applies the same bounds,
// naming the JSON path (the attack of issue 12 was printed = 10^15).
func TestBoundsInTheCampaignFile(t *testing.T) {
	_, err := parseString(t, mutated(t, set("materials[1].printed", "1e15")))
	wantFirstError(t, err, "materials[1].printed", "must be <= 10000000000")
	_, err = parseString(t, mutated(t, set("cities[0].radius_km", "100000")))
	wantFirstError(t, err, "cities[0].radius_km", "must be <= 500")
}
