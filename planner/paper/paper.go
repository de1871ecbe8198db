// Package paper renders what is printed for a shipment: the packing list,
// the waybill and the delivery receipt (one PDF per shipment, or one for a
// whole dispatch day at the dock) and the box labels with their QR codes.
//
// It is a pure library: it knows no HTTP and no SQL, reads its fonts and
// message catalogues from the fs.FS handed to New (assets.FS in the binary),
// and takes its own plain input types, so that whoever packs the boxes and
// stores the shipments maps their data into Shipment without this package
// depending on them.
//
// A confidential delivery point is never named: Destination.Place and
// Destination.Address are left out of every document and label when
// Destination.Confidential is set (docs/tracking.md#printed-documents).
package paper

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/reparto/reparto/planner"
	"golang.org/x/text/language"
)

// Shipment is everything printed about one shipment. The caller fills it
// from the committed plan, the box packing and the tracking record.
type Shipment struct {
	Campaign string // campaign name, printed on every page and label
	ID       int64  // the shipment's id in the receipt URL (not printed)
	Number   string // the shipment number people read ("E-0042")

	Depot       Depot
	Destination Destination

	Carrier  string
	Vehicle  string
	Waybill  string       // the carrier's waybill (guía) number
	Dispatch planner.Date // planned or actual dispatch day
	Expected planner.Date // expected arrival day

	Lines []Line // one per material, in the order they are printed
	Boxes []Box  // boxes 1..N, in order

	// ReceiptURL is the absolute URL of the shipment's receipt page; each
	// label's QR code carries it with the box number added as ?box=i.
	// Required by Labels only.
	ReceiptURL string
}

// Depot is where the shipment leaves from.
type Depot struct {
	Name    string
	Address string
}

// Destination is where the shipment goes. City and State are always
// printed; Place and Address only when Confidential is false.
type Destination struct {
	City    string
	State   string // printed as given (a name reads better than an ISO code)
	Address string
	// Place names the receiving venue or office; a shelter's name must
	// never reach paper, so Confidential hides it and its address.
	Place        string
	Confidential bool
}

// Line is one material of the shipment.
type Line struct {
	Code   string // material code
	Name   string // material name
	Pieces int64
	Packs  int64
	// Boxes counts the boxes that hold this material; a mixed box counts
	// for each of its materials, so the column can add up to more than
	// the shipment's boxes (the total row prints len(Shipment.Boxes)).
	Boxes    int64
	WeightKg *float64 // nil when unknown
}

// Box is one numbered box and what it holds.
type Box struct {
	Number   int // 1..N
	Contents []BoxLine
	WeightKg *float64 // nil when unknown
}

// BoxLine is one material inside a box.
type BoxLine struct {
	Code   string
	Name   string
	Pieces int64
	Packs  int64
}

// Renderer holds what every document needs: the font files and the
// catalogue of the printed words. It is safe for concurrent use: every
// call builds its own PDF.
type Renderer struct {
	regular, bold []byte
	bundle        *i18n.Bundle
}

// Font and catalogue files inside the fs.FS given to New.
const (
	fontRegular = "fonts/DejaVuSans.ttf"
	fontBold    = "fonts/DejaVuSans-Bold.ttf"
	catalogueES = "i18n/paper.es.json"
	catalogueEN = "i18n/paper.en.json"
)

// New reads the fonts and the paper.{es,en}.json catalogues from fsys
// (assets.FS).
func New(fsys fs.FS) (*Renderer, error) {
	r := &Renderer{bundle: i18n.NewBundle(language.Spanish)}
	r.bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	var err error
	if r.regular, err = fs.ReadFile(fsys, fontRegular); err != nil {
		return nil, fmt.Errorf("paper: font: %w", err)
	}
	if r.bold, err = fs.ReadFile(fsys, fontBold); err != nil {
		return nil, fmt.Errorf("paper: font: %w", err)
	}
	for _, f := range []string{catalogueES, catalogueEN} {
		if _, err := r.bundle.LoadMessageFileFS(fsys, f); err != nil {
			return nil, fmt.Errorf("paper: catalogue %s: %w", f, err)
		}
	}
	return r, nil
}

// Languages the documents are printed in; "" means the first (Spanish).
var Languages = []string{"es", "en"}

func checkLang(lang string) (string, error) {
	switch lang {
	case "":
		return "es", nil
	case "es", "en":
		return lang, nil
	}
	return "", planner.Invalid(planner.Fieldf("lang", planner.MsgOneOf, "must be one of %s", "es, en"))
}

// Limits that keep a document printable; a shipment beyond them is a
// mistake upstream rather than something to print.
const (
	maxBoxes = 10000
	maxLines = 500
	maxText  = 500
)

// validate checks one shipment; path prefixes the field names ("" for a
// single shipment, "shipments[3]." inside a dispatch day). needURL is set
// for labels, whose QR codes need the receipt URL.
func validate(s *Shipment, path string, needURL bool) []planner.FieldError {
	var errs []planner.FieldError
	fail := func(field string, id planner.MsgID, format string, args ...any) {
		errs = append(errs, planner.Fieldf(path+field, id, format, args...))
	}
	required := map[string]string{
		"campaign": s.Campaign, "number": s.Number, "destination.city": s.Destination.City,
	}
	for _, f := range []string{"campaign", "number", "destination.city"} {
		if required[f] == "" {
			fail(f, planner.MsgRequired, "is required")
		}
	}
	texts := map[string]string{
		"campaign": s.Campaign, "number": s.Number, "depot.name": s.Depot.Name,
		"depot.address": s.Depot.Address, "destination.city": s.Destination.City,
		"destination.state": s.Destination.State, "destination.address": s.Destination.Address,
		"destination.place": s.Destination.Place, "carrier": s.Carrier, "vehicle": s.Vehicle,
		"waybill": s.Waybill,
	}
	for _, f := range []string{"campaign", "number", "depot.name", "depot.address", "destination.city",
		"destination.state", "destination.address", "destination.place", "carrier", "vehicle", "waybill"} {
		if len([]rune(texts[f])) > maxText {
			fail(f, planner.MsgMaxLen, "must be at most %d characters", maxText)
		}
	}
	switch {
	case len(s.Lines) == 0:
		fail("lines", planner.MsgRequired, "is required")
	case len(s.Lines) > maxLines:
		fail("lines", planner.MsgMaxItems, "must have at most %d entries", maxLines)
	}
	for i, l := range s.Lines {
		p := fmt.Sprintf("lines[%d].", i)
		if l.Code == "" && l.Name == "" {
			fail(p+"name", planner.MsgRequired, "is required")
		}
		for _, q := range []struct {
			name string
			v    int64
		}{{"pieces", l.Pieces}, {"packs", l.Packs}, {"boxes", l.Boxes}} {
			if q.v < 0 {
				fail(p+q.name, planner.MsgMin, "must be >= %d", 0)
			}
		}
		if l.WeightKg != nil && !(*l.WeightKg >= 0) {
			fail(p+"weight_kg", planner.MsgMin, "must be >= %d", 0)
		}
	}
	switch {
	case len(s.Boxes) == 0:
		fail("boxes", planner.MsgRequired, "is required")
	case len(s.Boxes) > maxBoxes:
		fail("boxes", planner.MsgMaxItems, "must have at most %d entries", maxBoxes)
	}
	for i, b := range s.Boxes {
		p := fmt.Sprintf("boxes[%d].", i)
		if b.Number != i+1 {
			// "box i of N" and the QR's box number must agree with the
			// packing: a gap or a repeat would send a receiver astray.
			fail(p+"number", planner.MsgOutOfRange, "must be %d (boxes are numbered 1..N in order)", i+1)
		}
		if b.WeightKg != nil && !(*b.WeightKg >= 0) {
			fail(p+"weight_kg", planner.MsgMin, "must be >= %d", 0)
		}
		if len(b.Contents) > maxLines {
			fail(p+"contents", planner.MsgMaxItems, "must have at most %d entries", maxLines)
		}
		for j, c := range b.Contents {
			if c.Pieces < 0 || c.Packs < 0 {
				fail(fmt.Sprintf("%scontents[%d]", p, j), planner.MsgMin, "must be >= %d", 0)
			}
		}
	}
	if needURL {
		if s.ReceiptURL == "" {
			fail("receipt_url", planner.MsgRequired, "is required")
		} else if u, err := url.Parse(s.ReceiptURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fail("receipt_url", planner.MsgOutOfRange, "must be an absolute http or https URL")
		}
	}
	return errs
}

// boxURL is the receipt URL with the box number, what a label's QR holds.
func boxURL(base string, box int) string {
	u, err := url.Parse(base)
	if err != nil { // validate has refused it already
		return base
	}
	q := u.Query()
	q.Set("box", strconv.Itoa(box))
	u.RawQuery = q.Encode()
	return u.String()
}

// printable returns a copy of s whose text the PDF can carry: broken UTF-8
// and characters beyond the Basic Multilingual Plane (emoji), which the
// PDF library cannot map and panics on, become U+FFFD; control characters
// (tabs, line breaks) become spaces, since each field is laid out by the
// documents themselves. The caller's slices are not touched.
func printable(s Shipment) Shipment {
	s.Campaign, s.Number = clean(s.Campaign), clean(s.Number)
	s.Depot.Name, s.Depot.Address = clean(s.Depot.Name), clean(s.Depot.Address)
	d := &s.Destination
	d.City, d.State, d.Address, d.Place = clean(d.City), clean(d.State), clean(d.Address), clean(d.Place)
	s.Carrier, s.Vehicle, s.Waybill = clean(s.Carrier), clean(s.Vehicle), clean(s.Waybill)
	s.Lines = slices.Clone(s.Lines)
	for i := range s.Lines {
		s.Lines[i].Code, s.Lines[i].Name = clean(s.Lines[i].Code), clean(s.Lines[i].Name)
	}
	s.Boxes = slices.Clone(s.Boxes)
	for i := range s.Boxes {
		c := slices.Clone(s.Boxes[i].Contents)
		for j := range c {
			c[j].Code, c[j].Name = clean(c[j].Code), clean(c[j].Name)
		}
		s.Boxes[i].Contents = c
	}
	return s
}

func clean(s string) string {
	ok := utf8.ValidString(s)
	for _, r := range s {
		if r > 0xFFFF || unicode.IsControl(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r > 0xFFFF:
			b.WriteRune('\uFFFD')
		case unicode.IsControl(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
