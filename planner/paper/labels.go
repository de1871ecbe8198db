package paper

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/reparto/reparto/planner"
	qrcode "github.com/skip2/go-qrcode"
)

// LabelFormat is the stock labels are printed on.
type LabelFormat string

const (
	// A4x8 is an A4 sheet of 2 columns × 4 rows of 105 × 74 mm labels,
	// with light cutting marks for plain paper.
	A4x8 LabelFormat = "a4-2x4"
	// Thermal4x6 is one 4 × 6 inch (101.6 × 152.4 mm) label per page, the
	// usual roll of a shipping-label thermal printer.
	Thermal4x6 LabelFormat = "thermal-4x6"
)

// LabelFormats lists the formats Labels accepts, for forms and errors.
var LabelFormats = []LabelFormat{A4x8, Thermal4x6}

// Labels writes one label per box of each shipment, in the order given:
// "box i of N", the destination city and state, the campaign, the
// shipment, the contents of that box and a QR code of the shipment's
// receipt URL with ?box=i. The delivery point is never printed on a label,
// confidential or not: a box is seen by everyone on the way.
func (r *Renderer) Labels(w io.Writer, shipments []Shipment, format LabelFormat, lang string) error {
	lang, err := checkLang(lang)
	if err != nil {
		return err
	}
	var errs []planner.FieldError
	if format != A4x8 && format != Thermal4x6 {
		errs = append(errs, planner.Fieldf("format", planner.MsgOneOf, "must be one of %s", fmt.Sprint(LabelFormats)))
	}
	if len(shipments) == 0 {
		errs = append(errs, planner.Fieldf("shipments", planner.MsgRequired, "is required"))
	}
	for i := range shipments {
		prefix := ""
		if len(shipments) > 1 {
			prefix = fmt.Sprintf("shipments[%d].", i)
		}
		errs = append(errs, validate(&shipments[i], prefix, true)...)
	}
	if len(errs) > 0 {
		return planner.Invalid(errs...)
	}
	shipments = slices.Clone(shipments)
	for i := range shipments {
		shipments[i] = printable(shipments[i])
	}
	var d *doc
	if format == Thermal4x6 {
		d = r.newDoc(lang, thermalW, thermalH, shipments[0].Dispatch)
	} else {
		d = r.newDoc(lang, a4W, a4H, shipments[0].Dispatch)
	}
	d.pdf.SetMargins(0, 0, 0)
	d.pdf.SetAutoPageBreak(false, 0)
	i := 0
	for si := range shipments {
		s := &shipments[si]
		for bi := range s.Boxes {
			if format == Thermal4x6 {
				d.pdf.AddPage()
				if err := d.thermalLabel(s, &s.Boxes[bi]); err != nil {
					return err
				}
			} else {
				slot := i % 8
				if slot == 0 {
					d.pdf.AddPage()
					d.cutMarks()
				}
				x := float64(slot%2) * sheetLabelW
				y := float64(slot/2) * sheetLabelH
				if err := d.sheetLabel(s, &s.Boxes[bi], x, y); err != nil {
					return err
				}
			}
			i++
		}
	}
	return d.finish(w)
}

// Sizes in millimetres.
const (
	sheetLabelW = a4W / 2
	sheetLabelH = a4H / 4
	thermalW    = 101.6
	thermalH    = 152.4
)

// cutMarks draws the 2 × 4 grid in light dashes, for cutting plain paper;
// on pre-cut label stock they fall on the cuts.
func (d *doc) cutMarks() {
	pdf := d.pdf
	pdf.SetDrawColor(190, 190, 190)
	pdf.SetLineWidth(0.2)
	pdf.SetDashPattern([]float64{2, 2}, 0)
	pdf.Line(sheetLabelW, 0, sheetLabelW, a4H)
	for r := 1; r < 4; r++ {
		pdf.Line(0, float64(r)*sheetLabelH, a4W, float64(r)*sheetLabelH)
	}
	pdf.SetDashPattern(nil, 0)
	pdf.SetDrawColor(0, 0, 0)
}

// sheetLabel draws one 105 × 74 mm label with its top-left corner at x, y.
func (d *doc) sheetLabel(s *Shipment, b *Box, x, y float64) error {
	const pad, qrSize = 6.0, 36.0
	pdf := d.pdf
	left, top := x+pad, y+pad
	qrX := x + sheetLabelW - pad - qrSize
	textW := qrX - left - 4
	n := len(s.Boxes)

	pdf.SetXY(left, top)
	pdf.CellFormat(textW, 9, d.fit(d.t("paper.box_of", "I", d.n(int64(b.Number)), "N", d.n(int64(n))), "B", 20, 10, textW), "", 0, "L", false, 0, "")
	pdf.SetXY(left, top+11)
	pdf.CellFormat(textW, 7, d.fit(s.Destination.City, "B", 15, 8, textW), "", 0, "L", false, 0, "")
	pdf.SetXY(left, top+18)
	pdf.CellFormat(textW, 5.5, d.fit(s.Destination.State, "B", 11, 7, textW), "", 0, "L", false, 0, "")
	pdf.SetXY(left, top+26)
	pdf.CellFormat(textW, 4, d.fit(s.Campaign, "", 8.5, 6, textW), "", 0, "L", false, 0, "")
	pdf.SetXY(left, top+30.5)
	pdf.CellFormat(textW, 4, d.fit(d.t("paper.shipment_no", "Number", s.Number), "", 8.5, 6, textW), "", 0, "L", false, 0, "")

	if err := d.qr(boxURL(s.ReceiptURL, b.Number), qrX, top, qrSize); err != nil {
		return err
	}
	pdf.SetXY(qrX-3, top+qrSize+2.2)
	pdf.SetTextColor(90, 90, 90)
	pdf.CellFormat(qrSize+6, 3, d.fit(d.t("paper.label.scan"), "", 6, 4.5, qrSize+6), "", 0, "C", false, 0, "")
	pdf.SetTextColor(0, 0, 0)

	// Contents under the header, across the label.
	cy := top + qrSize + 6.5
	pdf.SetLineWidth(0.2)
	pdf.Line(left, cy-0.8, x+sheetLabelW-pad, cy-0.8)
	d.contentList(b.Contents, left, cy, sheetLabelW-2*pad, y+sheetLabelH-pad+1-cy, 8, 3.6)
	return nil
}

// thermalLabel draws one 4 × 6 inch label on the current page.
func (d *doc) thermalLabel(s *Shipment, b *Box) error {
	const pad, qrSize = 5.0, 56.0
	pdf := d.pdf
	w := thermalW - 2*pad
	n := len(s.Boxes)
	pdf.SetXY(pad, pad)
	pdf.CellFormat(w, 12, d.fit(d.t("paper.box_of", "I", d.n(int64(b.Number)), "N", d.n(int64(n))), "B", 30, 12, w), "", 0, "L", false, 0, "")
	pdf.SetXY(pad, pad+13)
	pdf.CellFormat(w, 10, d.fit(s.Destination.City, "B", 24, 10, w), "", 0, "L", false, 0, "")
	pdf.SetXY(pad, pad+23)
	pdf.CellFormat(w, 8, d.fit(s.Destination.State, "B", 16, 8, w), "", 0, "L", false, 0, "")
	pdf.SetXY(pad, pad+32)
	pdf.CellFormat(w, 5, d.fit(s.Campaign, "", 11, 7, w), "", 0, "L", false, 0, "")
	pdf.SetXY(pad, pad+37.5)
	pdf.CellFormat(w, 5, d.fit(d.t("paper.shipment_no", "Number", s.Number), "", 11, 7, w), "", 0, "L", false, 0, "")
	pdf.SetLineWidth(0.5)
	pdf.Line(pad, pad+44, thermalW-pad, pad+44)
	pdf.SetLineWidth(0.2)

	qy := pad + 48
	if err := d.qr(boxURL(s.ReceiptURL, b.Number), (thermalW-qrSize)/2, qy, qrSize); err != nil {
		return err
	}
	pdf.SetXY(pad, qy+qrSize+3)
	pdf.CellFormat(w, 4, d.fit(d.t("paper.label.scan"), "", 9, 6, w), "", 0, "C", false, 0, "")
	cy := qy + qrSize + 9
	pdf.Line(pad, cy-1, thermalW-pad, cy-1)
	d.contentList(b.Contents, pad, cy, w, thermalH-pad-cy, 10, 4.6)
	return nil
}

// contentList prints a box's contents one material per line inside the
// given area; lines that do not fit become "and N more".
func (d *doc) contentList(c []BoxLine, x, y, w, h, size, lineH float64) {
	pdf := d.pdf
	fits := int(h / lineH)
	if fits < 1 {
		return
	}
	shown := len(c)
	if shown > fits {
		shown = fits - 1
	}
	for i := 0; i < shown; i++ {
		pdf.SetXY(x, y+float64(i)*lineH)
		pdf.CellFormat(w, lineH, d.fitContent(c[i], size, size-2.5, w), "", 0, "L", false, 0, "")
	}
	if shown < len(c) {
		pdf.SetXY(x, y+float64(shown)*lineH)
		pdf.CellFormat(w, lineH, d.fit(d.t("paper.more", "N", d.n(int64(len(c)-shown))), "B", size, size-2.5, w), "", 0, "L", false, 0, "")
	}
}

// fitContent is a box's content line fitted to width w like fit, except
// that when the smallest size is still too wide the material's name is
// cut, not the end of the line: the pieces and packs are what the
// receiver counts the box against.
func (d *doc) fitContent(l BoxLine, size, min, w float64) string {
	line := d.contentLine(l)
	if s := d.fit(line, "", size, min, w); s == line {
		return s
	}
	// fit left the font at min.
	name := []rune(l.Name)
	for len(name) > 0 {
		name = name[:len(name)-1]
		cut := l
		cut.Name = strings.TrimRight(string(name), " ") + "…"
		if s := d.contentLine(cut); d.pdf.GetStringWidth(s) <= w {
			return s
		}
	}
	l.Name = ""
	return d.fit(d.contentLine(l), "", min, min, w)
}

// qr draws content as a QR code of side size mm at x, y, in vector
// rectangles so it stays sharp at any printer resolution. Medium error
// correction (15 %) survives a scuffed box; the label around gives more
// than the 4-module quiet zone the standard asks for.
func (d *doc) qr(content string, x, y, size float64) error {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("paper: QR code: %w", err)
	}
	q.DisableBorder = true
	bm := q.Bitmap()
	m := size / float64(len(bm))
	pdf := d.pdf
	pdf.SetFillColor(0, 0, 0)
	for r, row := range bm {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			// A hair of overlap stops viewers drawing white seams
			// between touching modules.
			pdf.Rect(x+float64(start)*m, y+float64(r)*m, float64(c-start)*m+0.01, m+0.01, "F")
		}
	}
	return nil
}
