package api

import (
	"regexp"
	"strings"
)

// The store and the planner explain validation errors in English (they are
// shared with the CLI and the JSON API). The forms show the common ones in
// the reader's language; anything else is shown as it comes.

// dataFieldMessages maps the planner's and the form parser's field messages to
// catalogue ids; the submatches fill {{.A}} and {{.B}}.
var dataFieldMessages = []struct {
	re *regexp.Regexp
	id string
}{
	{regexp.MustCompile(`^must be >= (-?[0-9]+)$`), "data.err.min"},
	{regexp.MustCompile(`^(?:must not be empty|is required)$`), "data.err.required"},
	{regexp.MustCompile(`^must be a whole number$`), "data.err.whole"},
	{regexp.MustCompile(`^must be a number(?: such as 2\.5)?$`), "data.err.number"},
	{regexp.MustCompile(`^must be (?:a number )?between (-?[0-9]+) and (-?[0-9]+)$`), "data.err.between"},
	{regexp.MustCompile(`^must be (?:a finite number )?> 0$`), "data.err.positive"},
	{regexp.MustCompile(`^must be 1 to 32 letters \(A-Z, Ñ\), digits, "_" or "-"$`), "data.err.code"},
	{regexp.MustCompile(`^must be <= (-?[0-9.]+)$`), "data.err.max"},
	{regexp.MustCompile(`^must be at most ([0-9]+) characters$`), "data.err.maxlen"},
	{regexp.MustCompile(`^must have at most ([0-9]+) entries$`), "data.err.maxitems"},
	{regexp.MustCompile(`^must be a date between ([0-9-]{10}) and ([0-9-]{10})$`), "data.err.between"},
	{regexp.MustCompile(`^must be at most ([0-9]+) days after start \(([0-9-]{10})\)$`), "data.err.after_start"},
	{regexp.MustCompile(`^at ([0-9]+) boxes a day the ([0-9]+) boxes of the plan would not all arrive by 9999-12-31$`), "data.err.horizon"},
	{regexp.MustCompile(`^unknown (?:material|city|category) "(.*)"$`), "data.err.unknown"},
	{regexp.MustCompile(`^duplicate (?:code|venue id) "(.*)"$`), "data.err.duplicate"},
	{regexp.MustCompile(`^must be a multiple of the pack size of "(.*)" \(([0-9]+)\)$`), "data.err.multiple"},
	{regexp.MustCompile(`^must be a date YYYY-MM-DD$`), "campaigns.err.date"},
	{regexp.MustCompile(`^must not be before start \((.*)\)$`), "campaigns.err.before_start"},
	{regexp.MustCompile(`^at least one work day is required$`), "campaigns.err.work_days"},
	{regexp.MustCompile(`^must be a finite number >= 1$`), "campaigns.err.circuity"},
	{regexp.MustCompile(`^must be "spread" or "reserve"$`), "campaigns.err.surplus"},
	{regexp.MustCompile(`^duplicate date "(.*)"$`), "campaigns.err.duplicate_date"},
	{regexp.MustCompile(`^must be an integer$`), "data.err.whole"},
	{regexp.MustCompile(`^must be a (string|boolean|object|array)$`), "campaigns.err.type"},
	{regexp.MustCompile(`^is out of range$`), "campaigns.err.range"},
	{regexp.MustCompile(`^unknown field$`), "campaigns.err.unknown_key"},
	{regexp.MustCompile(`^duplicate key$`), "campaigns.err.duplicate_key"},
	{regexp.MustCompile(`^([0-9]+) venue names would become visible to viewers; tick to confirm$`), "data.err.reveal"},
	{regexp.MustCompile(`^unknown state "(.*)"$`), "data.err.state"},
}

// localizeFieldMessage translates msg for p's reader when it is one of
// the common messages.
func localizeFieldMessage(p *Page, msg string) string { return translateFieldMessage(p.T, msg) }

// translateFieldMessage is localizeFieldMessage with any translator.
func translateFieldMessage(tr func(id string, args ...any) string, msg string) string {
	for _, m := range dataFieldMessages {
		sub := m.re.FindStringSubmatch(msg)
		if sub == nil {
			continue
		}
		args := []any{}
		for i, name := range []string{"A", "B"} {
			if i+1 < len(sub) {
				args = append(args, name, sub[i+1])
			}
		}
		return tr(m.id, args...)
	}
	return msg
}

// stillUsedRE matches the store's refusal to delete a row others refer to:
// `material "L3" is still used by 2 targeting rules, 1 locks; remove those first`.
var stillUsedRE = regexp.MustCompile(`^(material|city|venue category) "(.*)" is still used by (.*); remove those first$`)

var (
	stillUsedWhat = map[string]string{"material": "data.what.material", "city": "data.what.city", "venue category": "data.what.category"}
	stillUsedBy   = map[string]string{"targeting rules": "data.uses.targeting", "venue counts": "data.uses.counts",
		"venues": "data.uses.venues", "locks": "data.uses.locks"}
)

// localizeGeneralMessage translates a form-level message for p's reader
// when it is a refused delete; anything else is shown as it comes.
func localizeGeneralMessage(p *Page, msg string) string {
	m := stillUsedRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	var uses []string
	for _, part := range strings.Split(m[3], ", ") {
		n, label, ok := strings.Cut(part, " ")
		id, known := stillUsedBy[label]
		if !ok || !known {
			return msg
		}
		uses = append(uses, p.T(id, "Count", n))
	}
	return p.T("data.refused", "What", p.T(stillUsedWhat[m[1]]), "Code", m[2], "Uses", strings.Join(uses, ", "))
}
