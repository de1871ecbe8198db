package paper

import (
	"io"
	"slices"
	"strconv"

	"github.com/reparto/reparto/planner"
)

// DistributionSheet is a city's distribution list as printed for its team
// (docs/planning.md#distribution-lists).
type DistributionSheet struct {
	Campaign string
	Day      planner.Date // the day the list was made, printed and stamped in the PDF
	List     planner.DistributionList
	// Names of the codes the list carries; a code without a name prints
	// as the code alone.
	Materials  map[string]string
	Categories map[string]string
}

// maxStops keeps a list printable: more than a city's registry holds is a
// mistake upstream.
const maxStops = 20000

// DistributionList writes a city's distribution list: its venues in
// visiting order from the receiving point, a table per day, then what is
// kept for the venues not registered yet and the totals per material. A
// confidential venue prints as "confidential venue <reference> — contact
// the coordinator" (planner.ConfidentialRef), never by id, name or
// address, whoever prints the list.
func (r *Renderer) DistributionList(w io.Writer, s DistributionSheet, lang string) error {
	lang, err := checkLang(lang)
	if err != nil {
		return err
	}
	var errs []planner.FieldError
	if s.Campaign == "" {
		errs = append(errs, planner.Fieldf("campaign", planner.MsgRequired, "is required"))
	}
	if s.List.City.Code == "" {
		errs = append(errs, planner.Fieldf("city", planner.MsgRequired, "is required"))
	}
	for f, v := range map[string]string{"campaign": s.Campaign, "city": s.List.City.Name} {
		if len([]rune(v)) > maxText {
			errs = append(errs, planner.Fieldf(f, planner.MsgMaxLen, "must be at most %d characters", maxText))
		}
	}
	stops := 0
	for _, d := range s.List.Days {
		stops += len(d.Stops)
	}
	if stops > maxStops {
		errs = append(errs, planner.Fieldf("stops", planner.MsgMaxItems, "must have at most %d entries", maxStops))
	}
	if len(errs) > 0 {
		return planner.Invalid(errs...)
	}
	d := r.newDoc(lang, a4W, a4H, s.Day)
	d.setupA4()
	d.distributionList(&s, stops)
	return d.finish(w)
}

func (d *doc) distributionList(s *DistributionSheet, stops int) {
	pdf := d.pdf
	l := &s.List
	city := clean(l.City.Name)
	if city == "" {
		city = l.City.Code
	}
	title := d.t("paper.list.title", "City", city)
	campaign := clean(s.Campaign)
	pdf.AddPage()
	d.footer = d.t("paper.footer", "Campaign", campaign) + " · " + title
	pdf.SetXY(margin, margin)
	pdf.CellFormat(contentW, 10, d.fit(title, "B", 18, 10, contentW), "", 1, "L", false, 0, "")
	pdf.SetFont(family, "", 10)
	pdf.SetTextColor(80, 80, 80)
	pdf.CellFormat(contentW, 6, d.fit(d.t("paper.campaign")+": "+campaign, "", 10, 7, contentW), "", 1, "L", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	limits := d.t("paper.list.no_limit")
	switch o := l.Options; {
	case o.MaxStopsPerDay > 0 && o.MaxKmPerDay > 0:
		limits = d.t("paper.list.limit_both", "Stops", d.n(int64(o.MaxStopsPerDay)), "Km", d.km(o.MaxKmPerDay))
	case o.MaxStopsPerDay > 0:
		limits = d.t("paper.list.limit_stops", "Stops", d.n(int64(o.MaxStopsPerDay)))
	case o.MaxKmPerDay > 0:
		limits = d.t("paper.list.limit_km", "Km", d.km(o.MaxKmPerDay))
	}
	d.fields([]field{
		{d.t("paper.list.start"), d.t("paper.list.start_point", "City", city,
			"Lat", strconv.FormatFloat(l.City.Lat, 'f', 4, 64), "Lon", strconv.FormatFloat(l.City.Lon, 'f', 4, 64))},
		{d.t("paper.list.venues"), d.n(int64(stops))},
		{d.t("paper.list.days"), d.n(int64(len(l.Days)))},
		{d.t("paper.list.route_km"), d.t("paper.list.km", "Km", d.km(l.Km))},
		{d.t("paper.list.limits"), limits},
		{d.t("paper.list.made"), d.date(s.Day)},
	}, 3)
	pdf.SetFont(family, "", 9)
	pdf.SetX(margin)
	pdf.MultiCell(contentW, 5, d.t("paper.list.note"), "", "L", false)

	totals := map[string]int64{}
	cols := []column{
		{d.t("paper.col.no"), 10, "R"},
		{d.t("paper.list.col.venue"), 66, "L"},
		{d.t("paper.list.col.category"), 30, "L"},
		{d.t("paper.list.col.materials"), 56, "L"},
		{d.t("paper.list.col.leg"), 18, "R"},
	}
	for _, day := range l.Days {
		head := d.t("paper.list.day", "Day", day.Day, "Stops", d.n(int64(len(day.Stops))), "Km", d.km(day.Km))
		if day.OverKm {
			head += " · " + d.t("paper.list.over_km")
		}
		d.heading(head)
		rows := make([][]string, 0, len(day.Stops))
		for _, st := range day.Stops {
			venue := clean(st.Name)
			if st.Confidential {
				venue = d.t("paper.list.confidential", "Ref", clean(st.Ref))
			} else {
				if venue == "" {
					venue = clean(st.VenueID)
				}
				if a := clean(st.Address); a != "" {
					venue += "\n" + a
				}
			}
			var mats string
			for i, ln := range st.Lines {
				if i > 0 {
					mats += "\n"
				}
				mats += d.t("paper.content_line", "Material", d.material(s, ln.Material), "Pieces", d.n(ln.Pieces), "Packs", d.n(ln.Packs))
				totals[ln.Material] += ln.Pieces
			}
			rows = append(rows, []string{d.n(int64(st.Order)), venue, d.category(s, st.Category), d.orNone(mats), d.km(st.LegKm)})
		}
		d.table(cols, rows, nil)
	}
	if len(l.Unregistered) > 0 {
		d.heading(d.t("paper.list.unregistered_title"))
		rows := make([][]string, 0, len(l.Unregistered))
		for _, u := range l.Unregistered {
			rows = append(rows, []string{d.category(s, u.Category), d.t("paper.list.unregistered", "N", d.n(u.Venues),
				"Pieces", d.n(u.Pieces), "Material", d.material(s, u.Material), "Packs", d.n(u.Packs))})
			totals[u.Material] += u.Pieces
		}
		d.table([]column{{d.t("paper.list.col.category"), 50, "L"}, {d.t("paper.list.col.kept"), 130, "L"}}, rows, nil)
	}
	if len(totals) > 0 {
		d.heading(d.t("paper.list.totals"))
		codes := make([]string, 0, len(totals))
		for m := range totals {
			codes = append(codes, m)
		}
		slices.Sort(codes)
		rows := make([][]string, 0, len(codes))
		for _, m := range codes {
			rows = append(rows, []string{d.material(s, m), d.n(totals[m])})
		}
		d.table([]column{{d.t("paper.col.material"), 130, "L"}, {d.t("paper.col.pieces"), 50, "R"}}, rows, nil)
	}
}

// km formats kilometres with one decimal in the language's style.
func (d *doc) km(v float64) string { return d.printer.Sprintf("%.1f", v) }

func (d *doc) material(s *DistributionSheet, code string) string {
	return materialName(clean(code), clean(s.Materials[code]))
}

func (d *doc) category(s *DistributionSheet, code string) string {
	if n := clean(s.Categories[code]); n != "" {
		return n
	}
	return d.orNone(clean(code))
}
