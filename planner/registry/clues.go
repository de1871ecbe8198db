package registry

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/reparto/reparto/planner"
)

// The CLUES catalogue (Clave Única de Establecimientos de Salud) is an
// XLSX workbook published by the health ministry's DGIS, one row per
// health establishment. Column names have varied between editions (with
// and without accents, "NOMBRE DE LA UNIDAD" or "NOMBRE DE LA UNIDAD
// MEDICA"), so each column is found by any of its known names, compared
// folded (no case, no accents).
var cluesColumns = map[string][]string{
	"clues":       {"CLUES", "CLAVE CLUES"},
	"name":        {"NOMBRE DE LA UNIDAD", "NOMBRE DE LA UNIDAD MEDICA", "NOMBRE UNIDAD"},
	"type":        {"NOMBRE TIPO ESTABLECIMIENTO", "TIPO ESTABLECIMIENTO", "NOMBRE DEL TIPO DE ESTABLECIMIENTO", "TIPO DE ESTABLECIMIENTO"},
	"status":      {"ESTATUS DE OPERACION", "ESTATUS", "ESTATUS OPERACION"},
	"lat":         {"LATITUD"},
	"lon":         {"LONGITUD"},
	"institution": {"CLAVE DE LA INSTITUCION", "CLAVE INSTITUCION"},
	"state":       {"CLAVE DE LA ENTIDAD", "CLAVE ENTIDAD"},
	"county":      {"CLAVE DEL MUNICIPIO", "CLAVE MUNICIPIO"},
	"locality":    {"NOMBRE DE LA LOCALIDAD", "LOCALIDAD"},
	"street":      {"VIALIDAD", "CALLE"},
	"number":      {"NUMERO EXTERIOR", "NUMERO EXT"},
	"settlement":  {"ASENTAMIENTO", "COLONIA"},
	"postal":      {"CODIGO POSTAL"},
}

// cluesNeeded are the columns without which a row cannot be judged.
var cluesNeeded = []string{"clues", "name", "type", "status", "lat", "lon"}

// cluesInOperation is the status of an establishment that works; any
// other ("FUERA DE OPERACION", "BAJA", empty) drops the row as closed.
const cluesInOperation = "EN OPERACION"

// maxHeaderRows bounds the search for the header row (editions put a
// title and a date above it).
const maxHeaderRows = 10

// CLUESReader streams the rows of a CLUES workbook's first sheet.
type CLUESReader struct {
	name string
	f    *excelize.File
	rows *excelize.Rows
	col  map[string]int
	line int
	cur  []string
}

// NewCLUESReader opens a CLUES XLSX and finds its header. The caller
// closes the reader. name is the file's name, for messages.
//
// excelize streams the sheet's rows but keeps the shared-string table in
// memory: fine for CLUES (some 40,000 rows), not meant for a million.
func NewCLUESReader(r io.Reader, name string) (*CLUESReader, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, &FileError{ID: planner.MsgRegistryNotCLUES, File: name, Err: fmt.Errorf("not an XLSX workbook: %w", err)}
	}
	c := &CLUESReader{name: name, f: f}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, &FileError{File: name, Err: errors.New("the workbook has no sheet")}
	}
	if c.rows, err = f.Rows(sheets[0]); err != nil {
		f.Close()
		return nil, &FileError{File: name, Err: err}
	}
	if err := c.header(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func (c *CLUESReader) header() error {
	byName := map[string]string{}
	for key, names := range cluesColumns {
		for _, n := range names {
			byName[n] = key
		}
	}
	for c.line < maxHeaderRows && c.rows.Next() {
		c.line++
		cells, err := c.rows.Columns()
		if err != nil {
			return &FileError{File: c.name, Line: c.line, Err: err}
		}
		col := map[string]int{}
		for i, h := range cells {
			if key, ok := byName[fold(h)]; ok {
				if _, dup := col[key]; !dup {
					col[key] = i
				}
			}
		}
		if _, ok := col["clues"]; !ok {
			continue
		}
		for _, k := range cluesNeeded {
			if _, ok := col[k]; !ok {
				return &FileError{ID: planner.MsgRegistryMissingCol, File: c.name, Line: c.line, Column: cluesColumns[k][0],
					Err: errors.New("missing column")}
			}
		}
		c.col = col
		return nil
	}
	return &FileError{ID: planner.MsgRegistryNotCLUES, File: c.name, Err: fmt.Errorf("not a CLUES catalogue: no column CLUES in the first %d rows", maxHeaderRows)}
}

// Close releases the workbook.
func (c *CLUESReader) Close() error {
	if c.rows != nil {
		c.rows.Close()
	}
	return c.f.Close()
}

// Encoding is always UTF-8: XLSX stores text as UTF-8 XML.
func (c *CLUESReader) Encoding() Encoding { return EncodingUTF8 }

func (c *CLUESReader) get(key string) string {
	i, ok := c.col[key]
	if !ok || i >= len(c.cur) {
		return ""
	}
	return strings.TrimSpace(c.cur[i])
}

// Next returns the next establishment, or io.EOF. Empty rows are skipped.
func (c *CLUESReader) Next() (Record, error) {
	for c.rows.Next() {
		c.line++
		cells, err := c.rows.Columns()
		if err != nil {
			return Record{}, &FileError{File: c.name, Line: c.line, Err: err}
		}
		c.cur = cells
		if c.get("clues") == "" && c.get("name") == "" {
			continue
		}
		name := c.get("name")
		if inst := c.get("institution"); inst != "" && name != "" {
			name += " (" + inst + ")"
		}
		rec := Record{
			Line:       c.line,
			SourceID:   strings.ToUpper(c.get("clues")),
			Name:       name,
			Activity:   c.get("type"),
			State:      c.get("state"),
			County:     c.get("county"),
			PostalCode: c.get("postal"),
			Address:    joinAddress("", c.get("street"), c.get("number"), "", c.get("settlement"), c.get("locality")),
			Closed:     !strings.HasPrefix(fold(c.get("status")), cluesInOperation),
		}
		rec.Lat, rec.Lon, rec.HasCoords = coords(c.get("lat"), c.get("lon"))
		return rec, nil
	}
	if err := c.rows.Error(); err != nil {
		return Record{}, &FileError{File: c.name, Line: c.line, Err: err}
	}
	return Record{}, io.EOF
}
