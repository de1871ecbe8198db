package planio

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/reparto/reparto/planner"
)

// parseHooked is ParseCampaignStream with hooks that check what they are
// handed against the result: the head's header and lists are the
// campaign's, the venues handed over grow as prefixes of its venues, the
// last with done. It reports whether Start was called.
func parseHooked(t *testing.T, data []byte, step int) (*planner.Campaign, error, bool) {
	t.Helper()
	var head *planner.Campaign
	var lists []string
	var handed [][]planner.Venue
	done := false
	c, err := ParseCampaignStream(bytes.NewReader(data), CampaignStream{
		Start: func(h *planner.Campaign, l []string) bool {
			if head != nil {
				t.Fatal("Start called twice")
			}
			head, lists = h, l
			return true
		},
		Venues: func(vs []planner.Venue, d bool) {
			if done {
				t.Fatal("Venues called after done")
			}
			// Copies: what the parse hands over must not change after.
			handed = append(handed, append([]planner.Venue(nil), vs...))
			done = d
		},
		Step: step,
	})
	if head == nil {
		if len(handed) > 0 {
			t.Fatal("Venues called without Start")
		}
		return c, err, false
	}
	if err != nil {
		return c, err, true
	}
	if !done {
		t.Fatal("the venues of a valid file were not handed over to the end")
	}
	hc := *c
	hc.Materials, hc.Categories, hc.Targeting, hc.Cities, hc.VenueCounts, hc.Venues, hc.Locks = nil, nil, nil, nil, nil, nil, nil
	for _, l := range lists {
		switch l {
		case "materials":
			hc.Materials = c.Materials
		case "venue_categories":
			hc.Categories = c.Categories
		case "targeting":
			hc.Targeting = c.Targeting
		case "cities":
			hc.Cities = c.Cities
		case "venue_counts":
			hc.VenueCounts = c.VenueCounts
		case "locks":
			hc.Locks = c.Locks
		default:
			t.Fatalf("list %q handed over in the head", l)
		}
	}
	if !reflect.DeepEqual(*head, hc) {
		t.Fatalf("head %+v\nwant %+v", *head, hc)
	}
	for i, vs := range handed {
		if len(vs) > len(c.Venues) || !reflect.DeepEqual(vs, c.Venues[:len(vs)]) && len(vs) > 0 ||
			i > 0 && len(vs) < len(handed[i-1]) {
			t.Fatalf("hand-over %d: %d venues, not a growing prefix of the %d read", i, len(vs), len(c.Venues))
		}
	}
	if last := handed[len(handed)-1]; len(last) != len(c.Venues) {
		t.Fatalf("last hand-over has %d venues of %d", len(last), len(c.Venues))
	}
	return c, err, true
}

// TestParseCampaignStreamHooks: the hooks change nothing in what is read
// or refused; Start comes only when the header, the categories and the
// cities come before the venues and nothing is wrong before them.
func TestParseCampaignStreamHooks(t *testing.T) {
	venues := strings.Repeat(`{"id": "v%", "name": "Bar", "category": "BAR", "lat": 14.9, "lon": -92.26},`, 1)
	var vb strings.Builder
	for i := range 50 {
		if i > 0 {
			vb.WriteString(",\n")
		}
		vb.WriteString(strings.Replace(strings.TrimSuffix(venues, ","), "%", string(rune('a'+i%26))+strings.Repeat("x", i/26), 1))
	}
	parts := map[string]string{
		"campaign": `"campaign": {"name": "N", "start": "2009-01-12", "deadline": "2009-03-31",
 "depot": {"name": "D", "lat": 19, "lon": -99}, "dispatch": {"boxes_per_day": 10}}`,
		"materials":        `"materials": [{"code": "M", "name": "M", "printed": 100, "pack_size": 10, "packs_per_box": 2}]`,
		"venue_categories": `"venue_categories": [{"code": "BAR", "name": "Bares"}]`,
		"targeting":        `"targeting": [{"material": "M", "category": "BAR", "per_venue": 1}]`,
		"cities":           `"cities": [{"code": "TAP", "name": "Tapachula", "lat": 14.9, "lon": -92.26}]`,
		"venues":           `"venues": [` + vb.String() + `]`,
		"locks":            `"locks": []`,
	}
	file := func(keys ...string) string {
		var out []string
		for _, k := range keys {
			if p, ok := parts[k]; ok {
				out = append(out, p)
			} else {
				out = append(out, k) // literal text
			}
		}
		return "{" + strings.Join(out, ",\n") + "}"
	}
	tests := []struct {
		name  string
		text  string
		start bool
	}{
		{"writer's order", file("campaign", "materials", "venue_categories", "targeting", "cities", "venues", "locks"), true},
		{"lists after venues", file("campaign", "venue_categories", "cities", "venues", "materials", "targeting", "locks"), true},
		{"header after venues", file("venue_categories", "cities", "venues", "campaign"), false},
		{"cities after venues", file("campaign", "venue_categories", "venues", "cities"), false},
		{"no venues", file("campaign", "venue_categories", "cities"), false},
		{"unknown key before venues", file("campaign", "venue_categories", "cities", `"x": 1`, "venues"), false},
		{"bad header", file(`"campaign": {"name": 5}`, "venue_categories", "cities", "venues"), false},
		{"cities not an array", file("campaign", "venue_categories", `"cities": 5`, "venues"), false},
		{"venues not an array", file("campaign", "venue_categories", "cities", `"venues": {}`), false},
		{"unknown key after venues", file("campaign", "venue_categories", "cities", "venues", `"x": 1`), true},
		{"repeated venue", file("campaign", "venue_categories", "cities", `"venues": [{"id": "a", "name": "Bar", "category": "BAR", "lat": 1, "lon": 1},
{"id": "a", "name": "Bar", "category": "BAR", "lat": 1, "lon": 1}]`), true},
		{"syntax error in the venues", file("campaign", "venue_categories", "cities", `"venues": [{"id": "a"}, x]`), true},
	}
	for _, tt := range tests {
		for _, step := range []int{1, 7, 1000} {
			want, wantErr := ParseCampaign(strings.NewReader(tt.text))
			got, err, started := parseHooked(t, []byte(tt.text), step)
			if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(err, wantErr) {
				t.Errorf("%s, step %d: (%v, %v), ParseCampaign (%v, %v)", tt.name, step, got, err, want, wantErr)
			}
			if started != tt.start {
				t.Errorf("%s: Start called %v, want %v", tt.name, started, tt.start)
			}
		}
	}
}
