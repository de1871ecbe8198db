package planio

import (
	"errors"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/reparto/reparto/planner"
)

func TestParseCampaignDefaults(t *testing.T) {
	c := mustParse(t, baseCampaign)
	weekdays := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	if !reflect.DeepEqual(c.Dispatch.WorkDays, weekdays) {
		t.Errorf("work days = %v, want Mon-Fri", c.Dispatch.WorkDays)
	}
	if c.Dispatch.Holidays != nil {
		t.Errorf("holidays = %v, want none", c.Dispatch.Holidays)
	}
	if want := (planner.Transport{RoadKmPerDay: 500, Circuity: 1.3, HandlingDays: 1}); c.Transport != want {
		t.Errorf("transport = %+v, want %+v", c.Transport, want)
	}
	if c.LocalDistributionDays != 5 || c.Surplus != planner.SurplusSpread || c.AsOf != nil {
		t.Errorf("local days %d, surplus %q, as_of %v; want 5, spread, nil", c.LocalDistributionDays, c.Surplus, c.AsOf)
	}
	p1 := c.Materials[1]
	if p1.ReservePct.Sign() != 0 || p1.PieceGrams != nil || p1.Format != "" || p1.Audience != "" {
		t.Errorf("P1 optional fields = %+v, want zero", p1)
	}
	tap := c.Cities[0]
	if tap.Priority.Rat().Cmp(big.NewRat(1, 1)) != 0 || tap.RadiusKm != 15 || tap.Population != nil || tap.State != "" {
		t.Errorf("TAP = %+v, want priority 1, radius 15, no population or state", tap)
	}
	if c.Categories[0].Sensitive || !c.Categories[1].Sensitive {
		t.Errorf("sensitive = %v, %v; want false, true", c.Categories[0].Sensitive, c.Categories[1].Sensitive)
	}
	if c.Venues[0].Confidential || c.Venues[1].City != "" {
		t.Errorf("venues = %+v", c.Venues)
	}
	if c.VenueCounts[0].Estimated {
		t.Error("estimated defaults to true")
	}
}

func TestParseCampaignExactNumbers(t *testing.T) {
	c := mustParse(t, mutated(t,
		set("cities[0].priority", "1.1"),
		set("materials[0].reserve_pct", "2.5"),
		set("materials[0].piece_grams", "6.25"),
		set("materials[1].printed", "1e3"),
		set("materials[1].pack_size", "2.0"),
		set("cities[0].population", "202672"),
	))
	rats := []struct {
		name string
		got  planner.Decimal
		want *big.Rat
		lit  string
	}{
		{"priority", c.Cities[0].Priority, big.NewRat(11, 10), "1.1"},
		{"reserve_pct", c.Materials[0].ReservePct, big.NewRat(5, 2), "2.5"},
		{"piece_grams", *c.Materials[0].PieceGrams, big.NewRat(25, 4), "6.25"},
		{"priority 1.5", c.Cities[1].Priority, big.NewRat(3, 2), "1.5"},
	}
	for _, r := range rats {
		if r.got.Rat().Cmp(r.want) != 0 || r.got.String() != r.lit {
			t.Errorf("%s = %s (%v), want %s (%v)", r.name, r.got, r.got.Rat(), r.lit, r.want)
		}
	}
	if c.Materials[1].Printed != 1000 || c.Materials[1].PackSize != 2 {
		t.Errorf("printed %d pack %d, want 1000 and 2", c.Materials[1].Printed, c.Materials[1].PackSize)
	}
	if p := c.Cities[0].Population; p == nil || *p != 202672 {
		t.Errorf("population = %v", p)
	}
}

func TestParseCampaignOptionalFields(t *testing.T) {
	c := mustParse(t, mutated(t,
		set("campaign.as_of", `"2009-03-20"`),
		set("campaign.dispatch.work_days", `["Sat","Mon"]`),
		set("campaign.dispatch.holidays", `["2009-03-19","2009-02-02"]`),
		set("campaign.surplus", `"reserve"`),
		set("cities[0].note", `"frontera sur"`),
		set("cities[0].state", `"MX-CHP"`),
		set("venue_counts[0].estimated", "true"),
		set("venues[0].address", `"Calle 1"`),
		set("venues[0].confidential", "true"),
		set("materials[0].format", `"leaflet"`),
		set("venue_categories[0].group", `"nightlife"`),
		set("cities[1].radius_km", "null"), // null is absent: the default
	))
	if c.AsOf == nil || *c.AsOf != planner.NewDate(2009, time.March, 20) {
		t.Errorf("as_of = %v", c.AsOf)
	}
	if want := []time.Weekday{time.Monday, time.Saturday}; !reflect.DeepEqual(c.Dispatch.WorkDays, want) {
		t.Errorf("work days = %v, want sorted %v", c.Dispatch.WorkDays, want)
	}
	if want := []planner.Date{planner.NewDate(2009, 2, 2), planner.NewDate(2009, 3, 19)}; !reflect.DeepEqual(c.Dispatch.Holidays, want) {
		t.Errorf("holidays = %v, want sorted %v", c.Dispatch.Holidays, want)
	}
	if c.Surplus != planner.SurplusReserve || c.Cities[0].Note != "frontera sur" || c.Cities[0].State != "MX-CHP" ||
		!c.VenueCounts[0].Estimated || c.Venues[0].Address != "Calle 1" || !c.Venues[0].Confidential ||
		c.Materials[0].Format != "leaflet" || c.Categories[0].Group != "nightlife" || c.Cities[1].RadiusKm != 15 {
		t.Errorf("optional fields not read: %+v", c)
	}
}

func TestParseCampaignStructuralErrors(t *testing.T) {
	tests := []struct {
		name  string
		edits []edit
		path  string
		msg   string
	}{
		{"unknown top-level key", []edit{set("cites", "[]")}, "cites", "unknown field"},
		{"unknown campaign key", []edit{set("campaign.deadlin", `"2009-03-31"`)}, "campaign.deadlin", "unknown field"},
		{"unknown depot key", []edit{set("campaign.depot.latitude", "1")}, "campaign.depot.latitude", "unknown field"},
		{"unknown key that is not a name", []edit{set("campaign.depot.la t", "1")}, `campaign.depot["la t"]`, "unknown field"},
		{"unknown list element key", []edit{set("materials[1].packsize", "100")}, "materials[1].packsize", "unknown field"},
		{"campaign not an object", []edit{set("campaign", "[]")}, "campaign", "must be an object"},
		{"list not an array", []edit{set("materials", "{}")}, "materials", "must be an array"},
		{"element not an object", []edit{set("cities[1]", `"TIJ"`)}, "cities[1]", "must be an object"},
		{"string expected", []edit{set("cities[0].name", "7")}, "cities[0].name", "must be a string"},
		{"number expected", []edit{set("cities[0].lat", `"14.9"`)}, "cities[0].lat", "must be a number"},
		{"decimal expected", []edit{set("cities[0].priority", `"2"`)}, "cities[0].priority", "must be a number"},
		{"integer expected", []edit{set("materials[0].printed", `"10000"`)}, "materials[0].printed", "must be an integer"},
		{"boolean expected", []edit{set("venues[0].confidential", `"no"`)}, "venues[0].confidential", "must be a boolean"},
		{"date expected", []edit{set("campaign.start", "20090112")}, "campaign.start", "must be a string"},
		{"work days array", []edit{set("campaign.dispatch.work_days", `"Mon"`)}, "campaign.dispatch.work_days", "must be an array"},
		{"integer too large", []edit{set("materials[0].printed", "9223372036854775808")}, "materials[0].printed", "is out of range"},
		{"float too large", []edit{set("cities[0].lat", "1e400")}, "cities[0].lat", "is out of range"},
		{"exponent too large", []edit{set("cities[0].priority", "1e101")}, "cities[0].priority", "is out of range"},
		{"required key null", []edit{set("materials[0].pack_size", "null")}, "materials[0].pack_size", "is required"},
		{"NUL in a string", []edit{set("cities[0].name", `"Tijuana\u0000"`)}, "cities[0].name", planner.BadTextMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseString(t, mutated(t, tt.edits...))
			wantFirstError(t, err, tt.path, tt.msg)
		})
	}
}

func TestParseCampaignBadJSON(t *testing.T) {
	tests := []struct {
		name, text, path, msg string
	}{
		{"empty", "", "", "invalid JSON at byte 0 (line 1, column 1): unexpected end of input"},
		{"array", "[]", "", "the campaign file must be a JSON object"},
		{"syntax", `{"campaign": {"name": x}}`, "campaign.name", "invalid JSON at byte 22 (line 1, column 23): invalid character 'x'"},
		{"truncated", `{"materials": [{"code": "A"`, "materials[0]", "unexpected end of input"},
		{"trailing data", "{}\n  {}", "", "invalid JSON at byte 5 (line 2, column 3): unexpected data after the campaign object"},
		{"duplicate key", `{"campaign": {}, "campaign": {}}`, "campaign", "duplicate key"},
		{"invalid UTF-8 in a string", "{\"campaign\": {\"name\": \"caf\xe9\"}}", "campaign.name", planner.BadTextMessage},
		{"too deep", `{"campaign": ` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, "campaign" + strings.Repeat("[0]", 31), "nesting too deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseString(t, tt.text)
			wantFirstError(t, err, tt.path, tt.msg)
			if tt.path == "" && err.Error() != tt.msg && !strings.HasPrefix(err.Error(), tt.msg) {
				t.Errorf("Error() = %q, want it to start with %q", err.Error(), tt.msg)
			}
		})
	}
}

func TestParseCampaignReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := ParseCampaign(iotest.ErrReader(boom))
	if !errors.Is(err, boom) || planner.ErrorCode(err) != planner.EInternal {
		t.Fatalf("err = %v (code %q), want the read error, internal", err, planner.ErrorCode(err))
	}
}

// TestParseCampaignReportsManyErrorsInDocumentOrder puts cities before
// materials in the file: errors follow the file, not the struct.
func TestParseCampaignReportsManyErrorsInDocumentOrder(t *testing.T) {
	text := `{
  "cities": [{"code": "TAP", "name": "Tapachula", "lat": 99, "lon": 0, "bogus": 1}],
  "campaign": {"name": "", "start": "2009-01-12", "deadline": "2009-01-01",
               "depot": {"name": "D", "lat": 0, "lon": 0}, "dispatch": {"boxes_per_day": 0}},
  "materials": [{"code": "A", "name": "a", "printed": 10, "pack_size": 0}],
  "locks": [{"material": "B", "city": "TAP", "category": "X", "pieces": 1}]
}`
	_, err := parseString(t, text)
	want := []string{
		"cities[0].lat: must be between -90 and 90",
		"cities[0].bogus: unknown field",
		"campaign.name: must not be empty",
		"campaign.deadline: must not be before start (2009-01-12)",
		"campaign.dispatch.boxes_per_day: must be >= 1",
		"materials[0].pack_size: must be >= 1",
		"materials[0].packs_per_box: is required",
		`locks[0].material: unknown material "B"`,
		`locks[0].category: unknown category "X"`,
	}
	var got []string
	for _, f := range planner.ErrorFields(err) {
		got = append(got, f.String())
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if line := err.Error(); line != "cities[0].lat: must be between -90 and 90 (and 8 more)" {
		t.Errorf("Error() = %q", line)
	}
}

func TestParseCampaignCapsErrors(t *testing.T) {
	venues := strings.Repeat(`{"id": "v", "name": "n", "category": "NONE", "lat": 0, "lon": 0},`, 2*planner.MaxFieldErrors)
	text := mutated(t, set("venues", "["+strings.TrimSuffix(venues, ",")+"]"))
	fields := planner.ErrorFields(mustFail(t, text))
	if len(fields) != planner.MaxFieldErrors {
		t.Fatalf("got %d errors, want %d", len(fields), planner.MaxFieldErrors)
	}
}

func mustFail(t *testing.T, text string) error {
	t.Helper()
	_, err := parseString(t, text)
	if err == nil {
		t.Fatal("want an error")
	}
	return err
}

// TestParseCampaignErrorsOnUnreadValuesOnly checks which semantic errors
// a structural one hides: an unread value hides the rules about it, an
// unknown key hides nothing.
func TestParseCampaignErrorsOnUnreadValuesOnly(t *testing.T) {
	_, err := parseString(t, mutated(t,
		set("materials[0].packsize", "100"),   // unknown: hides nothing
		set("locks[0].pieces", "9900"),        // locks exceed L3's stock: materials[0]
		set("materials[1].pack_size", `"10"`), // unread: no "must be >= 1" as well
		set("targeting[1].per_venue", "-1"),   // still checked
	))
	want := []string{
		`materials[0]: locks of "L3" total 9900 pieces, more than printed minus reserve (9800)`,
		"materials[0].packsize: unknown field",
		"materials[1].pack_size: must be an integer",
		"targeting[1].per_venue: must be >= 0",
	}
	var got []string
	for _, f := range planner.ErrorFields(err) {
		got = append(got, f.String())
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
