package pages

import (
	"fmt"
	"net/url"
	"testing"
)

func TestShipmentListPages(t *testing.T) {
	tests := []struct {
		page           string
		want, rows     int
		hasPrev, hasNx bool
	}{
		{"", 1, 100, false, true},
		{"2", 2, 100, true, true},
		{"3", 3, 50, true, false},
		{"9", 3, 50, true, false},
		{"x", 1, 100, false, true},
	}
	for _, tt := range tests {
		d := shipmentsData{Rows: make([]shipmentRowView, 250), query: url.Values{"status": {"late"}}}
		d.paginate(tt.page)
		if d.Page != tt.want || d.Pages != 3 || len(d.Rows) != tt.rows || (d.PrevURL != "") != tt.hasPrev || (d.NextURL != "") != tt.hasNx {
			t.Errorf("page %q: page %d of %d, %d rows, prev %q next %q", tt.page, d.Page, d.Pages, len(d.Rows), d.PrevURL, d.NextURL)
		}
		if d.NextURL != "" && d.NextURL != fmt.Sprintf("?page=%d&status=late", tt.want+1) {
			t.Errorf("page %q: next link %q keeps the filter?", tt.page, d.NextURL)
		}
	}
}
