package exports

import (
	"bytes"
	"cmp"
	"context"
	"io"
	"math/big"
	"mime"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/paper"
	"github.com/reparto/reparto/store"
)

// Printed documents (docs/tracking.md#printed-documents-on-the-web): the
// packing list, waybill and delivery receipt of a shipment, all of a
// dispatch day for the dock, and the box labels whose QR codes open the
// receipt page. They are made from the tracked shipments, so only once a
// plan is committed: a preview has no shipment numbers and no boxes that
// the truck will carry.

// shipmentDocs are the ?doc= choices of a shipment's documents.pdf, with
// the file name part of each.
var shipmentDocs = map[string]struct {
	name   string
	render func(r *paper.Renderer, w io.Writer, s paper.Shipment, lang string) error
}{
	"all":     {"documents", (*paper.Renderer).ShipmentDocuments},
	"packing": {"packing-list", (*paper.Renderer).PackingList},
	"waybill": {"waybill", (*paper.Renderer).Waybill},
	"receipt": {"receipt", (*paper.Renderer).Receipt},
}

// labelFormats are the ?format= choices of labels.pdf: short words in the
// URL for paper's formats.
var labelFormats = map[string]paper.LabelFormat{"a4": paper.A4x8, "thermal": paper.Thermal4x6}

func documentRoutes(h *handlers, pages *gin.RouterGroup) {
	camp := h.Res.Campaign()
	pages.GET("/campaigns/:id/shipments/:sid/documents.pdf", camp, h.shipmentDocuments)
	pages.GET("/campaigns/:id/shipments/:sid/labels.pdf", camp, h.shipmentLabels)
	pages.GET("/campaigns/:id/dispatch/:date/documents.pdf", camp, h.dayDocuments)
	pages.GET("/campaigns/:id/dispatch/:date/labels.pdf", camp, h.dayLabels)
}

// shipmentDocuments: GET /campaigns/:id/shipments/:sid/documents.pdf?doc=all|packing|waybill|receipt
func (h *handlers) shipmentDocuments(c *gin.Context) {
	doc := cmp.Or(c.Query("doc"), "all")
	d, ok := shipmentDocs[doc]
	if !ok {
		h.Web.PageError(c, web.BadRequest(planner.Invalid(planner.Fieldf("doc", planner.MsgOneOf,
			"must be one of %s", "all, packing, waybill, receipt"))))
		return
	}
	camp, s, err := h.paperShipment(c, false)
	if err != nil {
		h.Web.PageError(c, err)
		return
	}
	h.sendPDF(c, camp, "shipment-"+strconv.FormatInt(s.ID, 10)+"-"+d.name, func(w io.Writer) error {
		return d.render(h.Paper, w, *s, web.LangOf(c))
	})
}

// shipmentLabels: GET /campaigns/:id/shipments/:sid/labels.pdf?format=a4|thermal
func (h *handlers) shipmentLabels(c *gin.Context) {
	format, err := labelFormat(c)
	if err != nil {
		h.Web.PageError(c, err)
		return
	}
	camp, s, err := h.paperShipment(c, true)
	if err != nil {
		h.Web.PageError(c, err)
		return
	}
	h.sendPDF(c, camp, "shipment-"+strconv.FormatInt(s.ID, 10)+"-labels-"+c.DefaultQuery("format", "a4"), func(w io.Writer) error {
		return h.Paper.Labels(w, []paper.Shipment{*s}, format, web.LangOf(c))
	})
}

// dayDocuments: GET /campaigns/:id/dispatch/:date/documents.pdf
func (h *handlers) dayDocuments(c *gin.Context) {
	camp, day, ss, err := h.paperDay(c, false)
	if err != nil {
		h.Web.PageError(c, err)
		return
	}
	h.sendPDF(c, camp, "dispatch-"+day.String()+"-documents", func(w io.Writer) error {
		return h.Paper.DispatchDay(w, ss, web.LangOf(c))
	})
}

// dayLabels: GET /campaigns/:id/dispatch/:date/labels.pdf?format=a4|thermal
func (h *handlers) dayLabels(c *gin.Context) {
	format, err := labelFormat(c)
	if err != nil {
		h.Web.PageError(c, err)
		return
	}
	camp, day, ss, err := h.paperDay(c, true)
	if err != nil {
		h.Web.PageError(c, err)
		return
	}
	h.sendPDF(c, camp, "dispatch-"+day.String()+"-labels-"+c.DefaultQuery("format", "a4"), func(w io.Writer) error {
		return h.Paper.Labels(w, ss, format, web.LangOf(c))
	})
}

func labelFormat(c *gin.Context) (paper.LabelFormat, error) {
	f, ok := labelFormats[c.DefaultQuery("format", "a4")]
	if !ok {
		return "", web.BadRequest(planner.Invalid(planner.Fieldf("format", planner.MsgOneOf, "must be one of %s", "a4, thermal")))
	}
	return f, nil
}

// sendPDF renders into memory first, so that a refusal is an error page
// rather than half a file, and serves it inline (the browser's viewer
// prints it) under a name that says what it is.
func (h *handlers) sendPDF(c *gin.Context, camp *planner.Campaign, what string, render func(io.Writer) error) {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		h.Web.PageError(c, err)
		return
	}
	name := "reparto-" + slugify(camp.Name) + "-" + what + ".pdf"
	c.Header("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": name}))
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
}

// paperShipment loads shipment :sid of campaign :id as paper prints it;
// withURL adds the receipt URL the labels' QR codes need. A shipment of
// another campaign is not found.
func (h *handlers) paperShipment(c *gin.Context, withURL bool) (*planner.Campaign, *paper.Shipment, error) {
	id, _ := resolve.CampaignID(c)
	sid, err := web.PathID(c, "sid")
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request.Context()
	sh, err := h.DB.GetShipment(ctx, sid)
	if err != nil {
		return nil, nil, err
	}
	if sh.CampaignID != id {
		return nil, nil, planner.Errorm(planner.ENotFound, planner.MsgNotFound, "shipment %d is not a shipment of campaign %d", sid, id)
	}
	camp, err := h.DB.GetCampaign(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	base := ""
	if withURL {
		if base, err = h.publicBase(c); err != nil {
			return nil, nil, err
		}
	}
	s, err := h.toPaper(camp, sh, camp.Today(h.Now()), base)
	return camp, s, err
}

// paperDay loads the shipments planned to leave on :date, in loading
// order, as paper prints them. Cancelled shipments stay at the depot and
// are left out. Errors: 409 before any plan is committed (the preview has
// no shipments to print), 404 when none leaves that day.
func (h *handlers) paperDay(c *gin.Context, withURL bool) (*planner.Campaign, planner.Date, []paper.Shipment, error) {
	id, _ := resolve.CampaignID(c)
	day, err := planner.ParseDate(c.Param("date"))
	if err != nil {
		return nil, day, nil, web.BadRequest(planner.Invalid(planner.Fieldf("date", planner.MsgDate, "%v", err)))
	}
	ctx := c.Request.Context()
	if err := h.requireCommitted(ctx, id); err != nil {
		return nil, day, nil, err
	}
	camp, err := h.DB.GetCampaign(ctx, id)
	if err != nil {
		return nil, day, nil, err
	}
	today := camp.Today(h.Now())
	recs, err := dayShipments(ctx, h, id, today, day)
	if err != nil {
		return nil, day, nil, err
	}
	if len(recs) == 0 {
		return nil, day, nil, planner.Errorm(planner.ENotFound, planner.MsgPaperNoShipments, "no shipment is planned to leave on %s", day)
	}
	base := ""
	if withURL {
		if base, err = h.publicBase(c); err != nil {
			return nil, day, nil, err
		}
	}
	out := make([]paper.Shipment, 0, len(recs))
	for i := range recs {
		s, err := h.toPaper(camp, &recs[i], today, base)
		if err != nil {
			return nil, day, nil, err
		}
		// Every shipment of a dispatch day document must leave that day
		// (paper checks it): the planned day, even if one left early.
		s.Dispatch = day
		out = append(out, *s)
	}
	return camp, day, out, nil
}

// requireCommitted refuses documents before the first commit.
func (h *handlers) requireCommitted(ctx context.Context, id int64) error {
	if _, err := h.Res.LatestPlan(ctx, id); err != nil {
		if planner.ErrorCode(err) == planner.ENotFound {
			return planner.Errorm(planner.EConflict, planner.MsgPaperNotCommitted,
				"documents and labels are made from the committed plan: commit the plan first")
		}
		return err
	}
	return nil
}

// dayShipments are the uncancelled shipments planned to leave on day, in
// loading order: by the day their first box is loaded, then by id (the
// order a commit stored them in, the plan's loading order).
func dayShipments(ctx context.Context, h *handlers, id int64, today, day planner.Date) ([]planner.ShipmentRecord, error) {
	all, err := h.DB.ListShipments(ctx, id, store.ShipmentFilter{Today: today})
	if err != nil {
		return nil, err
	}
	var out []planner.ShipmentRecord
	for _, r := range all {
		if r.Dispatch == day && r.State().Stage != planner.StageCancelled {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b planner.ShipmentRecord) int {
		return cmp.Or(a.FirstDispatch.Compare(b.FirstDispatch), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// DispatchDays lists the days uncancelled shipments are planned to leave
// on, in order, for the links to each day's documents.
func DispatchDays(recs []planner.ShipmentRecord) []planner.Date {
	var days []planner.Date
	for i := range recs {
		if recs[i].State().Stage == planner.StageCancelled {
			continue
		}
		days = append(days, recs[i].Dispatch)
	}
	slices.SortFunc(days, planner.Date.Compare)
	return slices.Compact(days)
}

// toPaper maps a tracked shipment into what paper prints. The destination
// of a shipment is a city, never a venue: its address is the city's
// receiving office (planner.City.Address), never a venue's, and no place
// name is filled in, so nothing confidential can reach paper from here; carrier,
// vehicle and waybill come from the dispatch event when it was recorded
// (else paper prints blanks to fill in by hand); dates are the actual
// dispatch day when known, else the planned one, and the expected arrival.
func (h *handlers) toPaper(camp *planner.Campaign, sh *planner.ShipmentRecord, today planner.Date, base string) (*paper.Shipment, error) {
	st := sh.State()
	k, _ := camp.City(sh.City)
	s := &paper.Shipment{
		Campaign: camp.Name, ID: sh.ID, Number: strconv.FormatInt(sh.ID, 10),
		Depot: paper.Depot{Name: camp.Depot.Name, Address: camp.Depot.Address},
		Destination: paper.Destination{City: web.CityName(camp, sh.City), State: h.stateName(k.State),
			Address: k.Address},
		Carrier: st.Carrier, Vehicle: st.Vehicle, Waybill: st.Waybill,
		Dispatch: sh.Dispatch, Expected: sh.ExpectedArrival(st, today),
	}
	if st.DispatchedOn != nil {
		s.Dispatch = *st.DispatchedOn
	}
	runs := sh.Packing
	if runs == nil {
		// Committed before boxes were packed: pack now with the same rule
		// the commit uses, so the labels agree with the packing list.
		var err error
		if runs, err = planner.PackBoxes(camp.Materials, sh.Lines); err != nil {
			return nil, err
		}
	}
	for _, l := range sh.Lines {
		var boxes int64
		for _, r := range runs {
			if slices.ContainsFunc(r.Items, func(it planner.BoxItem) bool { return it.Material == l.Material }) {
				boxes += r.Count()
			}
		}
		s.Lines = append(s.Lines, paper.Line{Code: l.Material, Name: materialName(camp, l.Material),
			Pieces: l.Pieces, Packs: l.Packs, Boxes: boxes, WeightKg: lineWeight(camp, l)})
	}
	for _, r := range runs {
		contents := make([]paper.BoxLine, len(r.Items))
		for i, it := range r.Items {
			contents[i] = paper.BoxLine{Code: it.Material, Name: materialName(camp, it.Material), Pieces: it.Pieces, Packs: it.Packs}
		}
		var kg *float64
		if r.WeightKg != nil {
			f := r.WeightKg.Float64()
			kg = &f
		}
		for n := r.First; n <= r.Last; n++ {
			s.Boxes = append(s.Boxes, paper.Box{Number: int(n), Contents: contents, WeightKg: kg})
		}
	}
	if base != "" {
		s.ReceiptURL = base + "/campaigns/" + strconv.FormatInt(sh.CampaignID, 10) + "/shipments/" + strconv.FormatInt(sh.ID, 10) + "/receive"
	}
	return s, nil
}

// lineWeight is a line's weight, nil when its material's weight is unknown.
func lineWeight(camp *planner.Campaign, l planner.ShipmentLine) *float64 {
	m, ok := camp.Material(l.Material)
	if !ok || m.PieceGrams == nil {
		return nil
	}
	f, _ := new(big.Rat).Mul(m.PieceGrams.Rat(), big.NewRat(l.Pieces, 1000)).Float64()
	return &f
}

func materialName(camp *planner.Campaign, code string) string {
	if m, ok := camp.Material(code); ok {
		return m.Name
	}
	return ""
}

// stateName is a state's name from the geodata (a name reads better on
// paper than an ISO code), the code when unknown.
func (h *handlers) stateName(code string) string {
	if h.Res.Geo != nil {
		for _, st := range h.Res.Geo.States.States() {
			if st.Code == code {
				return st.Name
			}
		}
	}
	return code
}
