package registry

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/reparto/reparto/planner"
)

// TestOpenPicksTheReaderByContent: a DENUE CSV, INEGI's zip and a CLUES
// workbook are told apart by their bytes whatever their names, and a file
// of the other registry than the one chosen is refused with the reason.
func TestOpenPicksTheReaderByContent(t *testing.T) {
	csv, err := os.ReadFile(denueFixture)
	if err != nil {
		t.Fatal(err)
	}
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("conjunto_de_datos/denue_inegi_07_.csv")
	w.Write(csv)
	zw.Close()
	xlsx := cluesWorkbook(t, [][]any{{"CSSSA001234", "07", "089", "TAPACHULA", "SSA", "DE HOSPITALIZACIÓN",
		"HOSPITAL GENERAL", "", "", "", "", "EN OPERACIÓN", 14.895, -92.27}})
	tests := []struct {
		name   string
		data   []byte
		want   Source
		source Source
		rows   int
		err    planner.MsgID
	}{
		{"csv", csv, "", SourceDENUE, 15, ""},
		{"zip", zbuf.Bytes(), SourceDENUE, SourceDENUE, 15, ""},
		{"xlsx", xlsx, "", SourceCLUES, 1, ""},
		{"csv as clues", csv, SourceCLUES, "", 0, planner.MsgRegistryNotCLUES},
		{"zip as clues", zbuf.Bytes(), SourceCLUES, "", 0, planner.MsgRegistryNotCLUES},
		{"xlsx as denue", xlsx, SourceDENUE, "", 0, planner.MsgRegistryNotDENUE},
		{"not a registry", []byte("name,lat\nx,1\n"), "", "", 0, planner.MsgRegistryNotDENUE},
		{"broken zip", []byte("PK\x03\x04rest"), "", "", 0, planner.MsgRegistryUnreadable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Open(bytes.NewReader(tt.data), int64(len(tt.data)), "upload", tt.want)
			if tt.err != "" {
				var fe *FileError
				if !errors.As(err, &fe) || fe.ID != tt.err {
					t.Fatalf("err %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Source != tt.source {
				t.Errorf("source %s, want %s", f.Source, tt.source)
			}
			if n := len(readAll(t, f)); n != tt.rows {
				t.Errorf("%d rows, want %d", n, tt.rows)
			}
		})
	}
}
