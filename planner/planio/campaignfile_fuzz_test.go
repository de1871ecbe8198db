package planio

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/reparto/reparto/planner"
)

// FuzzParseCampaign checks that no input makes ParseCampaign panic, that
// every rejection is a one-line EInvalid error, and that every accepted
// campaign is valid and survives MarshalCampaign and ParseCampaign
// unchanged; ParseCampaignStream reads the same, whatever it hands over.
func FuzzParseCampaign(f *testing.F) {
	f.Add([]byte(baseCampaign))
	f.Add([]byte(planningExample))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCampaign(bytes.NewReader(data))
		if hc, herr, _ := parseHooked(t, data, 3); !reflect.DeepEqual(hc, c) || !reflect.DeepEqual(herr, err) {
			t.Fatalf("ParseCampaignStream gave (%v, %v), ParseCampaign (%v, %v)", hc, herr, c, err)
		}
		if err != nil {
			fields := planner.ErrorFields(err)
			if planner.ErrorCode(err) != planner.EInvalid || len(fields) == 0 || len(fields) > planner.MaxFieldErrors {
				t.Fatalf("error %v: code %q, %d fields", err, planner.ErrorCode(err), len(fields))
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error is not one line: %q", err.Error())
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("accepted campaign fails Validate: %v", err)
		}
		b, err := MarshalCampaign(c)
		if err != nil {
			t.Fatalf("MarshalCampaign: %v", err)
		}
		c2, err := ParseCampaign(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("written file rejected: %v\n%s", err, b)
		}
		if !reflect.DeepEqual(c2, c) {
			t.Fatalf("round trip changed the campaign:\n got %+v\nwant %+v", c2, c)
		}
	})
}
