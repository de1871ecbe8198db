package paper

import (
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/reparto/reparto/planner"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

const family = "dejavu"

// doc is one PDF being written, with the language it speaks.
type doc struct {
	pdf     *fpdf.Fpdf
	lang    string
	loc     *i18n.Localizer
	printer *message.Printer
	err     error   // first missing message: a catalogue bug, reported rather than printed as an id
	footer  string  // left part of the footer of the pages being added
	rowMin  float64 // least height of a table row, for cells filled in by hand
}

// newDoc starts a PDF of the given page size (mm). The creation date is
// fixed to day so that the same input gives the same bytes (cacheable,
// comparable).
func (r *Renderer) newDoc(lang string, w, h float64, day planner.Date) *doc {
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: w, Ht: h}})
	pdf.AddUTF8FontFromBytes(family, "", r.regular)
	pdf.AddUTF8FontFromBytes(family, "B", r.bold)
	stamp := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if !day.IsZero() {
		stamp = day.Time()
	}
	pdf.SetCreationDate(stamp)
	pdf.SetModificationDate(stamp)
	pdf.SetCatalogSort(true)
	pdf.SetProducer("Reparto", true)
	pdf.SetLang(map[string]string{"es": "es-MX", "en": "en"}[lang])
	tag := language.MustParse("es-MX") // the app's default; matches api/web/page.go
	if lang == "en" {
		tag = language.English
	}
	d := &doc{pdf: pdf, lang: lang, loc: i18n.NewLocalizer(r.bundle, lang), printer: message.NewPrinter(tag)}
	return d
}

// t translates a message id; args are key, value pairs for its template.
func (d *doc) t(id string, args ...any) string {
	var data map[string]any
	if len(args) > 0 {
		data = make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			data[fmt.Sprint(args[i])] = args[i+1]
		}
	}
	s, err := d.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil || s == "" {
		if d.err == nil {
			d.err = fmt.Errorf("paper: message %q (%s): %v", id, d.lang, err)
		}
		return id
	}
	return s
}

// n formats a whole number with the language's digit grouping, as the
// pages do (api.Page.N).
func (d *doc) n(v int64) string { return d.printer.Sprintf("%d", v) }

// kg formats a weight with one decimal, or the "none" dash when unknown.
func (d *doc) kg(v *float64) string {
	if v == nil {
		return d.t("paper.none")
	}
	return d.printer.Sprintf("%.1f", *v)
}

var monthsES = [...]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"}

// date formats a day as the pages do (api.Page.D): "20 mar 2009" /
// "Mar 20, 2009".
func (d *doc) date(v planner.Date) string {
	if v.IsZero() {
		return d.t("paper.none")
	}
	t := v.Time()
	if d.lang == "en" {
		return t.Format("Jan 2, 2006")
	}
	return fmt.Sprintf("%d %s %d", t.Day(), monthsES[t.Month()-1], t.Year())
}

// orNone is s, or the dash for an empty field, so a blank reads as
// "not known" rather than a printing fault.
func (d *doc) orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return d.t("paper.none")
	}
	return s
}

// finish writes the PDF, or the first error met while building it.
func (d *doc) finish(w io.Writer) error {
	if d.err != nil {
		return d.err
	}
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("paper: %w", err)
	}
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("paper: write PDF: %w", err)
	}
	return nil
}

// place is the destination as printed: city and state always, the
// delivery point and address only when not confidential.
func (d *doc) placeLines(dst Destination) (cityState string, lines []string) {
	cityState = cityAndState(dst)
	if dst.Confidential {
		return cityState, []string{d.t("paper.confidential")}
	}
	for _, s := range []string{dst.Place, dst.Address} {
		if strings.TrimSpace(s) != "" {
			lines = append(lines, s)
		}
	}
	return cityState, lines
}

func cityAndState(dst Destination) string {
	if dst.State == "" {
		return dst.City
	}
	return dst.City + ", " + dst.State
}

// fit returns s in the current font shrunk from size down to min points
// until it fits width w, cut with "…" if it still does not; it leaves the
// font at the size chosen.
func (d *doc) fit(s, style string, size, min, w float64) string {
	for ; size > min; size -= 0.5 {
		d.pdf.SetFont(family, style, size)
		if d.pdf.GetStringWidth(s) <= w {
			return s
		}
	}
	d.pdf.SetFont(family, style, min)
	if d.pdf.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && d.pdf.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
