package planner

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The worked example of docs/planning.md#worked-example, checked against
// the code: the variations of its table are encoded below; the output files
// the page shows are checked against planio's writers in
// planner/planio/docs_example_test.go.

const planningDoc = "../docs/planning.md"

// fence matches a fenced code block with its language and optional name
// ("```csv allocation.csv").
var fence = regexp.MustCompile("(?s)```([a-z]+)(?: ([A-Za-z0-9_.-]+))?\n(.*?)```")

// workedExample returns the worked example's campaign file and its named
// output blocks from the planning page.
func workedExample(t *testing.T) (file string, outputs map[string]string) {
	t.Helper()
	page, err := os.ReadFile(planningDoc)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(page), "\n## Worked example\n")
	if !ok {
		t.Fatalf("%s has no \"## Worked example\" section", planningDoc)
	}
	outputs = map[string]string{}
	for _, m := range fence.FindAllStringSubmatch(section, -1) {
		switch {
		case m[1] == "json" && m[2] == "" && file == "":
			file = m[3]
		case m[2] != "":
			outputs[m[2]] = m[3]
		}
	}
	if file == "" {
		t.Fatalf("%s: no campaign file in the worked example", planningDoc)
	}
	return file, outputs
}

// TestWorkedExampleVariations encodes the "Variations" table of the page.
func TestWorkedExampleVariations(t *testing.T) {
	file, _ := workedExample(t)
	base := func(t *testing.T) *Campaign {
		t.Helper()
		c, err := ParseCampaign(strings.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	type shipment struct {
		city             string
		boxes            int64
		dispatch, arrive string
		late             int
	}
	tests := []struct {
		name           string
		change         func(c *Campaign)
		mode           string // Why.Mode of A's cell
		piecesA        int64
		piecesB        int64
		leftover       int64
		ships          []shipment // in loading order; nil: not checked
		requiredPerDay int64
	}{
		{
			name: "as written", change: func(*Campaign) {}, mode: "surplus",
			piecesA: 375, piecesB: 575, leftover: 0, requiredPerDay: 2,
			ships: []shipment{{"B", 6, "2009-03-04", "2009-03-07", 0}, {"A", 4, "2009-03-05", "2009-03-07", 0}},
		},
		{
			name: "surplus reserve", change: func(c *Campaign) { c.Surplus = SurplusReserve }, mode: "reserve",
			piecesA: 300, piecesB: 500, leftover: 150, requiredPerDay: 2,
		},
		{
			name: "scarcity", change: func(c *Campaign) { c.Materials[0].Printed = 600 }, mode: "scarcity",
			piecesA: 300, piecesB: 250, leftover: 20, requiredPerDay: 2,
		},
		{
			name: "lock on B",
			change: func(c *Campaign) {
				c.Locks = []Lock{{Material: "M", City: "B", Category: "X", Pieces: 100}}
			},
			mode: "surplus", piecesA: 850, piecesB: 100, leftover: 0, requiredPerDay: 2,
			ships: []shipment{{"B", 1, "2009-03-02", "2009-03-05", 0}, {"A", 9, "2009-03-05", "2009-03-07", 0}},
		},
		{
			name: "tie goes to the lower city code",
			change: func(c *Campaign) {
				c.Cities[0].Priority = DecimalInt(1)
				c.Materials[0].Printed, c.Materials[0].PackSize, c.Materials[0].ReservePct = 79, 10, Decimal{}
				c.VenueCounts[0].Count, c.VenueCounts[1].Count = 9, 9
				c.Targeting[0].PerVenue = 5
			},
			mode: "scarcity", piecesA: 40, piecesB: 30, leftover: 9, requiredPerDay: 1,
		},
		{
			name: "one box a day", change: func(c *Campaign) { c.Dispatch.BoxesPerDay = 1 }, mode: "surplus",
			piecesA: 375, piecesB: 575, leftover: 0, requiredPerDay: 2,
			ships: []shipment{{"B", 6, "2009-03-10", "2009-03-13", 2}, {"A", 4, "2009-03-16", "2009-03-18", 7}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base(t)
			tt.change(c)
			if err := c.Validate(); err != nil {
				t.Fatalf("variation is not a valid campaign: %v", err)
			}
			p, err := Compute(c)
			if err != nil {
				t.Fatal(err)
			}
			pieces := map[string]int64{}
			for _, cell := range p.Cells {
				pieces[cell.City] = cell.Pieces
				if cell.City == "A" && cell.Why.Mode.String() != tt.mode {
					t.Errorf("mode of A = %q, want %q", cell.Why.Mode, tt.mode)
				}
			}
			if pieces["A"] != tt.piecesA || pieces["B"] != tt.piecesB {
				t.Errorf("pieces A %d, B %d; want %d, %d", pieces["A"], pieces["B"], tt.piecesA, tt.piecesB)
			}
			if got := p.Materials[0].Leftover; got != tt.leftover {
				t.Errorf("leftover %d, want %d", got, tt.leftover)
			}
			if p.RequiredBoxesPerDay == nil || *p.RequiredBoxesPerDay != tt.requiredPerDay {
				t.Errorf("required boxes per day %v, want %d", p.RequiredBoxesPerDay, tt.requiredPerDay)
			}
			if tt.ships == nil {
				return
			}
			var got []shipment
			for _, s := range p.Shipments {
				got = append(got, shipment{s.City, s.Boxes, s.Dispatch.String(), s.Arrival.String(), s.LateDays})
			}
			if len(got) != len(tt.ships) {
				t.Fatalf("shipments %v, want %v", got, tt.ships)
			}
			for i := range got {
				if got[i] != tt.ships[i] {
					t.Errorf("shipment %d = %+v, want %+v", i, got[i], tt.ships[i])
				}
			}
		})
	}
}

// TestTrackingExampleStatuses encodes the status table of
// docs/tracking.md#at-risk, on shipment B of the planning example.
func TestTrackingExampleStatuses(t *testing.T) {
	day := func(d int) Date { return NewDate(2009, 3, d) }
	dispatched := func(d int) Event {
		return Event{ID: 1, Kind: EventDispatched, Date: day(d), Carrier: "Estafeta", Boxes: 6}
	}
	tests := []struct {
		events []Event
		today  int
		status Status
		reason string
	}{
		{nil, 8, StatusOnTrack, ReasonOnSchedule},
		{nil, 9, StatusAtRisk, ReasonNotDispatched},
		{[]Event{dispatched(9)}, 10, StatusAtRisk, ReasonArrivalAfterDue},
		{[]Event{dispatched(4)}, 6, StatusOnTrack, ReasonInTransit},
		{[]Event{dispatched(4)}, 8, StatusAtRisk, ReasonArrivalOverdue},
		{[]Event{dispatched(4)}, 12, StatusLate, ReasonPastDue},
		{[]Event{dispatched(4), {ID: 2, Kind: EventDelivered, Date: day(6)}}, 12, StatusDelivered, ReasonDeliveredOnTime},
	}
	for _, tt := range tests {
		s := ShipmentRecord{City: "B", Boxes: 6, TransitDays: 3, LatestDispatch: day(8),
			FirstDispatch: day(2), Dispatch: day(4), Arrival: day(7), Due: day(11), Events: tt.events}
		status, r := s.Assess(day(tt.today))
		if status != tt.status || r.Code != tt.reason {
			t.Errorf("%d events, today 03-%02d: %s %s, want %s %s", len(tt.events), tt.today, status, r.Code, tt.status, tt.reason)
		}
	}
}

// TestTrackingExamplePace encodes the pace example of docs/tracking.md#pace.
func TestTrackingExamplePace(t *testing.T) {
	c := &Campaign{Start: NewDate(2009, 3, 2), Deadline: NewDate(2009, 3, 31),
		Dispatch: Dispatch{BoxesPerDay: 100, WorkDays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}}}
	left := ShipmentRecord{ID: 1, City: "A", Boxes: 35,
		Events: []Event{{ID: 1, Kind: EventDispatched, Date: NewDate(2009, 3, 12), Carrier: "x", Boxes: 35}}}
	waiting := ShipmentRecord{ID: 2, City: "B", Boxes: 20, Due: NewDate(2009, 3, 31), LatestDispatch: NewDate(2009, 3, 28)}
	p := Progress(c, []ShipmentRecord{left, waiting}, NewDate(2009, 3, 20))
	if p.PaceFrom == nil || *p.PaceFrom != NewDate(2009, 3, 12) || p.PaceBoxes != 35 || p.Pace != 5 {
		t.Errorf("pace from %v: %d boxes, %v a day; want from 2009-03-12, 35 boxes, 5 a day", p.PaceFrom, p.PaceBoxes, p.Pace)
	}
	if p.ProjectedCompletion == nil || *p.ProjectedCompletion != NewDate(2009, 3, 26) {
		t.Errorf("projected completion %v, want 2009-03-26", p.ProjectedCompletion)
	}
}
