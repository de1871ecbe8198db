package planner

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// Text that reaches the database must be UTF-8 without NUL characters:
// PostgreSQL refuses anything else (and the request failed with 500),
// SQLite stores it silently and truncates it in places. Every edge checks
// its input with TextProblem or CheckJSONText before it gets that far.

// BadTextMessage is what TextProblem says about bad text.
const BadTextMessage = "must be UTF-8 text without NUL characters"

// TextProblem says what is wrong with s as stored text, "" when nothing is.
func TextProblem(s string) string {
	if strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) {
		return BadTextMessage
	}
	return ""
}

// MaxJSONDepth bounds the nesting of any JSON this application reads (a
// campaign file is four levels deep): an unbounded recursion on hostile
// input would exhaust memory. CheckJSONText and planio's campaign-file
// reader both stop there.
const MaxJSONDepth = 32

// escapedNUL is how JSON writes a NUL character; raw control characters
// are not allowed in JSON strings at all.
var escapedNUL = []byte(`\u0000`)

// CheckJSONText finds the first string of the JSON text data (a value or an
// object key) that holds a NUL character or bytes that are not UTF-8, and
// returns an EInvalid error naming its JSON path (e.g. "venues[3].name"),
// as Campaign errors do. encoding/json would silently turn bad bytes into
// U+FFFD and keep NUL characters. It returns nil for text with no such
// string, including text that is not JSON (its decoder says why).
func CheckJSONText(data []byte) error {
	if utf8.Valid(data) && !bytes.Contains(data, escapedNUL) {
		return nil // the common case: one fast pass over the bytes
	}
	w := &jsonTextWalker{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	w.dec.UseNumber()
	if path, bad := w.value("", 0); bad {
		return Invalid(FieldError{Path: path, Message: BadTextMessage, ID: MsgBadText})
	}
	return nil
}

// jsonTextWalker reads JSON tokens and keeps the path of each.
type jsonTextWalker struct {
	data   []byte
	dec    *json.Decoder
	failed bool // a syntax error: the decoder will not move on, so the walk stops
}

// token reads one token and says whether its bytes, or its decoded
// string, are bad text; ok is false at the end or on a syntax error.
func (w *jsonTextWalker) token() (tok json.Token, bad, ok bool) {
	start := w.dec.InputOffset()
	tok, err := w.dec.Token()
	if err != nil {
		w.failed = true
		return nil, false, false
	}
	raw := w.data[start:w.dec.InputOffset()]
	s, _ := tok.(string)
	return tok, !utf8.Valid(raw) || strings.IndexByte(s, 0) >= 0, true
}

// value walks one value at path and returns the path of the first bad
// string in it.
func (w *jsonTextWalker) value(path string, depth int) (string, bool) {
	tok, bad, ok := w.token()
	if !ok || bad {
		return path, bad
	}
	d, isDelim := tok.(json.Delim)
	if !isDelim || depth >= MaxJSONDepth {
		return "", false
	}
	for i := 0; !w.failed && w.dec.More(); i++ {
		elem := IndexPath(path, i)
		if d == '{' {
			key, bad, ok := w.token()
			name, _ := key.(string)
			elem = JoinPath(path, strings.ToValidUTF8(name, "?"))
			if !ok || bad {
				return elem, bad
			}
		}
		if p, bad := w.value(elem, depth+1); bad {
			return p, true
		}
	}
	w.dec.Token() // the closing delimiter
	return "", false
}
