package planio

import (
	"encoding/json"
	"errors"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/reparto/reparto/planner"
)

// ParseCampaign reads a campaign file (docs/campaign-file.md) strictly and
// returns the campaign with defaults applied, validated by
// planner.Campaign.Validate.
//
// Every problem is a FieldError named by its JSON path, collected up to
// planner.MaxFieldErrors in document order and returned as one EInvalid
// *Error whose Error() is a single line starting with the first path:
//
//	materials[2].packsize: unknown field (and 3 more)
//
// Structural problems of the JSON text itself (bad syntax, trailing data,
// a root that is not an object) are returned alone, as
// "invalid JSON at byte N (line L, column C): …" (N from 0, L and C from
// 1), with the path of the value being read ("" at the top level). An error
// reading r is returned wrapped, not as *Error.
//
// The file is read as a stream: the elements of the top-level lists are
// checked and kept one at a time, so that memory grows with the campaign,
// not with the JSON text (docs/campaign-file.md#reading-rules). Callers
// still bound the size of r (http.MaxBytesReader).
//
// Reading rules (docs/campaign-file.md#reading-rules):
//   - null is the same as an absent key (a required key must not be null);
//   - a key may appear once per object;
//   - integers may be written in any JSON form whose exact value is whole
//     ("1e3", "2.0"); "2.5" is "must be an integer";
//   - numbers longer than 64 characters or with an exponent beyond ±100
//     are "is out of range";
//   - work_days and holidays must not repeat; they are returned sorted;
//   - empty lists come back as nil;
//   - a string (value or key) with a NUL character or bytes that are not
//     UTF-8 is refused alone, at its path (see planner.CheckJSONText).
//
// Schema extensions, all optional: cities[].note (string, why the city has
// its priority), venue_counts[].estimated (boolean, the count is an
// estimate rather than a registry count), venues[].address (string),
// cities[].address and campaign.depot.address (strings, printed on the
// waybill).
func ParseCampaign(r io.Reader) (*planner.Campaign, error) {
	return ParseCampaignStream(r, CampaignStream{})
}

// CampaignStream lets the caller of ParseCampaignStream have the venues of
// a campaign file while the rest of the file is still being read: storing
// a million venues takes longer than reading them, and the two can run on
// two cores (store.DB.ImportCampaignFile).
type CampaignStream struct {
	// Start is called at most once, as the "venues" list begins, when
	// "campaign", "venue_categories" and "cities" came before it and
	// nothing wrong has been found so far (the order MarshalCampaign
	// writes). head holds the header and the lists named in lists, those
	// read before "venues", as the parse will return them if the file is
	// valid; its other lists are empty. head and its lists are not written
	// again. Start returning false (or being nil) turns Venues off.
	Start func(head *planner.Campaign, lists []string) bool
	// Venues is called after Start each time Step more venues have been
	// read, with all the venues read so far, and once more with done true
	// at the end of the list (not if the file ends in an error before).
	// vs is a prefix of the c.Venues the parse returns: its elements are
	// never written again, and another goroutine may read them while the
	// parse goes on. Venues runs on the parse's goroutine, which waits
	// for it: it should hand vs over and return.
	Venues func(vs []planner.Venue, done bool)
	Step   int
}

// ParseCampaignStream is ParseCampaign, handing the venues to s as they
// are read. The result, and every error, are ParseCampaign's: the hooks
// change nothing in what is read, and whether they are called does not
// mean the file is valid.
func ParseCampaignStream(r io.Reader, s CampaignStream) (*planner.Campaign, error) {
	jr := newJSONReader(r)
	jr.checkText = true
	fr := newFileReader()
	if s.Start != nil && s.Venues != nil {
		fr.hooks = &s
	}
	c := &planner.Campaign{}
	root, err := fr.stream(jr, c)
	if err != nil {
		var bt *badTextError
		if errors.As(err, &bt) {
			return nil, planner.Invalid(planner.FieldError{Path: bt.path, Message: planner.BadTextMessage, ID: planner.MsgBadText})
		}
		err = jr.located(err)
		var se *jsonSyntaxError
		if errors.As(err, &se) {
			e := invalidAt(se.path, se.Error())
			// Fieldf names the line and column as the catalogue's text
			// takes them; the English text stays the decoder's own.
			f := planner.Fieldf(se.path, planner.MsgInvalidJSON, "%d %d", se.line, se.col)
			e.Fields[0].ID, e.Fields[0].Args = f.ID, f.Args
			e.ID, e.Args = f.ID, f.Args
			return nil, e
		}
		return nil, err
	}
	if root.kind != jsonObject {
		e := invalidAt("", "the campaign file must be a JSON object")
		e.ID, e.Fields[0].ID = planner.MsgFileNotObject, planner.MsgFileNotObject
		return nil, e
	}
	fr.campaignFile(root, c)
	return c, fr.result(c)
}

// invalidAt is a single structural error; at the top level the message is
// the whole error text (no leading ": ").
func invalidAt(path, msg string) *planner.Error {
	e := planner.Invalid(planner.FieldError{Path: path, Message: msg})
	if path == "" {
		e.Message = msg
	}
	return e
}

// result merges the structural errors with the semantic ones of
// Campaign.FieldErrors, in document order. A semantic error on a path at,
// above or below a value that could not be read is dropped: it would only
// restate it (a missing pack_size is "is required", not also "must be >= 1").
// Unknown and repeated keys hide nothing: the values read are still right.
func (fr *fileReader) result(c *planner.Campaign) error {
	unread := map[string]bool{}      // paths of values that could not be read
	aboveUnread := map[string]bool{} // those paths and their ancestors
	for _, e := range fr.errs {
		if !e.hides {
			continue
		}
		unread[e.Path] = true
		for p := e.Path; p != ""; p = parentPath(p) {
			aboveUnread[p] = true
		}
	}
	all := fr.errs
	for _, f := range c.FieldErrors() {
		if aboveUnread[f.Path] || belowAny(f.Path, unread) {
			continue
		}
		all = append(all, fieldErrorAt{FieldError: f, offset: fr.offsetOf(f.Path)})
	}
	if len(all) == 0 {
		return nil
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].offset < all[j].offset })
	if len(all) > planner.MaxFieldErrors {
		all = all[:planner.MaxFieldErrors]
	}
	fields := make([]planner.FieldError, len(all))
	for i, f := range all {
		fields[i] = f.FieldError
	}
	return planner.Invalid(fields...)
}

// belowAny reports whether path or one of its ancestors is in set.
func belowAny(path string, set map[string]bool) bool {
	for p := path; p != ""; p = parentPath(p) {
		if set[p] {
			return true
		}
	}
	return false
}

// parentPath strips the last key or index of a path ("" at the top). Paths
// from Validate never hold quoted keys, so the last '.' or '[' is the cut.
func parentPath(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

// offsetOf is the offset of path or of its nearest ancestor in the file.
func (fr *fileReader) offsetOf(path string) int64 {
	for p := path; p != ""; p = parentPath(p) {
		if off, ok := fr.offsets[p]; ok {
			return off
		}
		if off, ok := fr.lookupListPath(p); ok {
			return off
		}
	}
	return 0
}

// stream reads the whole file. The root object's members are kept as a
// tree, except the top-level lists, whose elements are read into c as
// they come (the first occurrence of each list key; the value of a
// repeated key is ignored, as in any object). A root that is not an object
// is read whole and returned for the caller to refuse.
func (fr *fileReader) stream(jr *jsonReader, c *planner.Campaign) (*jsonValue, error) {
	tok, off, err := jr.token("")
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		v, err := jr.fromToken(tok, "", off, 0)
		if err == nil {
			err = jr.end()
		}
		return v, err
	}
	lists := fr.listReaders(c)
	root := &jsonValue{kind: jsonObject, offset: off}
	seen := map[string]bool{}
	for first := true; jr.dec.More(); first = false {
		jr.src.mark(jr.offset(), map[bool]string{true: "{", false: `{"":0`}[first])
		key, keyOff, err := jr.key("")
		if err != nil {
			return nil, err
		}
		path := planner.JoinPath("", key)
		tok, valOff, err := jr.token(path)
		if err != nil {
			return nil, err
		}
		var v *jsonValue
		read, isList := lists[key]
		if d, ok := tok.(json.Delim); ok && d == '[' && isList {
			if seen[key] {
				read = nil // a repeated key: its value is read and dropped
			}
			if key == "venues" && read != nil {
				fr.startVenues(root, seen, c)
			}
			v, err = fr.streamList(jr, key, valOff, read)
			if key == "venues" && read != nil && err == nil && fr.streaming {
				fr.hooks.Venues(c.Venues, true)
			}
		} else {
			v, err = jr.fromToken(tok, path, valOff, 1)
		}
		if err != nil {
			return nil, err
		}
		seen[key] = true
		root.members = append(root.members, jsonMember{key: key, offset: keyOff, value: v})
	}
	if err := jr.close(""); err != nil {
		return nil, err
	}
	root.end = jr.offset()
	return root, jr.end()
}

// streamList reads a top-level list one element at a time, handing each
// to read (nil: drop it), and returns an empty array in its place.
func (fr *fileReader) streamList(jr *jsonReader, key string, off int64, read func(*jsonValue, int)) (*jsonValue, error) {
	i := flatList(jr, fieldsOf[key], read)
	for ; jr.dec.More(); i++ {
		jr.src.mark(jr.offset(), listPrefix(i))
		e, err := jr.value(planner.IndexPath(key, i), 2)
		if err != nil {
			return nil, err
		}
		if read != nil {
			read(e, i)
		}
	}
	if err := jr.close(key); err != nil {
		return nil, err
	}
	return &jsonValue{kind: jsonArray, offset: off, end: jr.offset()}, nil
}

// listReaders read one element of each top-level list into c.
func (fr *fileReader) listReaders(c *planner.Campaign) map[string]func(*jsonValue, int) {
	venues := listReader(fr, "venues", &c.Venues, fr.venue)
	if fr.hooks != nil {
		step := max(1, fr.hooks.Step)
		read := venues
		venues = func(v *jsonValue, i int) {
			read(v, i)
			if fr.streaming && len(c.Venues)%step == 0 {
				fr.hooks.Venues(c.Venues, false)
			}
		}
	}
	return map[string]func(*jsonValue, int){
		"materials":        listReader(fr, "materials", &c.Materials, fr.material),
		"venue_categories": listReader(fr, "venue_categories", &c.Categories, fr.category),
		"targeting":        listReader(fr, "targeting", &c.Targeting, fr.targeting),
		"cities":           listReader(fr, "cities", &c.Cities, fr.city),
		"venue_counts":     listReader(fr, "venue_counts", &c.VenueCounts, fr.venueCount),
		"venues":           venues,
		"locks":            listReader(fr, "locks", &c.Locks, fr.lock),
	}
}

// startVenues calls the Start hook, if any, as the "venues" list begins
// after the root members read so far. The header is read from them by a
// reader of its own, whose errors are dropped: the file's are all found
// again, and ordered, at the end (campaignFile). Any error there, or
// before, means the file is invalid: nothing is handed over then.
func (fr *fileReader) startVenues(root *jsonValue, seen map[string]bool, c *planner.Campaign) {
	if fr.hooks == nil || fr.streaming || len(fr.errs) > 0 ||
		!seen["campaign"] || !seen["venue_categories"] || !seen["cities"] {
		return
	}
	so := newFileReader()
	head := &planner.Campaign{}
	so.campaignFile(&jsonValue{kind: jsonObject, offset: root.offset, members: root.members}, head)
	if len(so.errs) > 0 {
		return
	}
	var lists []string
	for key, copyList := range map[string]func(){
		"materials":        func() { head.Materials = c.Materials },
		"venue_categories": func() { head.Categories = c.Categories },
		"targeting":        func() { head.Targeting = c.Targeting },
		"cities":           func() { head.Cities = c.Cities },
		"venue_counts":     func() { head.VenueCounts = c.VenueCounts },
		"locks":            func() { head.Locks = c.Locks },
	} {
		if seen[key] {
			copyList()
			lists = append(lists, key)
		}
	}
	sort.Strings(lists)
	fr.streaming = fr.hooks.Start(head, lists)
}

// listReader reads one element of a top-level list; an element that is
// not an object still takes its place (zero) so that indexes in later
// paths match the file.
func listReader[T any](fr *fileReader, key string, dst *[]T, read func(*fileObject, *T)) func(*jsonValue, int) {
	lo := &listOffsets{fields: fieldsOf[key]}
	fr.lists[key] = lo
	return func(v *jsonValue, i int) {
		var x T
		lo.begin(v.offset)
		fr.curElem = elemAt{list: lo, index: len(lo.elems) - 1}
		fr.cur = &fr.curElem
		if eo := fr.elementObject(v, key, i, lo.fields); eo != nil {
			read(eo, &x)
		}
		fr.cur = nil
		*dst = appendDoubling(*dst, x)
	}
}

// campaignFile checks the root object's keys and reads what stream left
// in it: the header, and lists given as something other than an array.
func (fr *fileReader) campaignFile(root *jsonValue, c *planner.Campaign) {
	o := fr.object(root, "", "campaign", "materials", "venue_categories", "targeting",
		"cities", "venue_counts", "venues", "locks")
	fr.header(o, c)
	for _, key := range []string{"materials", "venue_categories", "targeting", "cities", "venue_counts", "venues", "locks"} {
		fr.array(o, key) // an array was read already; anything else is "must be an array"
	}
}

// header reads the "campaign" object with its defaults.
func (fr *fileReader) header(root *fileObject, c *planner.Campaign) {
	c.Dispatch.WorkDays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	c.Transport = planner.Transport{RoadKmPerDay: 500, Circuity: 1.3, HandlingDays: 1}
	c.LocalDistributionDays = 5
	c.Surplus = planner.SurplusSpread
	o := fr.child(root, "campaign", true, "name", "start", "deadline", "as_of", "depot",
		"dispatch", "transport", "local_distribution_days", "surplus")
	if o == nil {
		return
	}
	fr.str(o, "name", true, &c.Name)
	c.Start, _ = fr.dateField(o, "start", true)
	c.Deadline, _ = fr.dateField(o, "deadline", true)
	if d, ok := fr.dateField(o, "as_of", false); ok {
		c.AsOf = &d
	}
	if d := fr.child(o, "depot", true, "name", "lat", "lon", "address"); d != nil {
		fr.str(d, "name", true, &c.Depot.Name)
		fr.float(d, "lat", true, &c.Depot.Lat)
		fr.float(d, "lon", true, &c.Depot.Lon)
		fr.str(d, "address", false, &c.Depot.Address)
	}
	if d := fr.child(o, "dispatch", true, "boxes_per_day", "work_days", "holidays"); d != nil {
		fr.integer(d, "boxes_per_day", true, &c.Dispatch.BoxesPerDay)
		if d.value("work_days") != nil {
			c.Dispatch.WorkDays = fr.workDays(d)
		}
		c.Dispatch.Holidays = fr.holidays(d)
	}
	if t := fr.child(o, "transport", false, "road_km_per_day", "circuity", "handling_days"); t != nil {
		fr.float(t, "road_km_per_day", false, &c.Transport.RoadKmPerDay)
		fr.float(t, "circuity", false, &c.Transport.Circuity)
		fr.intField(t, "handling_days", false, &c.Transport.HandlingDays)
	}
	fr.intField(o, "local_distribution_days", false, &c.LocalDistributionDays)
	var s string
	fr.str(o, "surplus", false, &s)
	if s != "" {
		c.Surplus = planner.Surplus(s)
	}
}

func (fr *fileReader) workDays(o *fileObject) []time.Weekday {
	elems, p := fr.array(o, "work_days")
	var seen [7]bool
	for i, v := range elems {
		ep := fr.elem(p, i, v)
		if v.kind != jsonString {
			fr.fail(ep, v.offset, planner.MsgTypeString, "must be a string")
			continue
		}
		day, ok := planner.ParseWeekday(v.text)
		switch {
		case !ok:
			fr.fail(ep, v.offset, planner.MsgWeekday, "must be one of Mon, Tue, Wed, Thu, Fri, Sat, Sun")
		case seen[day]:
			fr.fail(ep, v.offset, planner.MsgDuplicateDay, "duplicate day %q", v.text)
		default:
			seen[day] = true
		}
	}
	var days []time.Weekday
	for d, ok := range seen {
		if ok {
			days = append(days, time.Weekday(d))
		}
	}
	return days
}

func (fr *fileReader) holidays(o *fileObject) []planner.Date {
	elems, p := fr.array(o, "holidays")
	var days []planner.Date
	seen := map[planner.Date]bool{}
	for i, v := range elems {
		ep := fr.elem(p, i, v)
		d, ok := fr.date(v, ep)
		switch {
		case !ok:
		case seen[d]:
			fr.fail(ep, v.offset, planner.MsgDuplicateDate, "duplicate date %q", d.String())
		default:
			seen[d] = true
			days = append(days, d)
		}
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	return days
}
