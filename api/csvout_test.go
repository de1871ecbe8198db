package api

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/reparto/reparto/planio"
)

// The CSV rules themselves are tested in planio (csv_test.go).

// parseExport checks the byte-order mark, strips it and parses the rest
// with encoding/csv, allowing rows of different lengths.
func parseExport(t *testing.T, b []byte) [][]string {
	t.Helper()
	s, ok := strings.CutPrefix(string(b), planio.UTF8BOM)
	if !ok {
		t.Fatalf("export does not start with the UTF-8 BOM: %q", string(b[:min(len(b), 20)]))
	}
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parse export: %v", err)
	}
	return rows
}
