package jsonapi

import (
	"cmp"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/api/resolve"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/store"
)

// shipmentLineJSON is one material of a shipment.
type shipmentLineJSON struct {
	Material string `json:"material"`
	Packs    int64  `json:"packs"`
	Boxes    int64  `json:"boxes"`
	Pieces   int64  `json:"pieces"`
}

// ShipmentJSON is a shipment with its derived state and its status on the
// campaign's today, as lists show it.
type ShipmentJSON struct {
	ID              int64                 `json:"id"`
	CampaignID      int64                 `json:"campaign_id"`
	PlanVersion     int                   `json:"plan_version"`
	City            string                `json:"city"`
	Lines           []shipmentLineJSON    `json:"lines"`
	Boxes           int64                 `json:"boxes"`
	Pieces          int64                 `json:"pieces"`
	TransitDays     int                   `json:"transit_days"`
	LatestDispatch  planner.Date          `json:"latest_dispatch"`
	FirstDispatch   planner.Date          `json:"first_dispatch"`
	Dispatch        planner.Date          `json:"dispatch"`
	Arrival         planner.Date          `json:"arrival"`
	Due             planner.Date          `json:"due"`
	ExpectedArrival planner.Date          `json:"expected_arrival"`
	Version         int                   `json:"version"`
	Today           planner.Date          `json:"today"`
	Status          planner.Status        `json:"status"`
	Reason          planner.Reason        `json:"reason"`
	ReasonText      string                `json:"reason_text"`
	State           planner.ShipmentState `json:"state"`
}

// ShipmentDetailJSON adds the event log.
type ShipmentDetailJSON struct {
	ShipmentJSON
	Events []planner.Event `json:"events"`
}

func toShipmentJSON(s *planner.ShipmentRecord, today planner.Date) ShipmentJSON {
	st := s.State()
	status, reason := s.Assess(today)
	out := ShipmentJSON{ID: s.ID, CampaignID: s.CampaignID, PlanVersion: s.PlanVersion, City: s.City,
		Lines: []shipmentLineJSON{}, Boxes: s.Boxes, Pieces: s.Pieces, TransitDays: s.TransitDays,
		LatestDispatch: s.LatestDispatch, FirstDispatch: s.FirstDispatch, Dispatch: s.Dispatch,
		Arrival: s.Arrival, Due: s.Due, ExpectedArrival: s.ExpectedArrival(st, today), Version: s.Version,
		Today: today, Status: status, Reason: reason, ReasonText: reason.Text(), State: st}
	for _, l := range s.Lines {
		out.Lines = append(out.Lines, shipmentLineJSON{Material: l.Material, Packs: l.Packs, Boxes: l.Boxes, Pieces: l.Pieces})
	}
	return out
}

func toShipmentDetail(s *planner.ShipmentRecord, today planner.Date) ShipmentDetailJSON {
	d := ShipmentDetailJSON{ShipmentJSON: toShipmentJSON(s, today), Events: s.Events}
	if d.Events == nil {
		d.Events = []planner.Event{}
	}
	return d
}

// campaignToday resolves the {id} path parameter to a campaign and its
// "today" (the ?today= override, else as_of, else the server date).
func (s *handlers) campaignToday(c *gin.Context) (*planner.Campaign, planner.Date, error) {
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, planner.Date{}, err
	}
	camp, err := s.DB.GetCampaignHeader(c.Request.Context(), id)
	if err != nil {
		return nil, planner.Date{}, err
	}
	today, err := s.Res.Today(c, camp)
	return camp, today, err
}

// apiListShipments: GET /api/v1/campaigns/{id}/shipments?status=&state=&city=&today=
func (s *handlers) apiListShipments(c *gin.Context) {
	camp, today, err := s.campaignToday(c)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	f := store.ShipmentFilter{Status: planner.Status(c.Query("status")), Stage: planner.Stage(c.Query("state")),
		City: c.Query("city"), Today: today}
	// The encoded list is kept with the tracking view until the next write:
	// a crowd refreshing it costs a lookup, not an encoding each (issue 13).
	// An editor sees every venue; a reader sees the same bytes when no
	// shipment names a venue, else confidential venues are hidden from a
	// list read fresh each time (confidentiality is not part of the view).
	// A field account's list is its places' shipments, never kept: its
	// places may change without a write to the shipments.
	ctx, u := c.Request.Context(), web.CurrentUser(c)
	key := "api-shipments/reader"
	if u.CanEdit() {
		key = "api-shipments/editor"
	}
	see, err := s.Res.ShipmentFilter(c, camp.ID)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	if u.IsField() { // concurrent readers of one key share a build: one key per account
		key = "api-shipments/field/" + strconv.FormatInt(u.ID, 10)
	}
	body, err := s.DB.ListShipmentsMemo(ctx, camp.ID, f, key, func(list []planner.ShipmentRecord) (any, bool, error) {
		if u.IsField() { // a new slice: list may be the view's own
			var mine []planner.ShipmentRecord
			for i := range list {
				if see(&list[i]) {
					mine = append(mine, list[i])
				}
			}
			list = mine
		}
		var hidden map[string]bool
		names := slices.ContainsFunc(list, func(r planner.ShipmentRecord) bool { return resolve.HasVenueIDs(&r) })
		if names {
			var err error
			if hidden, err = s.Res.HiddenVenueIDs(ctx, u, camp.ID); err != nil {
				return nil, false, err
			}
		}
		out := make([]ShipmentJSON, len(list))
		for i := range list {
			out[i] = toShipmentJSON(resolve.RedactShipment(&list[i], hidden, nil), today)
		}
		b, err := json.Marshal(gin.H{"campaign_id": camp.ID, "today": today, "shipments": out})
		return b, err == nil && (u.CanEdit() || !names) && !u.IsField(), err
	})
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body.([]byte))
}

// loadShipmentToday loads shipment id and its campaign's today.
func (s *handlers) loadShipmentToday(c *gin.Context, id int64) (*planner.ShipmentRecord, planner.Date, error) {
	sh, err := s.DB.GetShipment(c.Request.Context(), id)
	if err != nil {
		return nil, planner.Date{}, err
	}
	if ok, err := s.Res.SeesShipment(c, sh); err != nil || !ok {
		return nil, planner.Date{}, cmp.Or(err, resolve.ShipmentHidden(id))
	}
	camp, err := s.DB.GetCampaignHeader(c.Request.Context(), sh.CampaignID)
	if err != nil {
		return nil, planner.Date{}, err
	}
	today, err := s.Res.Today(c, camp)
	return sh, today, err
}

// apiGetShipment: GET /api/v1/shipments/{id}, with its ETag.
func (s *handlers) apiGetShipment(c *gin.Context) {
	id, err := web.PathID(c, "id")
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	sh, today, err := s.loadShipmentToday(c, id)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	if resolve.HasVenueIDs(sh) {
		hidden, err := s.Res.HiddenVenueIDs(c.Request.Context(), web.CurrentUser(c), sh.CampaignID)
		if err != nil {
			s.Web.APIError(c, err)
			return
		}
		sh = resolve.RedactShipment(sh, hidden, nil)
	}
	c.Header("ETag", web.ETag(sh.Version))
	c.JSON(http.StatusOK, toShipmentDetail(sh, today))
}

// shipmentPatch is the body of PATCH /api/v1/shipments/{id}: the mutable
// planned fields of a shipment (today only the loading day).
type shipmentPatch struct {
	Dispatch *planner.Date `json:"dispatch"`
	Version  int           `json:"version"` // alternative to If-Match
}

// apiPatchShipment: PATCH /api/v1/shipments/{id}. Optimistic concurrency:
// the client sends the ETag it read as If-Match (or "version" in the
// body); a stale one is 409.
func (s *handlers) apiPatchShipment(c *gin.Context) {
	id, err := web.PathID(c, "id")
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	expect, err := web.IfMatch(c)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	var body shipmentPatch
	if err := web.DecodeJSON(c, &body, false); err != nil {
		s.Web.APIError(c, err)
		return
	}
	if expect == 0 {
		expect = body.Version
	}
	if expect == 0 {
		s.Web.APIError(c, web.BadRequestm(planner.MsgVersionNeeded, `send If-Match with the shipment's ETag (e.g. W/"3") or "version" in the body`))
		return
	}
	if body.Dispatch == nil {
		s.Web.APIError(c, planner.Invalid(planner.Fieldf("dispatch", planner.MsgDispatchRequired, "is required: the new loading day")))
		return
	}
	if _, err := s.DB.RescheduleShipment(web.ActorContext(c), id, expect, *body.Dispatch); err != nil {
		s.Web.APIError(c, err)
		return
	}
	s.apiGetShipment(c)
}

// apiPostEvent: POST /api/v1/shipments/{id}/events. With an
// Idempotency-Key the first request is 201 with the event and every retry
// with the same body 200 with the same event; the key with another body is
// 409. If-Match, when sent, must be the shipment's current ETag (409).
func (s *handlers) apiPostEvent(c *gin.Context) {
	id, err := web.PathID(c, "id")
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	expect, err := web.IfMatch(c)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	key := c.GetHeader("Idempotency-Key")
	if key != "" {
		if err := store.ValidIdempotencyKey(key); err != nil {
			var pe *planner.Error
			if errors.As(err, &pe) { // a malformed header: 400, its message id kept
				err = web.BadRequest(pe)
			}
			s.Web.APIError(c, err)
			return
		}
	}
	var e planner.Event
	if err := web.DecodeJSON(c, &e, false); err != nil {
		s.Web.APIError(c, err)
		return
	}
	if err := s.fieldMayRecord(c, id, e.Kind); err != nil {
		s.Web.APIError(c, err)
		return
	}
	out, created, err := s.DB.AppendEventIf(web.ActorContext(c), id, expect, e, s.Now(), key)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	c.Header("Location", "/api/v1/shipments/"+strconv.FormatInt(id, 10))
	if !created {
		c.Header("Idempotent-Replayed", "true")
		c.JSON(http.StatusOK, out)
		return
	}
	c.JSON(http.StatusCreated, out)
}

// apiProgress: GET /api/v1/campaigns/{id}/progress
func (s *handlers) apiProgress(c *gin.Context) {
	camp, today, err := s.campaignToday(c)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	progress, err := s.DB.CampaignProgress(c.Request.Context(), camp.ID, today)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	c.JSON(http.StatusOK, progress)
}

// apiListAlerts: GET /api/v1/campaigns/{id}/alerts (unacknowledged only)
func (s *handlers) apiListAlerts(c *gin.Context) {
	id, err := web.PathID(c, "id")
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	alerts, err := s.DB.ListAlerts(c.Request.Context(), id)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"campaign_id": id, "alerts": alerts})
}

// apiAckAlert: POST /api/v1/alerts/{campaign}/{event}/ack. Acknowledging
// twice is harmless; "created" says whether this request did it.
func (s *handlers) apiAckAlert(c *gin.Context) {
	campaign, err := web.PathID(c, "campaign")
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	event, err := web.PathID(c, "event")
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	created, err := s.DB.AckAlert(web.ActorContext(c), campaign, event)
	if err != nil {
		s.Web.APIError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"campaign_id": campaign, "event_id": event, "acknowledged": true, "created": created})
}

// fieldMayRecord refuses a field account's event on a shipment outside its
// places (404, as a missing one) or of another kind than a receipt or a
// distribution (403). Other roles pass without a read.
func (s *handlers) fieldMayRecord(c *gin.Context, id int64, kind planner.EventKind) error {
	if !web.CurrentUser(c).IsField() {
		return nil
	}
	sh, err := s.DB.GetShipment(c.Request.Context(), id)
	if err != nil {
		return err
	}
	if ok, err := s.Res.SeesShipment(c, sh); err != nil || !ok {
		return cmp.Or(err, resolve.ShipmentHidden(id))
	}
	return resolve.FieldMayRecord(c, kind)
}
