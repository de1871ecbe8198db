package registry

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// FuzzDENUEReader: whatever the bytes, the reader ends with io.EOF or a
// FileError carrying a message id, never a panic or an endless loop, and
// every record's text is valid UTF-8.
func FuzzDENUEReader(f *testing.F) {
	data, err := os.ReadFile(denueFixture)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(strings.Join(denueColumns, ",") + "\n\xEF\xBB\xBF\"a\n"))
	f.Add([]byte("\xEF\xBB"))
	f.Fuzz(func(t *testing.T, in []byte) {
		r, err := NewDENUEReader(strings.NewReader(string(in)), "f.csv")
		for n := 0; err == nil; n++ {
			if n > len(in)+1 {
				t.Fatalf("more rows than bytes")
			}
			var rec Record
			rec, err = r.Next()
			if err == nil && !isUTF8(rec.Name+rec.Address+rec.SourceID+rec.Activity) {
				t.Fatalf("invalid UTF-8 in %+v", rec)
			}
		}
		var fe *FileError
		if !errors.Is(err, io.EOF) && (!errors.As(err, &fe) || fe.Invalid().Fields[0].ID == "") {
			t.Fatalf("error %v is not a FileError with an id", err)
		}
	})
}

func isUTF8(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }
