package api

import "regexp"

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
	{regexp.MustCompile(`^must be 1 to 32 letters, digits, "_" or "-"$`), "data.err.code"},
	{regexp.MustCompile(`^unknown (?:material|city|category) "(.*)"$`), "data.err.unknown"},
	{regexp.MustCompile(`^duplicate (?:code|venue id) "(.*)"$`), "data.err.duplicate"},
	{regexp.MustCompile(`^must be a multiple of the pack size of "(.*)" \(([0-9]+)\)$`), "data.err.multiple"},
}

// localizeFieldMessage translates msg for p's reader when it is one of
// the common messages.
func localizeFieldMessage(p *Page, msg string) string {
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
		return p.T(m.id, args...)
	}
	return msg
}
