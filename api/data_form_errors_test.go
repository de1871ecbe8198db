package api

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/reparto/reparto/api/web"
)

// Regression: a form with a number that does not parse and an empty
// required text field showed only the number's error; "is required"
// appeared only after the number was fixed and the form sent again. Every
// error of a data form must come back on the first submit, for every list.
func TestDataFormShowsEveryErrorAtOnce(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	tests := []struct {
		kind string
		form url.Values
		want []string // fields that must show an error
	}{
		{"materials", url.Values{"code": {"NEW-X"}, "name": {""}, "printed": {"mucho"}, "pack_size": {"10"}, "packs_per_box": {"2"}},
			[]string{"name", "printed"}},
		{"cities", url.Values{"code": {"NEWC"}, "name": {""}, "lat": {"norte"}, "lon": {"-99"}, "priority": {"1"}, "radius_km": {"10"}},
			[]string{"name", "lat"}},
		{"categories", url.Values{"code": {""}, "name": {""}}, []string{"code", "name"}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			code, body, _ := ts.post(t, cl, fmt.Sprintf("/campaigns/%d/data/%s", ts.CampaignID, tt.kind), tt.form)
			if code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", code)
			}
			for _, name := range tt.want {
				if fieldError(body, name) == "" {
					t.Errorf("no error beside %s on the first submit", name)
				}
			}
		})
	}
}
