package planner

import (
	"io"
	"os"
	"strings"
	"testing"
)

// ParseCampaign is planio.ParseCampaign, lent to this package's tests by
// planio_test.go: the campaign-file reader lives in planio, which imports
// planner, so these tests cannot import it, yet the demo campaign, the
// worked example of docs/planning.md and the validation fixtures are
// campaign files.
var ParseCampaign func(io.Reader) (*Campaign, error)

// baseCampaign is the small valid campaign file of planio's rule tests.
var baseCampaign = func() string {
	b, err := os.ReadFile("testdata/base-campaign.json")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// mustParse parses a file that must be valid.
func mustParse(t *testing.T, text string) *Campaign {
	t.Helper()
	c, err := ParseCampaign(strings.NewReader(text))
	if err != nil {
		t.Fatalf("ParseCampaign: %v", err)
	}
	return c
}

// wantFirstError checks that err is EInvalid and its first field error has
// the path and contains the message fragment.
func wantFirstError(t *testing.T, err error, path, fragment string) {
	t.Helper()
	wantMessageIDs(t, err)
	if err == nil {
		t.Fatalf("got no error, want %s: ...%s...", path, fragment)
	}
	if ErrorCode(err) != EInvalid {
		t.Fatalf("code = %q, want invalid (%v)", ErrorCode(err), err)
	}
	fields := ErrorFields(err)
	if len(fields) == 0 {
		t.Fatalf("no field errors in %v", err)
	}
	if fields[0].Path != path || !strings.Contains(fields[0].Message, fragment) {
		t.Fatalf("first error = %q, want %s: ...%s...\nall: %v", fields[0].String(), path, fragment, fields)
	}
}
