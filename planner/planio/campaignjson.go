package planio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/reparto/reparto/planner"
)

// jsonKind is the type of one value of a campaign file.
type jsonKind int

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

// jsonValue is a generic JSON value that, unlike map[string]any, keeps the
// order of object keys, duplicate keys and the byte offset of every value.
// The campaign reader needs all three: errors are reported in document
// order, a repeated key is an error, and numbers stay exact literals.
type jsonValue struct {
	kind    jsonKind
	offset  int64  // byte offset where the value starts (approximately: after the preceding separator)
	end     int64  // byte offset just after the value
	boolean bool   // jsonBool
	text    string // jsonString: the string; jsonNumber: the literal as written
	elems   []*jsonValue
	members []jsonMember
}

// jsonMember is one key of an object with its value.
type jsonMember struct {
	key    string
	offset int64
	value  *jsonValue
}

// jsonSyntaxError is a structural error of the JSON text itself, found
// while reading the value at path.
type jsonSyntaxError struct {
	path      string
	offset    int64 // 0-based byte offset
	line, col int   // 1-based, filled in by locate
	msg       string
	scanner   bool // offset came from a json.SyntaxError and must be located again
}

// badTextError is a string (value or key) at path that is not UTF-8 or
// holds a NUL character (see planner.CheckJSONText).
type badTextError struct{ path string }

func (e *badTextError) Error() string { return e.path + ": " + planner.BadTextMessage }

func (e *jsonSyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d (line %d, column %d): %s", e.offset, e.line, e.col, e.msg)
}

// readJSON reads exactly one JSON value from data; anything but white
// space after it is an error. Offsets in syntax errors are 0-based byte
// offsets into data, followed by the 1-based line and column.
func readJSON(data []byte) (*jsonValue, error) {
	jr := newJSONReader(bytes.NewReader(data))
	v, err := jr.value("", 0)
	if err == nil {
		err = jr.end()
	}
	return v, jr.located(err)
}

// jsonReader reads JSON values token by token from a tracked source, which
// tells it which strings hold bytes that are not UTF-8 (the decoder would
// silently turn them into U+FFFD) and where syntax errors are.
type jsonReader struct {
	dec       *json.Decoder
	src       *trackedReader
	checkText bool  // refuse bad strings (ParseCampaign); readJSON takes them as decoded
	adj       int64 // input offset of the decoder's offset 0 (see restart)
}

// offset is the decoder's position in the input.
func (jr *jsonReader) offset() int64 { return jr.dec.InputOffset() + jr.adj }

// restart replaces the decoder by one that reads on from at, the end of a
// list element (elems > 0) or the start of a list (the flat scanner read
// the elements in between), in the same state as the one it replaces: it
// is fed first a prefix that leaves it inside a list inside the root object.
func (jr *jsonReader) restart(at int64, elems int) {
	prefix, tokens := `{"":[`, 3
	if elems > 0 {
		prefix, tokens = `{"":[{}`, 5 // the element read was an object too
	}
	jr.src.pos = at
	jr.dec = json.NewDecoder(io.MultiReader(strings.NewReader(prefix), jr.src))
	jr.dec.UseNumber()
	jr.adj = at - int64(len(prefix))
	for range tokens {
		jr.dec.Token() // cannot fail: the prefix is valid and self-delimiting
	}
}

func newJSONReader(r io.Reader) *jsonReader {
	src := newTrackedReader(r)
	dec := json.NewDecoder(src)
	dec.UseNumber()
	return &jsonReader{dec: dec, src: src}
}

// end checks that nothing but white space follows the value read.
func (jr *jsonReader) end() error {
	jr.dec.More() // skips white space, so that the offset points at any trailing data
	off := jr.offset()
	if _, err := jr.dec.Token(); err != io.EOF {
		return &jsonSyntaxError{offset: off, msg: "unexpected data after the campaign object"}
	}
	return nil
}

// located completes a syntax error with its true offset, line and column.
func (jr *jsonReader) located(err error) error {
	var se *jsonSyntaxError
	if errors.As(err, &se) {
		jr.src.locate(se)
	}
	return err
}

// token reads one token; a string that is not good text is an error at path.
func (jr *jsonReader) token(path string) (json.Token, int64, error) {
	off := jr.offset()
	tok, err := jr.dec.Token()
	if err != nil {
		return nil, off, jr.jsonError(err, path, off)
	}
	if s, ok := tok.(string); ok && jr.badText(s) {
		return nil, off, &badTextError{path: path}
	}
	return tok, off, nil
}

// badText reports whether the string just read holds a NUL character or
// came from bytes that are not UTF-8: the first such byte of the input lies
// before the decoder's position (earlier strings were checked already, and
// such bytes outside strings are syntax errors).
func (jr *jsonReader) badText(s string) bool {
	return jr.checkText && strings.IndexByte(s, 0) >= 0 || jr.src.badBefore(jr.offset())
}

func (jr *jsonReader) value(path string, depth int) (*jsonValue, error) {
	tok, off, err := jr.token(path)
	if err != nil {
		return nil, err
	}
	return jr.fromToken(tok, path, off, depth)
}

// fromToken builds the value that starts with tok, read at off.
func (jr *jsonReader) fromToken(tok json.Token, path string, off int64, depth int) (*jsonValue, error) {
	v := &jsonValue{offset: off}
	switch t := tok.(type) {
	case nil:
		v.kind = jsonNull
	case bool:
		v.kind, v.boolean = jsonBool, t
	case json.Number:
		v.kind, v.text = jsonNumber, string(t)
	case string:
		v.kind, v.text = jsonString, t
	case json.Delim:
		if depth >= planner.MaxJSONDepth {
			return nil, &jsonSyntaxError{path: path, offset: off, msg: "nesting too deep"}
		}
		var err error
		if t == '[' {
			err = jr.array(v, path, depth+1)
		} else {
			err = jr.object(v, path, depth+1)
		}
		if err != nil {
			return nil, err
		}
	}
	v.end = jr.offset()
	return v, nil
}

func (jr *jsonReader) array(v *jsonValue, path string, depth int) error {
	v.kind = jsonArray
	for jr.dec.More() {
		e, err := jr.value(planner.IndexPath(path, len(v.elems)), depth)
		if err != nil {
			return err
		}
		v.elems = append(v.elems, e)
	}
	return jr.close(path)
}

func (jr *jsonReader) object(v *jsonValue, path string, depth int) error {
	v.kind = jsonObject
	for jr.dec.More() {
		key, off, err := jr.key(path)
		if err != nil {
			return err
		}
		e, err := jr.value(planner.JoinPath(path, key), depth)
		if err != nil {
			return err
		}
		v.members = append(v.members, jsonMember{key: key, offset: off, value: e})
	}
	return jr.close(path)
}

// key reads an object key; a bad one is an error at its own path.
func (jr *jsonReader) key(path string) (string, int64, error) {
	off := jr.offset()
	tok, err := jr.dec.Token()
	if err != nil {
		return "", off, jr.jsonError(err, path, off)
	}
	key, _ := tok.(string) // the decoder only yields strings in key position
	if jr.badText(key) {
		return "", off, &badTextError{path: planner.JoinPath(path, key)}
	}
	return key, off, nil
}

// close consumes the closing bracket or brace.
func (jr *jsonReader) close(path string) error {
	off := jr.offset()
	if _, err := jr.dec.Token(); err != nil {
		return jr.jsonError(err, path, off)
	}
	return nil
}

// jsonError turns a decoder error into a jsonSyntaxError with an offset.
func (jr *jsonReader) jsonError(err error, path string, off int64) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return &jsonSyntaxError{path: path, offset: se.Offset + jr.adj, msg: se.Error(), scanner: true}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &jsonSyntaxError{path: path, offset: math.MaxInt64, msg: "unexpected end of input"}
	default:
		return fmt.Errorf("read campaign file: %w", err)
	}
}
