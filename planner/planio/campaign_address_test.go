package planio

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/reparto/reparto/planner"
)

// TestCampaignAddressesRoundTrip: the depot's and a city's address are
// read, written and read again unchanged, and a second write is the same.
func TestCampaignAddressesRoundTrip(t *testing.T) {
	c := fullCampaign()
	c.Depot.Address = "Av. Central 1, Tlalpan \"norte\""
	c.Cities[0].Address = "Oficina estatal <planta baja> & anexo"
	b1, err := MarshalCampaign(c)
	if err != nil {
		t.Fatal(err)
	}
	got := mustParse(t, string(b1))
	if !reflect.DeepEqual(got, c) {
		t.Fatalf("round trip:\n got %+v\nwant %+v\nfile:\n%s", got, c, b1)
	}
	b2, err := MarshalCampaign(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b1, b2) {
		t.Fatalf("second write differs:\n%s\nfirst:\n%s", b2, b1)
	}
}

// TestCampaignWithoutAddressesWritesNoKey: an empty address is not
// written, so files from before the addresses read and write back
// byte-identical (TestMarshalCampaignFormat pins the whole text).
func TestCampaignWithoutAddressesWritesNoKey(t *testing.T) {
	c := mustParse(t, baseCampaign)
	c.Venues = nil // venues have addresses of their own
	b, err := MarshalCampaign(c)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(`"address"`)) {
		t.Fatalf("a campaign without addresses wrote an address key:\n%s", b)
	}
}

func TestParseCampaignAddressErrors(t *testing.T) {
	long := `"` + strings.Repeat("é", planner.MaxTextLen+1) + `"`
	tests := []struct {
		name  string
		edits []edit
		path  string
		msg   string
	}{
		{"city address not a string", []edit{set("cities[1].address", "7")}, "cities[1].address", "must be a string"},
		{"depot address not a string", []edit{set("campaign.depot.address", "true")}, "campaign.depot.address", "must be a string"},
		{"city address with NUL", []edit{set("cities[0].address", `"Calle\u0000"`)}, "cities[0].address", planner.BadTextMessage},
		{"depot address with NUL", []edit{set("campaign.depot.address", `"Calle\u0000"`)}, "campaign.depot.address", planner.BadTextMessage},
		{"city address too long", []edit{set("cities[1].address", long)}, "cities[1].address", "at most"},
		{"depot address too long", []edit{set("campaign.depot.address", long)}, "campaign.depot.address", "at most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseString(t, mutated(t, tt.edits...))
			wantFirstError(t, err, tt.path, tt.msg)
			wantMessageIDs(t, err)
		})
	}
	t.Run("invalid UTF-8", func(t *testing.T) {
		text := strings.Replace(mutated(t, set("cities[0].address", `"XADDRX"`)), "XADDRX", "caf\xe9", 1)
		_, err := parseString(t, text)
		wantFirstError(t, err, "cities[0].address", planner.BadTextMessage)
	})
}

// TestParseCampaignFlatCityAddress: the flat scanner reads a city's
// address, and leaves every wrong one to the decoder, word for word.
func TestParseCampaignFlatCityAddress(t *testing.T) {
	for _, raw := range []string{`"Calle 5 \u00e9 \"12\""`, `null`, `7`, `{"a":1}`, `["x"]`, `"a\u0000"`, `"\ud800"`} {
		text := mutated(t, set("cities[0].address", raw), set("cities[1].address", `"Recepción"`))
		parseBothWays(t, []byte(text), func(r io.Reader) io.Reader { return r })
	}
	dup := strings.Replace(mutated(t, set("cities[1].address", `"XADDRX"`)), `"XADDRX"`, `"a", "address": "b"`, 1)
	parseBothWays(t, []byte(dup), func(r io.Reader) io.Reader { return r })
	for _, raw := range []string{`"caf\xe9"`, `tru`, `"x",}`, `"x" "name": "y"`} {
		text := strings.Replace(mutated(t, set("cities[1].address", `"XADDRX"`)), `"XADDRX"`, raw, 1)
		parseBothWays(t, []byte(text), func(r io.Reader) io.Reader { return r })
	}
}
