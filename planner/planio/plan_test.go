package planio

import (
	"bytes"
	"strings"
	"testing"

	"github.com/reparto/reparto/planner"
)

// samplePlan is a plan written by hand, so that the encoders are checked
// apart from Compute.
func samplePlan() *planner.Plan {
	f := func(v float64) *float64 { return &v }
	d := func(s string) planner.Date { v, _ := planner.ParseDate(s); return v }
	return &planner.Plan{
		Cells: []planner.Cell{
			{Material: "L3", City: "TAP", Category: "BAR", Demand: 300, Pieces: 200, Packs: 2},
			{Material: "L3", City: "TAP", Category: "NGO", Demand: 0, Pieces: 100, Packs: 1, Locked: true},
			{Material: "L3", City: "TIJ", Category: "BAR", Demand: 800, Pieces: 100, Packs: 1, Locked: true},
			{Material: "P1", City: "TAP", Category: "BAR", Demand: 20000, Pieces: 1, Packs: 1},
		},
		Materials: []planner.MaterialResult{
			{Code: "L3", Printed: 1000, Reserve: 25, Locked: 200, Allocated: 400, Leftover: 575, Demand: 1100,
				MinFill: f(0.125), MaxFill: f(2.0 / 3)},
			{Code: "P1", Printed: 1, Allocated: 1, Demand: 20000, MinFill: f(0.00005), MaxFill: f(0.00005)},
			{Code: "Z9", Printed: 50, Leftover: 50, NoTargetVenues: true},
		},
		Shipments: []planner.Shipment{
			{City: "TIJ", Boxes: 1, RoadKm: 2271.2549, TransitDays: 6, LatestDispatch: d("2009-03-20"),
				FirstDispatch: d("2009-01-12"), Dispatch: d("2009-01-12"), Arrival: d("2009-01-18"), Due: d("2009-03-26")},
			{City: "TAP", Boxes: 4, RoadKm: 0, TransitDays: 1, LatestDispatch: d("2009-01-09"),
				FirstDispatch: d("2009-01-12"), Dispatch: d("2009-01-13"), Arrival: d("2009-01-14"), Due: d("2009-01-10"), LateDays: 4},
		},
		UnassignedVenues: []string{"v-001", "v-009"},
		TotalBoxes:       5,
	}
}

func TestWriteAllocationCSV(t *testing.T) {
	// fills: 200/300 = 0.6667, none without demand, 100/800 = 0.1250,
	// 1/20000 = 0.00005 whose float is a hair above the half: 0.0001.
	want := `material,city,category,demand,pieces,packs,locked,fill
L3,TAP,BAR,300,200,2,false,0.6667
L3,TAP,NGO,0,100,1,true,
L3,TIJ,BAR,800,100,1,true,0.1250
P1,TAP,BAR,20000,1,1,false,0.0001
`
	want = csvFile(want)
	var b bytes.Buffer
	if err := WriteAllocationCSV(&b, samplePlan()); err != nil {
		t.Fatal(err)
	}
	if b.String() != want {
		t.Errorf("allocation.csv =\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteScheduleCSV(t *testing.T) {
	want := `city,boxes,road_km,transit_days,latest_dispatch,first_dispatch,dispatch,arrival,due,late_days
TIJ,1,2271.3,6,2009-03-20,2009-01-12,2009-01-12,2009-01-18,2009-03-26,0
TAP,4,0.0,1,2009-01-09,2009-01-12,2009-01-13,2009-01-14,2009-01-10,4
`
	want = csvFile(want)
	var b bytes.Buffer
	if err := WriteScheduleCSV(&b, samplePlan()); err != nil {
		t.Fatal(err)
	}
	if b.String() != want {
		t.Errorf("schedule.csv =\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteSummaryJSON(t *testing.T) {
	want := `{
  "materials": [
    {
      "code": "L3",
      "printed": 1000,
      "reserve": 25,
      "locked": 200,
      "allocated": 400,
      "leftover": 575,
      "demand": 1100,
      "min_fill": 0.1250,
      "max_fill": 0.6667,
      "no_target_venues": false
    },
    {
      "code": "P1",
      "printed": 1,
      "reserve": 0,
      "locked": 0,
      "allocated": 1,
      "leftover": 0,
      "demand": 20000,
      "min_fill": 0.0001,
      "max_fill": 0.0001,
      "no_target_venues": false
    },
    {
      "code": "Z9",
      "printed": 50,
      "reserve": 0,
      "locked": 0,
      "allocated": 0,
      "leftover": 50,
      "demand": 0,
      "min_fill": null,
      "max_fill": null,
      "no_target_venues": true
    }
  ],
  "unassigned_venues": [
    "v-001",
    "v-009"
  ],
  "shipments": 2,
  "total_boxes": 5,
  "total_pieces": 0,
  "total_weight_kg": null,
  "late_cities": [
    {
      "city": "TAP",
      "late_days": 4
    }
  ],
  "required_boxes_per_day": null
}
`
	var b bytes.Buffer
	if err := WriteSummaryJSON(&b, samplePlan()); err != nil {
		t.Fatal(err)
	}
	if b.String() != want {
		t.Errorf("summary.json =\n%s\nwant\n%s", b.String(), want)
	}
}

// TestSummaryEmptyListsAreArrays: consumers should see [] rather than null.
func TestSummaryEmptyListsAreArrays(t *testing.T) {
	var b bytes.Buffer
	w, n := 12.5, int64(3)
	if err := WriteSummaryJSON(&b, &planner.Plan{TotalWeightKg: &w, RequiredBoxesPerDay: &n}); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"materials\": [],\n  \"unassigned_venues\": [],\n  \"shipments\": 0,\n  \"total_boxes\": 0,\n  \"total_pieces\": 0,\n" +
		"  \"total_weight_kg\": 12.5,\n  \"late_cities\": [],\n  \"required_boxes_per_day\": 3\n}\n"
	if b.String() != want {
		t.Errorf("summary.json =\n%s\nwant\n%s", b.String(), want)
	}
}

// csvFile is the text of a CSV file as reparto plan writes it: the
// lines as they are, plain UTF-8 ended by LF.
func csvFile(lines string) string { return lines }

// TestPlanFiles renders the files in order with the encoders' content, and
// gaps.json only when there is a coverage report.
func TestPlanFiles(t *testing.T) {
	p := samplePlan()
	writers := map[string]func(*bytes.Buffer) error{
		"allocation.csv": func(b *bytes.Buffer) error { return WriteAllocationCSV(b, p) },
		"schedule.csv":   func(b *bytes.Buffer) error { return WriteScheduleCSV(b, p) },
		"summary.json":   func(b *bytes.Buffer) error { return WriteSummaryJSON(b, p) },
		"gaps.json":      func(b *bytes.Buffer) error { return WriteGapsJSON(b, &planner.Gaps{GapKm: 50}) },
	}
	tests := []struct {
		gaps *planner.Gaps
		want []string
	}{
		{nil, []string{"allocation.csv", "schedule.csv", "summary.json"}},
		{&planner.Gaps{GapKm: 50}, []string{"allocation.csv", "schedule.csv", "summary.json", "gaps.json"}},
	}
	for _, tt := range tests {
		files, err := PlanFiles(p, tt.gaps)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range files {
			names = append(names, f.Name)
			var want bytes.Buffer
			if err := writers[f.Name](&want); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(f.Data, want.Bytes()) {
				t.Errorf("%s differs from its encoder", f.Name)
			}
		}
		if strings.Join(names, " ") != strings.Join(tt.want, " ") {
			t.Errorf("gaps %v: files %v, want %v", tt.gaps != nil, names, tt.want)
		}
	}
}
