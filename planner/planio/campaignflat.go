package planio

import (
	"bytes"
	"encoding/json"
	"strings"
)

// flatList reads the elements of a top-level list straight from the input
// for as long as they are flat objects (keys whose values are strings,
// numbers, booleans or null), as nearly every element of a campaign file
// is, handing each to read (nil: drop it) with the same offsets the
// decoder would have given. json.Decoder.Token costs an interface and a
// few allocations per token, and a million venues are sixteen million
// tokens; this reads them several times faster.
//
// It stops at the first element that is anything else (nesting, a syntax
// error, bad text, the end of the input) or at the end of the list, and
// restarts the decoder there: whatever is wrong is found, and worded, by
// the decoder exactly as before. It returns the index of the element the
// decoder goes on with.
func flatList(jr *jsonReader, fields []string, read func(*jsonValue, int)) int {
	if !flatLists {
		return 0
	}
	s := flatScanner{src: jr.src, fields: fields}
	resume := jr.offset() // just after '[', then just after each element
	i := 0
	for ; ; i++ {
		v, off, end := s.element(resume, i == 0)
		if v == nil {
			break
		}
		jr.src.mark(off, listPrefix(i)) // as streamList does
		if read != nil {
			read(v, i)
		}
		resume = end
	}
	jr.restart(resume, i)
	return i
}

// flatLists is false only in tests that compare the flat scanner with the
// decoder alone.
var flatLists = true

// listPrefix is the JSON text that leaves a scanner where element i of a
// list starts (see trackedReader.mark).
func listPrefix(i int) string {
	if i == 0 {
		return "["
	}
	return "[0"
}

// flatScanner reads flat objects from a tracked input. The value it
// returns, and its members, are reused for the next element: read must
// not keep them (listReader does not).
type flatScanner struct {
	src    *trackedReader
	fields []string          // the known keys, whose names are not allocated again
	codes  map[string]string // values of codeKeys seen
	obj    jsonValue
	vals   []jsonValue
}

// at is the byte at index i of src.buf, reading more input as needed; -1
// at the end of the input.
func (s *flatScanner) at(i int) int {
	if i < len(s.src.buf) {
		return int(s.src.buf[i])
	}
	return s.more(i)
}

// more is at past the input read so far (kept apart so that at is inlined).
func (s *flatScanner) more(i int) int {
	for i >= len(s.src.buf) {
		if !s.src.fill() {
			return -1
		}
	}
	return int(s.src.buf[i])
}

// skip skips white space from index i and returns the next byte's index and value.
func (s *flatScanner) skip(i int) (int, int) {
	for {
		switch c := s.at(i); c {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i, c
		}
	}
}

// element reads the element that follows resume (the first of the list
// when first) and returns it with its offset (that of the separating comma
// after the first, as the decoder gives it) and the offset just after it.
// It returns nil at the end of the list and for anything but a flat object
// whose bytes are all good text.
func (s *flatScanner) element(resume int64, first bool) (*jsonValue, int64, int64) {
	base := s.src.base // no mark moves it while one element is read
	i, c := s.skip(int(resume - base))
	off := i
	if !first {
		if c != ',' {
			return nil, 0, 0
		}
		i, c = s.skip(i + 1)
	}
	if c != '{' {
		return nil, 0, 0
	}
	s.obj = jsonValue{kind: jsonObject, offset: base + int64(off), members: s.obj.members[:0]}
	i, c = s.skip(i + 1)
	for n := 0; c != '}'; n++ {
		keyOff := i // the comma before the key after the first, as the decoder gives it
		if n > 0 {
			if c != ',' {
				return nil, 0, 0
			}
			i, c = s.skip(i + 1)
		}
		if c != '"' {
			return nil, 0, 0
		}
		key, j, ok := s.str(i, textKey)
		if !ok {
			return nil, 0, 0
		}
		valOff := j // just after the key: where the decoder starts the value token
		if i, c = s.skip(j); c != ':' {
			return nil, 0, 0
		}
		i, c = s.skip(i + 1)
		if n == len(s.vals) {
			s.vals = append(s.vals, jsonValue{}) // earlier members keep pointing at the old array, unchanged
			s.vals = s.vals[:cap(s.vals)]
		}
		v := &s.vals[n]
		*v = jsonValue{offset: base + int64(valOff)}
		switch {
		case c == '"':
			v.kind = jsonString
			v.text, j, ok = s.str(i, textKind(key))
		case c == '-' || c >= '0' && c <= '9':
			v.kind = jsonNumber
			if j, ok = s.number(i); ok {
				v.text = string(s.src.buf[i:j])
			}
		case c == 't':
			v.kind, v.boolean = jsonBool, true
			j, ok = s.literal(i, "true")
		case c == 'f':
			v.kind = jsonBool
			j, ok = s.literal(i, "false")
		case c == 'n':
			v.kind = jsonNull
			j, ok = s.literal(i, "null")
		default:
			ok = false
		}
		if !ok {
			return nil, 0, 0
		}
		v.end = base + int64(j)
		s.obj.members = append(s.obj.members, jsonMember{key: key, offset: base + int64(keyOff), value: v})
		i, c = s.skip(j)
	}
	end := base + int64(i) + 1
	if t := s.src; t.bad >= 0 && t.bad < end || end > t.checked {
		return nil, 0, 0 // bytes that are not UTF-8: the decoder names the string
	}
	s.obj.end = end
	return &s.obj, s.obj.offset, end
}

// str reads the string whose opening quote is at index i and returns it
// decoded as the decoder would, with the index just after it. It fails on
// a control character, a bad escape and a decoded NUL (bad text).
func (s *flatScanner) str(i int, kind int) (string, int, bool) {
	// The common case, a string without escapes within the input read:
	// one IndexByte and one pass over its bytes, no per-byte calls.
	if q := bytes.IndexByte(s.src.buf[i+1:], '"'); q >= 0 {
		raw := s.src.buf[i+1 : i+1+q]
		plain := true
		for _, c := range raw {
			if c < 0x20 || c == '\\' {
				plain = false
				break
			}
		}
		if plain {
			return s.text(raw, kind), i + q + 2, true
		}
	}
	escaped := false
	j := i + 1
	for {
		c := s.at(j)
		switch {
		case c == '"':
			raw := s.src.buf[i : j+1]
			if escaped {
				var text string
				if json.Unmarshal(raw, &text) != nil || strings.IndexByte(text, 0) >= 0 {
					return "", 0, false
				}
				return text, j + 1, true
			}
			return s.text(raw[1:len(raw)-1], kind), j + 1, true
		case c < 0x20: // also the end of the input
			return "", 0, false
		case c == '\\':
			escaped = true
			j++ // the escaped byte cannot end the string; Unmarshal checks it
		}
		j++
	}
}

// text is the string of raw, without escapes. A known key, and a code
// seen before, are not allocated again.
func (s *flatScanner) text(raw []byte, kind int) string {
	switch kind {
	case textKey:
		for _, f := range s.fields {
			if string(raw) == f {
				return f
			}
		}
	case textCode:
		if c, ok := s.codes[string(raw)]; ok {
			return c
		}
		c := string(raw)
		if len(s.codes) < maxCodes {
			if s.codes == nil {
				s.codes = map[string]string{}
			}
			s.codes[c] = c
		}
		return c
	}
	return string(raw)
}

// What a string is, for text.
const (
	textValue = iota
	textKey
	textCode
)

// textKind is textCode for the keys of list elements whose values are
// codes of other lists (a category, a city, a material): a million venues
// share a few thousand of them. maxCodes bounds what a hostile file can
// make us keep.
func textKind(key string) int {
	switch key {
	case "category", "city", "material":
		return textCode
	}
	return textValue
}

const maxCodes = 1 << 14

// number reads a JSON number starting at index i, strictly by the grammar.
func (s *flatScanner) number(i int) (int, bool) {
	if b := s.src.buf; len(b)-i > 64 { // the common case, within the input read
		if j, ok := scanNumber(b[i : i+64]); ok {
			return i + j, true
		}
	}
	return s.numberAt(i)
}

// scanNumber is the length of the JSON number at the start of b, false if
// there is none or it may go on past b.
func scanNumber(b []byte) (int, bool) {
	i := 0
	if b[i] == '-' {
		i++
	}
	digits := func() {
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	switch c := b[i]; {
	case c == '0':
		i++
	case c >= '1' && c <= '9':
		digits()
	default:
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return 0, false
		}
		digits()
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return 0, false
		}
		digits()
	}
	return i, i < len(b)
}

// numberAt is number a byte at a time, reading more input as needed.
func (s *flatScanner) numberAt(i int) (int, bool) {
	if s.at(i) == '-' {
		i++
	}
	switch c := s.at(i); {
	case c == '0':
		i++
	case c >= '1' && c <= '9':
		i = s.digits(i)
	default:
		return 0, false
	}
	if s.at(i) == '.' {
		if !isDigit(s.at(i + 1)) {
			return 0, false
		}
		i = s.digits(i + 1)
	}
	if c := s.at(i); c == 'e' || c == 'E' {
		i++
		if c := s.at(i); c == '+' || c == '-' {
			i++
		}
		if !isDigit(s.at(i)) {
			return 0, false
		}
		i = s.digits(i)
	}
	return i, true
}

func (s *flatScanner) digits(i int) int {
	for isDigit(s.at(i)) {
		i++
	}
	return i
}

func isDigit(c int) bool { return c >= '0' && c <= '9' }

// literal reads the literal lit at index i.
func (s *flatScanner) literal(i int, lit string) (int, bool) {
	for k := 0; k < len(lit); k++ {
		if s.at(i+k) != int(lit[k]) {
			return 0, false
		}
	}
	return i + len(lit), true
}
