package planner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
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

// maxJSONDepth bounds nesting: a campaign file is four levels deep, and an
// unbounded recursion on hostile input would exhaust memory.
const maxJSONDepth = 32

// jsonSyntaxError is a structural error of the JSON text itself, found
// while reading the value at path.
type jsonSyntaxError struct {
	path      string
	offset    int64 // 0-based byte offset
	line, col int   // 1-based, filled in by locate
	msg       string
	scanner   bool // offset came from a json.SyntaxError and must be located again
}

func (e *jsonSyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d (line %d, column %d): %s", e.offset, e.line, e.col, e.msg)
}

// readJSON reads exactly one JSON value from data; anything but white
// space after it is an error. Offsets in syntax errors are 0-based byte
// offsets into data, followed by the 1-based line and column.
func readJSON(data []byte) (*jsonValue, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readJSONValue(dec, "", 0)
	if err == nil {
		dec.More() // skips white space, so that the offset points at any trailing data
		off := dec.InputOffset()
		if _, err2 := dec.Token(); err2 != io.EOF {
			err = &jsonSyntaxError{offset: off, msg: "unexpected data after the campaign object"}
		}
	}
	var se *jsonSyntaxError
	if errors.As(err, &se) {
		locate(data, se)
	}
	return v, err
}

// locate fixes the offset of a scanner error, which the token decoder
// gives relative to its buffer, by validating the whole text, and adds the
// line and column so that the error can be found in an editor.
func locate(data []byte, se *jsonSyntaxError) {
	var raw json.RawMessage
	var syn *json.SyntaxError
	if err := json.Unmarshal(data, &raw); se.scanner && errors.As(err, &syn) {
		se.offset = syn.Offset - 1 // Offset counts the offending byte
	}
	se.offset = max(0, min(se.offset, int64(len(data))))
	before := data[:se.offset]
	se.line = bytes.Count(before, []byte("\n")) + 1
	se.col = len(before) - bytes.LastIndexByte(before, '\n')
}

func readJSONValue(dec *json.Decoder, path string, depth int) (*jsonValue, error) {
	off := dec.InputOffset()
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonError(err, path, off)
	}
	v, err := jsonFromToken(dec, tok, path, off, depth)
	if err != nil {
		return nil, err
	}
	v.end = dec.InputOffset()
	return v, nil
}

func jsonFromToken(dec *json.Decoder, tok json.Token, path string, off int64, depth int) (*jsonValue, error) {
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
		if depth >= maxJSONDepth {
			return nil, &jsonSyntaxError{path: path, offset: off, msg: "nesting too deep"}
		}
		if t == '[' {
			return v, readJSONArray(dec, v, path, depth+1)
		}
		return v, readJSONObject(dec, v, path, depth+1)
	}
	return v, nil
}

func readJSONArray(dec *json.Decoder, v *jsonValue, path string, depth int) error {
	v.kind = jsonArray
	for dec.More() {
		e, err := readJSONValue(dec, indexPath(path, len(v.elems)), depth)
		if err != nil {
			return err
		}
		v.elems = append(v.elems, e)
	}
	return closeJSON(dec, path)
}

func readJSONObject(dec *json.Decoder, v *jsonValue, path string, depth int) error {
	v.kind = jsonObject
	for dec.More() {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return jsonError(err, path, off)
		}
		key, _ := tok.(string) // the decoder only yields strings in key position
		e, err := readJSONValue(dec, joinPath(path, key), depth)
		if err != nil {
			return err
		}
		v.members = append(v.members, jsonMember{key: key, offset: off, value: e})
	}
	return closeJSON(dec, path)
}

// closeJSON consumes the closing bracket or brace.
func closeJSON(dec *json.Decoder, path string) error {
	off := dec.InputOffset()
	if _, err := dec.Token(); err != nil {
		return jsonError(err, path, off)
	}
	return nil
}

// jsonError turns a decoder error into a jsonSyntaxError with an offset.
func jsonError(err error, path string, off int64) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return &jsonSyntaxError{path: path, offset: se.Offset, msg: se.Error(), scanner: true}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &jsonSyntaxError{path: path, offset: math.MaxInt64, msg: "unexpected end of input"}
	default:
		return fmt.Errorf("read campaign file: %w", err)
	}
}
