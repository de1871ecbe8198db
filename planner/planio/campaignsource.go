package planio

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"unicode/utf8"
)

// trackedReader is the input of a campaign file as the JSON decoder reads
// it. It keeps only the bytes from a mark on (the start of the list
// element or top-level key being read), so that a 100 MB file is never
// held whole, and still gives the exact byte, line and column of a syntax
// error; it also finds the first byte that is not UTF-8.
type trackedReader struct {
	r      io.Reader
	buf    []byte // the input from base on
	base   int64
	pos    int64  // the offset Read goes on from: the decoder re-reads what the flat scanner gave back
	rerr   error  // a read error the flat scanner met, for the decoder to meet again
	spare  []byte // the whole array fill reads into
	prefix string // JSON text that leaves a scanner in the state the document is in at base
	lines  int    // newlines before base
	lastNL int64  // offset of the last newline before base, -1 if none

	checked int64 // input before this offset is known to be UTF-8 (or holds bad)
	bad     int64 // offset of the first byte that is not UTF-8, -1 if none yet
	eof     bool
}

func newTrackedReader(r io.Reader) *trackedReader {
	if _, ok := r.(*bytes.Reader); !ok {
		r = bufio.NewReaderSize(r, 64<<10) // the decoder reads in small pieces
	}
	return &trackedReader{r: r, lastNL: -1, bad: -1}
}

func (t *trackedReader) Read(p []byte) (int, error) {
	if i := t.pos - t.base; i < int64(len(t.buf)) {
		n := copy(p, t.buf[i:])
		t.pos += int64(n)
		return n, nil
	}
	switch {
	case t.rerr != nil:
		return 0, t.rerr
	case t.eof:
		return 0, io.EOF
	}
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	t.pos += int64(n)
	if err == io.EOF {
		t.eof = true
	}
	t.check()
	return n, err
}

// fill reads more input straight into buf for the flat scanner, false at
// the end of the input or on a read error (kept for the decoder).
func (t *trackedReader) fill() bool {
	if t.eof || t.rerr != nil {
		return false
	}
	if cap(t.buf)-len(t.buf) < 16<<10 {
		// Marks leave little before the read position: move it to the
		// start of the same array rather than allocate one per 64 KB.
		// Nothing points into buf (strings are copied out of it).
		if len(t.buf) >= cap(t.spare)/2 {
			t.spare = make([]byte, 2*len(t.buf)+64<<10)
		}
		t.buf = t.spare[:copy(t.spare, t.buf)]
	}
	n, err := t.r.Read(t.buf[len(t.buf):cap(t.buf)])
	t.buf = t.buf[:len(t.buf)+n]
	t.pos = t.base + int64(len(t.buf))
	switch {
	case err == io.EOF:
		t.eof = true
	case err != nil:
		t.rerr = err
	}
	t.check()
	return n > 0 || err == nil
}

// check validates the UTF-8 of the bytes read since the last call, except
// an incomplete character at the end, which waits for the next read.
func (t *trackedReader) check() {
	if t.bad >= 0 {
		return
	}
	b := t.buf[t.checked-t.base:]
	cut := len(b)
	if !t.eof {
		for j := len(b) - 1; j >= 0 && j >= len(b)-utf8.UTFMax; j-- {
			if utf8.RuneStart(b[j]) {
				if !utf8.FullRune(b[j:]) {
					cut = j
				}
				break
			}
		}
	}
	if utf8.Valid(b[:cut]) {
		t.checked += int64(cut)
		return
	}
	for i := 0; i < cut; {
		r, size := utf8.DecodeRune(b[i:cut])
		if r == utf8.RuneError && size <= 1 {
			t.bad = t.checked + int64(i)
			return
		}
		i += size
	}
}

// badBefore reports whether a byte that is not UTF-8 comes before off.
func (t *trackedReader) badBefore(off int64) bool { return t.bad >= 0 && t.bad < off }

// mark forgets the input before off, where the document is in the state
// that prefix leaves a JSON scanner in. Syntax errors are always found
// after the last mark.
func (t *trackedReader) mark(off int64, prefix string) {
	if off < t.base || off > t.checked || off > t.base+int64(len(t.buf)) {
		return // keep the earlier mark: it is still right, only longer
	}
	drop := t.buf[:off-t.base]
	if i := bytes.LastIndexByte(drop, '\n'); i >= 0 {
		t.lines += bytes.Count(drop, []byte{'\n'})
		t.lastNL = t.base + int64(i)
	}
	t.buf = t.buf[off-t.base:]
	t.base, t.prefix = off, prefix
}

// locate gives a syntax error its true offset (the decoder's are relative
// to what it has scanned, not to the input), its line and its column, by
// scanning again the input kept since the last mark.
func (t *trackedReader) locate(se *jsonSyntaxError) {
	if se.scanner {
		var raw json.RawMessage
		var syn *json.SyntaxError
		data := append([]byte(t.prefix), t.buf...)
		if err := json.Unmarshal(data, &raw); errors.As(err, &syn) && syn.Offset-1 >= int64(len(t.prefix)) {
			se.offset = t.base + syn.Offset - 1 - int64(len(t.prefix)) // Offset counts the offending byte
		}
	}
	se.offset = max(t.base, min(se.offset, t.base+int64(len(t.buf))))
	before := t.buf[:se.offset-t.base]
	se.line = t.lines + bytes.Count(before, []byte{'\n'}) + 1
	lastNL := t.lastNL
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		lastNL = t.base + int64(i)
	}
	se.col = int(se.offset - lastNL)
}
