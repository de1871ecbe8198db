package resolve

import (
	"fmt"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/account"
)

// ctxPlaces keeps the signed-in field account's places for the request.
const ctxPlaces = "reparto.places"

// Places returns the places the signed-in user is limited to, read once
// per request: nil for every role but field, which sees everything else.
func (r *Resolver) Places(c *gin.Context) (*account.Places, error) {
	u := web.CurrentUser(c)
	if !u.IsField() {
		return nil, nil
	}
	if v, ok := c.Get(ctxPlaces); ok {
		return v.(*account.Places), nil
	}
	p, err := r.DB.UserPlaces(c.Request.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	if p == nil { // the role changed under the session: it sees nothing
		p = &account.Places{}
	}
	c.Set(ctxPlaces, p)
	return p, nil
}

// SeesShipment reports whether the signed-in user may see sh: always,
// except a field account outside its places. The city's state comes from
// the campaign's cities (the cached Planned campaign), read only for a
// field account.
func (r *Resolver) SeesShipment(c *gin.Context, sh *planner.ShipmentRecord) (bool, error) {
	see, err := r.ShipmentFilter(c, sh.CampaignID)
	if err != nil {
		return false, err
	}
	return see(sh), nil
}

// ShipmentFilter returns what SeesShipment says for each shipment of
// campaign id, reading the campaign once.
func (r *Resolver) ShipmentFilter(c *gin.Context, id int64) (func(*planner.ShipmentRecord) bool, error) {
	p, err := r.Places(c)
	if err != nil || p == nil {
		return func(*planner.ShipmentRecord) bool { return true }, err
	}
	pl, err := r.Planned(c, id)
	if err != nil {
		return nil, err
	}
	return func(sh *planner.ShipmentRecord) bool {
		k, _ := pl.Campaign.City(sh.City)
		return p.Covers(sh.City, k.State)
	}, nil
}

// ShipmentHidden is the answer to a shipment outside a field account's
// places: not found, exactly as a missing one, so that ids tell nothing.
func ShipmentHidden(id int64) error {
	// The store's own answer for a missing shipment (store.notFound),
	// message id and arguments included: the reader must not tell them apart.
	return &planner.Error{Code: planner.ENotFound, ID: planner.MsgNotFoundThing,
		Args:    map[string]any{"What": "shipment", "Key": strconv.FormatInt(id, 10)},
		Message: fmt.Sprintf("shipment %d not found", id)}
}

// FieldMayRecord checks that a field account records only receipts and
// distributions (EForbidden otherwise); other roles pass.
func FieldMayRecord(c *gin.Context, kind planner.EventKind) error {
	if !web.CurrentUser(c).IsField() || kind == planner.EventDelivered || kind == planner.EventDistributed {
		return nil
	}
	return planner.Errorm(planner.EForbidden, planner.MsgFieldKind, "a field account records only receipts and distributions, not %s", kind)
}
