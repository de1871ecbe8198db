package planner

import (
	"testing"
	"time"
)

// A campaign's day turns at midnight in its own time zone.
func TestCampaignTodayFollowsItsZone(t *testing.T) {
	now := time.Date(2009, time.March, 20, 16, 0, 0, 0, time.UTC) // 10:00 in Mexico City, 01:00 on 03-21 in Tokyo
	cases := []struct {
		zone string
		want string
	}{
		{"", "2009-03-20"},
		{"America/Mexico_City", "2009-03-20"},
		{"Asia/Tokyo", "2009-03-21"},
		{"Mars/Olympus", "2009-03-20"}, // unknown: the default zone (Validate refuses it)
	}
	for _, tc := range cases {
		c := trCampaign()
		c.TimeZone = tc.zone
		if got := c.Today(now).String(); got != tc.want {
			t.Errorf("zone %q: today %s, want %s", tc.zone, got, tc.want)
		}
	}
	if _, err := LoadZone("Mars/Olympus"); ErrorCode(err) != EInvalid {
		t.Errorf("unknown zone: %v, want EInvalid", err)
	}
	c := trCampaign()
	c.AsOf = trDayp("2009-02-01")
	c.TimeZone = "Asia/Tokyo"
	if got := c.Today(now).String(); got != "2009-02-01" {
		t.Errorf("simulated date ignored: %s", got)
	}
}
