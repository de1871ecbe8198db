package planner

import (
	"math/rand/v2"
	"testing"
	"time"
)

// Early in a campaign the pace is taken over the working days since its
// start, not over seven days of which most came before it: two days of
// work read as a third of the real pace (found by the end-to-end test of a
// campaign run from scratch).
func TestProgressPaceEarlyInCampaign(t *testing.T) {
	c, shipments := progressFixture()
	c.Start = trDay("2009-03-18") // Wed: working days 18, 19, 20 up to today
	p := Progress(c, shipments, trToday)
	if p.PaceFrom == nil || *p.PaceFrom != trDay("2009-03-18") || p.PaceDays != 3 {
		t.Fatalf("pace from %v over %d days, want 2009-03-18 over 3", p.PaceFrom, p.PaceDays)
	}
	// The window is short, so every dispatch up to today counts in it.
	if p.PaceBoxes != p.Dispatched.Boxes || p.Pace != float64(p.Dispatched.Boxes)/3 {
		t.Errorf("pace %d boxes (%v a day), want all %d dispatched boxes over 3 days", p.PaceBoxes, p.Pace, p.Dispatched.Boxes)
	}
	// Before the first working day there is no pace to speak of.
	if p := Progress(c, shipments, trDay("2009-03-17")); p.PaceFrom != nil || p.ProjectedCompletion != nil {
		t.Errorf("before the start: pace from %v, completion %v; want none", p.PaceFrom, p.ProjectedCompletion)
	}
}

// A backlog far beyond any useful horizon has no projected day, and is
// found without walking the calendar day by day (10^12 boxes at one box a
// window used to loop for ever on the dashboard).
func TestProjectedDayBeyondHorizon(t *testing.T) {
	c := trCampaign()
	if d := projectedDay(c, trToday, 7, 1_000_000_000_000, 1); d != nil {
		t.Errorf("projected %s for 10^12 boxes at 1 a week, want none", d)
	}
}

// projectedDay finds by arithmetic the day a day-by-day walk finds.
func TestProjectedDayMatchesWalk(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for range 300 {
		c := trCampaign()
		c.Dispatch.WorkDays = nil
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			if rng.IntN(2) == 0 {
				c.Dispatch.WorkDays = append(c.Dispatch.WorkDays, wd)
			}
		}
		if len(c.Dispatch.WorkDays) == 0 {
			c.Dispatch.WorkDays = []time.Weekday{time.Wednesday}
		}
		today := trDay("2009-03-02").AddDays(rng.IntN(40))
		c.Dispatch.Holidays = nil
		for range rng.IntN(6) {
			c.Dispatch.Holidays = append(c.Dispatch.Holidays, today.AddDays(rng.IntN(60)))
		}
		days := 1 + rng.IntN(7)
		remaining, pace := int64(1+rng.IntN(500)), int64(1+rng.IntN(60))
		need := (int64(days)*remaining + pace - 1) / pace
		d := today
		for need > 0 {
			d = d.AddDays(1)
			if isCampaignWorkDay(c, d) {
				need--
			}
		}
		got := projectedDay(c, today, days, remaining, pace)
		if got == nil || *got != d {
			t.Fatalf("work days %v holidays %v today %s: %d boxes at %d per %d days: got %v, walk %s",
				c.Dispatch.WorkDays, c.Dispatch.Holidays, today, remaining, pace, days, got, d)
		}
	}
}
