package api

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

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

// shipmentJSON is a shipment with its derived state and its status on the
// campaign's today, as lists show it.
type shipmentJSON struct {
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

// shipmentDetailJSON adds the event log.
type shipmentDetailJSON struct {
	shipmentJSON
	Events []planner.Event `json:"events"`
}

func toShipmentJSON(s *planner.ShipmentRecord, today planner.Date) shipmentJSON {
	st := s.State()
	status, reason := s.Assess(today)
	out := shipmentJSON{ID: s.ID, CampaignID: s.CampaignID, PlanVersion: s.PlanVersion, City: s.City,
		Lines: []shipmentLineJSON{}, Boxes: s.Boxes, Pieces: s.Pieces, TransitDays: s.TransitDays,
		LatestDispatch: s.LatestDispatch, FirstDispatch: s.FirstDispatch, Dispatch: s.Dispatch,
		Arrival: s.Arrival, Due: s.Due, ExpectedArrival: s.ExpectedArrival(st, today), Version: s.Version,
		Today: today, Status: status, Reason: reason, ReasonText: reason.Text(), State: st}
	for _, l := range s.Lines {
		out.Lines = append(out.Lines, shipmentLineJSON{Material: l.Material, Packs: l.Packs, Boxes: l.Boxes, Pieces: l.Pieces})
	}
	return out
}

func toShipmentDetail(s *planner.ShipmentRecord, today planner.Date) shipmentDetailJSON {
	d := shipmentDetailJSON{shipmentJSON: toShipmentJSON(s, today), Events: s.Events}
	if d.Events == nil {
		d.Events = []planner.Event{}
	}
	return d
}

// campaignToday resolves the {id} path parameter to a campaign and its
// "today" (the ?today= override, else as_of, else the server date).
func (s *Server) campaignToday(c *gin.Context) (*planner.Campaign, planner.Date, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, planner.Date{}, err
	}
	camp, err := s.db.GetCampaignHeader(c.Request.Context(), id)
	if err != nil {
		return nil, planner.Date{}, err
	}
	today, err := s.today(c, camp)
	return camp, today, err
}

// apiListShipments: GET /api/v1/campaigns/{id}/shipments?status=&state=&city=&today=
func (s *Server) apiListShipments(c *gin.Context) {
	camp, today, err := s.campaignToday(c)
	if err != nil {
		s.apiError(c, err)
		return
	}
	f := store.ShipmentFilter{Status: planner.Status(c.Query("status")), Stage: planner.Stage(c.Query("state")),
		City: c.Query("city"), Today: today}
	list, err := s.db.ListShipments(c.Request.Context(), camp.ID, f)
	if err != nil {
		s.apiError(c, err)
		return
	}
	var hidden map[string]bool
	if slices.ContainsFunc(list, func(r planner.ShipmentRecord) bool { return hasVenueIDs(&r) }) {
		if hidden, err = s.hiddenVenueIDs(c.Request.Context(), currentUser(c), camp.ID); err != nil {
			s.apiError(c, err)
			return
		}
	}
	out := make([]shipmentJSON, len(list))
	for i := range list {
		out[i] = toShipmentJSON(redactShipment(&list[i], hidden, ""), today)
	}
	c.JSON(http.StatusOK, gin.H{"campaign_id": camp.ID, "today": today, "shipments": out})
}

// loadShipmentToday loads shipment id and its campaign's today.
func (s *Server) loadShipmentToday(c *gin.Context, id int64) (*planner.ShipmentRecord, planner.Date, error) {
	sh, err := s.db.GetShipment(c.Request.Context(), id)
	if err != nil {
		return nil, planner.Date{}, err
	}
	camp, err := s.db.GetCampaignHeader(c.Request.Context(), sh.CampaignID)
	if err != nil {
		return nil, planner.Date{}, err
	}
	today, err := s.today(c, camp)
	return sh, today, err
}

// apiGetShipment: GET /api/v1/shipments/{id}, with its ETag.
func (s *Server) apiGetShipment(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	sh, today, err := s.loadShipmentToday(c, id)
	if err != nil {
		s.apiError(c, err)
		return
	}
	if hasVenueIDs(sh) {
		hidden, err := s.hiddenVenueIDs(c.Request.Context(), currentUser(c), sh.CampaignID)
		if err != nil {
			s.apiError(c, err)
			return
		}
		sh = redactShipment(sh, hidden, "")
	}
	c.Header("ETag", etag(sh.Version))
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
func (s *Server) apiPatchShipment(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	expect, err := ifMatch(c)
	if err != nil {
		s.apiError(c, err)
		return
	}
	var body shipmentPatch
	if err := decodeJSON(c, &body, false); err != nil {
		s.apiError(c, err)
		return
	}
	if expect == 0 {
		expect = body.Version
	}
	if expect == 0 {
		s.apiError(c, errBadRequest(`send If-Match with the shipment's ETag (e.g. W/"3") or "version" in the body`))
		return
	}
	if body.Dispatch == nil {
		s.apiError(c, planner.Invalid(planner.FieldError{Path: "dispatch", Message: "is required: the new loading day"}))
		return
	}
	if _, err := s.db.RescheduleShipment(s.actorContext(c), id, expect, *body.Dispatch); err != nil {
		s.apiError(c, err)
		return
	}
	s.apiGetShipment(c)
}

// apiPostEvent: POST /api/v1/shipments/{id}/events. With an
// Idempotency-Key the first request is 201 with the event and every retry
// with the same body 200 with the same event; the key with another body is
// 409. If-Match, when sent, must be the shipment's current ETag (409).
func (s *Server) apiPostEvent(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	expect, err := ifMatch(c)
	if err != nil {
		s.apiError(c, err)
		return
	}
	key := c.GetHeader("Idempotency-Key")
	if key != "" {
		if err := store.ValidIdempotencyKey(key); err != nil {
			s.apiError(c, errBadRequest("%s", planner.ErrorMessage(err)))
			return
		}
	}
	var e planner.Event
	if err := decodeJSON(c, &e, false); err != nil {
		s.apiError(c, err)
		return
	}
	out, created, err := s.db.AppendEventIf(s.actorContext(c), id, expect, e, s.now(), key)
	if err != nil {
		s.apiError(c, err)
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
func (s *Server) apiProgress(c *gin.Context) {
	camp, today, err := s.campaignToday(c)
	if err != nil {
		s.apiError(c, err)
		return
	}
	progress, err := s.db.CampaignProgress(c.Request.Context(), camp.ID, today)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, progress)
}

// apiListAlerts: GET /api/v1/campaigns/{id}/alerts (unacknowledged only)
func (s *Server) apiListAlerts(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	alerts, err := s.db.ListAlerts(c.Request.Context(), id)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"campaign_id": id, "alerts": alerts})
}

// apiAckAlert: POST /api/v1/alerts/{campaign}/{event}/ack. Acknowledging
// twice is harmless; "created" says whether this request did it.
func (s *Server) apiAckAlert(c *gin.Context) {
	campaign, err := pathID(c, "campaign")
	if err != nil {
		s.apiError(c, err)
		return
	}
	event, err := pathID(c, "event")
	if err != nil {
		s.apiError(c, err)
		return
	}
	created, err := s.db.AckAlert(s.actorContext(c), campaign, event)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"campaign_id": campaign, "event_id": event, "acknowledged": true, "created": created})
}
