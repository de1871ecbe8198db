package auth

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/alexedwards/scs/v2"
)

// sessionCodec encodes session data for the session store in place of
// scs's gob codec, for two reasons (issue 13, the dashboard under a
// crowd). gob wrote a session's values in map order, which Go varies from
// one encoding to the next: an unchanged session came out with other
// bytes now and then, and the request's save then rewrote it, so some
// page views were database writes. And gob describes its types anew in
// every encoding and every decoding, which cost more CPU than the rest of
// the session handling together.
//
// The encoding is a zero byte (never the first byte of a gob stream: it
// starts with the length of its first message, which is not empty), the
// format version, the deadline (time.Time's binary form), and the values
// sorted by key, each with a type tag. Data from before (gob) still
// decodes, so nobody is signed out by the change. A value of a type it
// does not know is written with gob as before: nothing is lost, only the
// two gains.
type sessionCodec struct{}

const (
	sessionFormat = 1
	tagInt64      = 'i'
	tagString     = 's'
	tagBool       = 'b'
	tagFloat64    = 'f'
	tagTime       = 't'
)

// Encode returns the session's bytes: the same for the same session.
func (sessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	b := append(make([]byte, 0, 128), 0, sessionFormat)
	b, err := deadline.AppendBinary(b)
	if err != nil {
		return nil, fmt.Errorf("session deadline: %w", err)
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = appendString(b, k)
		switch v := values[k].(type) {
		case int64:
			b = binary.AppendVarint(append(b, tagInt64), v)
		case string:
			b = appendString(append(b, tagString), v)
		case bool:
			t := byte(0)
			if v {
				t = 1
			}
			b = append(b, tagBool, t)
		case float64:
			b = binary.BigEndian.AppendUint64(append(b, tagFloat64), math.Float64bits(v))
		case time.Time:
			if b, err = v.AppendBinary(append(b, tagTime)); err != nil {
				return nil, fmt.Errorf("session value %q: %w", k, err)
			}
		default:
			return scs.GobCodec{}.Encode(deadline, values)
		}
	}
	return b, nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

var errSessionData = errors.New("session data: malformed")

// Decode reads what Encode wrote, or scs's gob encoding.
func (sessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) == 0 || b[0] != 0 {
		return scs.GobCodec{}.Decode(b)
	}
	if len(b) < 2 || b[1] != sessionFormat {
		return time.Time{}, nil, fmt.Errorf("session data: unknown format %v", b[1:min(len(b), 2)])
	}
	r := sessionReader{b: b[2:]}
	deadline := r.time()
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) { // each value takes a byte at least
		return time.Time{}, nil, errSessionData
	}
	values := make(map[string]any, n)
	for range n {
		k := r.string()
		switch r.byte() {
		case tagInt64:
			values[k] = r.varint()
		case tagString:
			values[k] = r.string()
		case tagBool:
			values[k] = r.byte() == 1
		case tagFloat64:
			values[k] = math.Float64frombits(binary.BigEndian.Uint64(r.next(8)))
		case tagTime:
			values[k] = r.time()
		default:
			r.err = errSessionData
		}
		if r.err != nil {
			return time.Time{}, nil, r.err
		}
	}
	if len(r.b) != 0 {
		return time.Time{}, nil, errSessionData
	}
	return deadline, values, nil
}

// sessionReader reads Encode's fields; the first error sticks and later
// reads return zero values.
type sessionReader struct {
	b   []byte
	err error
}

func (r *sessionReader) next(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		r.err = errSessionData
		return make([]byte, max(n, 0))
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) byte() byte { return r.next(1)[0] }

func (r *sessionReader) uvarint() uint64 { return readVarint(r, binary.Uvarint) }

func (r *sessionReader) varint() int64 { return readVarint(r, binary.Varint) }

// readVarint reads one number with decode (binary.Uvarint or Varint).
func readVarint[T uint64 | int64](r *sessionReader, decode func([]byte) (T, int)) T {
	if r.err != nil {
		return 0
	}
	v, n := decode(r.b)
	if n <= 0 {
		r.err = errSessionData
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) string() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err = errSessionData
		return ""
	}
	return string(r.next(int(n)))
}

// time reads a time.Time's binary form, whose length its first bytes
// give: version 1 is 15 bytes, version 2 (seconds in the zone offset) 16.
func (r *sessionReader) time() time.Time {
	if r.err != nil || len(r.b) == 0 {
		r.err = errSessionData
		return time.Time{}
	}
	n := 15
	if r.b[0] == 2 {
		n = 16
	}
	var t time.Time
	if err := t.UnmarshalBinary(r.next(n)); err != nil && r.err == nil {
		r.err = errSessionData
	}
	return t
}
