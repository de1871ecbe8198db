package registry

import (
	"bytes"
	"maps"
	"testing"

	"github.com/xuri/excelize/v2"
)

// cluesWorkbook is a small CLUES catalogue as the health ministry lays it
// out: a title row above the header, accented headers, text coordinates.
func cluesWorkbook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	all := append([][]any{
		{"CATÁLOGO DE ESTABLECIMIENTOS DE SALUD"},
		{"CLUES", "CLAVE DE LA ENTIDAD", "CLAVE DEL MUNICIPIO", "NOMBRE DE LA LOCALIDAD", "CLAVE DE LA INSTITUCIÓN",
			"NOMBRE TIPO ESTABLECIMIENTO", "NOMBRE DE LA UNIDAD", "VIALIDAD", "NÚMERO EXTERIOR", "ASENTAMIENTO",
			"CÓDIGO POSTAL", "ESTATUS DE OPERACIÓN", "LATITUD", "LONGITUD"},
	}, rows...)
	for i, r := range all {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCLUES(t *testing.T) {
	data := cluesWorkbook(t, [][]any{
		{"CSSSA001234", "07", "089", "TAPACHULA", "SSA", "DE HOSPITALIZACIÓN", "HOSPITAL GENERAL DE TAPACHULA",
			"CARRETERA A PUERTO MADERO", "KM 1.5", "CENTRO", "30700", "EN OPERACIÓN", 14.8950, -92.2700},
		{"CSIMS000010", "07", "089", "TAPACHULA", "IMSS", "DE CONSULTA EXTERNA", "UMF 11", "4A. SUR", "20", "", "30700",
			"EN OPERACION", "14.9000", "-92.2600"},
		{"CSSSA009999", "07", "089", "TAPACHULA", "SSA", "DE CONSULTA EXTERNA", "CASA DE SALUD CERRADA", "", "", "", "",
			"FUERA DE OPERACIÓN", "14.9010", "-92.2610"},
		{"CSSSA000500", "07", "089", "TAPACHULA", "SSA", "DE APOYO", "ALMACÉN JURISDICCIONAL", "", "", "", "",
			"EN OPERACIÓN", "14.9020", "-92.2620"},
		{},
		{"CSSSA000600", "07", "089", "TAPACHULA", "SSA", "DE CONSULTA EXTERNA", "CENTRO DE SALUD SIN UBICACIÓN", "", "", "",
			"", "EN OPERACIÓN", "", ""},
	})
	r, err := NewCLUESReader(bytes.NewReader(data), "clues.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	im := NewImporter(SourceCLUES, testCampaign(), defaultMapping(t), testStates(t))
	var kept []Venue
	if err := im.Kept(r, func(v Venue) error { kept = append(kept, v); return nil }); err != nil {
		t.Fatal(err)
	}
	s := im.Summary()
	wantKept := map[string]int{"HOSPITAL": 1, "CLINICA": 1}
	wantDropped := map[Reason]int{DropClosed: 1, DropUnmapped: 1, DropNoCoordinates: 1}
	if s.Read != 5 || !maps.Equal(s.Kept, wantKept) || !maps.Equal(s.Dropped, wantDropped) {
		t.Fatalf("read %d kept %v dropped %v; want 5, %v, %v", s.Read, s.Kept, s.Dropped, wantKept, wantDropped)
	}
	h := kept[0]
	if h.ID != "clues-CSSSA001234" || h.Name != "HOSPITAL GENERAL DE TAPACHULA (SSA)" || h.City != "TAP" ||
		h.Address != "CARRETERA A PUERTO MADERO KM 1.5, CENTRO, TAPACHULA" {
		t.Errorf("hospital %+v", h)
	}
}

func TestCLUESNotACatalogue(t *testing.T) {
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "nada")
	var buf bytes.Buffer
	f.Write(&buf)
	f.Close()
	if _, err := NewCLUESReader(bytes.NewReader(buf.Bytes()), "x.xlsx"); err == nil {
		t.Error("a workbook without a CLUES column was accepted")
	}
	if _, err := NewCLUESReader(bytes.NewReader([]byte("id,name\n")), "x.xlsx"); err == nil {
		t.Error("a CSV was accepted as XLSX")
	}
}
