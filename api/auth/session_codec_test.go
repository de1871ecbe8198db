package auth

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

func TestSessionCodecRoundTrips(t *testing.T) {
	deadline := time.Date(2009, 3, 20, 21, 30, 0, 123456789, time.UTC)
	at := time.Date(2009, 3, 1, 8, 0, 0, 0, time.UTC) // zone names are not kept, as with gob
	cases := []struct {
		name   string
		values map[string]any
		gob    bool // written with gob (a type the codec does not know)
	}{
		{"empty", map[string]any{}, false},
		{"signed in", map[string]any{sessionUserKey: int64(42), sessionStampKey: "f3a9c2"}, false},
		{"with flash", map[string]any{sessionUserKey: int64(7), sessionStampKey: "x", sessionFlashKey: "Guardado: ñandú «ok»"}, false},
		{"negative and empty", map[string]any{"n": int64(-1 << 40), "s": ""}, false},
		{"bool float time", map[string]any{"b": true, "c": false, "f": 2.5, "t": at}, false},
		{"unknown type", map[string]any{sessionUserKey: int64(1), "list": []string{"a"}}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := sessionCodec{}.Encode(deadline, tc.values)
			if err != nil {
				t.Fatal(err)
			}
			if isGob := b[0] != 0; isGob != tc.gob {
				t.Errorf("written with gob = %v, want %v", isGob, tc.gob)
			}
			d, v, err := sessionCodec{}.Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Equal(deadline) || d.Location() != time.UTC {
				t.Errorf("deadline = %v, want %v", d, deadline)
			}
			if !reflect.DeepEqual(v, tc.values) {
				t.Errorf("values = %#v, want %#v", v, tc.values)
			}
		})
	}
}

// TestSessionCodecIsDeterministic: the same session gives the same bytes
// every time, so that the save after an unchanged request sees nothing to
// write. gob followed Go's map order and did not (issue 13).
func TestSessionCodecIsDeterministic(t *testing.T) {
	deadline := time.Now().UTC()
	values := map[string]any{sessionUserKey: int64(3), sessionStampKey: "abcdef", sessionFlashKey: "hola", "z": true}
	first, err := sessionCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	for range 200 {
		b, err := sessionCodec{}.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, first) {
			t.Fatalf("encoding changed: %x, then %x", first, b)
		}
	}
}

// TestSessionCodecReadsGobSessions: sessions stored before the codec
// (scs's gob) still decode, so nobody is signed out by the upgrade.
func TestSessionCodecReadsGobSessions(t *testing.T) {
	deadline := time.Date(2009, 3, 20, 21, 30, 0, 0, time.UTC)
	values := map[string]any{sessionUserKey: int64(42), sessionStampKey: "f3a9c2"}
	b, err := scs.GobCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	d, v, err := sessionCodec{}.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Equal(deadline) || !reflect.DeepEqual(v, values) {
		t.Errorf("decoded %v %#v, want %v %#v", d, v, deadline, values)
	}
}

func TestSessionCodecRefusesMalformedData(t *testing.T) {
	good, err := sessionCodec{}.Encode(time.Now().UTC(), map[string]any{sessionUserKey: int64(42), sessionStampKey: "f3a9c2"})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"format only":     {0},
		"unknown format":  append([]byte{0, 9}, good[2:]...),
		"cut deadline":    good[:10],
		"cut value":       good[:len(good)-3],
		"trailing bytes":  append(append([]byte{}, good...), 1),
		"unknown tag":     bytes.Replace(good, []byte(sessionUserKey+"i"), []byte(sessionUserKey+"?"), 1),
		"huge count":      append(append([]byte{}, good[:17]...), 0xff, 0xff, 0xff, 0xff, 0x0f),
		"huge string len": append(append([]byte{}, good[:18]...), 0xff, 0xff, 0xff, 0xff, 0x0f),
	}
	for name, b := range cases {
		if _, _, err := (sessionCodec{}).Decode(b); err == nil {
			t.Errorf("%s: decoded %x without error", name, b)
		}
	}
}
