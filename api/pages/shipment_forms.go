package pages

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// eventForm is one of the shipment page's event forms. Every render gets a
// fresh idempotency key, so a double submit records one event; a form
// re-rendered after a 422 keeps the user's input, its key and the messages
// next to the fields (Open).
type eventForm struct {
	Kind     planner.EventKind
	Corrects int64          // correction forms: the event amended
	Target   *planner.Event // correction forms: that event as it currently reads
	Defaults planner.Event  // what the payload inputs show before the user types
	Key      string
	Open     bool
	Rows     []formRow
	Other    []string // messages of fields that have no input of their own
	values   url.Values
	errs     map[string]string
}

// formRow is one repeated row of a form: a material line (delivery,
// loaded pieces, correction) or a distribution line.
type formRow struct {
	Prefix   string // "lines", "loaded", "distribution", "replacement.lines"
	Index    int
	Material string
	Name     string
	Pieces   int64 // the default quantity
	Line     planner.DeliveryLine
	Category string // distribution rows of a correction: the line's values
	VenueID  string
	Value    string // the default of the row's pieces input, "" for none
}

// N names a field of the row by its path in the event's JSON body, so that
// a FieldError path is the input's name.
func (r formRow) N(field string) string { return fmt.Sprintf("%s[%d].%s", r.Prefix, r.Index, field) }

// ID is the HTML id of a field of the row.
func (r formRow) ID(form, field string) string {
	return fmt.Sprintf("%s-%s-%d-%s", form, strings.ReplaceAll(r.Prefix, ".", "-"), r.Index, field)
}

// V is the value of input name: what the user sent when the form is
// re-rendered, else def.
func (f *eventForm) V(name string, def any) string {
	if f.Open {
		return f.values.Get(name)
	}
	if def == nil {
		return ""
	}
	return fmt.Sprint(def)
}

// Checked reports whether checkbox name is ticked.
func (f *eventForm) Checked(name string, def bool) bool {
	if f.Open {
		return f.values.Get(name) != ""
	}
	return def
}

// Selected reports whether option is the chosen value of select name.
func (f *eventForm) Selected(name, option string, def any) bool { return f.V(name, def) == option }

// HTMLID prefixes the ids of the form's inputs: "dispatched",
// "delivered", ..., "correction-12".
func (f *eventForm) HTMLID() string {
	if f.Kind == planner.EventCorrection {
		return fmt.Sprintf("correction-%d", f.Corrects)
	}
	return string(f.Kind)
}

// E is the error message of input name, if any.
func (f *eventForm) E(name string) string { return f.errs[name] }

func newEventForm(kind planner.EventKind, rows []formRow) *eventForm {
	return &eventForm{Kind: kind, Key: newFormKey(), Rows: rows}
}

// newFormKey is a random idempotency key for one rendering of a form.
func newFormKey() string {
	return "form-" + rand.Text()
}

// shipmentForms are the forms a planner may use at the shipment's stage.
type shipmentForms struct {
	Dispatch, Transit, Delivery, Distribution, Cancel *eventForm
	Corrections                                       []*eventForm
}

func (fs *shipmentForms) all() []*eventForm {
	return append([]*eventForm{fs.Dispatch, fs.Transit, fs.Delivery, fs.Distribution, fs.Cancel}, fs.Corrections...)
}

// formsFor builds the forms that fit the shipment's stage, and one
// correction form per event of its log.
func formsFor(camp *planner.Campaign, sh *planner.ShipmentRecord, st planner.ShipmentState) shipmentForms {
	var fs shipmentForms
	switch st.Stage {
	case planner.StagePlanned:
		fs.Dispatch = newEventForm(planner.EventDispatched, materialRows(camp, sh, "loaded", nil))
		// The labels number the packed boxes, fewer than the schedule's
		// one material per box when remainders share a box: the dock
		// loads what it labelled (docs/planning.md#packing-boxes).
		fs.Dispatch.Defaults.Boxes = sh.Boxes
		if n := planner.BoxCount(sh.Packing); n > 0 {
			fs.Dispatch.Defaults.Boxes = n
		}
		fs.Cancel = newEventForm(planner.EventCancelled, nil)
	case planner.StageDispatched, planner.StageInTransit:
		fs.Transit = newEventForm(planner.EventInTransit, nil)
		fs.Delivery = newEventForm(planner.EventDelivered, materialRows(camp, sh, "lines", st.Dispatched))
		fs.Cancel = newEventForm(planner.EventCancelled, nil)
	case planner.StageDelivered, planner.StageDistributed:
		fs.Distribution = newEventForm(planner.EventDistributed, distributionRows(camp, sh))
	}
	for _, e := range effectiveLog(sh) {
		fs.Corrections = append(fs.Corrections, correctionForm(camp, sh, e))
	}
	return fs
}

// materialRows is one row per planned material; defaults are the pieces
// in def (nil: no default).
func materialRows(camp *planner.Campaign, sh *planner.ShipmentRecord, prefix string, def map[string]int64) []formRow {
	rows := make([]formRow, 0, len(sh.Lines))
	for i, l := range sh.Lines {
		rows = append(rows, formRow{Prefix: prefix, Index: i, Material: l.Material, Name: materialName(camp, l.Material), Pieces: def[l.Material]})
	}
	return rows
}

// distributionRows offers a row per planned material and two spare rows.
func distributionRows(camp *planner.Campaign, sh *planner.ShipmentRecord) []formRow {
	rows := materialRows(camp, sh, "distribution", nil)
	for i := range 2 {
		rows = append(rows, formRow{Prefix: "distribution", Index: len(sh.Lines) + i})
	}
	return rows
}

// correctionRows are the lines of a delivery as it currently reads.
func correctionRows(camp *planner.Campaign, sh *planner.ShipmentRecord, e planner.Event) []formRow {
	rows := materialRows(camp, sh, "replacement.lines", nil)
	for i := range rows {
		for _, l := range e.Lines {
			if l.Material == rows[i].Material {
				rows[i].Line = l
			}
		}
	}
	return rows
}

func materialName(camp *planner.Campaign, code string) string {
	if m, ok := camp.Material(code); ok {
		return m.Name
	}
	return code
}

// effectiveLog is the lifecycle events of the log, each with the payload
// of its latest correction (its id, kind, author and recording time kept).
func effectiveLog(sh *planner.ShipmentRecord) []planner.Event {
	latest := map[int64]planner.Event{}
	for _, e := range sh.Events {
		if e.Kind == planner.EventCorrection && e.Replacement != nil {
			latest[e.Corrects] = *e.Replacement
		}
	}
	var out []planner.Event
	for _, e := range sh.Events {
		if e.Kind == planner.EventCorrection {
			continue
		}
		if r, ok := latest[e.ID]; ok {
			r.ID, r.Kind, r.RecordedAt, r.Author = e.ID, e.Kind, e.RecordedAt, e.Author
			e = r
		}
		out = append(out, e)
	}
	return out
}

// formParser reads a posted form into an Event with the web layer's one
// form reader, which collects the values that are not even well-formed
// (a date, a whole number); parseErrors says them in the tracking
// catalogue's words.
type formParser struct {
	web.Form
	p    *web.Page
	rows map[string][]int // event list index -> form row index, for lists with skipped blank rows
}

// The tracking forms have their own words for a malformed value.
var trackingParseMessages = map[planner.MsgID]string{planner.MsgDate: "tracking.error.date", planner.MsgWhole: "tracking.error.number"}

// parseErrors is the message of each malformed input, by input name.
func (fp *formParser) parseErrors() map[string]string {
	errs := make(map[string]string, len(fp.Errs))
	for _, fe := range fp.Errs {
		errs[fe.Path] = fp.p.T(trackingParseMessages[fe.ID])
	}
	return errs
}

// event builds the event that form f describes from the posted values.
func (fp *formParser) event(f *eventForm) planner.Event {
	e := planner.Event{Kind: f.Kind, Date: fp.Date("date")}
	if f.Kind == planner.EventCorrection {
		e.Note, e.Reason, e.Corrects = fp.Str("note"), fp.Str("reason"), f.Corrects
		e.Replacement = fp.replacement(f)
		return e
	}
	fp.payload(&e, f.Rows, "", false)
	return e
}

func (fp *formParser) deliveryLines(rows []formRow) []planner.DeliveryLine {
	var out []planner.DeliveryLine
	for _, r := range rows {
		out = append(out, planner.DeliveryLine{Material: r.Material, Accepted: fp.Count(r.N("accepted")),
			Rejected: fp.Count(r.N("rejected")), Reason: planner.RejectReason(fp.Str(r.N("reason")))})
	}
	return out
}

// replacement is the corrected event: the event as it reads now with
// every field the form sent (date, carrier, boxes, quantities, lines...).
func (fp *formParser) replacement(f *eventForm) *planner.Event {
	if f.Target == nil {
		return nil
	}
	r := *f.Target
	r.ID, r.Author, r.RecordedAt = 0, "", time.Time{}
	if d := fp.Date("replacement.date"); !d.IsZero() {
		r.Date = d
	}
	fp.payload(&r, f.Rows, "replacement.", true)
	return &r
}

// indexed finds the list index in a field path of a list whose blank rows
// are skipped: "distribution[2].pieces", "replacement.loaded[0].pieces".
var indexed = regexp.MustCompile(`^((?:replacement\.)?(?:loaded|distribution))\[(\d+)\](.*)$`)

// inputName maps a FieldError path to the name of the input it is about:
// lists whose blank rows were skipped are renumbered to their form rows.
// addFieldErrors puts err's field messages (a refused event) next to the
// inputs they name; the first message of an input is kept.
func (fp *formParser) addFieldErrors(errs map[string]string, err error) {
	for _, fe := range planner.ErrorFields(err) {
		name := fp.inputName(fe.Path)
		if _, dup := errs[name]; !dup {
			errs[name] = fp.p.FieldMessage(fe)
		}
	}
}

func (fp *formParser) inputName(path string) string {
	m := indexed.FindStringSubmatch(path)
	if m == nil {
		return path
	}
	i, _ := strconv.Atoi(m[2])
	if rows := fp.rows[m[1]]; i < len(rows) {
		return fmt.Sprintf("%s[%d]%s", m[1], rows[i], m[3])
	}
	return path
}

// replace puts the re-rendered form a in place of the fresh form of the
// same kind (and corrected event); when the stage no longer offers it,
// its messages are returned to be shown at the top of the page.
func (fs *shipmentForms) replace(a *eventForm) []string {
	for _, f := range fs.all() {
		if f != nil && f.Kind == a.Kind && f.Corrects == a.Corrects {
			*f = *a
			return nil
		}
	}
	return append(a.Other, mapValues(a.errs)...)
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+": "+v)
	}
	slices.Sort(out)
	return out
}

// postEventForm: POST /campaigns/:id/shipments/:sid/events. The form goes
// through the store's AppendEvent like the JSON API, so planner.ValidateEvent
// decides; an invalid event re-renders the page with 422 and nothing saved.
func (s *handlers) postEventForm(c *gin.Context) {
	camp, sh, err := s.campaignShipment(c)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	if f := s.recordForm(c, sh, func(v url.Values) (*eventForm, error) { return postedForm(camp, sh, v) }); f != nil {
		s.renderShipment(c, http.StatusUnprocessableEntity, camp, sh, f)
	}
}

// recordForm reads the posted event form that formOf builds and records
// its event: on success it flashes and redirects to the shipment page and
// returns nil, as it does after answering an error page itself; an
// invalid event comes back as its form, re-opened with the user's input
// and the messages next to the fields, for the caller to render (422).
// The desktop shipment page and the mobile receipt share it, so both
// read the same inputs and go through the same validation.
func (s *handlers) recordForm(c *gin.Context, sh *planner.ShipmentRecord, formOf func(url.Values) (*eventForm, error)) *eventForm {
	if err := c.Request.ParseForm(); err != nil {
		s.Web.PageError(c, web.BadRequestm(planner.MsgBrokenForm, "malformed form"))
		return nil
	}
	form := c.Request.PostForm
	f, err := formOf(form)
	if err == nil {
		err = resolve.FieldMayRecord(c, f.Kind)
	}
	if err != nil {
		s.Web.PageError(c, err)
		return nil
	}
	fp := &formParser{Form: web.Form{Values: form}, p: s.Web.NewPage(c, "", nil), rows: map[string][]int{}}
	e := fp.event(f)
	errs := fp.parseErrors()
	if len(errs) == 0 {
		var created bool
		_, created, err = s.DB.AppendEvent(web.ActorContext(c), sh.ID, e, s.Now(), f.Key)
		switch {
		case err == nil:
			msg := "tracking.event.recorded"
			if !created {
				msg = "tracking.event.already_recorded"
			}
			s.Flash(c, s.Web.Tr(c, msg, "Kind", s.Web.Tr(c, "tracking.kind."+string(f.Kind))))
			c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d/shipments/%d", sh.CampaignID, sh.ID))
			return nil
		case planner.ErrorCode(err) != planner.EInvalid:
			s.Web.PageError(c, err)
			return nil
		}
		fp.addFieldErrors(errs, err)
	}
	f.Open, f.values, f.errs = true, form, errs
	f.Other = otherErrors(f)
	return f
}

// postedForm is the form the request was made from, with its key: the
// same rows as when it was rendered, so indexes mean the same materials.
func postedForm(camp *planner.Campaign, sh *planner.ShipmentRecord, v url.Values) (*eventForm, error) {
	kind := planner.EventKind(v.Get("kind"))
	var f *eventForm
	switch kind {
	case planner.EventDispatched:
		f = newEventForm(kind, materialRows(camp, sh, "loaded", nil))
	case planner.EventDelivered:
		f = newEventForm(kind, materialRows(camp, sh, "lines", nil))
	case planner.EventDistributed:
		f = newEventForm(kind, distributionRows(camp, sh))
	case planner.EventInTransit, planner.EventCancelled:
		f = newEventForm(kind, nil)
	case planner.EventCorrection:
		id, err := strconv.ParseInt(v.Get("corrects"), 10, 64)
		if err != nil {
			return nil, web.BadRequestm(planner.MsgBrokenForm, "corrects must be the id of an event")
		}
		f = newEventForm(kind, nil)
		f.Corrects = id
		for _, e := range effectiveLog(sh) {
			if e.ID == id {
				f = correctionForm(camp, sh, e)
			}
		}
	default:
		return nil, web.BadRequestm(planner.MsgBrokenForm, "unknown event kind %q", kind)
	}
	if key := v.Get("idem"); key != "" {
		if store.ValidIdempotencyKey(key) != nil {
			return nil, web.BadRequestm(planner.MsgBrokenForm, "malformed form key")
		}
		f.Key = key
	}
	return f, nil
}

// formInputs are the inputs each form has, with list indexes blanked.
var formInputs = map[planner.EventKind][]string{
	planner.EventDispatched:  {"date", "note", "carrier", "waybill", "vehicle", "boxes", "loaded[].pieces"},
	planner.EventInTransit:   {"date", "note", "checkpoint"},
	planner.EventDelivered:   {"date", "note", "delivered_by", "received_by", "boxes", "lines[].accepted", "lines[].rejected", "lines[].reason"},
	planner.EventDistributed: {"date", "note", "distribution[].material", "distribution[].category", "distribution[].venue_id", "distribution[].pieces"},
	planner.EventCancelled:   {"date", "note", "reason"},
}

// inputsOf are the inputs of form f: a correction has its own date, note
// and reason, and the inputs of the corrected kind prefixed "replacement.".
func inputsOf(f *eventForm) []string {
	if f.Kind != planner.EventCorrection {
		return formInputs[f.Kind]
	}
	out := []string{"date", "note", "reason", "replacement.date"}
	if f.Target != nil {
		for _, name := range formInputs[f.Target.Kind] {
			if name != "date" {
				out = append(out, "replacement."+name)
			}
		}
	}
	return out
}

var listIndex = regexp.MustCompile(`\[\d+\]`)

// otherErrors are the messages of f whose field has no input in the form.
func otherErrors(f *eventForm) []string {
	var out []string
	for name, msg := range f.errs {
		if !slices.Contains(inputsOf(f), listIndex.ReplaceAllString(name, "[]")) {
			out = append(out, name+": "+msg)
		}
	}
	slices.Sort(out)
	return out
}
