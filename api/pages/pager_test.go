package pages

import (
	"slices"
	"strconv"
	"testing"
)

// TestLinkPages: the data lists and the plan matrix link their pages the
// same way: the first, the last and two either side, gaps between, and a
// page past the last links back to the last.
func TestLinkPages(t *testing.T) {
	at := func(n int) string { return "p" + strconv.Itoa(n) }
	tests := []struct {
		page, pages int
		prev, next  string
		links       []int // 0 is a gap
	}{
		{1, 1, "", "", nil},
		{1, 3, "", "p2", []int{1, 2, 3}},
		{5, 10, "p4", "p6", []int{1, 0, 3, 4, 5, 6, 7, 0, 10}},
		{10, 10, "p9", "", []int{1, 0, 8, 9, 10}},
		{12, 10, "p10", "", []int{1, 0, 10}},
	}
	for _, tt := range tests {
		pg := linkPages(tt.page, tt.pages, at)
		var links []int
		for _, l := range pg.Links {
			links = append(links, l.N)
			if l.N != 0 && (l.URL != at(l.N) || l.Current != (l.N == tt.page)) {
				t.Errorf("page %d of %d: link %+v", tt.page, tt.pages, l)
			}
		}
		if pg.Prev != tt.prev || pg.Next != tt.next || !slices.Equal(links, tt.links) {
			t.Errorf("page %d of %d: prev %q next %q links %v, want %q %q %v",
				tt.page, tt.pages, pg.Prev, pg.Next, links, tt.prev, tt.next, tt.links)
		}
	}
}
