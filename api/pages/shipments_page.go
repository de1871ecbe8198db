package pages

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/account"
	"github.com/reparto/reparto/store"
)

// shipmentsPerPage is how many rows the shipment list shows at once.
const shipmentsPerPage = 100

// offlineKeepMax is the longest shipment list whose field pages the
// service worker fetches ahead (docs/tracking.md#recording-without-a-connection).
const offlineKeepMax = 30

// shipmentRowView is one row of the shipment list.
type shipmentRowView struct {
	ID              int64
	City, CityName  string
	State           string // the city's ISO 3166-2 state
	StateName       string // its name, as the data pages show it
	Boxes, Pieces   int64
	Dispatch        planner.Date // planned
	ExpectedArrival planner.Date
	Due             planner.Date
	Stage           planner.Stage
	Status          planner.Status
	Reason          string
}

// shipmentsData is the shipment list with its filters, sort and pager.
type shipmentsData struct {
	CampaignID int64
	Today      planner.Date
	Status     string
	Stage      string
	State      string
	City       string
	Sort       string
	Rows       []shipmentRowView
	Total      int
	Page       int
	Pages      int
	// KeepOffline asks the service worker to keep the field pages of the
	// listed shipments (js/outbox.js): a field user's few shipments, not
	// a planner's whole campaign.
	KeepOffline bool
	PrevURL     string
	NextURL     string
	Statuses    []planner.Status
	Stages      []planner.Stage
	States      []dataOption // code and name, by name
	Cities      []planner.City
	// DispatchDays are the planned days shipments leave on, each linked
	// to its documents and labels (api/exports); all shipments count,
	// whatever the filters, since the dock prints a whole day.
	DispatchDays []planner.Date
	query        url.Values
}

// SortURL links a column header: ascending first, descending when the
// list is already sorted ascending by that column.
func (d *shipmentsData) SortURL(key string) string {
	q := cloneValues(d.query)
	q.Del("page")
	if d.Sort == key {
		key = "-" + key
	}
	q.Set("sort", key)
	return "?" + q.Encode()
}

// SortMark shows the direction of the column the list is sorted by.
func (d *shipmentsData) SortMark(key string) string {
	switch d.Sort {
	case key:
		return "▲"
	case "-" + key:
		return "▼"
	}
	return ""
}

// shipmentSorts are the sortable columns.
var shipmentSorts = map[string]func(a, b *shipmentRowView) int{
	"city":     func(a, b *shipmentRowView) int { return cmp.Compare(a.CityName, b.CityName) },
	"state":    func(a, b *shipmentRowView) int { return cmp.Compare(a.StateName, b.StateName) },
	"dispatch": func(a, b *shipmentRowView) int { return a.Dispatch.Compare(b.Dispatch) },
	"due":      func(a, b *shipmentRowView) int { return a.Due.Compare(b.Due) },
	"boxes":    func(a, b *shipmentRowView) int { return cmp.Compare(a.Boxes, b.Boxes) },
}

// shipmentsPage: GET /campaigns/:id/shipments?status=&stage=&state=&city=&sort=&page=
// status is the reading on the campaign's today, stage the derived state of
// the log, state the city's ISO 3166-2 state.
func (s *handlers) shipmentsPage(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	pl, err := s.Res.Planned(c, id)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	camp := pl.Campaign
	today, err := s.Res.Today(c, camp)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	q := c.Request.URL.Query()
	d := shipmentsData{CampaignID: id, Today: today, Status: q.Get("status"), Stage: q.Get("stage"),
		State: q.Get("state"), City: q.Get("city"), Sort: q.Get("sort"), query: q,
		Statuses: knownPageStatuses, Stages: []planner.Stage{planner.StagePlanned, planner.StageDispatched,
			planner.StageInTransit, planner.StageDelivered, planner.StageDistributed, planner.StageCancelled}}
	if _, ok := shipmentSorts[strings.TrimPrefix(d.Sort, "-")]; !ok {
		d.Sort = "city"
	}
	list, err := s.DB.ListShipments(c.Request.Context(), id, store.ShipmentFilter{Status: planner.Status(d.Status),
		Stage: planner.Stage(d.Stage), City: d.City, Today: today})
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	places, err := s.Res.Places(c)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	if places == nil { // the dock's paperwork: not a field account's
		all, err := s.DB.ListShipments(c.Request.Context(), id, store.ShipmentFilter{Today: today})
		if err != nil {
			s.Web.PageError(c, err)
			return
		}
		d.DispatchDays = dispatchDays(all)
	}
	p := s.Web.NewPage(c, "", nil)
	for i := range list {
		sh := &list[i]
		k, _ := camp.City(sh.City)
		if (d.State != "" && k.State != d.State) || (places != nil && !places.Covers(sh.City, k.State)) {
			continue
		}
		row := rowOf(p, camp, sh, today)
		row.StateName = s.stateName(row.State)
		d.Rows = append(d.Rows, row)
	}
	var states []string
	d.Cities, states = filterChoices(camp, places)
	for _, code := range states {
		d.States = append(d.States, dataOption{code, s.stateName(code)})
	}
	slices.SortFunc(d.States, func(a, b dataOption) int { return cmp.Compare(a.Label, b.Label) })
	sortRows(d.Rows, d.Sort)
	d.paginate(q.Get("page"))
	d.KeepOffline = len(d.Rows) <= offlineKeepMax
	s.Web.Render(c, http.StatusOK, "shipments", &d)
}

// dispatchDays lists the planned days of the shipments not cancelled, in
// order.
func dispatchDays(recs []planner.ShipmentRecord) []planner.Date {
	var days []planner.Date
	for i := range recs {
		if recs[i].State().Stage != planner.StageCancelled {
			days = append(days, recs[i].Dispatch)
		}
	}
	slices.SortFunc(days, planner.Date.Compare)
	return slices.Compact(days)
}

func rowOf(p *web.Page, camp *planner.Campaign, sh *planner.ShipmentRecord, today planner.Date) shipmentRowView {
	st := sh.State()
	status, r := sh.Assess(today)
	k, _ := camp.City(sh.City)
	return shipmentRowView{ID: sh.ID, City: sh.City, CityName: web.CityName(camp, sh.City), State: k.State,
		Boxes: sh.Boxes, Pieces: sh.Pieces, Dispatch: sh.Dispatch, ExpectedArrival: sh.ExpectedArrival(st, today),
		Due: sh.Due, Stage: st.Stage, Status: status, Reason: web.ReasonWords(p, r)}
}

// filterChoices lists the campaign's cities by name and its states; for a
// field account (places not nil) only those of its places.
func filterChoices(camp *planner.Campaign, places *account.Places) ([]planner.City, []string) {
	cities := slices.DeleteFunc(slices.Clone(camp.Cities), func(k planner.City) bool {
		return places != nil && !places.Covers(k.Code, k.State)
	})
	slices.SortFunc(cities, func(a, b planner.City) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Code, b.Code)) })
	var states []string
	for _, k := range cities {
		if k.State != "" && !slices.Contains(states, k.State) {
			states = append(states, k.State)
		}
	}
	slices.Sort(states)
	return cities, states
}

// sortRows sorts by key ("-key": descending), ties by city code then id.
func sortRows(rows []shipmentRowView, key string) {
	desc := strings.HasPrefix(key, "-")
	by := shipmentSorts[strings.TrimPrefix(key, "-")]
	slices.SortStableFunc(rows, func(a, b shipmentRowView) int {
		n := by(&a, &b)
		if desc {
			n = -n
		}
		return cmp.Or(n, cmp.Compare(a.City, b.City), cmp.Compare(a.ID, b.ID))
	})
}

// paginate keeps the rows of the requested page (1 when absent or out of range).
func (d *shipmentsData) paginate(pageParam string) {
	d.Total = len(d.Rows)
	d.Pages = max(1, (d.Total+shipmentsPerPage-1)/shipmentsPerPage)
	d.Page, _ = strconv.Atoi(pageParam)
	d.Page = min(max(d.Page, 1), d.Pages)
	from := (d.Page - 1) * shipmentsPerPage
	d.Rows = d.Rows[from:min(from+shipmentsPerPage, d.Total)]
	link := func(page int) string {
		q := cloneValues(d.query)
		q.Set("page", strconv.Itoa(page))
		return "?" + q.Encode()
	}
	if d.Page > 1 {
		d.PrevURL = link(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.NextURL = link(d.Page + 1)
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// shipmentPageData is the shipment page: planned lines, derived state,
// status, the full log and the forms that fit the stage.
type shipmentPageData struct {
	CampaignID    int64
	Today         planner.Date
	S             *planner.ShipmentRecord
	CityName      string
	State         string
	St            planner.ShipmentState
	Expected      planner.Date
	Status        planner.Status
	Reason        string
	Lines         []lineView
	Events        []eventView
	Forms         shipmentForms
	Categories    []planner.VenueCategory
	RejectReasons []planner.RejectReason
	General       []string // errors of a form this stage does not offer
	// Venues are the city's registered venues the distribution forms
	// offer (docs/tracking.md#distribution-to-venues), by id, listed once
	// on the page (a datalist every row's venue input names) rather than
	// in a select per row: a city has hundreds of venues.
	Venues []venueOption
}

// venueOption is one registered venue of the shipment's city in the
// distribution forms' venue list: what the latest committed plan allocates
// to it and what was already handed to it, per material. A venue the
// user may not identify is labelled by its id only.
type venueOption struct {
	ID, Label, Category string
	Lines               []planner.ProgressLine
}

// FirstMaterial is the material a new distribution row starts with, as
// the first option of a select would be.
func (d *shipmentPageData) FirstMaterial() string {
	if len(d.Lines) == 0 {
		return ""
	}
	return d.Lines[0].Material
}

// WantsVenues reports whether a form on the page records distribution.
func (fs *shipmentForms) WantsVenues() bool {
	if fs.Distribution != nil {
		return true
	}
	return slices.ContainsFunc(fs.Corrections, func(f *eventForm) bool {
		return f.Target != nil && f.Target.Kind == planner.EventDistributed
	})
}

// venueOptions reads the city's distribution progress for the forms;
// hidden venues get label as their name.
func (s *handlers) venueOptions(c *gin.Context, camp *planner.Campaign, city string, today planner.Date) ([]venueOption, error) {
	u := web.CurrentUser(c)
	if !u.CanEdit() {
		return nil, nil // no form is shown
	}
	prog, err := s.DB.CityVenueProgress(c.Request.Context(), camp.ID, city, today)
	if err != nil {
		return nil, err
	}
	hidden, err := s.Res.HiddenVenueIDs(c.Request.Context(), u, camp.ID)
	if err != nil {
		return nil, err
	}
	registered := make(map[string]planner.Venue, len(camp.Venues))
	for _, v := range camp.Venues {
		registered[v.ID] = v
	}
	out := make([]venueOption, 0, len(prog.Venues))
	for _, vp := range prog.Venues {
		v, ok := registered[vp.Venue.ID]
		if !ok {
			continue // no longer registered: it cannot be chosen
		}
		o := venueOption{ID: v.ID, Category: v.Category, Lines: vp.Lines}
		if hidden[v.ID] {
			o.Label = s.Web.Tr(c, "lists.form.confidential", "Ref", planner.ConfidentialRef(camp.ID, v.ID))
		} else {
			o.Label = cmp.Or(v.Name, v.ID)
		}
		out = append(out, o)
	}
	return out, nil
}

// ExpectedNote is the catalogue id of what the expected arrival of an
// undispatched shipment assumes ("" once it has left): a departure on the
// planned day, or today once that day has passed (ExpectedArrival).
func (d *shipmentPageData) ExpectedNote() string {
	switch {
	case d.St.DispatchedOn != nil || d.St.Stage == planner.StageCancelled:
		return ""
	case d.Today.After(d.S.Dispatch):
		return "tracking.arrival_from_today"
	}
	return "tracking.arrival_from_plan"
}

// lineView is a planned material line with what happened to it.
type lineView struct {
	planner.ShipmentLine
	Name                                        string
	Dispatched, Accepted, Rejected, Distributed int64
}

// eventView is an entry of the log: its details, or for a correction what
// it changed; CorrectedBy lists the corrections amending it.
type eventView struct {
	planner.Event
	Details     []fieldView
	Changes     []fieldChange
	TargetKind  planner.EventKind
	CorrectedBy []int64
}

type fieldView struct{ Label, Value string }

type fieldChange struct{ Label, Before, After string }

// shipmentPage: GET /campaigns/:id/shipments/:sid
func (s *handlers) shipmentPage(c *gin.Context) {
	camp, sh, err := s.campaignShipment(c)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	if resolve.HasVenueIDs(sh) {
		hidden, err := s.Res.HiddenVenueIDs(c.Request.Context(), web.CurrentUser(c), camp.ID)
		if err != nil {
			s.Web.PageError(c, err)
			return
		}
		sh = resolve.RedactShipment(sh, hidden, func(id string) string {
			return s.Web.Tr(c, "tracking.confidential_venue", "Ref", planner.ConfidentialRef(camp.ID, id))
		})
	}
	s.renderShipment(c, http.StatusOK, camp, sh, nil)
}

// campaignShipment loads the campaign of the URL and its shipment :sid; a
// shipment of another campaign is not found.
func (s *handlers) campaignShipment(c *gin.Context) (*planner.Campaign, *planner.ShipmentRecord, error) {
	id, _ := resolve.CampaignID(c)
	sid, err := web.PathID(c, "sid")
	if err != nil {
		return nil, nil, err
	}
	pl, err := s.Res.Planned(c, id)
	if err != nil {
		return nil, nil, err
	}
	sh, err := s.DB.GetShipment(c.Request.Context(), sid)
	if err != nil {
		return nil, nil, err
	}
	// Places first: that a hidden shipment belongs to another campaign
	// would tell a field account it exists.
	if ok, err := s.Res.SeesShipment(c, sh); err != nil || !ok {
		return nil, nil, cmp.Or(err, resolve.ShipmentHidden(sid))
	}
	if sh.CampaignID != id {
		return nil, nil, planner.Errorm(planner.ENotFound, planner.MsgShipmentOther, "shipment %d is not a shipment of campaign %d", sid, id)
	}
	return pl.Campaign, sh, nil
}

// renderShipment renders the shipment page; active is a form being shown
// again with the user's input and its errors.
func (s *handlers) renderShipment(c *gin.Context, status int, camp *planner.Campaign, sh *planner.ShipmentRecord, active *eventForm) {
	p := s.Web.NewPage(c, "", nil)
	today := camp.Today(s.Now())
	st := sh.State()
	stat, r := sh.Assess(today)
	k, _ := camp.City(sh.City)
	d := shipmentPageData{CampaignID: sh.CampaignID, Today: today, S: sh, CityName: web.CityName(camp, sh.City), State: s.stateName(k.State),
		St: st, Expected: sh.ExpectedArrival(st, today), Status: stat, Reason: web.ReasonWords(p, r),
		Events: eventViews(p, sh), Forms: formsFor(camp, sh, st), Categories: camp.Categories,
		RejectReasons: []planner.RejectReason{planner.RejectDamaged, planner.RejectLost, planner.RejectWrongItem, planner.RejectSurplus}}
	for _, l := range sh.Lines {
		d.Lines = append(d.Lines, lineView{ShipmentLine: l, Name: materialName(camp, l.Material), Dispatched: st.Dispatched[l.Material],
			Accepted: st.Accepted[l.Material], Rejected: st.Rejected[l.Material], Distributed: st.Distributed[l.Material]})
	}
	if web.CurrentUser(c).IsField() { // it records receipts and distributions only
		d.Forms.Dispatch, d.Forms.Transit, d.Forms.Cancel, d.Forms.Corrections = nil, nil, nil, nil
	}
	if active != nil {
		d.General = d.Forms.replace(active)
	}
	if d.Forms.WantsVenues() {
		var err error
		if d.Venues, err = s.venueOptions(c, camp, sh.City, today); err != nil {
			s.Web.PageError(c, err)
			return
		}
	}
	s.Web.Render(c, status, "shipment", &d)
}

// eventViews words the log, oldest first.
func eventViews(p *web.Page, sh *planner.ShipmentRecord) []eventView {
	current := map[int64]planner.Event{} // each event as it read before the correction at hand
	at := map[int64]int{}
	out := make([]eventView, 0, len(sh.Events))
	for _, e := range sh.Events {
		v := eventView{Event: e}
		if e.Kind != planner.EventCorrection {
			v.Details = eventFields(p, e)[1:] // the date has its own column
			current[e.ID], at[e.ID] = e, len(out)
			out = append(out, v)
			continue
		}
		if before, ok := current[e.Corrects]; ok && e.Replacement != nil {
			v.TargetKind = before.Kind
			after := *e.Replacement
			after.Kind = before.Kind
			v.Changes = fieldChanges(eventFields(p, before), eventFields(p, after))
			current[e.Corrects] = after
			out[at[e.Corrects]].CorrectedBy = append(out[at[e.Corrects]].CorrectedBy, e.ID)
		}
		out = append(out, v)
	}
	return out
}

// eventFields lists what an event reports, as label and formatted value.
func eventFields(p *web.Page, e planner.Event) []fieldView {
	var out []fieldView
	add := func(label, value string) {
		if value != "" {
			out = append(out, fieldView{Label: label, Value: value})
		}
	}
	f := func(name string) string { return p.T("tracking.field." + name) }
	add(f("date"), p.D(e.Date))
	add(f("carrier"), e.Carrier)
	add(f("waybill"), e.Waybill)
	add(f("vehicle"), e.Vehicle)
	if e.Kind == planner.EventDispatched {
		add(f("boxes"), p.N(e.Boxes))
	}
	for _, l := range e.Loaded {
		add(f("loaded")+" "+l.Material, p.N(l.Pieces))
	}
	add(f("checkpoint"), e.Checkpoint)
	add(f("delivered_by"), e.DeliveredBy)
	add(f("received_by"), e.ReceivedBy)
	for _, l := range e.Lines {
		add(f("accepted")+" "+l.Material, p.N(l.Accepted))
		if l.Rejected > 0 || l.Reason != "" {
			add(f("rejected")+" "+l.Material, p.N(l.Rejected)+" ("+p.T("tracking.reject."+string(l.Reason))+")")
		}
	}
	if e.Discrepancy {
		add(f("discrepancy"), p.T("common.yes"))
	}
	for _, l := range e.Distribution {
		add(f("distributed")+" "+l.Material+" · "+l.Category+strings.TrimSuffix(" · "+l.VenueID, " · "), p.N(l.Pieces))
	}
	add(f("reason"), e.Reason)
	add(f("note"), e.Note)
	return out
}

// fieldChanges lists the fields whose value differs between two readings.
func fieldChanges(before, after []fieldView) []fieldChange {
	var out []fieldChange
	value := func(list []fieldView, label string) string {
		for _, f := range list {
			if f.Label == label {
				return f.Value
			}
		}
		return "—"
	}
	seen := map[string]bool{}
	for _, f := range append(slices.Clone(before), after...) {
		if seen[f.Label] {
			continue
		}
		seen[f.Label] = true
		if b, a := value(before, f.Label), value(after, f.Label); b != a {
			out = append(out, fieldChange{Label: f.Label, Before: b, After: a})
		}
	}
	return out
}
