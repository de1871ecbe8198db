package registry

import (
	"bytes"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// Encoding is how a file's bytes were read.
type Encoding string

// The encodings a registry file may come in. INEGI publishes DENUE in
// Latin-1 (in practice Windows-1252, which agrees with Latin-1 on every
// printable character and adds a few such as “ ” and €); a file saved
// again by a spreadsheet is often UTF-8.
const (
	EncodingASCII       Encoding = "ascii" // no byte above 0x7F: both readings agree
	EncodingUTF8        Encoding = "utf-8"
	EncodingWindows1252 Encoding = "windows-1252"
)

// ErrMixedEncoding is a file that started as valid UTF-8 and later has a
// byte sequence UTF-8 does not allow: re-reading it as Windows-1252 would
// garble the text already read, so the file is refused.
var ErrMixedEncoding = errors.New("invalid UTF-8 after UTF-8 text: the file mixes encodings")

// sniffer decides the encoding per file at its first byte above 0x7F:
// until then the text is ASCII, which UTF-8 and Windows-1252 read alike,
// so nothing read so far can be wrong. A valid UTF-8 sequence there makes
// the file UTF-8 (strict: a later invalid sequence is an error); anything
// else makes it Windows-1252 from the start. It streams — nothing is read
// twice and no retry needs the whole file in memory — and a Latin-1 byte
// sequence that happens to be valid UTF-8 (Ã followed by ©, say) is the
// only misreading, which real names do not produce.
type sniffer struct {
	enc Encoding
	bom bool // a leading UTF-8 byte order mark was checked
}

func newSniffer() *sniffer { return &sniffer{enc: EncodingASCII} }

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func (s *sniffer) Reset() { *s = sniffer{enc: EncodingASCII} }

func (s *sniffer) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	if !s.bom {
		if len(src) < len(utf8BOM) && !atEOF && bytes.HasPrefix(utf8BOM, src) {
			return 0, 0, transform.ErrShortSrc
		}
		s.bom = true
		if bytes.HasPrefix(src, utf8BOM) {
			s.enc = EncodingUTF8
			nSrc = len(utf8BOM)
			src = src[nSrc:]
		}
	}
	switch s.enc {
	case EncodingWindows1252:
		d, n, err := decode1252(dst, src)
		return d, nSrc + n, err
	case EncodingUTF8:
		n := 0
		for n < len(src) {
			if src[n] < utf8.RuneSelf {
				n++
				continue
			}
			if !utf8.FullRune(src[n:]) {
				if atEOF {
					return copy(dst, src[:n]), nSrc + n, ErrMixedEncoding
				}
				break
			}
			r, size := utf8.DecodeRune(src[n:])
			if r == utf8.RuneError && size == 1 {
				c := copy(dst, src[:n])
				return c, nSrc + c, ErrMixedEncoding
			}
			n += size
		}
		c := copy(dst, src[:n])
		if c < n {
			return c, nSrc + c, transform.ErrShortDst
		}
		if n < len(src) {
			return c, nSrc + c, transform.ErrShortSrc
		}
		return c, nSrc + c, nil
	}
	// Still ASCII: pass through up to the first high byte, then decide.
	i := 0
	for i < len(src) && src[i] < utf8.RuneSelf {
		i++
	}
	c := copy(dst, src[:i])
	if c < i {
		return c, nSrc + c, transform.ErrShortDst
	}
	if i == len(src) {
		return c, nSrc + c, nil
	}
	if !utf8.FullRune(src[i:]) && !atEOF {
		return c, nSrc + c, transform.ErrShortSrc
	}
	if r, size := utf8.DecodeRune(src[i:]); r != utf8.RuneError || size > 1 {
		s.enc = EncodingUTF8
	} else {
		s.enc = EncodingWindows1252
	}
	d, n, err := s.Transform(dst[c:], src[i:], atEOF)
	return c + d, nSrc + i + n, err
}

// cp1252 is the UTF-8 text of each byte above 0x7F in Windows-1252, as
// x/text's charmap reads it (so the bytes it leaves undefined read as it
// reads them).
var cp1252 = func() (t [128]string) {
	for i := range t {
		t[i] = string(charmap.Windows1252.DecodeByte(byte(0x80 + i)))
	}
	return t
}()

// decode1252 is charmap.Windows1252's decoder with ASCII copied in runs:
// a DENUE file is nearly all ASCII, which the general decoder takes a byte
// at a time through its table.
func decode1252(dst, src []byte) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		c := src[nSrc]
		if c < utf8.RuneSelf {
			i := nSrc + 1
			for i < len(src) && src[i] < utf8.RuneSelf && i-nSrc < len(dst)-nDst {
				i++
			}
			if nDst == len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			nDst += copy(dst[nDst:], src[nSrc:i])
			nSrc = i
			continue
		}
		r := cp1252[c-0x80]
		if len(dst)-nDst < len(r) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += copy(dst[nDst:], r)
		nSrc++
	}
	return nDst, nSrc, nil
}

// decodingReader reads r as text in its own encoding (see sniffer) and
// gives UTF-8.
type decodingReader struct {
	*transform.Reader
	s *sniffer
}

func newDecodingReader(r io.Reader) decodingReader {
	s := newSniffer()
	return decodingReader{transform.NewReader(r, s), s}
}

// Encoding returns what the file was read as so far.
func (d decodingReader) Encoding() Encoding { return d.s.enc }
