package planio

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/reparto/reparto/planner"
)

// baseCampaign is a small valid campaign file that the rule tests mutate.
// Reserve of L3: ceil(10000 * 2 / 100) = 200, so locks of L3 may total 9800.
// planner's validation tests start from the same file.
var baseCampaign = readTestFile("../testdata/base-campaign.json")

// readTestFile is the text of a file the tests share with other packages.
func readTestFile(name string) string {
	b, err := os.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

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
func parseString(t *testing.T, text string) (*planner.Campaign, error) {
	t.Helper()
	return ParseCampaign(strings.NewReader(text))
}

// mustParse parses a file that must be valid.
func mustParse(t *testing.T, text string) *planner.Campaign {
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
	if planner.ErrorCode(err) != planner.EInvalid {
		t.Fatalf("code = %q, want invalid (%v)", planner.ErrorCode(err), err)
	}
	fields := planner.ErrorFields(err)
	if len(fields) == 0 {
		t.Fatalf("no field errors in %v", err)
	}
	if fields[0].Path != path || !strings.Contains(fields[0].Message, fragment) {
		t.Fatalf("first error = %q, want %s: ...%s...\nall: %v", fields[0].String(), path, fragment, fields)
	}
}

// wantMessageIDs fails unless every field error of err names a message
// id of planner.MessageIDs, so that the web pages can say it in the
// reader's language.
func wantMessageIDs(t *testing.T, err error) {
	t.Helper()
	for _, f := range planner.ErrorFields(err) {
		if !slices.Contains(planner.MessageIDs, f.ID) {
			t.Errorf("%s: %q has no known message id (%q)", f.Path, f.Message, f.ID)
		}
	}
}
