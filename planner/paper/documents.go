package paper

import (
	"fmt"
	"io"
	"slices"

	"github.com/reparto/reparto/planner"
)

// A4 portrait, in millimetres.
const (
	a4W, a4H = 210.0, 297.0
	margin   = 15.0
	contentW = a4W - 2*margin
	bottom   = a4H - 18 // where a page's content must end, above the footer
)

// PackingList writes the packing list of one shipment: per material its
// pieces, packs, boxes and weight, the totals, and what each box holds.
func (r *Renderer) PackingList(w io.Writer, s Shipment, lang string) error {
	return r.shipmentPDF(w, s, lang, (*doc).packingList)
}

// Waybill writes the waybill of one shipment: depot, destination, carrier,
// vehicle, waybill number, dates and load, with signatures for the
// hand-over.
func (r *Renderer) Waybill(w io.Writer, s Shipment, lang string) error {
	return r.shipmentPDF(w, s, lang, (*doc).waybill)
}

// Receipt writes the delivery receipt of one shipment, for the receiver
// to fill in and sign: boxes received, pieces per material, received by,
// date and remarks.
func (r *Renderer) Receipt(w io.Writer, s Shipment, lang string) error {
	return r.shipmentPDF(w, s, lang, (*doc).receipt)
}

// ShipmentDocuments writes the three documents of one shipment in one PDF
// (packing list, waybill, receipt), each starting on its own page.
func (r *Renderer) ShipmentDocuments(w io.Writer, s Shipment, lang string) error {
	return r.shipmentPDF(w, s, lang, (*doc).packingList, (*doc).waybill, (*doc).receipt)
}

// DispatchDay writes one PDF for the dock: a cover page listing the
// shipments in the order given (the loading order) with their totals,
// then the three documents of each shipment. All shipments must leave on
// the same day.
func (r *Renderer) DispatchDay(w io.Writer, shipments []Shipment, lang string) error {
	lang, err := checkLang(lang)
	if err != nil {
		return err
	}
	var errs []planner.FieldError
	if len(shipments) == 0 {
		errs = append(errs, planner.Fieldf("shipments", planner.MsgRequired, "is required"))
	}
	for i := range shipments {
		p := fmt.Sprintf("shipments[%d].", i)
		errs = append(errs, validate(&shipments[i], p, false)...)
		if i > 0 && !shipments[i].Dispatch.Equal(shipments[0].Dispatch) {
			errs = append(errs, planner.Fieldf(p+"dispatch", planner.MsgOutOfRange,
				"must be %s like the first shipment's (one dispatch day per document)", shipments[0].Dispatch))
		}
	}
	if len(errs) > 0 {
		return planner.Invalid(errs...)
	}
	shipments = slices.Clone(shipments)
	for i := range shipments {
		shipments[i] = printable(shipments[i])
	}
	d := r.newDoc(lang, a4W, a4H, shipments[0].Dispatch)
	d.setupA4()
	d.dayCover(shipments)
	for i := range shipments {
		s := &shipments[i]
		d.packingList(s)
		d.waybill(s)
		d.receipt(s)
	}
	return d.finish(w)
}

func (r *Renderer) shipmentPDF(w io.Writer, s Shipment, lang string, parts ...func(*doc, *Shipment)) error {
	lang, err := checkLang(lang)
	if err != nil {
		return err
	}
	if errs := validate(&s, "", false); len(errs) > 0 {
		return planner.Invalid(errs...)
	}
	s = printable(s)
	d := r.newDoc(lang, a4W, a4H, s.Dispatch)
	d.setupA4()
	for _, part := range parts {
		part(d, &s)
	}
	return d.finish(w)
}

func (d *doc) setupA4() {
	pdf := d.pdf
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, 0) // tables break pages themselves, repeating their header
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetXY(margin, a4H-12)
		pdf.SetFont(family, "", 8)
		pdf.SetTextColor(100, 100, 100)
		pdf.CellFormat(contentW*0.75, 5, d.fit(d.footer, "", 8, 6, contentW*0.75-2), "", 0, "L", false, 0, "")
		pdf.SetFont(family, "", 8)
		pdf.CellFormat(contentW*0.25, 5, d.t("paper.page", "I", pdf.PageNo(), "N", "{nb}"), "", 0, "R", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
}

// page starts a page of a shipment's document with its title block.
func (d *doc) page(s *Shipment, title string) {
	pdf := d.pdf
	pdf.AddPage() // draws the previous page's footer, so the new one is set after
	d.footer = d.t("paper.footer", "Campaign", s.Campaign) + " · " + d.t("paper.shipment_no", "Number", s.Number) + " · " + title
	pdf.SetXY(margin, margin)
	number := d.t("paper.shipment_no", "Number", s.Number)
	pdf.SetFont(family, "B", 13)
	nw := pdf.GetStringWidth(number) + 2
	if nw > contentW/2 {
		nw = contentW / 2
	}
	pdf.SetXY(a4W-margin-nw, margin+1)
	pdf.CellFormat(nw, 7, d.fit(number, "B", 13, 8, nw), "", 0, "R", false, 0, "")
	pdf.SetXY(margin, margin)
	pdf.CellFormat(contentW-nw-2, 9, d.fit(title, "B", 18, 10, contentW-nw-2), "", 1, "L", false, 0, "")
	pdf.SetFont(family, "", 10)
	pdf.SetTextColor(80, 80, 80)
	pdf.CellFormat(contentW, 6, d.fit(d.t("paper.campaign")+": "+s.Campaign, "", 10, 7, contentW), "", 1, "L", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	y := pdf.GetY() + 1
	pdf.SetLineWidth(0.4)
	pdf.Line(margin, y, a4W-margin, y)
	pdf.SetLineWidth(0.2)
	pdf.SetY(y + 3)
}

// field is one labelled value of a fields grid.
type field struct{ label, value string }

// Line limits that keep a field or a table row within one page.
const maxFieldLines, maxCellLines = 8, 40

// fields prints label/value pairs in cols columns, the label small and
// grey above the value, each value wrapped to its column.
func (d *doc) fields(fs []field, cols int) {
	pdf := d.pdf
	cw := contentW / float64(cols)
	for i := 0; i < len(fs); i += cols {
		row := fs[i:min(i+cols, len(fs))]
		pdf.SetFont(family, "", 10)
		lines := make([][]string, len(row))
		maxLines := 1
		for j, f := range row {
			lines[j] = pdf.SplitText(f.value, cw-3)
			if len(lines[j]) > maxFieldLines { // a field never outgrows its page
				lines[j] = append(lines[j][:maxFieldLines-1:maxFieldLines-1], d.fit(lines[j][maxFieldLines-1]+"…", "", 10, 10, cw-3))
			}
			maxLines = max(maxLines, len(lines[j]))
		}
		h := 4 + 5*float64(maxLines) + 2
		d.ensure(h)
		y := pdf.GetY()
		for j, f := range row {
			x := margin + float64(j)*cw
			pdf.SetXY(x, y)
			pdf.SetFont(family, "", 7.5)
			pdf.SetTextColor(100, 100, 100)
			pdf.CellFormat(cw-3, 4, f.label, "", 0, "L", false, 0, "")
			pdf.SetTextColor(0, 0, 0)
			pdf.SetFont(family, "", 10)
			for k, l := range lines[j] {
				pdf.SetXY(x, y+4+5*float64(k))
				pdf.CellFormat(cw-3, 5, l, "", 0, "L", false, 0, "")
			}
		}
		pdf.SetXY(margin, y+h)
	}
}

// ensure starts a new page, continuing the current document, when h more
// millimetres do not fit on this one.
func (d *doc) ensure(h float64) bool {
	if d.pdf.GetY()+h <= bottom {
		return false
	}
	d.pdf.AddPage()
	d.pdf.SetXY(margin, margin)
	return true
}

func (d *doc) heading(s string) {
	d.ensure(30) // a heading stays with the table header and first row under it
	pdf := d.pdf
	pdf.Ln(2)
	pdf.SetX(margin)
	pdf.SetFont(family, "B", 11)
	pdf.CellFormat(contentW, 7, s, "", 1, "L", false, 0, "")
}

// column of a table: its title, width in mm and alignment ("L", "R", "C").
type column struct {
	title string
	w     float64
	align string
}

// table prints rows under a header row; long cells wrap, and a row that
// does not fit starts a new page with the header repeated. A non-nil
// total is printed bold after the rows.
func (d *doc) table(cols []column, rows [][]string, total []string) {
	pdf := d.pdf
	pdf.SetX(margin)
	header := func() {
		pdf.SetFont(family, "B", 9)
		pdf.SetFillColor(230, 230, 230)
		y := pdf.GetY()
		h := 7.0
		for _, c := range cols {
			h = max(h, 2+4.5*float64(len(pdf.SplitText(c.title, c.w-2))))
		}
		x := margin
		for _, c := range cols {
			pdf.Rect(x, y, c.w, h, "FD")
			for k, l := range pdf.SplitText(c.title, c.w-2) {
				pdf.SetXY(x, y+1+4.5*float64(k))
				pdf.CellFormat(c.w, 4.5, l, "", 0, c.align, false, 0, "")
			}
			x += c.w
		}
		pdf.SetXY(margin, y+h)
	}
	d.ensure(20) // the header row with at least one row under it
	header()
	row := func(cells []string, style string, fill bool) {
		pdf.SetFont(family, style, 9)
		wrapped := make([][]string, len(cols))
		n := 1
		for i, c := range cols {
			wrapped[i] = pdf.SplitText(cells[i], c.w-2)
			if len(wrapped[i]) > maxCellLines { // a row never outgrows its page
				wrapped[i] = append(wrapped[i][:maxCellLines-1:maxCellLines-1], "…")
			}
			n = max(n, len(wrapped[i]))
		}
		h := max(2+4.5*float64(n), d.rowMin)
		if d.ensure(h) {
			header()
			pdf.SetFont(family, style, 9)
		}
		y := pdf.GetY()
		x := margin
		for i, c := range cols {
			if fill {
				pdf.SetFillColor(245, 245, 245)
				pdf.Rect(x, y, c.w, h, "FD")
			} else {
				pdf.Rect(x, y, c.w, h, "D")
			}
			for k, l := range wrapped[i] {
				pdf.SetXY(x, y+1+4.5*float64(k))
				pdf.CellFormat(c.w, 4.5, l, "", 0, c.align, false, 0, "")
			}
			x += c.w
		}
		pdf.SetXY(margin, y+h)
	}
	for _, r := range rows {
		row(r, "", false)
	}
	if total != nil {
		row(total, "B", true)
	}
}

// signBox draws an empty framed box with its label in the corner, for a
// receiver or a driver to write in.
func (d *doc) signBox(x, y, w, h float64, label string) {
	pdf := d.pdf
	pdf.Rect(x, y, w, h, "D")
	pdf.SetXY(x+1, y+1)
	pdf.SetFont(family, "", 7.5)
	pdf.SetTextColor(100, 100, 100)
	pdf.CellFormat(w-2, 4, label, "", 0, "L", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
}

func materialName(code, name string) string {
	switch {
	case code == "":
		return name
	case name == "":
		return code
	}
	return code + " · " + name
}

// totalWeight is the sum of the boxes' weights, nil when any is unknown.
func totalWeight(s *Shipment) *float64 {
	var sum float64
	for _, b := range s.Boxes {
		if b.WeightKg == nil {
			return nil
		}
		sum += *b.WeightKg
	}
	return &sum
}

// summary is the shipment's identity as the documents repeat it.
func (d *doc) summary(s *Shipment, withPlace bool) {
	cityState, place := d.placeLines(s.Destination)
	dest := cityState
	if withPlace && !s.Destination.Confidential { // the receiver needs no note about its own address
		for _, l := range place {
			dest += "\n" + l
		}
	}
	d.fields([]field{
		{d.t("paper.destination"), dest},
		{d.t("paper.dispatch"), d.date(s.Dispatch)},
		{d.t("paper.expected"), d.date(s.Expected)},
		{d.t("paper.carrier"), d.orNone(s.Carrier)},
		{d.t("paper.waybill_number"), d.orNone(s.Waybill)},
		{d.t("paper.total_boxes"), d.n(int64(len(s.Boxes)))},
	}, 3)
}

func (d *doc) packingList(s *Shipment) {
	d.page(s, d.t("paper.packing.title"))
	d.summary(s, false)
	d.pdf.Ln(2)
	cols := []column{
		{d.t("paper.col.material"), 80, "L"},
		{d.t("paper.col.pieces"), 28, "R"},
		{d.t("paper.col.packs"), 24, "R"},
		{d.t("paper.col.boxes"), 20, "R"},
		{d.t("paper.col.weight"), 28, "R"},
	}
	var rows [][]string
	var pieces, packs int64
	var weight float64
	weightKnown := true
	for _, l := range s.Lines {
		rows = append(rows, []string{materialName(l.Code, l.Name), d.n(l.Pieces), d.n(l.Packs), d.n(l.Boxes), d.kg(l.WeightKg)})
		pieces += l.Pieces
		packs += l.Packs
		if l.WeightKg == nil {
			weightKnown = false
		} else {
			weight += *l.WeightKg
		}
	}
	tw := totalWeight(s)
	if tw == nil && weightKnown {
		tw = &weight
	}
	d.table(cols, rows, []string{d.t("paper.total"), d.n(pieces), d.n(packs), d.n(int64(len(s.Boxes))), d.kg(tw)})

	d.heading(d.t("paper.boxes.title"))
	bcols := []column{
		{d.t("paper.col.box"), 30, "L"},
		{d.t("paper.col.contents"), 122, "L"},
		{d.t("paper.col.weight"), 28, "R"},
	}
	rows = rows[:0]
	n := len(s.Boxes)
	for _, b := range s.Boxes {
		rows = append(rows, []string{d.t("paper.box_of", "I", b.Number, "N", n), d.contents(b.Contents), d.kg(b.WeightKg)})
	}
	d.table(bcols, rows, nil)
}

// contents is a box's contents, one material per line.
func (d *doc) contents(c []BoxLine) string {
	var out string
	for i, l := range c {
		if i > 0 {
			out += "\n"
		}
		out += d.contentLine(l)
	}
	return d.orNone(out)
}

func (d *doc) contentLine(l BoxLine) string {
	return d.t("paper.content_line", "Material", materialName(l.Code, l.Name), "Pieces", d.n(l.Pieces), "Packs", d.n(l.Packs))
}

func (d *doc) waybill(s *Shipment) {
	d.page(s, d.t("paper.waybill.title"))
	pdf := d.pdf
	depot := d.orNone(s.Depot.Name)
	if s.Depot.Address != "" {
		depot += "\n" + s.Depot.Address
	}
	cityState, place := d.placeLines(s.Destination)
	dest := cityState
	for _, l := range place {
		dest += "\n" + l
	}
	d.fields([]field{{d.t("paper.depot"), depot}, {d.t("paper.destination"), dest}}, 2)
	d.fields([]field{
		{d.t("paper.carrier"), d.orNone(s.Carrier)},
		{d.t("paper.vehicle"), d.orNone(s.Vehicle)},
		{d.t("paper.waybill_number"), d.orNone(s.Waybill)},
		{d.t("paper.dispatch"), d.date(s.Dispatch)},
		{d.t("paper.expected"), d.date(s.Expected)},
		{d.t("paper.shipment"), s.Number},
	}, 3)
	d.heading(d.t("paper.waybill.load"))
	var pieces int64
	var rows [][]string
	for _, l := range s.Lines {
		rows = append(rows, []string{materialName(l.Code, l.Name), d.n(l.Pieces), d.n(l.Boxes)})
		pieces += l.Pieces
	}
	d.table([]column{
		{d.t("paper.col.material"), 110, "L"},
		{d.t("paper.col.pieces"), 35, "R"},
		{d.t("paper.col.boxes"), 35, "R"},
	}, rows, []string{d.t("paper.total"), d.n(pieces), d.n(int64(len(s.Boxes)))})
	pdf.Ln(3)
	d.fields([]field{
		{d.t("paper.total_boxes"), d.n(int64(len(s.Boxes)))},
		{d.t("paper.total_weight"), d.t("paper.kg", "Kg", d.kg(totalWeight(s)))},
	}, 3)
	d.ensure(36)
	y := pdf.GetY() + 4
	half := (contentW - 6) / 2
	d.signBox(margin, y, half, 28, d.t("paper.waybill.sign_depot"))
	d.signBox(margin+half+6, y, half, 28, d.t("paper.waybill.sign_carrier"))
	pdf.SetXY(margin, y+30)
}

func (d *doc) receipt(s *Shipment) {
	d.page(s, d.t("paper.receipt.title"))
	pdf := d.pdf
	d.summary(s, true)
	pdf.SetFont(family, "", 10)
	pdf.SetX(margin)
	pdf.MultiCell(contentW, 5, d.t("paper.receipt.intro"), "", "L", false)
	pdf.Ln(1)
	var rows [][]string
	var pieces int64
	for _, l := range s.Lines {
		rows = append(rows, []string{materialName(l.Code, l.Name), d.n(l.Pieces), "", ""})
		pieces += l.Pieces
	}
	d.rowMin = 9 // room to write a number by hand
	defer func() { d.rowMin = 0 }()
	d.table([]column{
		{d.t("paper.col.material"), 70, "L"},
		{d.t("paper.col.sent"), 30, "R"},
		{d.t("paper.col.received"), 30, "R"},
		{d.t("paper.col.rejected"), 50, "L"},
	}, rows, []string{d.t("paper.total"), d.n(pieces), "", ""})

	// One tick square per box, so the receiver can count them off.
	d.heading(d.t("paper.receipt.tick"))
	const sq, gap = 4.5, 2.0
	perRow := 8 // boxes per row of tick squares: (contentW+gap)/(sq+14+gap) rounded down
	pdf.SetFont(family, "", 8)
	for i := range s.Boxes {
		if i%perRow == 0 {
			if i > 0 {
				pdf.SetY(pdf.GetY() + sq + 2)
			}
			d.ensure(sq + 2)
		}
		x := margin + float64(i%perRow)*(sq+14+gap)
		y := pdf.GetY()
		pdf.Rect(x, y, sq, sq, "D")
		pdf.SetXY(x+sq+0.5, y)
		pdf.CellFormat(13, sq, d.n(int64(i+1)), "", 0, "L", false, 0, "")
	}
	pdf.SetXY(margin, pdf.GetY()+sq+3)

	d.ensure(75)
	pdf.SetFont(family, "B", 11)
	pdf.CellFormat(contentW, 8, d.t("paper.receipt.boxes_received", "N", d.n(int64(len(s.Boxes)))), "", 1, "L", false, 0, "")
	y := pdf.GetY() + 2
	half := (contentW - 6) / 2
	d.signBox(margin, y, half, 16, d.t("paper.receipt.received_by"))
	d.signBox(margin+half+6, y, half, 16, d.t("paper.receipt.date"))
	d.signBox(margin, y+19, contentW, 26, d.t("paper.receipt.remarks"))
	d.signBox(margin, y+48, half, 20, d.t("paper.receipt.signature"))
	pdf.SetXY(margin+half+6, y+60)
	pdf.SetFont(family, "B", 10)
	pdf.CellFormat(half, 6, d.t("paper.receipt.thanks"), "", 1, "R", false, 0, "")
}

// dayCover is the dock's sheet: the day's shipments in loading order.
func (d *doc) dayCover(ss []Shipment) {
	pdf := d.pdf
	title := d.t("paper.day.title", "Date", d.date(ss[0].Dispatch))
	pdf.AddPage()
	d.footer = d.t("paper.footer", "Campaign", ss[0].Campaign) + " · " + title
	pdf.SetXY(margin, margin)
	pdf.CellFormat(contentW, 10, d.fit(title, "B", 18, 10, contentW), "", 1, "L", false, 0, "")
	var boxes int64
	var weight float64
	known := true
	var rows [][]string
	for i := range ss {
		s := &ss[i]
		boxes += int64(len(s.Boxes))
		tw := totalWeight(s)
		if tw == nil {
			known = false
		} else {
			weight += *tw
		}
		rows = append(rows, []string{d.n(int64(i + 1)), s.Number, cityAndState(s.Destination),
			d.orNone(s.Carrier), d.orNone(s.Waybill), d.n(int64(len(s.Boxes))), d.kg(tw)})
	}
	var tw *float64
	if known {
		tw = &weight
	}
	pdf.SetFont(family, "", 10)
	pdf.SetTextColor(80, 80, 80)
	pdf.CellFormat(contentW, 6, d.fit(d.t("paper.campaign")+": "+ss[0].Campaign, "", 10, 7, contentW), "", 1, "L", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont(family, "B", 11)
	pdf.CellFormat(contentW, 7, d.t("paper.day.summary", "Shipments", d.n(int64(len(ss))), "Boxes", d.n(boxes),
		"Weight", d.t("paper.kg", "Kg", d.kg(tw))), "", 1, "L", false, 0, "")
	pdf.SetFont(family, "", 9)
	pdf.MultiCell(contentW, 5, d.t("paper.day.note"), "", "L", false)
	pdf.Ln(2)
	d.table([]column{
		{d.t("paper.col.no"), 10, "R"},
		{d.t("paper.shipment"), 24, "L"},
		{d.t("paper.destination"), 48, "L"},
		{d.t("paper.carrier"), 32, "L"},
		{d.t("paper.waybill_number"), 26, "L"},
		{d.t("paper.col.boxes"), 18, "R"}, // "Boxes" in bold, whole
		{d.t("paper.col.weight"), 22, "R"},
	}, rows, []string{"", d.t("paper.total"), "", "", "", d.n(boxes), d.kg(tw)})
}
