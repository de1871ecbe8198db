package api

import (
	"regexp"
	"strconv"
)

// quantityMessages translates the planner's messages about quantities
// that exceed what a shipment holds; each named group becomes a parameter
// of the catalogue message, numbers formatted for the user's language.
var quantityMessages = []struct {
	re *regexp.Regexp
	id string
}{
	{regexp.MustCompile(`^must not exceed the (?P<dispatched>\d+) pieces dispatched$`), "tracking.error.accepted_exceeds"},
	{regexp.MustCompile(`^must not exceed the (?P<planned>\d+) planned boxes$`), "tracking.error.boxes_exceed_plan"},
	{regexp.MustCompile(`^must not exceed the (?P<planned>\d+) planned pieces$`), "tracking.error.pieces_exceed_plan"},
	{regexp.MustCompile(`^accepted (?P<accepted>\d+) \+ rejected (?P<rejected>\d+) exceed the (?P<dispatched>\d+) pieces dispatched$`),
		"tracking.error.received_exceeds"},
	{regexp.MustCompile(`^(?P<pieces>\d+) more pieces of "(?P<material>[^"]*)" exceed what is left to distribute: (?P<left>\d+) of the (?P<accepted>\d+) accepted$`),
		"tracking.error.distribution_exceeds"},
	{regexp.MustCompile(`^material "(?P<material>[^"]*)" does not target venue category "(?P<category>[^"]*)"`), "tracking.error.not_targeted"},
}

// quantityMessage is the translation of msg, or "" when it is not one of
// quantityMessages.
func quantityMessage(p *Page, msg string) string {
	for _, m := range quantityMessages {
		match := m.re.FindStringSubmatch(msg)
		if match == nil {
			continue
		}
		var args []any
		for i, name := range m.re.SubexpNames() {
			if name == "" {
				continue
			}
			var v any = match[i]
			if n, err := strconv.ParseInt(match[i], 10, 64); err == nil {
				v = p.N(n)
			}
			args = append(args, name, v)
		}
		return p.T(m.id, args...)
	}
	return ""
}
