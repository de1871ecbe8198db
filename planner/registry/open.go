package registry

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/reparto/reparto/planner"
)

// File is a registry file opened for reading: its rows (Reader), which
// registry it is and the name of the data it reads (inside a zip, the
// data CSV's entry). Close it when done.
type File struct {
	Reader
	Source Source
	Name   string
	close  []func() error
}

// Close releases the file's readers.
func (f *File) Close() error {
	var errs []error
	for i := len(f.close) - 1; i >= 0; i-- {
		errs = append(errs, f.close[i]())
	}
	return errors.Join(errs...)
}

// Open picks the reader for a registry file by its content, not its name
// (people rename downloads): a zip holding xl/workbook.xml is a CLUES
// workbook, any other zip a DENUE download (OpenDENUEZip), anything else
// a DENUE CSV. want, when not empty, is the registry the user chose; a
// file of the other registry is refused with the reason. r is read from
// where it is needed (a zip's central directory is at its end), so a
// file of hundreds of megabytes is never held in memory — except a CLUES
// workbook, which excelize reads whole (CLUES is some 40,000 rows).
func Open(r io.ReaderAt, size int64, name string, want Source) (*File, error) {
	var magic [4]byte
	n, _ := r.ReadAt(magic[:], 0)
	if n == 4 && bytes.Equal(magic[:], []byte("PK\x03\x04")) {
		zr, err := zip.NewReader(r, size)
		if err != nil {
			return nil, &FileError{ID: planner.MsgRegistryUnreadable, File: name, Err: fmt.Errorf("a broken zip: %w", err)}
		}
		if isWorkbook(zr) {
			return openCLUES(io.NewSectionReader(r, 0, size), name, want)
		}
		if want == SourceCLUES {
			return nil, &FileError{ID: planner.MsgRegistryNotCLUES, File: name, Err: errors.New("a zip, not a CLUES workbook (.xlsx)")}
		}
		rc, entry, err := OpenDENUEZip(zr, name)
		if err != nil {
			return nil, err
		}
		d, err := NewDENUEReader(rc, name+":"+entry)
		if err != nil {
			rc.Close()
			return nil, err
		}
		return &File{Reader: d, Source: SourceDENUE, Name: entry, close: []func() error{rc.Close}}, nil
	}
	if want == SourceCLUES {
		return nil, &FileError{ID: planner.MsgRegistryNotCLUES, File: name, Err: errors.New("not an XLSX workbook")}
	}
	d, err := NewDENUEReader(io.NewSectionReader(r, 0, size), name)
	if err != nil {
		return nil, err
	}
	return &File{Reader: d, Source: SourceDENUE, Name: name}, nil
}

func openCLUES(r io.Reader, name string, want Source) (*File, error) {
	if want == SourceDENUE {
		return nil, &FileError{ID: planner.MsgRegistryNotDENUE, File: name, Err: errors.New("an XLSX workbook, not a DENUE CSV or zip")}
	}
	c, err := NewCLUESReader(r, name)
	if err != nil {
		return nil, err
	}
	return &File{Reader: c, Source: SourceCLUES, Name: name, close: []func() error{c.Close}}, nil
}

// isWorkbook tells an XLSX (itself a zip) from a zip of CSV files.
func isWorkbook(zr *zip.Reader) bool {
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, "xl/workbook.xml") {
			return true
		}
	}
	return false
}

// ParseSource reads a registry's name as a user types it ("DENUE",
// "clues"); "" is "pick by content" and stays "".
func ParseSource(s string) (Source, bool) {
	switch Source(strings.ToLower(strings.TrimSpace(s))) {
	case "":
		return "", true
	case SourceDENUE:
		return SourceDENUE, true
	case SourceCLUES:
		return SourceCLUES, true
	}
	return "", false
}
