package registry

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// decode1252 must read every byte as x/text's Windows-1252 decoder does,
// whatever the buffer sizes the transform.Reader hands it.
func TestDecode1252AgreesWithCharmap(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := range 300 {
		src := make([]byte, rng.IntN(600))
		for i := range src {
			if rng.IntN(4) == 0 {
				src[i] = byte(rng.IntN(256))
			} else {
				src[i] = byte(' ' + rng.IntN(95))
			}
		}
		// "Ñ " first: not UTF-8, so the sniffer reads the whole file as
		// Windows-1252.
		src = append([]byte("\xD1 "), src...)
		want, _, err := transform.Bytes(charmap.Windows1252.NewDecoder(), src)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(iotest.OneByteReader(newDecodingReader(bytes.NewReader(src))))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("case %d: %d bytes decoded as\n%q\nwant\n%q", n, len(src), got, want)
		}
		// Destinations smaller than a character: each call writes what
		// fits and says ErrShortDst.
		got = got[:0]
		dst := make([]byte, 1+n%4)
		for rest := src; len(rest) > 0; {
			nd, ns, err := decode1252(dst, rest)
			if err != nil && err != transform.ErrShortDst || nd == 0 && ns == 0 && len(dst) >= 3 {
				t.Fatalf("case %d: decode1252 = %d, %d, %v", n, nd, ns, err)
			}
			if nd == 0 && ns == 0 { // a 3-byte character in a smaller buffer
				dst = make([]byte, 3)
				continue
			}
			got, rest = append(got, dst[:nd]...), rest[ns:]
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("case %d, small buffers: decoded as\n%q\nwant\n%q", n, got, want)
		}
	}
}
