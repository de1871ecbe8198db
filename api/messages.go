package api

import (
	"errors"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/planner"
	"golang.org/x/text/language"
)

// The planner and the store name each user-facing validation message by
// an id (planner/messages.go) and keep an English text for logs and the
// CLI. Pages and the JSON API say it in the reader's language through
// the "errors.ID" entries of assets/i18n/errors.LANG.json; a message
// without an id, or an id the catalogue lacks, is shown in English.

// message says the message id with args in p's language, whole numbers
// grouped as the language groups them; english when id is unknown.
func (p *Page) message(id planner.MsgID, args map[string]any, english string) string {
	if id == "" {
		return english
	}
	if id == planner.MsgStillUsed {
		args = p.stillUsedArgs(args)
	}
	key := "errors." + id
	var kv []any
	for k, v := range args {
		switch v.(type) {
		case int, int64, int32, uint, uint64:
			v = p.N(v)
		}
		kv = append(kv, k, v)
	}
	if s := p.T(key, kv...); s != key {
		return s
	}
	return english
}

// fieldMessage says a field error's message (without its path) in p's
// language.
func (p *Page) fieldMessage(fe planner.FieldError) string {
	return p.message(fe.ID, fe.Args, fe.Message)
}

// errorMessage says err's user-facing message in p's language: the
// error's own id, else its first field error, else the English text.
func (p *Page) errorMessage(err error) string {
	var e *planner.Error
	if !errors.As(err, &e) || e.Code == planner.EInternal {
		return planner.ErrorMessage(err)
	}
	switch {
	case e.ID != "":
		return p.message(e.ID, e.Args, e.Message)
	case len(e.Fields) > 0:
		msg := p.placedMessage(e.Fields[0])
		if n := len(e.Fields) - 1; n > 0 {
			msg += " " + p.T("errors.and_more", "N", p.N(n))
		}
		return msg
	}
	return e.Message
}

// placedMessage says a field error that has no field of its own on the
// page: its place in words, then its message.
func (p *Page) placedMessage(fe planner.FieldError) string {
	if fe.Path == "" {
		return p.fieldMessage(fe)
	}
	return describePath(p, fe.Path) + ": " + p.fieldMessage(fe)
}

// messageIDOf is the id of err's message: its own, else its first field's.
func messageIDOf(err error) string {
	var e *planner.Error
	if !errors.As(err, &e) || e.Code == planner.EInternal {
		return ""
	}
	if e.ID == "" && len(e.Fields) > 0 {
		return e.Fields[0].ID
	}
	return e.ID
}

// messagePage is the page whose language an error is said in: always for
// pages; for the JSON API only when Accept-Language names Spanish or
// English, else nil (the API's default stays English, as the CLI's).
func (s *Server) messagePage(c *gin.Context) *Page {
	if wantsJSON(c) {
		tags, _, err := language.ParseAcceptLanguage(c.GetHeader("Accept-Language"))
		if err != nil || len(tags) == 0 {
			return nil
		}
		if _, _, conf := language.NewMatcher(languages).Match(tags...); conf == language.No {
			return nil
		}
	}
	return s.newPage(c, "", nil)
}

// Say is fieldMessage for templates: {{$.Say .}} on a FieldError.
func (p *Page) Say(fe planner.FieldError) string { return p.fieldMessage(fe) }

// Place says where a field error is, for templates: a campaign path in
// words (describePath), a CSV place "line 3: lat" as "Línea 3 › Latitud".
func (p *Page) Place(path string) string {
	if rest, ok := strings.CutPrefix(path, "line "); ok {
		n, column, _ := strings.Cut(rest, ": ")
		where := p.T("data.import.line") + " " + n
		if column != "" {
			where += " › " + keyLabel(p, column)
		}
		return where
	}
	return describePath(p, path)
}

// The refusal to delete a row others refer to (planner.MsgStillUsed)
// names the row's kind and lists the referring rows by kind.
var (
	stillUsedWhat = map[string]string{"material": "data.what.material", "city": "data.what.city",
		"venue_category": "data.what.category"}
	stillUsedBy = []struct{ table, id string }{{"targeting", "data.uses.targeting"},
		{"venue_counts", "data.uses.counts"}, {"venues", "data.uses.venues"}, {"locks", "data.uses.locks"}}
)

// stillUsedArgs turns the store's Entity, Code and counts per table into
// the catalogue's What, Code and Uses.
func (p *Page) stillUsedArgs(args map[string]any) map[string]any {
	entity, _ := args["Entity"].(string)
	what := entity
	if id, ok := stillUsedWhat[entity]; ok {
		what = p.T(id)
	}
	var uses []string
	for _, u := range stillUsedBy {
		if n, ok := args[u.table]; ok {
			uses = append(uses, p.T(u.id, "Count", p.N(n)))
		}
	}
	return map[string]any{"What": what, "Code": args["Code"], "Uses": strings.Join(uses, ", ")}
}
