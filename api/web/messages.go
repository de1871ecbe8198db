package web

import (
	"errors"
	"regexp"
	"strconv"
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

// Message says the message id with args in p's language, whole numbers
// grouped as the language groups them; english when id is unknown.
func (p *Page) Message(id planner.MsgID, args map[string]any, english string) string {
	if id == "" {
		return english
	}
	switch id {
	case planner.MsgStillUsed:
		args = p.stillUsedArgs(args)
	case planner.MsgNotFoundThing:
		args = p.notFoundArgs(args)
	case planner.MsgRoleRefused:
		args = p.roleRefusedArgs(args)
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

// FieldMessage says a field error's message (without its path) in p's
// language.
func (p *Page) FieldMessage(fe planner.FieldError) string {
	return p.Message(fe.ID, fe.Args, fe.Message)
}

// ErrorMessage says err's user-facing message in p's language: the
// error's own id, else its first field error, else the English text.
func (p *Page) ErrorMessage(err error) string {
	var e *planner.Error
	if !errors.As(err, &e) || e.Code == planner.EInternal {
		return planner.ErrorMessage(err)
	}
	switch {
	case e.ID != "":
		return p.Message(e.ID, e.Args, e.Message)
	case len(e.Fields) > 0:
		msg := p.PlacedMessage(e.Fields[0])
		if n := len(e.Fields) - 1; n > 0 {
			msg += " " + p.T("errors.and_more", "N", p.N(n))
		}
		return msg
	}
	return e.Message
}

// PlacedMessage says a field error that has no field of its own on the
// page: its place in words, then its message.
func (p *Page) PlacedMessage(fe planner.FieldError) string {
	if fe.Path == "" {
		return p.FieldMessage(fe)
	}
	return DescribePath(p, fe.Path) + ": " + p.FieldMessage(fe)
}

// MessageIDOf is the id of err's message: its own, else its first field's.
func MessageIDOf(err error) string {
	var e *planner.Error
	if !errors.As(err, &e) || e.Code == planner.EInternal {
		return ""
	}
	if e.ID == "" && len(e.Fields) > 0 {
		return e.Fields[0].ID
	}
	return e.ID
}

// MessagePage is the page whose language an error is said in: always for
// pages; for the JSON API only when Accept-Language names Spanish or
// English, else nil (the API's default stays English, as the CLI's).
func (k *Kit) MessagePage(c *gin.Context) *Page {
	if WantsJSON(c) {
		tags, _, err := language.ParseAcceptLanguage(c.GetHeader("Accept-Language"))
		if err != nil || len(tags) == 0 {
			return nil
		}
		if _, _, conf := language.NewMatcher(Languages).Match(tags...); conf == language.No {
			return nil
		}
	}
	return k.NewPage(c, "", nil)
}

// Say is FieldMessage for templates: {{$.Say .}} on a FieldError.
func (p *Page) Say(fe planner.FieldError) string { return p.FieldMessage(fe) }

// Place says where a field error is, for templates: a campaign path in
// words (describePath), a CSV place "line 3: lat" as "Línea 3 › Latitud".
func (p *Page) Place(path string) string {
	if rest, ok := strings.CutPrefix(path, "line "); ok {
		n, column, _ := strings.Cut(rest, ": ")
		where := p.T("data.import.line") + " " + n
		if column != "" {
			where += " › " + KeyLabel(p, column)
		}
		return where
	}
	return DescribePath(p, path)
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

// notFoundArgs says the kind of record the store did not find (What, an
// errors.thing id) in p's language; Key, its code or id, stays as it is.
func (p *Page) notFoundArgs(args map[string]any) map[string]any {
	what, _ := args["What"].(string)
	if t := p.T("errors.thing." + what); t != "errors.thing."+what {
		what = t
	}
	return map[string]any{"What": what, "Key": args["Key"]}
}

// roleRefusedArgs names the user's role (A) and the roles allowed (B, a
// list) in p's language, the allowed ones joined by the language's "or".
func (p *Page) roleRefusedArgs(args map[string]any) map[string]any {
	role, _ := args["A"].(string)
	allowed, _ := args["B"].([]string)
	names := make([]string, len(allowed))
	for i, r := range allowed {
		names[i] = p.T("role." + r)
	}
	return map[string]any{"A": p.T("role." + role), "B": strings.Join(names, p.T("errors.or"))}
}

// pathStep is one step of a campaign file's JSON path: "materials[3]" or
// "pack_size".
var pathStep = regexp.MustCompile(`^([A-Za-z_]+)(?:\[(\d+)\])?$`)

// DescribePath says a JSON path of the campaign file in words. An
// element of a list is named by its position counted from 1; a key is
// named by its form label when it has one, else shown as it is.
func DescribePath(p *Page, path string) string {
	if path == "" {
		return p.T("campaigns.path.file")
	}
	var parts []string
	for _, step := range strings.Split(path, ".") {
		m := pathStep.FindStringSubmatch(step)
		if m == nil {
			parts = append(parts, step)
			continue
		}
		label := KeyLabel(p, m[1])
		if m[2] != "" {
			n, _ := strconv.Atoi(m[2])
			label = p.T("campaigns.path.item", "What", label, "N", n+1)
		}
		parts = append(parts, label)
	}
	return strings.Join(parts, " › ")
}

// KeyLabel names a key of the campaign file: the campaign's own labels,
// then the data forms' field labels, then the labels of the request
// parameters and API body keys that are neither, else the key itself.
func KeyLabel(p *Page, key string) string {
	for _, id := range []string{"campaigns.key." + key, "data.field." + key, "errors.field." + key} {
		if s := p.T(id); s != id {
			return s
		}
	}
	return key
}
