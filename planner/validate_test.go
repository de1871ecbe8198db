package planner

import (
	"math"
	"testing"
	"time"
)

// TestValidateInMemory checks rules that only an in-memory campaign can
// break: nothing is defaulted, and values JSON cannot carry are rejected.
func TestValidateInMemory(t *testing.T) {
	base := func() *Campaign { return mustParse(t, baseCampaign) }
	tests := []struct {
		name   string
		change func(c *Campaign)
		path   string
		msg    string
	}{
		{"empty surplus", func(c *Campaign) { c.Surplus = "" }, "campaign.surplus", `must be "spread" or "reserve"`},
		{"zero priority", func(c *Campaign) { c.Cities[1].Priority = Decimal{} }, "cities[1].priority", "must be > 0"},
		{"no work days", func(c *Campaign) { c.Dispatch.WorkDays = nil }, "campaign.dispatch.work_days", "at least one work day"},
		{"weekday out of range", func(c *Campaign) { c.Dispatch.WorkDays = []time.Weekday{9} }, "campaign.dispatch.work_days[0]", "must be one of"},
		{"zero start", func(c *Campaign) { c.Start = Date{} }, "campaign.start", "is required"},
		{"zero holiday", func(c *Campaign) { c.Dispatch.Holidays = []Date{{}} }, "campaign.dispatch.holidays[0]", "must be a date"},
		{"infinite road speed", func(c *Campaign) { c.Transport.RoadKmPerDay = math.Inf(1) }, "campaign.transport.road_km_per_day", "between 1 and 5000"},
		{"NaN latitude", func(c *Campaign) { c.Venues[0].Lat = math.NaN() }, "venues[0].lat", "must be between -90 and 90"},
		{"empty venue id", func(c *Campaign) { c.Venues[1].ID = "" }, "venues[1].id", "must not be empty"},
		{"huge exponent", func(c *Campaign) { c.Cities[0].Priority = MustDecimal("1e999999") }, "cities[0].priority", "is out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			if err := c.Validate(); err != nil {
				t.Fatalf("base: %v", err)
			}
			tt.change(c)
			wantFirstError(t, c.Validate(), tt.path, tt.msg)
		})
	}
}

func TestValidateReportsAtMostMaxFieldErrors(t *testing.T) {
	c := mustParse(t, baseCampaign)
	for i := 0; i < 2*MaxFieldErrors; i++ {
		c.Venues = append(c.Venues, Venue{ID: "v1", Name: "x", Category: "SHELTER"})
	}
	fields := ErrorFields(c.Validate())
	if len(fields) != MaxFieldErrors {
		t.Fatalf("got %d field errors, want %d", len(fields), MaxFieldErrors)
	}
	if want := "venues[2].id"; fields[0].Path != want {
		t.Fatalf("first path = %q, want %q", fields[0].Path, want)
	}
}
