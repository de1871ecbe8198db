package planner

import (
	"math"
	"reflect"
	"testing"
	"time"
)

// dockCampaign ships one box per venue (pack 1, one pack a box) to cities
// on the equator east of the depot at (0, 0), with circuity 1 and 100 road
// km a day: FAR at 3.5° is 389.18 km away, transit ceil(3.89) + 1 = 5
// days; MID at 1.5° is 166.79 km, 2 + 1 = 3 days; DEP sits at the depot,
// 0 km, 0 + 1 = 1 day. Start Monday 2009-01-12, holiday Wednesday 14,
// deadline Sunday 25 − 5 local days: due Tuesday 2009-01-20, so the
// latest dispatch days are FAR 15, MID 17, DEP 19 January.
func dockCampaign(capacity int64) *Campaign {
	c := testCampaign().withCategory("X").withMaterial("M", 45, "0", 1, 1).withTarget("M", "X", 1).
		withCity("DEP", "1", 0).withCity("FAR", "1", 3.5).withCity("MID", "1", 1.5).
		withCount("FAR", "X", 25).withCount("MID", "X", 8).withCount("DEP", "X", 12)
	c.Deadline = NewDate(2009, 1, 25)
	c.Dispatch.BoxesPerDay = capacity
	c.Dispatch.Holidays = []Date{NewDate(2009, 1, 14)}
	return c
}

type shipmentDays struct {
	city                                  string
	boxes                                 int64
	transit                               int
	latest, first, dispatch, arrival, due string
	late                                  int
}

func daysOf(p *Plan) []shipmentDays {
	var out []shipmentDays
	for _, s := range p.Shipments {
		out = append(out, shipmentDays{s.City, s.Boxes, s.TransitDays, s.LatestDispatch.String(),
			s.FirstDispatch.String(), s.Dispatch.String(), s.Arrival.String(), s.Due.String(), s.LateDays})
	}
	return out
}

func TestScheduleHandWorked(t *testing.T) {
	tests := []struct {
		name     string
		campaign *Campaign
		want     []shipmentDays
		required int64 // 0 means nil
	}{
		{
			// 10 a day: Mon 12 FAR 10, Tue 13 FAR 10, (Wed 14 holiday), Thu 15
			// FAR 5 + MID 5, Fri 16 MID 3 + DEP 7, (weekend), Mon 19 DEP 5.
			// Everyone arrives by the 20th. With 9 a day FAR still leaves on
			// Thursday 15 (9+9+7), MID on Friday 16 (2+6), DEP on Monday 19
			// (3+9); with 8 FAR's last box slips to Friday 16: 9 is needed.
			name:     "capacity spans days, skips holiday and weekend",
			campaign: dockCampaign(10),
			want: []shipmentDays{
				{"FAR", 25, 5, "2009-01-15", "2009-01-12", "2009-01-15", "2009-01-20", "2009-01-20", 0},
				{"MID", 8, 3, "2009-01-17", "2009-01-15", "2009-01-16", "2009-01-19", "2009-01-20", 0},
				{"DEP", 12, 1, "2009-01-19", "2009-01-16", "2009-01-19", "2009-01-20", "2009-01-20", 0},
			},
			required: 9,
		},
		{
			// 5 a day: FAR 12, 13, 15, 16, 19 → arrives 24, 4 days late; MID
			// Tue 20 + Wed 21 → 24; DEP Wed 21 (2), Thu 22, Fri 23 → 24.
			name:     "late days",
			campaign: dockCampaign(5),
			want: []shipmentDays{
				{"FAR", 25, 5, "2009-01-15", "2009-01-12", "2009-01-19", "2009-01-24", "2009-01-20", 4},
				{"MID", 8, 3, "2009-01-17", "2009-01-20", "2009-01-21", "2009-01-24", "2009-01-20", 4},
				{"DEP", 12, 1, "2009-01-19", "2009-01-21", "2009-01-23", "2009-01-24", "2009-01-20", 4},
			},
			required: 9,
		},
		{
			// Deadline 21 → due Friday 16: FAR would have to leave Sunday 11,
			// before the start; no capacity can save it.
			name: "transit alone too long",
			campaign: func() *Campaign {
				c := dockCampaign(100)
				c.Deadline = NewDate(2009, 1, 21)
				return c
			}(),
			want: []shipmentDays{
				{"FAR", 25, 5, "2009-01-11", "2009-01-12", "2009-01-12", "2009-01-17", "2009-01-16", 1},
				{"MID", 8, 3, "2009-01-13", "2009-01-12", "2009-01-12", "2009-01-15", "2009-01-16", 0},
				{"DEP", 12, 1, "2009-01-15", "2009-01-12", "2009-01-12", "2009-01-13", "2009-01-16", 0},
			},
		},
		{
			// Starting on Saturday 10, the first dispatch day is Monday 12.
			name: "start on a weekend",
			campaign: func() *Campaign {
				c := dockCampaign(100)
				c.Start = NewDate(2009, 1, 10)
				return c
			}(),
			want: []shipmentDays{
				{"FAR", 25, 5, "2009-01-15", "2009-01-12", "2009-01-12", "2009-01-17", "2009-01-20", 0},
				{"MID", 8, 3, "2009-01-17", "2009-01-12", "2009-01-12", "2009-01-15", "2009-01-20", 0},
				{"DEP", 12, 1, "2009-01-19", "2009-01-12", "2009-01-12", "2009-01-13", "2009-01-20", 0},
			},
			// Same dispatch days as from Monday: FAR needs 25 boxes in 3 days.
			required: 9,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustCompute(t, tt.campaign)
			if got := daysOf(p); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("shipments =\n%v\nwant\n%v", got, tt.want)
			}
			switch {
			case tt.required == 0 && p.RequiredBoxesPerDay != nil:
				t.Errorf("required = %d, want nil", *p.RequiredBoxesPerDay)
			case tt.required != 0 && (p.RequiredBoxesPerDay == nil || *p.RequiredBoxesPerDay != tt.required):
				t.Errorf("required = %v, want %d", p.RequiredBoxesPerDay, tt.required)
			}
			if p.TotalBoxes != 45 {
				t.Errorf("total boxes = %d, want 45", p.TotalBoxes)
			}
		})
	}
}

// TestScheduleOrderTieBreaks: MID and WST are equally far (1.5° east and
// west), so their latest dispatch ties; the higher priority loads first,
// then the lower code (MID before NTH, both priority 1, NTH at 1.5° north).
func TestScheduleOrderTieBreaks(t *testing.T) {
	c := dockCampaign(10).withCity("WST", "1.5", -1.5).withCount("WST", "X", 1).
		withCity("NTH", "1", 0).withCount("NTH", "X", 1)
	c.Cities[len(c.Cities)-1].Lat, c.Cities[len(c.Cities)-1].Lon = 1.5, 0
	c.Materials[0].Printed = 47
	p := mustCompute(t, c)
	var order []string
	for _, s := range p.Shipments {
		order = append(order, s.City)
	}
	if want := []string{"FAR", "WST", "MID", "NTH", "DEP"}; !reflect.DeepEqual(order, want) {
		t.Errorf("loading order = %v, want %v", order, want)
	}
}

// TestShipmentContents: boxes are per material over the city's packs of
// all categories; weight is exact until the final kilograms.
func TestShipmentContents(t *testing.T) {
	grams := func(s string) *Decimal { d := MustDecimal(s); return &d }
	c := testCampaign().withCategory("X", "Y", "Z").withCity("DEP", "1", 0).withCity("ZER", "1", 1).
		withMaterial("M2", 10, "0", 1, 1).withMaterial("M1", 10, "0", 1, 4).withMaterial("P", 1000, "0", 100, 1).
		withTarget("M1", "X", 1).withTarget("M1", "Y", 1).withTarget("M2", "X", 1).withTarget("P", "Z", 1).
		withCount("DEP", "X", 1).withCount("DEP", "Y", 1).withCount("DEP", "Z", 1).withCount("ZER", "Z", 40)
	c.Surplus = SurplusReserve
	c.Materials[0].PieceGrams, c.Materials[1].PieceGrams, c.Materials[2].PieceGrams = grams("2.5"), grams("6"), grams("0.1")
	// P: reserve mode, e = 1 and 40 pieces, q = 0.01, 0.4, r = floor(0.41) = 0: nobody gets P.
	// M1: DEP 2 pieces = 2 packs → one box of 4 packs (not one per category).
	// M2: DEP 1 piece → 1 box. ZER gets nothing at all: no shipment.
	p := mustCompute(t, c)
	if len(p.Shipments) != 1 {
		t.Fatalf("shipments = %+v, want DEP only", p.Shipments)
	}
	s := p.Shipments[0]
	wantLines := []ShipmentLine{{Material: "M1", Packs: 2, Boxes: 1, Pieces: 2}, {Material: "M2", Packs: 1, Boxes: 1, Pieces: 1}}
	if !reflect.DeepEqual(s.Lines, wantLines) || s.Boxes != 2 || s.Pieces != 3 {
		t.Errorf("shipment = %+v", s)
	}
	if s.RoadKm != 0 || s.TransitDays != 1 {
		t.Errorf("depot city: road %v km, transit %d; want 0, handling only", s.RoadKm, s.TransitDays)
	}
	// 2 × 6 g + 1 × 2.5 g = 14.5 g.
	if s.WeightKg == nil || *s.WeightKg != 0.0145 || p.TotalWeightKg == nil || *p.TotalWeightKg != 0.0145 {
		t.Errorf("weight = %v, total %v; want 0.0145", s.WeightKg, p.TotalWeightKg)
	}
	c.Materials[2].PieceGrams = nil
	if p := mustCompute(t, c); p.TotalWeightKg != nil || p.Shipments[0].WeightKg != nil {
		t.Error("weight reported although a material has no piece_grams")
	}
}

// TestScheduleRoadKm: circuity multiplies the great-circle distance.
func TestScheduleRoadKm(t *testing.T) {
	c := dockCampaign(10)
	c.Transport.Circuity = 1.3
	p := mustCompute(t, c)
	want := 3.5 * 6371.0088 * math.Pi / 180 * 1.3 // 505.94 km → ceil(5.06) + 1 = 7 days
	if s := p.Shipments[0]; s.City != "FAR" || math.Abs(s.RoadKm-want) > 1e-6 || s.TransitDays != 7 {
		t.Errorf("FAR = %.3f km, %d days; want %.3f, 7", s.RoadKm, s.TransitDays, want)
	}
}

// TestRequiredCapacityNothingToShip: with no shipment any capacity is on
// time; the smallest a campaign may have is 1.
func TestRequiredCapacityNothingToShip(t *testing.T) {
	p := mustCompute(t, testCampaign().withCity("A", "1", 0))
	if len(p.Shipments) != 0 || p.RequiredBoxesPerDay == nil || *p.RequiredBoxesPerDay != 1 {
		t.Errorf("shipments %v, required %v", p.Shipments, p.RequiredBoxesPerDay)
	}
}

// TestRequiredCapacityMinimal checks on random dock loads that the
// reported capacity is on time and one less is not.
func TestRequiredCapacityMinimal(t *testing.T) {
	cal, err := newCalendar(NewDate(2009, 1, 10), Dispatch{WorkDays: []time.Weekday{time.Monday, time.Wednesday},
		Holidays: []Date{NewDate(2009, 1, 21)}})
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n < 40; n++ {
		ld := &loading{cal: cal}
		for i := range n {
			ld.boxes = append(ld.boxes, int64(1+(i*7919)%50))
			ld.latest = append(ld.latest, 2+i*3+(i*31)%5)
		}
		var total int64
		for _, b := range ld.boxes {
			total += b
		}
		got := ld.requiredCapacity(total)
		if got == nil {
			if ld.onTime(total) {
				t.Fatalf("n=%d: nil but all boxes on day one are on time", n)
			}
			continue
		}
		if !ld.onTime(*got) || (*got > 1 && ld.onTime(*got-1)) {
			t.Fatalf("n=%d: required %d is not the smallest on-time capacity", n, *got)
		}
	}
}
