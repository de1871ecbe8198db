package planio

import (
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/reparto/reparto/planner"
)

// fileReader walks a parsed campaign file, collecting structural errors
// (unknown or repeated keys, wrong JSON types, missing required keys,
// numbers that do not fit) with the byte offset of each path so that all
// errors can be reported in document order.
type fileReader struct {
	errs    []fieldErrorAt
	offsets map[string]int64
	// lists holds the offsets of the elements of the top-level lists read
	// one element at a time, and of their keys, compactly: a million
	// venues would be eight million paths in offsets.
	lists   map[string]*listOffsets
	cur     *elemAt    // the list element being read, if any
	element fileObject // reused by elementObject
	curElem elemAt     // what cur points to

	hooks     *CampaignStream // nil for ParseCampaign
	streaming bool            // hooks.Start accepted: venues are handed over
}

// listOffsets are the offsets of the elements of one top-level list and,
// relative to each element, of its known keys (0: absent).
type listOffsets struct {
	fields []string // fieldsOf the list
	elems  []int64
	keys   []uint32 // len(fields) per element
}

// elemAt is the list element being read: its offsets go to list.
type elemAt struct {
	list  *listOffsets
	index int
}

func (lo *listOffsets) begin(off int64) {
	lo.elems = appendDoubling(lo.elems, off)
	for range lo.fields {
		lo.keys = appendDoubling(lo.keys, 0)
	}
}

// appendDoubling is append with a capacity that doubles, also past the
// 256 elements where append starts to grow by a quarter: a million venues
// would be copied over some forty times.
func appendDoubling[T any](s []T, x T) []T {
	if len(s) == cap(s) {
		s = slices.Grow(s, len(s)+1)
	}
	return append(s, x)
}

// setKey records the offset of a known key of the element.
func (e *elemAt) setKey(key string, off int64) {
	for j, f := range e.list.fields {
		if f == key {
			if d := off - e.list.elems[e.index]; d > 0 && d <= math.MaxUint32 {
				e.list.keys[e.index*len(e.list.fields)+j] = uint32(d)
			}
			return
		}
	}
}

// lookup is the offset of a path of the form list[i] or list[i].key.
func (fr *fileReader) lookupListPath(path string) (int64, bool) {
	open := strings.IndexByte(path, '[')
	if open <= 0 {
		return 0, false
	}
	lo := fr.lists[path[:open]]
	if lo == nil {
		return 0, false
	}
	end := strings.IndexByte(path[open:], ']')
	if end < 0 {
		return 0, false
	}
	end += open
	i, err := strconv.Atoi(path[open+1 : end])
	if err != nil || i < 0 || i >= len(lo.elems) {
		return 0, false
	}
	rest := path[end+1:]
	if rest == "" {
		return lo.elems[i], true
	}
	if rest[0] != '.' {
		return 0, false
	}
	for j, f := range lo.fields {
		if f == rest[1:] {
			if d := lo.keys[i*len(lo.fields)+j]; d > 0 {
				return lo.elems[i] + int64(d), true
			}
		}
	}
	return 0, false
}

// fieldErrorAt is a FieldError with the document offset used to sort it.
// hides is set when the value at Path could not be read, so that semantic
// errors about the zero left in its place are not reported.
type fieldErrorAt struct {
	planner.FieldError
	offset int64
	hides  bool
}

// fileObject is one JSON object of the file whose keys have been checked.
type fileObject struct {
	path  string
	list  string // instead of path, the element index of a top-level list
	index int
	end   int64        // where a missing key is reported: the closing brace
	keys  []jsonMember // the allowed keys, first occurrence; null values are left out: null means absent
}

// keyPath is the path of key in the object.
func (o *fileObject) keyPath(key string) string {
	if o.list != "" {
		return planner.JoinPath(planner.IndexPath(o.list, o.index), key)
	}
	return planner.JoinPath(o.path, key)
}

// value is the value of key, nil when absent. Objects of a campaign file
// have at most nine keys: a scan is cheaper than a map per object.
func (o *fileObject) value(key string) *jsonValue {
	for i := range o.keys {
		if o.keys[i].key == key {
			return o.keys[i].value
		}
	}
	return nil
}

func newFileReader() *fileReader {
	return &fileReader{offsets: map[string]int64{}, lists: map[string]*listOffsets{}}
}

// setOffset records where path starts, for the order of errors.
func (r *fileReader) setOffset(path string, off int64) {
	if r.cur == nil {
		r.offsets[path] = off
	}
}

func (r *fileReader) fail(path string, off int64, id planner.MsgID, format string, args ...any) {
	f := planner.Fieldf(path, id, format, args...)
	r.errs = append(r.errs, fieldErrorAt{FieldError: f, offset: off, hides: true})
}

// warnKey records an error about a key that does not change what was read.
func (r *fileReader) warnKey(path string, off int64, id planner.MsgID, msg string) {
	r.errs = append(r.errs, fieldErrorAt{FieldError: planner.FieldError{Path: path, Message: msg, ID: id}, offset: off})
}

// object checks that v is an object whose keys are all among allowed and
// appear once. It returns nil (after recording the error) otherwise.
// Inside a list element (r.cur set) offsets go to the element's compact
// record and no path is built unless there is an error.
func (r *fileReader) object(v *jsonValue, path string, allowed ...string) *fileObject {
	r.setOffset(path, v.offset)
	if v.kind != jsonObject {
		r.fail(path, v.offset, planner.MsgTypeObject, "must be an object")
		return nil
	}
	o := &fileObject{path: path, end: v.end, keys: make([]jsonMember, 0, min(len(v.members), len(allowed)))}
	r.checkKeys(o, v, allowed)
	return o
}

// elementObject is object for element i of the top-level list being read
// (r.cur), with the one fileObject reused for every element and its path
// built only for an error: a million venues need no million of either.
// Element readers read no nested object, and keep nothing of it.
func (r *fileReader) elementObject(v *jsonValue, list string, i int, allowed []string) *fileObject {
	if v.kind != jsonObject {
		return r.object(v, planner.IndexPath(list, i), allowed...)
	}
	o := &r.element
	*o = fileObject{list: list, index: i, end: v.end, keys: o.keys[:0]}
	r.checkKeys(o, v, allowed)
	return o
}

// checkKeys records the errors of v's keys and keeps the allowed ones in o.
func (r *fileReader) checkKeys(o *fileObject, v *jsonValue, allowed []string) {
	var seen uint64 // by index in allowed; lists of allowed keys are short
	for _, m := range v.members {
		i := keyIndex(allowed, m.key)
		switch {
		case i < 0:
			r.warnKey(o.keyPath(m.key), m.offset, planner.MsgUnknownKey, "unknown field")
		case i < 64 && seen&(1<<i) != 0:
			r.warnKey(o.keyPath(m.key), m.offset, planner.MsgDuplicateKey, "duplicate key")
		default:
			seen |= 1 << i
			if r.cur != nil {
				r.cur.setKey(m.key, m.offset)
			} else {
				r.offsets[o.keyPath(m.key)] = m.offset
			}
			if m.value.kind != jsonNull {
				o.keys = append(o.keys, m)
			}
		}
	}
}

func keyIndex(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// get returns the value of key, recording "is required" when it is absent
// and required.
// get returns the value of key, recording "is required" when it is absent
// and required. Paths are built only for errors (see object).
func (r *fileReader) get(o *fileObject, key string, required bool) *jsonValue {
	v := o.value(key)
	if v == nil && required {
		r.fail(o.keyPath(key), o.end, planner.MsgRequired, "is required")
	}
	return v
}

func (r *fileReader) child(o *fileObject, key string, required bool, allowed ...string) *fileObject {
	v := r.get(o, key, required)
	if v == nil {
		return nil
	}
	return r.object(v, o.keyPath(key), allowed...)
}

// array returns the elements of an array, or nil when absent or not an array.
func (r *fileReader) array(o *fileObject, key string) ([]*jsonValue, string) {
	v, p := r.get(o, key, false), o.keyPath(key)
	if v == nil {
		return nil, p
	}
	if v.kind != jsonArray {
		r.fail(p, v.offset, planner.MsgTypeArray, "must be an array")
		return nil, p
	}
	return v.elems, p
}

// elem records the offset of an array element and returns its path.
func (r *fileReader) elem(path string, i int, v *jsonValue) string {
	p := planner.IndexPath(path, i)
	r.setOffset(p, v.offset)
	return p
}

func (r *fileReader) str(o *fileObject, key string, required bool, dst *string) {
	v := r.get(o, key, required)
	if v == nil {
		return
	}
	if v.kind != jsonString {
		r.fail(o.keyPath(key), v.offset, planner.MsgTypeString, "must be a string")
		return
	}
	*dst = v.text
}

func (r *fileReader) boolean(o *fileObject, key string, dst *bool) {
	v := r.get(o, key, false)
	if v == nil {
		return
	}
	if v.kind != jsonBool {
		r.fail(o.keyPath(key), v.offset, planner.MsgTypeBoolean, "must be a boolean")
		return
	}
	*dst = v.boolean
}

// number returns the literal of a number value, or "" after recording why not.
func (r *fileReader) number(v *jsonValue, o *fileObject, key string, what string) string {
	if v.kind != jsonNumber {
		r.fail(o.keyPath(key), v.offset, numberID(what), "must be %s", what)
		return ""
	}
	if !planner.SaneNumber(v.text) {
		r.fail(o.keyPath(key), v.offset, planner.MsgOutOfRange, "is out of range")
		return ""
	}
	return v.text
}

// integer reads a whole number. Any JSON number whose exact value is whole
// is accepted ("1e3", "2.0"); "2.5" is not.
func (r *fileReader) integer(o *fileObject, key string, required bool, dst *int64) bool {
	v := r.get(o, key, required)
	if v == nil {
		return false
	}
	lit := r.number(v, o, key, "an integer")
	if lit == "" {
		return false
	}
	if n, err := strconv.ParseInt(lit, 10, 64); err == nil {
		*dst = n // the common case, without big.Rat
		return true
	}
	q, _ := new(big.Rat).SetString(lit)
	switch {
	case !q.IsInt():
		r.fail(o.keyPath(key), v.offset, planner.MsgWhole, "must be an integer")
		return false
	case !q.Num().IsInt64():
		r.fail(o.keyPath(key), v.offset, planner.MsgOutOfRange, "is out of range")
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
		r.fail(o.keyPath(key), o.value(key).offset, planner.MsgOutOfRange, "is out of range")
		return
	}
	*dst = int(n)
}

func (r *fileReader) float(o *fileObject, key string, required bool, dst *float64) {
	v := r.get(o, key, required)
	if v == nil {
		return
	}
	if v.kind != jsonNumber {
		r.fail(o.keyPath(key), v.offset, planner.MsgNumber, "must be a number")
		return
	}
	f, err := strconv.ParseFloat(v.text, 64)
	if err != nil {
		r.fail(o.keyPath(key), v.offset, planner.MsgOutOfRange, "is out of range")
		return
	}
	*dst = f
}

// decimal reads a number exactly, keeping its literal text.
func (r *fileReader) decimal(o *fileObject, key string, required bool) (planner.Decimal, bool) {
	v := r.get(o, key, required)
	if v == nil {
		return planner.Decimal{}, false
	}
	lit := r.number(v, o, key, "a number")
	if lit == "" {
		return planner.Decimal{}, false
	}
	d, err := planner.ParseDecimal(lit)
	if err != nil {
		r.fail(o.keyPath(key), v.offset, planner.MsgOutOfRange, "%v", err) // lit is a JSON number: only too many digits fails
		return planner.Decimal{}, false
	}
	return d, true
}

func (r *fileReader) date(v *jsonValue, p string) (planner.Date, bool) {
	if v.kind != jsonString {
		r.fail(p, v.offset, planner.MsgTypeString, "must be a string")
		return planner.Date{}, false
	}
	d, err := planner.ParseDate(v.text)
	if err != nil {
		r.fail(p, v.offset, planner.MsgDate, "%v", err)
		return planner.Date{}, false
	}
	return d, true
}

func (r *fileReader) dateField(o *fileObject, key string, required bool) (planner.Date, bool) {
	v := r.get(o, key, required)
	if v == nil {
		return planner.Date{}, false
	}
	return r.date(v, o.keyPath(key))
}

// numberID is the message id of "must be WHAT" for a number or an integer.
func numberID(what string) planner.MsgID {
	if what == "an integer" {
		return planner.MsgWhole
	}
	return planner.MsgNumber
}
