package planner

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// fileReader walks a parsed campaign file, collecting structural errors
// (unknown or repeated keys, wrong JSON types, missing required keys,
// numbers that do not fit) with the byte offset of each path so that all
// errors can be reported in document order.
type fileReader struct {
	errs    []fieldErrorAt
	offsets map[string]int64
}

// fieldErrorAt is a FieldError with the document offset used to sort it.
// hides is set when the value at Path could not be read, so that semantic
// errors about the zero left in its place are not reported.
type fieldErrorAt struct {
	FieldError
	offset int64
	hides  bool
}

// fileObject is one JSON object of the file whose keys have been checked.
type fileObject struct {
	path string
	end  int64                 // where a missing key is reported: the closing brace
	keys map[string]*jsonValue // null values are left out: null means absent
}

func newFileReader() *fileReader { return &fileReader{offsets: map[string]int64{}} }

func (r *fileReader) fail(path string, off int64, id MsgID, format string, args ...any) {
	f := Fieldf(path, id, format, args...)
	r.errs = append(r.errs, fieldErrorAt{FieldError: f, offset: off, hides: true})
}

// warnKey records an error about a key that does not change what was read.
func (r *fileReader) warnKey(path string, off int64, id MsgID, msg string) {
	r.errs = append(r.errs, fieldErrorAt{FieldError: FieldError{Path: path, Message: msg, ID: id}, offset: off})
}

// joinPath appends an object key to a path. A key that is not a plain
// name (it can only be an unknown one) is written quoted, as ["k e y"], so
// that a path is always one unambiguous line.
func joinPath(path, key string) string {
	if !plainKey(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func plainKey(key string) bool {
	for _, r := range key {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return key != ""
}

func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// object checks that v is an object whose keys are all among allowed and
// appear once. It returns nil (after recording the error) otherwise.
func (r *fileReader) object(v *jsonValue, path string, allowed ...string) *fileObject {
	r.offsets[path] = v.offset
	if v.kind != jsonObject {
		r.fail(path, v.offset, MsgTypeObject, "must be an object")
		return nil
	}
	o := &fileObject{path: path, end: v.end, keys: make(map[string]*jsonValue, len(v.members))}
	seen := make(map[string]bool, len(v.members))
	for _, m := range v.members {
		p := joinPath(path, m.key)
		switch {
		case !keyAllowed(allowed, m.key):
			r.warnKey(p, m.offset, MsgUnknownKey, "unknown field")
		case seen[m.key]:
			r.warnKey(p, m.offset, MsgDuplicateKey, "duplicate key")
		default:
			seen[m.key] = true
			r.offsets[p] = m.offset
			if m.value.kind != jsonNull {
				o.keys[m.key] = m.value
			}
		}
	}
	return o
}

func keyAllowed(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// get returns the value of key, recording "is required" when it is absent
// and required.
func (r *fileReader) get(o *fileObject, key string, required bool) (*jsonValue, string) {
	p := joinPath(o.path, key)
	v, ok := o.keys[key]
	if !ok && required {
		r.fail(p, o.end, MsgRequired, "is required")
	}
	return v, p
}

func (r *fileReader) child(o *fileObject, key string, required bool, allowed ...string) *fileObject {
	v, p := r.get(o, key, required)
	if v == nil {
		return nil
	}
	return r.object(v, p, allowed...)
}

// array returns the elements of an array, or nil when absent or not an array.
func (r *fileReader) array(o *fileObject, key string) ([]*jsonValue, string) {
	v, p := r.get(o, key, false)
	if v == nil {
		return nil, p
	}
	if v.kind != jsonArray {
		r.fail(p, v.offset, MsgTypeArray, "must be an array")
		return nil, p
	}
	return v.elems, p
}

// elem records the offset of an array element and returns its path.
func (r *fileReader) elem(path string, i int, v *jsonValue) string {
	p := indexPath(path, i)
	r.offsets[p] = v.offset
	return p
}

func (r *fileReader) str(o *fileObject, key string, required bool, dst *string) {
	v, p := r.get(o, key, required)
	if v == nil {
		return
	}
	if v.kind != jsonString {
		r.fail(p, v.offset, MsgTypeString, "must be a string")
		return
	}
	*dst = v.text
}

func (r *fileReader) boolean(o *fileObject, key string, dst *bool) {
	v, p := r.get(o, key, false)
	if v == nil {
		return
	}
	if v.kind != jsonBool {
		r.fail(p, v.offset, MsgTypeBoolean, "must be a boolean")
		return
	}
	*dst = v.boolean
}

// number returns the literal of a number value, or "" after recording why not.
func (r *fileReader) number(v *jsonValue, p string, what string) string {
	if v.kind != jsonNumber {
		r.fail(p, v.offset, numberID(what), "must be %s", what)
		return ""
	}
	if !saneNumber(v.text) {
		r.fail(p, v.offset, MsgOutOfRange, "is out of range")
		return ""
	}
	return v.text
}

// integer reads a whole number. Any JSON number whose exact value is whole
// is accepted ("1e3", "2.0"); "2.5" is not.
func (r *fileReader) integer(o *fileObject, key string, required bool, dst *int64) bool {
	v, p := r.get(o, key, required)
	if v == nil {
		return false
	}
	lit := r.number(v, p, "an integer")
	if lit == "" {
		return false
	}
	q, _ := new(big.Rat).SetString(lit)
	switch {
	case !q.IsInt():
		r.fail(p, v.offset, MsgWhole, "must be an integer")
		return false
	case !q.Num().IsInt64():
		r.fail(p, v.offset, MsgOutOfRange, "is out of range")
		return false
	}
	*dst = q.Num().Int64()
	return true
}

func (r *fileReader) intField(o *fileObject, key string, required bool, dst *int) {
	var n int64
	if !r.integer(o, key, required, &n) {
		return
	}
	if n < math.MinInt || n > math.MaxInt {
		r.fail(joinPath(o.path, key), o.keys[key].offset, MsgOutOfRange, "is out of range")
		return
	}
	*dst = int(n)
}

func (r *fileReader) float(o *fileObject, key string, required bool, dst *float64) {
	v, p := r.get(o, key, required)
	if v == nil {
		return
	}
	if v.kind != jsonNumber {
		r.fail(p, v.offset, MsgNumber, "must be a number")
		return
	}
	f, err := strconv.ParseFloat(v.text, 64)
	if err != nil {
		r.fail(p, v.offset, MsgOutOfRange, "is out of range")
		return
	}
	*dst = f
}

// decimal reads a number exactly, keeping its literal text.
func (r *fileReader) decimal(o *fileObject, key string, required bool) (Decimal, bool) {
	v, p := r.get(o, key, required)
	if v == nil {
		return Decimal{}, false
	}
	lit := r.number(v, p, "a number")
	if lit == "" {
		return Decimal{}, false
	}
	d, err := ParseDecimal(lit)
	if err != nil {
		r.fail(p, v.offset, MsgOutOfRange, "%v", err) // lit is a JSON number: only too many digits fails
		return Decimal{}, false
	}
	return d, true
}

func (r *fileReader) date(v *jsonValue, p string) (Date, bool) {
	if v.kind != jsonString {
		r.fail(p, v.offset, MsgTypeString, "must be a string")
		return Date{}, false
	}
	d, err := ParseDate(v.text)
	if err != nil {
		r.fail(p, v.offset, MsgDate, "%v", err)
		return Date{}, false
	}
	return d, true
}

func (r *fileReader) dateField(o *fileObject, key string, required bool) (Date, bool) {
	v, p := r.get(o, key, required)
	if v == nil {
		return Date{}, false
	}
	return r.date(v, p)
}

// Exact numbers are bounded so that big.Rat arithmetic on them stays cheap:
// at most maxNumberLen characters and a decimal exponent within
// ±maxNumberExp. No quantity of a campaign comes near these bounds.
const (
	maxNumberLen = 64
	maxNumberExp = 100
)

// saneNumber reports whether a number literal is within those bounds.
func saneNumber(lit string) bool {
	if len(lit) > maxNumberLen {
		return false
	}
	i := strings.IndexAny(lit, "eE")
	if i < 0 {
		return true
	}
	exp, err := strconv.Atoi(strings.TrimPrefix(lit[i+1:], "+"))
	return err == nil && exp >= -maxNumberExp && exp <= maxNumberExp
}

// numberID is the message id of "must be WHAT" for a number or an integer.
func numberID(what string) MsgID {
	if what == "an integer" {
		return MsgWhole
	}
	return MsgNumber
}
