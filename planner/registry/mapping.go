package registry

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/reparto/reparto/planner"
)

// Rule maps registry rows to a venue category of the campaign. Every
// field set must match: Activity is the DENUE SCIAN code (six digits) or
// the CLUES establishment type; Center is DENUE's tipoCenCom (the kind of
// shopping centre the unit is in, e.g. CENTRAL CAMIONERA); Name is words
// the row's name must contain. Text is compared without case or accents.
type Rule struct {
	Source   Source `json:"source"`
	Activity string `json:"activity,omitempty"`
	Center   string `json:"center,omitempty"`
	Name     string `json:"name,omitempty"`
	Category string `json:"category"`
}

// DefaultRulesFile is the shipped mapping in Reparto's assets (data/).
const DefaultRulesFile = "data/scian-categories.csv"

// rulesHeader is the header of a rules CSV. description is for people
// reading the file (the catalogue's name of the class) and is ignored.
var rulesHeader = []string{"source", "activity", "center", "name", "category", "description"}

// LoadDefaultRules reads the shipped mapping from fsys (the embedded
// assets).
func LoadDefaultRules(fsys fs.FS) ([]Rule, error) {
	f, err := fsys.Open(DefaultRulesFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rules, err := ParseRules(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", DefaultRulesFile, err)
	}
	return rules, nil
}

// ParseRules reads a rules CSV (header source,activity,center,name,category
// and an optional description). Errors name the line.
func ParseRules(r io.Reader) ([]Rule, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("line 1: %w", err)
	}
	for i, want := range rulesHeader[:5] {
		if i >= len(header) || strings.TrimSpace(header[i]) != want {
			return nil, fmt.Errorf("line 1: the header must be %s", strings.Join(rulesHeader, ","))
		}
	}
	var rules []Rule
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rules, nil
		}
		if err != nil {
			return nil, err
		}
		if len(row) < 5 {
			line, _ := cr.FieldPos(0)
			return nil, fmt.Errorf("line %d: want at least 5 fields, got %d", line, len(row))
		}
		rules = append(rules, Rule{Source: Source(strings.TrimSpace(row[0])), Activity: strings.TrimSpace(row[1]),
			Center: strings.TrimSpace(row[2]), Name: strings.TrimSpace(row[3]), Category: strings.TrimSpace(row[4])})
	}
}

// ValidateRules checks a campaign's mapping: a known source, at least one
// condition, a six-digit SCIAN code for DENUE activities, a category of
// the campaign, and no rule twice. Errors are planner.Invalid with paths
// rules[i].field.
func ValidateRules(rules []Rule, categories []planner.VenueCategory) error {
	known := make(map[string]bool, len(categories))
	for _, c := range categories {
		known[c.Code] = true
	}
	var fields []planner.FieldError
	fail := func(i int, field string, id planner.MsgID, args map[string]any, format string, a ...any) {
		fields = append(fields, planner.FieldError{Path: fmt.Sprintf("rules[%d].%s", i, field),
			Message: fmt.Sprintf(format, a...), ID: id, Args: args})
	}
	seen := make(map[Rule]bool, len(rules))
	for i, r := range rules {
		switch {
		case r.Source != SourceDENUE && r.Source != SourceCLUES:
			fail(i, "source", planner.MsgUnknownRef, map[string]any{"A": "source", "B": string(r.Source)},
				"unknown source %q (want %s or %s)", r.Source, SourceDENUE, SourceCLUES)
		case r.Activity == "" && r.Center == "" && r.Name == "":
			fail(i, "activity", planner.MsgRequired, nil, "must not be empty when center and name are")
		case r.Source == SourceDENUE && r.Activity != "" && !isSCIAN(r.Activity):
			fail(i, "activity", planner.MsgCode, nil, "must be a SCIAN class of 6 digits, got %q", r.Activity)
		}
		for _, f := range []struct{ name, v string }{{"activity", r.Activity}, {"center", r.Center}, {"name", r.Name}} {
			if utf8.RuneCountInString(f.v) > planner.MaxNameLen {
				fail(i, f.name, planner.MsgMaxLen, map[string]any{"A": planner.MaxNameLen},
					"must be at most %d characters", planner.MaxNameLen)
			}
		}
		if !known[r.Category] {
			fail(i, "category", planner.MsgUnknownRef, map[string]any{"A": "category", "B": r.Category},
				"unknown category %q", r.Category)
		}
		k := Rule{Source: r.Source, Activity: fold(r.Activity), Center: fold(r.Center), Name: fold(r.Name)}
		if seen[k] {
			fail(i, "activity", planner.MsgDuplicateCode, map[string]any{"A": r.Activity},
				"the same condition is already mapped by an earlier rule")
		}
		seen[k] = true
	}
	if len(fields) > 0 {
		return planner.Invalid(fields...)
	}
	return nil
}

func isSCIAN(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Mapping finds a row's category. Precedence, so that the outcome does not
// depend on how rules are ordered except among equals: a rule with an
// activity and a name or centre (the most specific, e.g. 722411 + DISCO),
// then a rule with the activity alone, then rules on the name or centre
// alone, in their order. A name rule thus never takes a row whose code is
// mapped: a bar called "La Fiscalía" stays a bar.
type Mapping struct {
	byActivity map[sourceKey]string
	specific   map[sourceKey][]foldedRule
	loose      []foldedRule
}

type sourceKey struct {
	source   Source
	activity string
}

type foldedRule struct {
	source       Source
	center, name string
	category     string
}

// NewMapping indexes rules (already checked by ValidateRules).
func NewMapping(rules []Rule) *Mapping {
	m := &Mapping{byActivity: map[sourceKey]string{}, specific: map[sourceKey][]foldedRule{}}
	for _, r := range rules {
		k := sourceKey{r.Source, fold(r.Activity)}
		fr := foldedRule{source: r.Source, center: fold(r.Center), name: fold(r.Name), category: r.Category}
		switch {
		case r.Activity != "" && r.Center == "" && r.Name == "":
			if _, dup := m.byActivity[k]; !dup {
				m.byActivity[k] = r.Category
			}
		case r.Activity != "":
			m.specific[k] = append(m.specific[k], fr)
		default:
			m.loose = append(m.loose, fr)
		}
	}
	return m
}

// Match returns the category of rec, "" when no rule takes it. byCenter
// is true when a rule on the centre alone took it: the venue is then the
// centre (a bus station), not the unit (a shop inside it).
func (m *Mapping) Match(src Source, rec *Record) (category string, byCenter bool) {
	k := sourceKey{src, rec.Activity}
	if src == SourceCLUES { // CLUES types are words: compare folded
		k.activity = fold(rec.Activity)
	}
	var name, center string
	folded := false
	lazy := func() {
		if !folded {
			name, center, folded = fold(rec.Name), fold(rec.Center), true
		}
	}
	for _, r := range m.specific[k] {
		lazy()
		if r.matches(name, center) {
			return r.category, false
		}
	}
	if c, ok := m.byActivity[k]; ok {
		return c, false
	}
	for _, r := range m.loose {
		if r.source != src {
			continue
		}
		lazy()
		if r.matches(name, center) {
			return r.category, r.name == ""
		}
	}
	return "", false
}

func (r foldedRule) matches(name, center string) bool {
	return (r.center == "" || center == r.center) && (r.name == "" || strings.Contains(name, r.name))
}

// fold is s in upper case without accents and with single spaces, so
// that "Fiscalía" matches "FISCALIA". ASCII input (nearly every DENUE
// name) takes the fast path.
func fold(s string) string {
	ascii := true
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		// A chain keeps state: one per call keeps fold safe for concurrent use.
		strip := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
		if t, _, err := transform.String(strip, s); err == nil {
			s = t
		}
	}
	return strings.Join(strings.Fields(strings.ToUpper(s)), " ")
}
