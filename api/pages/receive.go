package pages

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// The mobile receipt: GET/POST /campaigns/:id/shipments/:sid/receive?box=N
// is where a box label's QR code leads (planner/paper). A phone-sized,
// single-column form records the same proof of delivery as the desktop
// shipment page (recordForm: same inputs, same validation), plus the boxes
// received, ticked off as their labels are scanned: each scan opens this
// URL with another box, receive.js keeps the ticked set per shipment in
// sessionStorage, and without JavaScript the scanned box is ticked from
// the URL and the count input is pre-filled from it.

// receiveData is what receive.html shows.
type receiveData struct {
	CampaignID    int64
	S             *planner.ShipmentRecord
	St            planner.ShipmentState
	CityName      string
	State         string
	Today         planner.Date
	Action        string       // this URL with its ?box= values, so a re-render keeps them
	Boxes         []receiveBox // 1..N, the labels of the shipment
	F             *eventForm   // nil when the shipment is not awaiting delivery
	RejectReasons []planner.RejectReason
}

type receiveBox struct {
	N      int64
	Ticked bool
}

// Ticked is the number of boxes ticked: the default of boxes received.
func (d *receiveData) Ticked() int64 {
	var n int64
	for _, b := range d.Boxes {
		if b.Ticked {
			n++
		}
	}
	return n
}

// Dispatched is the pieces of material that left the depot: the default
// of its accepted pieces.
func (d *receiveData) Dispatched(material string) int64 { return d.St.Dispatched[material] }

// receivePage: GET /campaigns/:id/shipments/:sid/receive?box=N
func (s *handlers) receivePage(c *gin.Context) {
	camp, sh, err := s.campaignShipment(c)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	s.renderReceive(c, http.StatusOK, camp, sh, nil)
}

// postReceive: POST /campaigns/:id/shipments/:sid/receive. Only a
// delivery is taken here; its form is the desktop's delivery form.
func (s *handlers) postReceive(c *gin.Context) {
	camp, sh, err := s.campaignShipment(c)
	if err != nil {
		s.Web.PageError(c, err)
		return
	}
	f := s.recordForm(c, sh, func(v url.Values) (*eventForm, error) {
		if planner.EventKind(v.Get("kind")) != planner.EventDelivered {
			return nil, web.BadRequestm(planner.MsgBrokenForm, "the receipt form records only a delivery (kind delivered)")
		}
		return postedForm(camp, sh, v)
	})
	if f != nil {
		s.renderReceive(c, http.StatusUnprocessableEntity, camp, sh, f)
	}
}

// renderReceive renders the receipt; active is the delivery form shown
// again with the user's input and its errors.
func (s *handlers) renderReceive(c *gin.Context, status int, camp *planner.Campaign, sh *planner.ShipmentRecord, active *eventForm) {
	st := sh.State()
	k, _ := camp.City(sh.City)
	d := receiveData{CampaignID: camp.ID, S: sh, St: st, CityName: web.CityName(camp, sh.City), State: s.stateName(k.State),
		Today:         camp.Today(s.Now()),
		RejectReasons: []planner.RejectReason{planner.RejectDamaged, planner.RejectLost, planner.RejectWrongItem, planner.RejectSurplus}}
	n := sh.Boxes
	if len(sh.Packing) > 0 {
		n = planner.BoxCount(sh.Packing)
	}
	ticked := map[int64]bool{}
	q := url.Values{}
	for _, v := range c.QueryArray("box") {
		if b, err := strconv.ParseInt(v, 10, 64); err == nil && b >= 1 && b <= n && !ticked[b] {
			ticked[b] = true
			q.Add("box", strconv.FormatInt(b, 10))
		}
	}
	for b := int64(1); b <= n; b++ {
		d.Boxes = append(d.Boxes, receiveBox{N: b, Ticked: ticked[b]})
	}
	d.Action = fmt.Sprintf("/campaigns/%d/shipments/%d/receive", camp.ID, sh.ID)
	if len(q) > 0 {
		d.Action += "?" + q.Encode()
	}
	switch {
	case active != nil:
		d.F = active
	case slices.Contains([]planner.Stage{planner.StageDispatched, planner.StageInTransit}, st.Stage):
		d.F = newEventForm(planner.EventDelivered, materialRows(camp, sh, "lines", st.Dispatched))
	}
	s.Web.Render(c, status, "receive", &d)
}
