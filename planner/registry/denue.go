package registry

import (
	"archive/zip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/reparto/reparto/planner"
)

// Source names a registry. It is stored with every venue it created, so
// that next year's file of the same registry updates those venues.
type Source string

// The registries Reparto reads.
const (
	SourceDENUE Source = "denue"
	SourceCLUES Source = "clues"
)

// Record is one row of a registry, trimmed, as text: codes stay strings
// ("09", "007") so that leading zeros survive.
type Record struct {
	Line       int    // 1-based line (DENUE) or row (CLUES) of the file, for messages
	SourceID   string // DENUE id, CLUES key
	Name       string
	Activity   string // DENUE codigo_act (SCIAN, 6 digits); CLUES establishment type
	Center     string // DENUE tipoCenCom (e.g. CENTRAL CAMIONERA)
	CenterName string // DENUE nom_CenCom
	Address    string // street, number, settlement, locality, as one line
	State      string // INEGI state code, 2 digits
	County     string // INEGI municipality code, 3 digits
	PostalCode string
	Lat, Lon   float64
	HasCoords  bool // both coordinates present, numeric and not 0
	Closed     bool // CLUES: not in operation
}

// denueColumns is the header of a DENUE bulk file (INEGI, 2010 to 2024
// editions, 42 columns). The reader finds the columns it needs by name and
// ignores the others, so a column added in a later edition does no harm;
// it checks the first and last columns to tell a DENUE file from another CSV.
var denueColumns = []string{"id", "clee", "nom_estab", "raz_social", "codigo_act", "nombre_act", "per_ocu",
	"tipo_vial", "nom_vial", "tipo_v_e_1", "nom_v_e_1", "tipo_v_e_2", "nom_v_e_2", "tipo_v_e_3", "nom_v_e_3",
	"numero_ext", "letra_ext", "edificio", "edificio_e", "numero_int", "letra_int", "tipo_asent", "nomb_asent",
	"tipoCenCom", "nom_CenCom", "num_local", "cod_postal", "cve_ent", "entidad", "cve_mun", "municipio",
	"cve_loc", "localidad", "ageb", "manzana", "telefono", "correoelec", "www", "tipoUniEco", "latitud",
	"longitud", "fecha_alta"}

// denueNeeded are the columns the reader uses; a file lacking one is refused.
var denueNeeded = []string{"id", "nom_estab", "codigo_act", "tipo_vial", "nom_vial", "numero_ext",
	"tipo_asent", "nomb_asent", "tipoCenCom", "nom_CenCom", "cod_postal", "cve_ent", "cve_mun", "localidad",
	"latitud", "longitud"}

// FileError is a file Reparto cannot read as the registry it was given as:
// the message names the file, line and column.
type FileError struct {
	ID     planner.MsgID // what went wrong, for the reader's language
	File   string
	Line   int
	Column string
	Err    error
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ": line %d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ": column %s", e.Column)
	}
	return b.String() + ": " + e.Err.Error()
}

func (e *FileError) Unwrap() error { return e.Err }

// Invalid is the error as the rest of Reparto reports bad input: invalid,
// on the field "file", with the message id and the file (A), line (B) and
// column (C) as arguments.
func (e *FileError) Invalid() *planner.Error {
	id := e.ID
	if id == "" {
		id = planner.MsgRegistryUnreadable
	}
	return planner.Invalid(planner.FieldError{Path: "file", Message: e.Error(), ID: id,
		Args: map[string]any{"A": e.File, "B": e.Line, "C": e.Column}})
}

// DENUEReader streams the rows of a DENUE CSV.
type DENUEReader struct {
	name string
	dec  decodingReader
	csv  *csv.Reader
	col  map[string]int
	at   denueAt
	line int
	cur  []string // the current row (reused: csv.Reader.ReuseRecord)
}

// denueAt holds the index of each column the reader uses, looked up once
// in the header rather than by name for every field of every row.
type denueAt struct {
	id, name, activity, center, centerName, state, county, postalCode int
	streetType, street, number, settlementType, settlement, locality  int
	lat, lon                                                          int
}

// NewDENUEReader reads the header of a DENUE CSV and checks it. name is
// the file's name, for messages.
func NewDENUEReader(r io.Reader, name string) (*DENUEReader, error) {
	d := &DENUEReader{name: name, dec: newDecodingReader(r)}
	d.csv = csv.NewReader(d.dec)
	d.csv.ReuseRecord = true
	header, err := d.csv.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("empty file")
		}
		return nil, &FileError{ID: planner.MsgRegistryNotDENUE, File: name, Line: 1, Err: err}
	}
	d.line = 1
	d.col = make(map[string]int, len(header))
	for i, h := range header {
		d.col[strings.TrimSpace(h)] = i
	}
	if len(header) == 0 || strings.TrimSpace(header[0]) != denueColumns[0] ||
		strings.TrimSpace(header[len(header)-1]) != denueColumns[len(denueColumns)-1] {
		return nil, &FileError{ID: planner.MsgRegistryNotDENUE, File: name, Line: 1, Err: fmt.Errorf(
			"not a DENUE file: the header must start with %q and end with %q", denueColumns[0], denueColumns[len(denueColumns)-1])}
	}
	for _, c := range denueNeeded {
		if _, ok := d.col[c]; !ok {
			return nil, &FileError{ID: planner.MsgRegistryMissingCol, File: name, Line: 1, Column: c, Err: errors.New("missing column")}
		}
	}
	d.csv.FieldsPerRecord = len(header)
	d.at = denueAt{id: d.col["id"], name: d.col["nom_estab"], activity: d.col["codigo_act"],
		center: d.col["tipoCenCom"], centerName: d.col["nom_CenCom"], state: d.col["cve_ent"],
		county: d.col["cve_mun"], postalCode: d.col["cod_postal"], streetType: d.col["tipo_vial"],
		street: d.col["nom_vial"], number: d.col["numero_ext"], settlementType: d.col["tipo_asent"],
		settlement: d.col["nomb_asent"], locality: d.col["localidad"], lat: d.col["latitud"], lon: d.col["longitud"]}
	return d, nil
}

// Encoding is what the file turned out to be (known once a byte above
// 0x7F was read; ASCII until then).
func (d *DENUEReader) Encoding() Encoding { return d.dec.Encoding() }

func (d *DENUEReader) get(i int) string { return strings.TrimSpace(d.cur[i]) }

// Next returns the next row, or io.EOF after the last one. A row that
// cannot be read as CSV (a wrong number of fields, a stray quote) or as
// text is an error naming its line: the file is refused, not half read.
func (d *DENUEReader) Next() (Record, error) {
	row, err := d.csv.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return Record{}, io.EOF
		}
		line, id := d.line+1, planner.MsgRegistrySyntax
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.Line
		}
		if errors.Is(err, ErrMixedEncoding) {
			id = planner.MsgRegistryMixedEnc
		}
		return Record{}, &FileError{ID: id, File: d.name, Line: line, Err: err}
	}
	d.line, _ = d.csv.FieldPos(0)
	d.cur = row
	at := &d.at
	rec := Record{
		Line:       d.line,
		SourceID:   d.get(at.id),
		Name:       d.get(at.name),
		Activity:   d.get(at.activity),
		Center:     d.get(at.center),
		CenterName: d.get(at.centerName),
		State:      d.get(at.state),
		County:     d.get(at.county),
		PostalCode: d.get(at.postalCode),
		Address: joinAddress(d.get(at.streetType), d.get(at.street), d.get(at.number), d.get(at.settlementType),
			d.get(at.settlement), d.get(at.locality)),
	}
	rec.Lat, rec.Lon, rec.HasCoords = coords(d.get(at.lat), d.get(at.lon))
	return rec, nil
}

// coords reads a coordinate pair; 0 stands for "unknown" in both
// registries (no Mexican venue lies on the equator or the meridian).
func coords(lat, lon string) (float64, float64, bool) {
	la, err1 := strconv.ParseFloat(lat, 64)
	lo, err2 := strconv.ParseFloat(lon, 64)
	if err1 != nil || err2 != nil || la == 0 || lo == 0 || la != la || lo != lo {
		return 0, 0, false
	}
	return la, lo, true
}

// joinAddress writes "CALLE Hidalgo 12, COLONIA Centro, Tapachula": the
// street type and name with the number, the settlement, the locality;
// empty parts and DENUE's "0" or "SN" numbers are left out, and so are
// the "NINGUNO" (none) of a street or settlement type or name. The parts
// are trimmed by the caller. It builds the line in one allocation: it
// runs for every row of a million-row file.
func joinAddress(streetType, street, number, settlementType, settlement, locality string) string {
	var b strings.Builder
	b.Grow(len(streetType) + len(street) + len(number) + len(settlementType) + len(settlement) + len(locality) + 8)
	parts := 0 // written so far, each but the first after ", "
	part := func() {
		if parts > 0 {
			b.WriteString(", ")
		}
		parts++
	}
	both := func(a, c string) { // "a c" without the empty or NINGUNO ones
		a, c = given(a), given(c)
		b.WriteString(a)
		if a != "" && c != "" {
			b.WriteByte(' ')
		}
		b.WriteString(c)
	}
	if given(streetType) != "" || given(street) != "" {
		part()
		both(streetType, street)
		if number != "" && number != "0" && number != "SN" {
			b.WriteByte(' ')
			b.WriteString(number)
		}
	}
	if settlement != "" {
		// A settlement of "NINGUNO" with no type still makes an (empty)
		// part, as it always has: the stored addresses stay the same.
		part()
		both(settlementType, settlement)
	}
	if locality != "" {
		part()
		b.WriteString(locality)
	}
	return b.String()
}

// given is s, or "" for DENUE's "NINGUNO" (none).
func given(s string) string {
	if s == "NINGUNO" {
		return ""
	}
	return s
}

// OpenDENUEZip picks the data file of a DENUE zip as INEGI publishes it
// (conjunto_de_datos/denue_inegi_EE_.csv beside a metadata folder with the
// data dictionary, diccionario_de_datos/*.csv): the CSV whose name starts
// with "denue_inegi" and is not a dictionary; when no name says so, the
// largest CSV. The caller closes the returned file.
func OpenDENUEZip(zr *zip.Reader, name string) (io.ReadCloser, string, error) {
	var best *zip.File
	for _, f := range zr.File {
		base := strings.ToLower(path.Base(f.Name))
		dir := strings.ToLower(f.Name)
		if f.FileInfo().IsDir() || !strings.HasSuffix(base, ".csv") ||
			strings.Contains(dir, "diccionario") || strings.Contains(dir, "dictionary") || strings.Contains(dir, "metadato") {
			continue
		}
		score := func(f *zip.File) (bool, uint64) {
			return strings.HasPrefix(strings.ToLower(path.Base(f.Name)), "denue_inegi"), f.UncompressedSize64
		}
		if best == nil {
			best = f
			continue
		}
		p1, s1 := score(f)
		p0, s0 := score(best)
		if (p1 && !p0) || (p1 == p0 && s1 > s0) {
			best = f
		}
	}
	if best == nil {
		return nil, "", &FileError{ID: planner.MsgRegistryNoDataCSV, File: name, Err: errors.New("the zip holds no DENUE data CSV")}
	}
	rc, err := best.Open()
	if err != nil {
		return nil, "", &FileError{File: name + ":" + best.Name, Err: err}
	}
	return rc, best.Name, nil
}
