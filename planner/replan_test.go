package planner

import (
	"slices"
	"testing"
)

func replanFixture() (*Campaign, *Plan, []ShipmentRecord) {
	c := trCampaign()
	c.Materials[0].ReservePct = MustDecimal("2")
	c.Materials[1].ReservePct = MustDecimal("5")
	c.Cities = []City{{Code: "MTY"}, {Code: "OAX"}, {Code: "TAP"}}
	c.Targeting = []TargetingRule{
		{Material: "L3", Category: "NIGHTCLUB", PerVenue: 200},
		{Material: "L3", Category: "SHELTER", PerVenue: 500}, // added after the commit
		{Material: "P1", Category: "NIGHTCLUB", PerVenue: 0},
		{Material: "P1", Category: "SHELTER", PerVenue: 20},
	}
	c.VenueCounts = []VenueCount{{City: "TAP", Category: "NIGHTCLUB", Count: 40}, {City: "TAP", Category: "SHELTER", Count: 5},
		{City: "MTY", Category: "NIGHTCLUB", Count: 30}, {City: "MTY", Category: "SHELTER", Count: 0}}
	c.Locks = []Lock{
		{Material: "L3", City: "TAP", Category: "NIGHTCLUB", Pieces: 9000}, // the dispatched 8,000 win
		{Material: "L3", City: "OAX", Category: "NIGHTCLUB", Pieces: 3000}, // kept
		{Material: "P1", City: "TAP", Category: "NIGHTCLUB", Pieces: 100},  // not what left: dropped
	}
	committed := &Plan{Cells: []Cell{
		{Material: "L3", City: "MTY", Category: "NIGHTCLUB", Pieces: 6000},
		{Material: "L3", City: "OAX", Category: "NIGHTCLUB", Pieces: 3000, Locked: true},
		{Material: "L3", City: "TAP", Category: "NIGHTCLUB", Pieces: 8000},
		{Material: "P1", City: "TAP", Category: "SHELTER", Pieces: 100},
	}}
	rec := func(id int64, city string, lines []ShipmentLine, events ...Event) ShipmentRecord {
		return ShipmentRecord{ID: id, City: city, PlanVersion: 1, Lines: lines, Events: events}
	}
	shipments := []ShipmentRecord{
		rec(1, "TAP", []ShipmentLine{{Material: "L3", Pieces: 8000}, {Material: "P1", Pieces: 100}}, evD1),
		rec(2, "MTY", []ShipmentLine{{Material: "L3", Pieces: 6000}}),
		rec(3, "OAX", []ShipmentLine{{Material: "L3", Pieces: 3000}}, evD1, evCancelled(5, "2009-03-11")),
	}
	return c, committed, shipments
}

func TestReplanInputLocks(t *testing.T) {
	c, committed, shipments := replanFixture()
	got, err := ReplanInput(c, committed, shipments, ReplanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Lock{
		{Material: "L3", City: "OAX", Category: "NIGHTCLUB", Pieces: 3000},
		{Material: "L3", City: "TAP", Category: "NIGHTCLUB", Pieces: 8000},
		{Material: "L3", City: "TAP", Category: "SHELTER", Pieces: 0},
		{Material: "P1", City: "TAP", Category: "SHELTER", Pieces: 100},
	}
	if !slices.Equal(got.Locks, want) {
		t.Errorf("locks =\n%v\nwant\n%v", got.Locks, want)
	}
	if got.Materials[0].ReservePct.Cmp(MustDecimal("2")) != 0 || got.Materials[1].ReservePct.Cmp(MustDecimal("5")) != 0 {
		t.Errorf("reserve changed without options: %v %v", got.Materials[0].ReservePct, got.Materials[1].ReservePct)
	}
	if len(c.Locks) != 3 || c.Locks[0].Pieces != 9000 {
		t.Errorf("input campaign modified: %v", c.Locks)
	}
}

func TestReplanInputReserve(t *testing.T) {
	c, committed, shipments := replanFixture()
	got, err := ReplanInput(c, committed, shipments, ReplanOptions{ReleaseReserve: true,
		ReservePct: map[string]Decimal{"P1": MustDecimal("1.5")}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Materials[0].ReservePct.Sign() != 0 || got.Materials[1].ReservePct.Cmp(MustDecimal("1.5")) != 0 {
		t.Errorf("reserve = %v %v, want 0 and 1.5", got.Materials[0].ReservePct, got.Materials[1].ReservePct)
	}
	if c.Materials[0].ReservePct.Cmp(MustDecimal("2")) != 0 {
		t.Error("input campaign's reserve modified")
	}
}

func TestReplanInputErrors(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Plan, []ShipmentRecord, *ReplanOptions) *Plan
		code   Code
		paths  []string
	}{
		{"unknown material", func(p *Plan, _ []ShipmentRecord, o *ReplanOptions) *Plan {
			o.ReservePct = map[string]Decimal{"X9": MustDecimal("1")}
			return p
		}, EInvalid, []string{"reserve_pct.X9"}},
		{"reserve out of range", func(p *Plan, _ []ShipmentRecord, o *ReplanOptions) *Plan {
			o.ReservePct = map[string]Decimal{"L3": MustDecimal("-1"), "P1": MustDecimal("50.5")}
			return p
		}, EInvalid, []string{"reserve_pct.L3", "reserve_pct.P1"}},
		{"reserve at the bounds", func(p *Plan, _ []ShipmentRecord, o *ReplanOptions) *Plan {
			o.ReservePct = map[string]Decimal{"L3": MustDecimal("0"), "P1": MustDecimal("50")}
			return p
		}, "", nil},
		{"dispatched from another version", func(p *Plan, s []ShipmentRecord, _ *ReplanOptions) *Plan {
			s[0].Lines[0].Pieces = 7000
			return p
		}, EConflict, nil},
		{"committed plan lacks a dispatched material", func(p *Plan, s []ShipmentRecord, _ *ReplanOptions) *Plan {
			s[0].Lines = s[0].Lines[:1]
			return p
		}, EConflict, nil},
		{"no committed plan", func(*Plan, []ShipmentRecord, *ReplanOptions) *Plan { return nil }, EConflict, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, committed, shipments := replanFixture()
			var opts ReplanOptions
			committed = tc.mutate(committed, shipments, &opts)
			_, err := ReplanInput(c, committed, shipments, opts)
			if ErrorCode(err) != tc.code {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
			if tc.code == EInvalid {
				if got := trFieldPaths(t, err); !slices.Equal(got, tc.paths) {
					t.Errorf("fields = %v, want %v", got, tc.paths)
				}
			}
		})
	}
}
