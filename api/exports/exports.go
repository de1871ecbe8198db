package exports

import (
	"bytes"
	"cmp"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/paper"
	"github.com/reparto/reparto/planner/planio"
	"github.com/reparto/reparto/store"
)

// An export is one CSV download for people outside the application:
// printers (print-and-pack order), warehouse staff (manifest), planners
// (allocation matrix) and carriers (shipments with status). Exports carry
// codes, city names and quantities, never venue names: nothing in them can
// reveal a confidential shelter, whoever downloads them.
type export struct {
	What      string   // file name part and URL: /exports/<What>.csv
	Columns   []string // the header row (message ids' suffixes when Localized)
	Localized bool     // the header row is in the user's language (exports.col.<name>)
	write     func(h *handlers, c *gin.Context, o *csvOut, src *exportSource) error
}

// exports are listed in this order on the page.
var exports = []export{
	{"print-order", printOrderColumns, false, (*handlers).writePrintOrder},
	{"manifest", manifestColumns, false, (*handlers).writeManifest},
	{"allocation", allocationColumns, false, (*handlers).writeAllocation},
	{"shipments", shipmentColumns, true, (*handlers).writeShipments},
}

// Header rows. Printers, warehouses and planners' scripts get stable
// English names; carriers get shipments.csv in the user's language.
var (
	printOrderColumns = planio.PrintOrderColumns
	manifestColumns   = planio.ManifestColumns
	allocationColumns = planio.AllocationColumns
	shipmentColumns   = []string{"shipment", "city", "city_name", "state", "boxes", "pieces", "weight_kg",
		"planned_dispatch", "expected_arrival", "due", "stage", "status", "reason", "carrier", "waybill"}
)

// Deps is what the exports need from the rest of the web layer.
type Deps struct {
	Web *web.Kit
	Res *resolve.Resolver
	DB  *store.DB
	Now func() time.Time
	// Paper draws the shipment documents and box labels (paper.New, built
	// once at start-up).
	Paper *paper.Renderer
	// PublicURL is the base of the URLs printed in QR codes, without a
	// trailing slash (api.Config.PublicURL); empty: the request's own,
	// checked (publicurl.go).
	PublicURL string
}

type handlers struct{ Deps }

// Routes registers the exports page and the four CSV files, as pages
// (session) and under /api/v1 (session or bearer token) for scripts, and
// the printed documents and labels (PDF) as pages.
func Routes(d Deps, pages, apiv1 *gin.RouterGroup) {
	h := &handlers{d}
	pages.GET("/campaigns/:id/exports", h.Res.Campaign(), h.exportsPage)
	for _, e := range exports {
		path := "/campaigns/:id/exports/" + e.What + ".csv"
		pages.GET(path, h.Res.Campaign(), h.exportCSV(e))
		apiv1.GET(path, h.Res.Campaign(), h.exportCSV(e))
	}
	h.routesDistribution(pages)
	documentRoutes(h, pages)
}

// exportSource is the plan an export is made from: the latest committed
// plan version when there is one (what the printer, the warehouse and the
// carriers were told), else the live preview of the campaign as it stands.
type exportSource struct {
	Campaign  *planner.Campaign // current campaign: names, states, pack sizes, weights
	Plan      *planner.Plan
	Committed *planner.PlanVersion // nil: the preview
	Today     planner.Date         // the campaign's as_of, else the server's date
}

// exportSource loads the plan to export. Errors: ENotFound (campaign), and
// EInvalid when nothing was committed and the campaign has no valid plan.
func (h *handlers) exportSource(c *gin.Context, id int64) (*exportSource, error) {
	pl, err := h.Res.Planned(c, id)
	if err != nil {
		return nil, err
	}
	src := &exportSource{Campaign: pl.Campaign, Today: pl.Campaign.Today(h.Now())}
	v, err := h.Res.LatestPlan(c.Request.Context(), id)
	switch {
	case err == nil && v.Plan != nil:
		src.Committed, src.Plan = v, v.Plan
	case err == nil || planner.ErrorCode(err) == planner.ENotFound:
		if pl.Err != nil {
			return nil, pl.Err
		}
		src.Plan = pl.Plan
	default:
		return nil, err
	}
	return src, nil
}

// exportCSV serves one export. The file is built in memory first, so a
// failure is an error page rather than a truncated download.
func (h *handlers) exportCSV(e export) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, _ := resolve.CampaignID(c)
		src, err := h.exportSource(c, id)
		if err == nil {
			var buf bytes.Buffer
			o := newCSVOut(&buf)
			if err = e.write(h, c, o, src); err == nil {
				err = o.Flush()
			}
			if err == nil {
				name := exportFileName(src.Campaign.Name, e.What, src.Today)
				c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
				c.Header("Cache-Control", "private, no-store")
				c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
				return
			}
		}
		if web.WantsJSON(c) {
			h.Web.APIError(c, err)
		} else {
			h.Web.PageError(c, err)
		}
	}
}

// header is the export's header row for the user p is rendered for.
func (e export) header(p *web.Page) []string {
	if !e.Localized {
		return e.Columns
	}
	return localizedColumns(p, e.Columns)
}

// localizedColumns words column names in the user's language.
func localizedColumns(p *web.Page, cols []string) []string {
	out := make([]string, len(cols))
	for i, col := range cols {
		out[i] = p.T("exports.col." + col)
	}
	return out
}

// exportFileName is reparto-<campaign slug>-<what>-<YYYY-MM-DD>.csv.
func exportFileName(campaign, what string, day planner.Date) string {
	return "reparto-" + slugify(campaign) + "-" + what + "-" + day.String() + ".csv"
}

// slugify is web.Slugify: the campaign part of every download's name.
var slugify = web.Slugify

// exportsData is the exports page: where the plan comes from and the files.
type exportsData struct {
	CampaignID int64
	Committed  *planner.PlanVersion // nil: preview
	CommitDay  planner.Date         // the day it was committed
	PlanError  bool                 // no commit and the campaign has no valid plan
	Today      planner.Date
	Files      []exportFile
	// DispatchDays link each planned dispatch day's documents and labels;
	// empty before a commit (documents need the committed plan).
	DispatchDays []planner.Date
}

// exportFile is one download on the page.
type exportFile struct {
	What    string
	URL     string
	Name    string
	Columns []string // the header row as the user will get it
}

// exportsPage: GET /campaigns/:id/exports.
func (h *handlers) exportsPage(c *gin.Context) {
	id, _ := resolve.CampaignID(c)
	pl, err := h.Res.Planned(c, id)
	if err != nil {
		h.Web.PageError(c, err)
		return
	}
	versions, err := h.DB.ListPlanVersions(c.Request.Context(), id)
	if err != nil {
		h.Web.PageError(c, err)
		return
	}
	d := exportsData{CampaignID: id, Today: pl.Campaign.Today(h.Now())}
	if n := len(versions); n > 0 {
		d.Committed = &versions[n-1]
		d.CommitDay = planner.DateOf(d.Committed.CreatedAt)
		recs, err := h.DB.ListShipments(c.Request.Context(), id, store.ShipmentFilter{Today: d.Today})
		if err != nil {
			h.Web.PageError(c, err)
			return
		}
		d.DispatchDays = DispatchDays(recs)
	} else {
		d.PlanError = pl.Err != nil
	}
	p := h.Web.NewPage(c, "", nil)
	for _, e := range exports {
		d.Files = append(d.Files, exportFile{What: e.What, Name: exportFileName(pl.Campaign.Name, e.What, d.Today),
			URL: "/campaigns/" + c.Param("id") + "/exports/" + e.What + ".csv", Columns: e.header(p)})
	}
	h.Web.Render(c, http.StatusOK, "exports", &d)
}

// writePrintOrder writes the print-and-pack order (planio.WritePrintOrder).
func (h *handlers) writePrintOrder(_ *gin.Context, o *csvOut, src *exportSource) error {
	planio.WritePrintOrder(o, src.Campaign, src.Plan)
	return nil
}

// writeManifest writes the packing list: one row per shipment (loading
// order) and material (by code). shipment is the tracking id once a plan
// is committed, empty in the preview.
func (h *handlers) writeManifest(c *gin.Context, o *csvOut, src *exportSource) error {
	ids := map[string]int64{}
	if src.Committed != nil {
		recs, err := h.DB.ListShipments(c.Request.Context(), src.Campaign.ID, store.ShipmentFilter{Today: src.Today})
		if err != nil {
			return err
		}
		for _, r := range recs {
			if r.State().Stage != planner.StageCancelled {
				ids[r.City] = max(ids[r.City], r.ID)
			}
		}
	}
	planio.WriteManifest(o, src.Campaign, src.Plan, ids)
	return nil
}

// writeAllocation writes allocation.csv with the very function reparto
// plan uses (docs/planning.md#allocationcsv).
func (h *handlers) writeAllocation(_ *gin.Context, o *csvOut, src *exportSource) error {
	planio.WriteAllocation(o, src.Plan)
	return nil
}

// writeShipments writes the shipments with their status on the campaign's
// today, by planned dispatch day then city: the tracked shipments once a
// plan is committed (cancelled ones included), else the planned schedule
// of the preview (no id, stage planned). The reason is in the user's
// language with plain digits and YYYY-MM-DD dates.
func (h *handlers) writeShipments(c *gin.Context, o *csvOut, src *exportSource) error {
	p := h.Web.NewPage(c, "", nil)
	o.Header(localizedColumns(p, shipmentColumns)...)
	recs := planner.ShipmentsFromPlan(src.Plan, 0)
	if src.Committed != nil {
		var err error
		if recs, err = h.DB.ListShipments(c.Request.Context(), src.Campaign.ID, store.ShipmentFilter{Today: src.Today}); err != nil {
			return err
		}
	}
	slices.SortStableFunc(recs, func(a, b planner.ShipmentRecord) int {
		return cmp.Or(a.Dispatch.Compare(b.Dispatch), strings.Compare(a.City, b.City), cmp.Compare(a.ID, b.ID))
	})
	for i := range recs {
		r := &recs[i]
		st := r.State()
		status, why := r.Assess(src.Today)
		k, _ := src.Campaign.City(r.City)
		o.ID(r.ID).Text(r.City).Text(web.CityName(src.Campaign, r.City)).Text(k.State).Int(r.Boxes).Int(r.Pieces).
			Rat(planio.WeightKg(src.Campaign, r.Lines), 3).Date(r.Dispatch).Date(r.ExpectedArrival(st, src.Today)).Date(r.Due).
			Text(string(st.Stage)).Text(string(status)).Text(plainReason(p, why)).Text(st.Carrier).Text(st.Waybill).End()
	}
	return nil
}

// plainReason words a status reason in the user's language like the
// shipment pages do, but with the plain dates and digits of a CSV file.
// Without a translation it is the English text.
func plainReason(p *web.Page, r planner.Reason) string {
	args := make([]any, 0, 2*len(r.Params))
	for k, v := range r.Params {
		switch k {
		case "days", "days_left":
			id := "tracking.days_other"
			if v == "1" || v == "-1" {
				id = "tracking.days_one"
			}
			v = translated(p, id, v, "N", v)
		case "stage":
			v = translated(p, "tracking.stage."+string(web.StageOfWords(v)), v)
		}
		args = append(args, k, v)
	}
	return translated(p, "tracking.reason."+r.Code, r.Text(), args...)
}

// translated is p.T, or fallback when the catalogue lacks the message.
func translated(p *web.Page, id, fallback string, args ...any) string {
	if s := p.T(id, args...); s != id {
		return s
	}
	return fallback
}
