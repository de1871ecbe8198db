package planner

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// baseCampaign is a small valid campaign file that the rule tests mutate.
// Reserve of L3: ceil(10000 * 2 / 100) = 200, so locks of L3 may total 9800.
const baseCampaign = `{
  "campaign": {
    "name": "Prueba",
    "start": "2009-01-12",
    "deadline": "2009-03-31",
    "depot": {"name": "CDMX", "lat": 19.4326, "lon": -99.1332},
    "dispatch": {"boxes_per_day": 400}
  },
  "materials": [
    {"code": "L3", "name": "Leaflet", "printed": 10000, "reserve_pct": 2, "pack_size": 100, "packs_per_box": 20},
    {"code": "P1", "name": "Poster", "printed": 500, "pack_size": 10, "packs_per_box": 5}
  ],
  "venue_categories": [
    {"code": "NIGHTCLUB", "name": "Centros nocturnos"},
    {"code": "SHELTER", "name": "Albergues", "sensitive": true}
  ],
  "targeting": [
    {"material": "L3", "category": "NIGHTCLUB", "per_venue": 200},
    {"material": "P1", "category": "SHELTER", "per_venue": 2}
  ],
  "cities": [
    {"code": "TAP", "name": "Tapachula", "lat": 14.9039, "lon": -92.2575},
    {"code": "TIJ", "name": "Tijuana", "lat": 32.5027, "lon": -117.0037, "priority": 1.5}
  ],
  "venue_counts": [
    {"city": "TAP", "category": "NIGHTCLUB", "count": 40},
    {"city": "TIJ", "category": "NIGHTCLUB", "count": 10}
  ],
  "venues": [
    {"id": "v1", "name": "Refugio", "category": "SHELTER", "lat": 14.9, "lon": -92.26, "city": "TAP"},
    {"id": "v2", "name": "Club", "category": "NIGHTCLUB", "lat": 32.5, "lon": -117.0}
  ],
  "locks": [
    {"material": "L3", "city": "TAP", "category": "NIGHTCLUB", "pieces": 1000}
  ]
}`

// edit changes a parsed file in place.
type edit func(t *testing.T, root *jsonValue)

// set replaces (or adds, at the end of its object or array) the value at
// path with the JSON text raw.
func set(path, raw string) edit {
	return func(t *testing.T, root *jsonValue) {
		t.Helper()
		v, err := readJSON([]byte(raw))
		if err != nil {
			t.Fatalf("set %s: %v", path, err)
		}
		parent, last := walkTo(t, root, path)
		if i, err := strconv.Atoi(last); err == nil {
			if i == len(parent.elems) {
				parent.elems = append(parent.elems, v)
				return
			}
			parent.elems[i] = v
			return
		}
		for j := range parent.members {
			if parent.members[j].key == last {
				parent.members[j].value = v
				return
			}
		}
		parent.members = append(parent.members, jsonMember{key: last, value: v})
	}
}

// del removes the key at path.
func del(path string) edit {
	return func(t *testing.T, root *jsonValue) {
		t.Helper()
		parent, last := walkTo(t, root, path)
		for j := range parent.members {
			if parent.members[j].key == last {
				parent.members = append(parent.members[:j], parent.members[j+1:]...)
				return
			}
		}
		t.Fatalf("del %s: no such key", path)
	}
}

var pathPartRE = regexp.MustCompile(`[^.\[\]]+`)

// walkTo returns the container of the last element of path and that element's key or index.
func walkTo(t *testing.T, root *jsonValue, path string) (*jsonValue, string) {
	t.Helper()
	parts := pathPartRE.FindAllString(path, -1)
	v := root
	for _, p := range parts[:len(parts)-1] {
		if i, err := strconv.Atoi(p); err == nil {
			v = v.elems[i]
			continue
		}
		found := false
		for _, m := range v.members {
			if m.key == p {
				v, found = m.value, true
				break
			}
		}
		if !found {
			t.Fatalf("path %s: no key %q", path, p)
		}
	}
	return v, parts[len(parts)-1]
}

// encodeTree writes a tree back as JSON, keeping key order and duplicates.
func encodeTree(v *jsonValue) string {
	var b strings.Builder
	var enc func(v *jsonValue)
	enc = func(v *jsonValue) {
		switch v.kind {
		case jsonNull:
			b.WriteString("null")
		case jsonBool:
			b.WriteString(strconv.FormatBool(v.boolean))
		case jsonNumber:
			b.WriteString(v.text)
		case jsonString:
			s, _ := json.Marshal(v.text)
			b.Write(s)
		case jsonArray:
			b.WriteByte('[')
			for i, e := range v.elems {
				if i > 0 {
					b.WriteByte(',')
				}
				enc(e)
			}
			b.WriteByte(']')
		case jsonObject:
			b.WriteByte('{')
			for i, m := range v.members {
				if i > 0 {
					b.WriteByte(',')
				}
				k, _ := json.Marshal(m.key)
				b.Write(k)
				b.WriteByte(':')
				enc(m.value)
			}
			b.WriteByte('}')
		}
	}
	enc(v)
	return b.String()
}

// mutated returns baseCampaign with the edits applied.
func mutated(t *testing.T, edits ...edit) string {
	t.Helper()
	root, err := readJSON([]byte(baseCampaign))
	if err != nil {
		t.Fatalf("base campaign: %v", err)
	}
	for _, e := range edits {
		e(t, root)
	}
	return encodeTree(root)
}

// parseString parses a campaign file given as text.
func parseString(t *testing.T, text string) (*Campaign, error) {
	t.Helper()
	return ParseCampaign(strings.NewReader(text))
}

// mustParse parses a file that must be valid.
func mustParse(t *testing.T, text string) *Campaign {
	t.Helper()
	c, err := parseString(t, text)
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
