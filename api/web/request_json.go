package web

import (
	"encoding"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"

	"github.com/reparto/reparto/planner"
)

// malformedJSON turns encoding/json's refusal of body into a 400 that
// keeps its English text ("malformed JSON body: ...") for logs and the
// CLI, and names the offending key with a message id where it can be
// found, so that a Spanish reader is told which field is wrong.
func malformedJSON(body []byte, dst any, err error) error {
	detail := strings.TrimPrefix(err.Error(), "json: ")
	e := &planner.Error{Code: planner.EInvalid, Message: "malformed JSON body: " + detail}
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		e.Fields = []planner.FieldError{planner.Fieldf(typeErr.Field, planner.MsgJSONType,
			"has the wrong type (sent: %s)", typeErr.Value)}
	case strings.HasPrefix(detail, `unknown field "`):
		// encoding/json names only the key, not where it stands.
		name, _ := strconv.Unquote(strings.TrimPrefix(detail, "unknown field "))
		var v any
		path := name
		if json.Unmarshal(body, &v) == nil {
			if p, ok := unknownKey(v, reflect.TypeOf(dst), "", name); ok {
				path = p
			}
		}
		e.Fields = []planner.FieldError{planner.Fieldf(path, planner.MsgJSONUnknownField, "is not a field of this request")}
	default:
		if path, ok := refusedValue(body, reflect.TypeOf(dst)); ok {
			id := planner.MsgJSONSyntax
			if isDate(path.typ) {
				id = planner.MsgDate
			}
			e.Fields = []planner.FieldError{{Path: path.path, ID: id, Message: detail}}
		} else {
			e.ID, e.Args = planner.MsgJSONSyntax, map[string]any{"A": detail}
		}
	}
	return BadRequest(e)
}

// refused is where a value its type refused stands: its JSON path and
// the type that refused it.
type refused struct {
	path string
	typ  reflect.Type
}

// refusedValue finds the first string of body that the TextUnmarshaler
// it is decoded into refuses (encoding/json returns that error without
// its place). It reads body again generically and walks it beside t.
func refusedValue(body []byte, t reflect.Type) (refused, bool) {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return refused{}, false
	}
	return walkRefused(v, t, "")
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

func walkRefused(v any, t reflect.Type, path string) (refused, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if s, ok := v.(string); ok && reflect.PointerTo(t).Implements(textUnmarshaler) {
		u := reflect.New(t).Interface().(encoding.TextUnmarshaler)
		return refused{path, t}, u.UnmarshalText([]byte(s)) != nil
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return refused{}, false
		}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			if name == "" && f.Anonymous { // encoding/json lifts its keys
				if r, bad := walkRefused(v, f.Type, path); bad {
					return r, true
				}
				continue
			}
			if name == "" {
				name = f.Name
			}
			if x, ok := m[name]; ok {
				if r, bad := walkRefused(x, f.Type, join(path, name)); bad {
					return r, true
				}
			}
		}
	case reflect.Slice, reflect.Array:
		list, ok := v.([]any)
		if !ok {
			return refused{}, false
		}
		for i, x := range list {
			if r, bad := walkRefused(x, t.Elem(), path+"["+strconv.Itoa(i)+"]"); bad {
				return r, true
			}
		}
	}
	return refused{}, false
}

// unknownKey finds where key name stands in v without a field of t to
// take it (encoding/json matches keys to fields without regard to case).
func unknownKey(v any, t reflect.Type, path, name string) (string, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return "", false
		}
		for key, x := range m {
			f, ok := fieldOf(t, key)
			if !ok && key == name {
				return join(path, key), true
			}
			if ok {
				if p, found := unknownKey(x, f.Type, join(path, key), name); found {
					return p, true
				}
			}
		}
	case reflect.Slice, reflect.Array:
		list, _ := v.([]any)
		for i, x := range list {
			if p, found := unknownKey(x, t.Elem(), path+"["+strconv.Itoa(i)+"]", name); found {
				return p, true
			}
		}
	}
	return "", false
}

// fieldOf is the field of struct t that JSON key takes, embedded
// structs' fields lifted.
func fieldOf(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		if name == "" && f.Anonymous {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if g, ok := fieldOf(ft, key); ok {
					return g, true
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		if strings.EqualFold(name, key) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func isDate(t reflect.Type) bool { return t == reflect.TypeFor[planner.Date]() }
