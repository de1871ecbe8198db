package paper

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/planner"
)

// The confidential delivery point of the fixture: neither may be printed.
const (
	secretPlace   = "Refugio Casa Esperanza"
	secretAddress = "Callejón Oculto 17"
)

func kg(v float64) *float64 { return &v }

// fixture is a shipment of n boxes to Mérida with Spanish text in every
// field that is printed, and a confidential delivery point.
func fixture(n int) Shipment {
	s := Shipment{
		Campaign: "Prevención de influenza 2009",
		ID:       42,
		Number:   "E-0042",
		Depot:    Depot{Name: "Almacén Central Tláhuac", Address: "Av. Tláhuac 1234, Ciudad de México"},
		Destination: Destination{
			City: "Mérida", State: "Yucatán",
			Place: secretPlace, Address: secretAddress, Confidential: true,
		},
		Carrier:    "Transportes Peñasco",
		Vehicle:    "Camión 3.5 t, placas YUC-12-34",
		Waybill:    "GUÍA-778899",
		Dispatch:   planner.NewDate(2009, time.May, 4),
		Expected:   planner.NewDate(2009, time.May, 7),
		ReceiptURL: "https://reparto.example.org/c/7/shipments/42/receipt",
		Lines: []Line{
			{Code: "CARTEL", Name: "Cartel «Lávate las manos»", Pieces: 12500, Packs: 250, Boxes: 3, WeightKg: kg(312.5)},
			{Code: "TRIPTICO", Name: "Tríptico ¿Qué es la influenza?", Pieces: 4000, Packs: 40, Boxes: 2, WeightKg: kg(88)},
		},
	}
	for i := 1; i <= n; i++ {
		b := Box{Number: i, WeightKg: kg(400.5 / float64(n))}
		if i < n {
			b.Contents = []BoxLine{{Code: "CARTEL", Name: "Cartel «Lávate las manos»", Pieces: 5000, Packs: 100}}
		} else {
			b.Contents = []BoxLine{
				{Code: "CARTEL", Name: "Cartel «Lávate las manos»", Pieces: 2500, Packs: 50},
				{Code: "TRIPTICO", Name: "Tríptico ¿Qué es la influenza?", Pieces: 4000, Packs: 40},
			}
		}
		s.Boxes = append(s.Boxes, b)
	}
	return s
}

func renderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := New(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// need skips the test when a command-line tool is missing, saying how to
// get it, so that `go test ./...` runs with nothing but Go. In CI, which
// installs them (.ci/run), a missing tool fails instead of hiding the test.
func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			msg := fmt.Sprintf("%s not installed (apt-get install -y poppler-utils zbar-tools): %v", tool, err)
			if os.Getenv("CI") != "" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
}

// pdfText extracts the text of a PDF with poppler's pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestDocumentsText(t *testing.T) {
	need(t, "pdftotext")
	r := renderer(t)
	accents := []string{"á", "é", "ñ", "¿", "¡"}
	tests := []struct {
		name   string
		lang   string
		render func(*bytes.Buffer, Shipment, string) error
		want   []string
	}{
		{"packing list es", "es", func(b *bytes.Buffer, s Shipment, l string) error { return r.PackingList(b, s, l) },
			[]string{"Lista de empaque", "Envío E-0042", "Mérida, Yucatán", "Cartel «Lávate las manos»", "12,500", "4,000", "16,500",
				"250", "290", "312.5", "400.5", "Caja 1 de 5", "Caja 5 de 5", "Total", "4 may 2009", "7 may 2009", "Prevención de influenza 2009"}},
		{"packing list en", "en", func(b *bytes.Buffer, s Shipment, l string) error { return r.PackingList(b, s, l) },
			[]string{"Packing list", "Shipment E-0042", "12,500", "16,500", "Box 5 of 5", "May 4, 2009", "Total"}},
		{"waybill es", "es", func(b *bytes.Buffer, s Shipment, l string) error { return r.Waybill(b, s, l) },
			[]string{"Guía de embarque", "Almacén Central Tláhuac", "Av. Tláhuac 1234", "Transportes Peñasco", "YUC-12-34", "GUÍA-778899",
				"4 may 2009", "7 may 2009", "Lugar de entrega confidencial", "16,500", "400.5 kg", "Recibió (transportista)"}},
		{"receipt es", "es", func(b *bytes.Buffer, s Shipment, l string) error { return r.Receipt(b, s, l) },
			[]string{"Acuse de recibo", "¿Llegó todo?", "Cajas recibidas: ________ de 5", "Recibió (nombre)", "Firma", "Observaciones",
				"¡Gracias por apoyar la campaña!", "12,500"}},
		{"receipt en", "en", func(b *bytes.Buffer, s Shipment, l string) error { return r.Receipt(b, s, l) },
			[]string{"Delivery receipt", "Boxes received: ________ of 5", "Received by (name)", "Signature", "Remarks"}},
		{"all three es", "es", func(b *bytes.Buffer, s Shipment, l string) error { return r.ShipmentDocuments(b, s, l) },
			[]string{"Lista de empaque", "Guía de embarque", "Acuse de recibo", "Página 3 de 3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tc.render(&buf, fixture(5), tc.lang); err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, buf.Bytes())
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q:\n%s", w, text)
				}
			}
			if tc.lang == "es" && strings.Contains(tc.name, "all three") {
				for _, a := range accents {
					if !strings.Contains(text, a) {
						t.Errorf("text lacks %q (the font must render Spanish)", a)
					}
				}
			}
			for _, secret := range []string{secretPlace, "Esperanza", secretAddress, "Oculto"} {
				if strings.Contains(text, secret) {
					t.Errorf("confidential %q printed:\n%s", secret, text)
				}
			}
		})
	}
}

// TestNonConfidentialPlacePrinted: an ordinary delivery point and its
// address reach the waybill and receipt, so the hiding above is the
// confidential flag's doing and not an omission.
func TestNonConfidentialPlacePrinted(t *testing.T) {
	need(t, "pdftotext")
	s := fixture(2)
	s.Destination = Destination{City: "Mérida", State: "Yucatán", Place: "Centro de Salud Norte", Address: "Calle 60 núm. 500"}
	var buf bytes.Buffer
	if err := renderer(t).ShipmentDocuments(&buf, s, "es"); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	for _, w := range []string{"Centro de Salud Norte", "Calle 60 núm. 500"} {
		if c := strings.Count(text, w); c != 2 {
			t.Errorf("%q printed %d times, want 2 (waybill and receipt)", w, c)
		}
	}
}

func TestDispatchDayText(t *testing.T) {
	need(t, "pdftotext")
	a, b := fixture(3), fixture(2)
	b.Number, b.Destination = "E-0043", Destination{City: "Cancún", State: "Quintana Roo"}
	var buf bytes.Buffer
	if err := renderer(t).DispatchDay(&buf, []Shipment{a, b}, "es"); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	for _, w := range []string{"Despacho del 4 may 2009", "2 envíos · 5 cajas · 801.0 kg", "E-0042", "E-0043", "Cancún, Quintana Roo"} {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q", w)
		}
	}
	// Each document's title heads its first page (pdftotext starts a page
	// with a form feed); the footers name it too.
	for _, w := range []string{"Lista de empaque\n", "Guía de embarque\n", "Acuse de recibo\n"} {
		if c := strings.Count(text, "\f"+w); c != 2 {
			t.Errorf("%q heads %d pages, want once per shipment", w, c)
		}
	}
	if strings.Contains(text, secretPlace) || strings.Contains(text, secretAddress) {
		t.Error("confidential delivery point printed")
	}
}

// TestLabelsQR decodes every QR code of rendered label pages with zbarimg:
// one label per box, each carrying the receipt URL with its own box number,
// and "box i of N" printed on it.
func TestLabelsQR(t *testing.T) {
	need(t, "pdftotext", "pdftoppm", "zbarimg")
	r := renderer(t)
	a, b := fixture(9), fixture(3) // 12 labels: a sheet and a half on A4
	b.ID, b.Number = 43, "E-0043"
	b.ReceiptURL = "https://reparto.example.org/c/7/shipments/43/receipt?lang=es"
	for _, format := range LabelFormats {
		t.Run(string(format), func(t *testing.T) {
			var buf bytes.Buffer
			if err := r.Labels(&buf, []Shipment{a, b}, format, "es"); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			pdf := filepath.Join(dir, "labels.pdf")
			if err := os.WriteFile(pdf, buf.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command("pdftoppm", "-r", "200", "-png", pdf, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
				t.Fatalf("pdftoppm: %v\n%s", err, out)
			}
			pages, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
			wantPages := map[LabelFormat]int{A4x8: 2, Thermal4x6: 12}[format]
			if len(pages) != wantPages {
				t.Errorf("%d pages, want %d", len(pages), wantPages)
			}
			var got []string
			for _, p := range pages {
				out, err := exec.Command("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", p).Output()
				if err != nil {
					t.Fatalf("zbarimg %s: %v", filepath.Base(p), err)
				}
				got = append(got, strings.Fields(string(out))...)
			}
			var want []string
			for i := 1; i <= 9; i++ {
				want = append(want, fmt.Sprintf("https://reparto.example.org/c/7/shipments/42/receipt?box=%d", i))
			}
			for i := 1; i <= 3; i++ {
				want = append(want, fmt.Sprintf("https://reparto.example.org/c/7/shipments/43/receipt?box=%d&lang=es", i))
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("decoded %d QR codes:\n%s\nwant %d:\n%s", len(got), strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
			}
			text := pdfText(t, buf.Bytes())
			for _, c := range []struct {
				s string
				n int
			}{{"Caja 1 de 9", 1}, {"Caja 9 de 9", 1}, {"Caja 3 de 3", 1}, {"Mérida", 12}, {"Yucatán", 12},
				{"Prevención de influenza 2009", 12}, {"Envío E-0043", 3}, {"CARTEL · Cartel «Lávate las manos»: 5,000 pzas. · 100 paq.", 10}} {
				if got := strings.Count(text, c.s); got != c.n {
					t.Errorf("%q printed %d times, want %d", c.s, got, c.n)
				}
			}
			if n := len(regexp.MustCompile(`Caja \d+ de \d+`).FindAllString(text, -1)); n != 12 {
				t.Errorf("%d labels, want one per box (12)", n)
			}
			for _, secret := range []string{secretPlace, secretAddress} {
				if strings.Contains(text, secret) {
					t.Errorf("confidential %q printed on a label", secret)
				}
			}
		})
	}
}

// TestEveryOutputBothLanguages renders everything in both languages with
// nothing but Go: a message missing from either catalogue is an error.
func TestEveryOutputBothLanguages(t *testing.T) {
	r := renderer(t)
	s := fixture(3)
	outputs := map[string]func(*bytes.Buffer, string) error{
		"packing list": func(b *bytes.Buffer, l string) error { return r.PackingList(b, s, l) },
		"waybill":      func(b *bytes.Buffer, l string) error { return r.Waybill(b, s, l) },
		"receipt":      func(b *bytes.Buffer, l string) error { return r.Receipt(b, s, l) },
		"documents":    func(b *bytes.Buffer, l string) error { return r.ShipmentDocuments(b, s, l) },
		"dispatch day": func(b *bytes.Buffer, l string) error { return r.DispatchDay(b, []Shipment{s, s}, l) },
		"labels A4":    func(b *bytes.Buffer, l string) error { return r.Labels(b, []Shipment{s}, A4x8, l) },
		"labels 4x6":   func(b *bytes.Buffer, l string) error { return r.Labels(b, []Shipment{s}, Thermal4x6, l) },
	}
	for name, render := range outputs {
		for _, lang := range []string{"", "es", "en"} {
			var buf bytes.Buffer
			if err := render(&buf, lang); err != nil {
				t.Errorf("%s (%q): %v", name, lang, err)
			} else if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
				t.Errorf("%s (%q): not a PDF", name, lang)
			}
		}
	}
}

// TestAwkwardText: text far longer than its space, characters the font
// lacks, control characters and broken UTF-8 still give a PDF (cut or
// replaced), never a panic or a page overflow into the next label.
func TestAwkwardText(t *testing.T) {
	r := renderer(t)
	long := strings.Repeat("Santa María del Río Bravo de los Ángeles ", 12)
	s := fixture(30)
	s.Campaign, s.Number = long, "E-"+strings.Repeat("9", 60)
	s.Destination = Destination{City: long, State: long, Place: long, Address: long}
	s.Carrier, s.Vehicle, s.Waybill = "🚚 \x00\t\r\n", "\xff\xfe", long
	s.Lines = append(s.Lines, Line{Code: "X", Name: long, Pieces: 1 << 40, Packs: 1 << 30, Boxes: 1 << 20})
	for i := range s.Boxes {
		for j := 0; j < 12; j++ {
			s.Boxes[i].Contents = append(s.Boxes[i].Contents, BoxLine{Code: fmt.Sprint("M", j), Name: long, Pieces: 1_000_000, Packs: 1000})
		}
	}
	for _, format := range LabelFormats {
		if err := r.Labels(&bytes.Buffer{}, []Shipment{s}, format, "es"); err != nil {
			t.Errorf("labels %s: %v", format, err)
		}
	}
	if err := r.DispatchDay(&bytes.Buffer{}, []Shipment{s, fixture(2)}, "en"); err != nil {
		t.Errorf("dispatch day: %v", err)
	}
}

// TestInvalidInput: bad input is refused with the field named and nothing
// written.
func TestInvalidInput(t *testing.T) {
	r := renderer(t)
	tests := []struct {
		name   string
		change func(*Shipment)
		lang   string
		format LabelFormat
		paths  []string
	}{
		{"no campaign", func(s *Shipment) { s.Campaign = "" }, "es", A4x8, []string{"campaign"}},
		{"no city", func(s *Shipment) { s.Destination.City = "" }, "es", A4x8, []string{"destination.city"}},
		{"no boxes", func(s *Shipment) { s.Boxes = nil }, "es", A4x8, []string{"boxes"}},
		{"box numbered twice", func(s *Shipment) { s.Boxes[1].Number = 1 }, "es", A4x8, []string{"boxes[1].number"}},
		{"negative pieces", func(s *Shipment) { s.Lines[1].Pieces = -1 }, "es", A4x8, []string{"lines[1].pieces"}},
		{"negative weight", func(s *Shipment) { s.Boxes[0].WeightKg = kg(-2) }, "es", A4x8, []string{"boxes[0].weight_kg"}},
		{"relative URL", func(s *Shipment) { s.ReceiptURL = "/shipments/42/receipt" }, "es", A4x8, []string{"receipt_url"}},
		{"no URL", func(s *Shipment) { s.ReceiptURL = "" }, "es", A4x8, []string{"receipt_url"}},
		{"language", func(*Shipment) {}, "fr", A4x8, []string{"lang"}},
		{"format", func(*Shipment) {}, "es", "a5", []string{"format"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := fixture(3)
			tc.change(&s)
			var buf bytes.Buffer
			err := r.Labels(&buf, []Shipment{s}, tc.format, tc.lang)
			if planner.ErrorCode(err) != planner.EInvalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			var paths []string
			for _, f := range planner.ErrorFields(err) {
				paths = append(paths, f.Path)
				if f.ID == "" {
					t.Errorf("%s has no message id", f.Path)
				}
			}
			if !slices.Equal(paths, tc.paths) {
				t.Errorf("fields %v, want %v", paths, tc.paths)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes despite the error", buf.Len())
			}
		})
	}
}

func TestDispatchDayOneDay(t *testing.T) {
	a, b := fixture(1), fixture(1)
	b.Dispatch = b.Dispatch.AddDays(1)
	err := renderer(t).DispatchDay(&bytes.Buffer{}, []Shipment{a, b}, "es")
	if f := planner.ErrorFields(err); len(f) != 1 || f[0].Path != "shipments[1].dispatch" {
		t.Errorf("err = %v, want shipments[1].dispatch", err)
	}
}

// TestSameInputSameBytes: documents carry no clock, so they can be cached
// and compared.
func TestSameInputSameBytes(t *testing.T) {
	r := renderer(t)
	var a, b bytes.Buffer
	if err := r.ShipmentDocuments(&a, fixture(4), "es"); err != nil {
		t.Fatal(err)
	}
	if err := r.ShipmentDocuments(&b, fixture(4), "es"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renderings of the same shipment differ")
	}
	// Subset fonts keep a shipment's three documents small.
	if a.Len() > 150_000 {
		t.Errorf("documents are %d bytes; the fonts are not subset?", a.Len())
	}
}

func BenchmarkShipmentDocuments(b *testing.B) {
	r := renderer(b)
	s := fixture(20)
	for b.Loop() {
		if err := r.ShipmentDocuments(&bytes.Buffer{}, s, "es"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLabelsA4(b *testing.B) {
	r := renderer(b)
	s := fixture(20)
	for b.Loop() {
		if err := r.Labels(&bytes.Buffer{}, []Shipment{s}, A4x8, "es"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLabelQuantitiesSurviveLongNames: a label names each material of its
// box with its pieces and packs; a name too long for the line is what gets
// cut, never the quantities the receiver counts against. The names are
// the 2009 demo's: a thermal label lost "500 pzas. · 20 paq." on 11 of
// the 20 boxes of a shipment, an A4 label on 6.
func TestLabelQuantitiesSurviveLongNames(t *testing.T) {
	need(t, "pdftotext")
	names := []BoxLine{
		{Code: "CAR-VICTIMAS", Name: "Cartel: ¿Te prometieron trabajo y no te dejan ir? Denuncia", Pieces: 500, Packs: 20},
		{Code: "CUA-MP", Name: "Cuadernillo: Atención a víctimas de trata para el ministerio público", Pieces: 120, Packs: 12},
		{Code: "VOL-DENUNCIA", Name: "Volante: Denuncia la trata de personas (línea gratuita 01 800)", Pieces: 5000, Packs: 50},
	}
	qty := map[string][]string{
		"es": {"500 pzas. · 20 paq.", "120 pzas. · 12 paq.", "5,000 pzas. · 50 paq."},
		"en": {"500 pcs · 20 pk", "120 pcs · 12 pk", "5,000 pcs · 50 pk"},
	}
	s := fixture(len(names))
	for i := range s.Boxes {
		s.Boxes[i].Contents = []BoxLine{names[i]}
	}
	// The last box is mixed, as a box of remainders is.
	s.Boxes[len(names)-1].Contents = names
	for _, format := range LabelFormats {
		for _, lang := range []string{"es", "en"} {
			t.Run(string(format)+" "+lang, func(t *testing.T) {
				var buf bytes.Buffer
				if err := renderer(t).Labels(&buf, []Shipment{s}, format, lang); err != nil {
					t.Fatal(err)
				}
				text := pdfText(t, buf.Bytes())
				for i, l := range names {
					want := 2 // its own box and the mixed one
					if i == len(names)-1 {
						want = 1 // its own box is the mixed one
					}
					if got := strings.Count(text, ": "+qty[lang][i]); got != want {
						t.Errorf("%s: %q printed %d times, want %d\n%s", l.Code, qty[lang][i], got, want, text)
					}
					if got := strings.Count(text, l.Code+" · "); got != want {
						t.Errorf("%s: code printed %d times, want %d", l.Code, got, want)
					}
				}
			})
		}
	}
}

// TestDispatchDayCoverHeaders: the cover's column headers are words, not
// word pieces: in English "Boxes" was printed as "Boxe" over "s".
func TestDispatchDayCoverHeaders(t *testing.T) {
	need(t, "pdftotext")
	for lang, want := range map[string]string{"es": "Cajas", "en": "Boxes"} {
		var buf bytes.Buffer
		if err := renderer(t).DispatchDay(&buf, []Shipment{fixture(3), fixture(2)}, lang); err != nil {
			t.Fatal(err)
		}
		cover, _, _ := strings.Cut(pdfText(t, buf.Bytes()), "\f")
		if !strings.Contains(cover, want+"\n") {
			t.Errorf("%s: the cover has no %q column header:\n%s", lang, want, cover)
		}
	}
}
