package planner

import (
	"maps"
	"testing"
)

// Once shipments have left, a re-plan schedules the cities still to
// dispatch from today: no planned date in the past, capacity counted on
// the days left; the dispatched cities keep what they loaded and their
// dates.
func TestReplanSchedulesFromToday(t *testing.T) {
	c := replanCampaign()
	v1 := replanMustCompute(t, c)
	shipments := ShipmentsFromPlan(v1, 1)
	for i := range shipments {
		shipments[i].ID = int64(i + 1)
	}
	e := evDispatched(10, "2009-01-13")
	e.Boxes = shipments[0].Boxes
	shipments[0].Events = []Event{e}
	frozen := shipments[0].City

	cases := []struct {
		name  string
		today Date
	}{
		{"mid-campaign", trDay("2009-03-04")},
		{"on a weekend", trDay("2009-03-07")},
		{"before the start", trDay("2009-01-05")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Replan(replanCampaign(), v1, shipments, ReplanOptions{}, tc.today)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(cityCells(p, frozen), cityCells(v1, frozen)) {
				t.Errorf("dispatched %s: cells %v, loaded %v", frozen, cityCells(p, frozen), cityCells(v1, frozen))
			}
			var boxes int64
			for _, s := range p.Shipments {
				boxes += s.Boxes
				if s.City == frozen {
					if !s.FirstDispatch.Equal(v1.Shipments[0].FirstDispatch) || !s.Dispatch.Equal(v1.Shipments[0].Dispatch) {
						t.Errorf("dispatched %s rescheduled to %s..%s", s.City, s.FirstDispatch, s.Dispatch)
					}
					continue
				}
				if s.FirstDispatch.Before(tc.today) || s.FirstDispatch.Before(c.Start) {
					t.Errorf("%s planned to start loading on %s, before today %s", s.City, s.FirstDispatch, tc.today)
				}
				if !isCampaignWorkDay(c, s.FirstDispatch) {
					t.Errorf("%s planned on %s, not a working day", s.City, s.FirstDispatch)
				}
			}
			if boxes != p.TotalBoxes {
				t.Errorf("total boxes %d, shipments sum to %d", p.TotalBoxes, boxes)
			}
			if err := CheckDispatched(p, shipments); err != nil {
				t.Errorf("CheckDispatched: %v", err)
			}
		})
	}
	// Nothing left yet: the plain plan, scheduled from the start.
	p, err := Replan(replanCampaign(), v1, ShipmentsFromPlan(v1, 1), ReplanOptions{}, trDay("2009-03-04"))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Shipments[0].FirstDispatch.Equal(v1.Shipments[0].FirstDispatch) {
		t.Errorf("with nothing dispatched the schedule moved: %s, want %s", p.Shipments[0].FirstDispatch, v1.Shipments[0].FirstDispatch)
	}
}

// The capacity needed counts only the working days left: late in the
// campaign it is higher than at the start.
func TestReplanCapacityCountsDaysLeft(t *testing.T) {
	c := replanCampaign()
	v1 := replanMustCompute(t, c)
	shipments := ShipmentsFromPlan(v1, 1)
	for i := range shipments {
		shipments[i].ID = int64(i + 1)
	}
	e := evDispatched(10, "2009-01-13")
	e.Boxes = shipments[0].Boxes
	shipments[0].Events = []Event{e}
	early, err := Replan(replanCampaign(), v1, shipments, ReplanOptions{}, trDay("2009-01-14"))
	if err != nil {
		t.Fatal(err)
	}
	late, err := Replan(replanCampaign(), v1, shipments, ReplanOptions{}, trDay("2009-03-12"))
	if err != nil {
		t.Fatal(err)
	}
	if early.RequiredBoxesPerDay == nil {
		t.Fatal("no capacity makes the early re-plan on time")
	}
	if late.RequiredBoxesPerDay != nil && *late.RequiredBoxesPerDay <= *early.RequiredBoxesPerDay {
		t.Errorf("capacity needed on 03-12 is %d, not above %d on 01-14", *late.RequiredBoxesPerDay, *early.RequiredBoxesPerDay)
	}
}

// A plan that gives a dispatched city other pieces than it loaded is refused.
func TestCheckDispatchedRefusesAChangedCity(t *testing.T) {
	c := replanCampaign()
	v1 := replanMustCompute(t, c)
	shipments := ShipmentsFromPlan(v1, 1)
	e := evDispatched(10, "2009-01-13")
	e.Boxes = shipments[0].Boxes
	shipments[0].Events = []Event{e}
	c.Materials[0].ReservePct = MustDecimal("0")
	other := replanMustCompute(t, c)
	if ErrorCode(CheckDispatched(other, shipments)) != EConflict {
		t.Error("a plan changing the dispatched city passed")
	}
	if err := CheckDispatched(v1, shipments); err != nil {
		t.Error(err)
	}
}
