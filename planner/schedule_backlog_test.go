package planner

import (
	"strings"
	"testing"
)

// backlogCampaign ships printed pieces, one piece a box, to one city one
// day away from the depot, at one box a day on Monday to Friday.
func backlogCampaign(printed int64) *Campaign {
	c := testCampaign().withCategory("X").withMaterial("M", printed, "0", 1, 1).withTarget("M", "X", printed).
		withCity("K", "1", 0).withCount("K", "X", 1)
	c.Dispatch.BoxesPerDay = 1
	return c
}

// TestScheduleBigBacklogIsArithmetic: a million boxes at one a day leave
// on the millionth working day (start Monday 2009-01-12, no holidays:
// 199,999 whole weeks and 4 days later), and the capacity needed is found
// without walking the calendar.
func TestScheduleBigBacklogIsArithmetic(t *testing.T) {
	c := backlogCampaign(1_000_000)
	p := mustCompute(t, c)
	if len(p.Shipments) != 1 {
		t.Fatalf("%d shipments, want 1", len(p.Shipments))
	}
	s := p.Shipments[0]
	if want := c.Start.AddDays(199_999*7 + 4); s.Dispatch != want || s.FirstDispatch != c.Start {
		t.Errorf("dispatch %s..%s, want %s..%s", s.FirstDispatch, s.Dispatch, c.Start, want)
	}
	if want := s.Arrival.DaysSince(s.Due); s.LateDays != want || want < 1_000_000 {
		t.Errorf("late days %d, want %d (over a million)", s.LateDays, want)
	}
	if p.RequiredBoxesPerDay == nil || *p.RequiredBoxesPerDay < 10_000 {
		t.Errorf("required capacity %v, want at least 10,000 a day", deref(p.RequiredBoxesPerDay))
	}
}

// TestScheduleBeyondYear9999IsRefused: 10^15 pieces (the attack of issue
// 12; above MaxPrinted, so only a campaign stored before the bounds can
// hold it) would leave over millions of years; the plan is refused naming
// boxes_per_day, at once, instead of computing until the client gives up.
func TestScheduleBeyondYear9999IsRefused(t *testing.T) {
	for _, printed := range []int64{MaxPrinted, 1_000_000_000_000_000} {
		_, err := Compute(backlogCampaign(printed))
		fields := ErrorFields(err)
		if ErrorCode(err) != EInvalid || len(fields) != 1 || fields[0].Path != "campaign.dispatch.boxes_per_day" ||
			!strings.Contains(fields[0].Message, "9999-12-31") {
			t.Errorf("printed %d: err = %v, want EInvalid on campaign.dispatch.boxes_per_day past 9999-12-31", printed, err)
		}
	}
}
