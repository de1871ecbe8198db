package planner

import (
	"cmp"
	"slices"
)

// Alert flags a material whose accepted pieces differ from what was
// dispatched, so that someone follows up on damaged, lost or wrong goods.
// EventID (the delivered event) is the stable key under which an
// acknowledgement is stored; a correction of that event keeps the key and
// updates the numbers.
type Alert struct {
	EventID     int64        `json:"event_id"`
	ShipmentID  int64        `json:"shipment_id"`
	City        string       `json:"city"`
	Date        Date         `json:"date"`
	Material    string       `json:"material"`
	Dispatched  int64        `json:"dispatched"`
	Accepted    int64        `json:"accepted"`
	Rejected    int64        `json:"rejected"`
	Reason      RejectReason `json:"reason,omitempty"` // of the rejected pieces
	Missing     int64        `json:"missing"`          // dispatched - accepted - rejected: neither accepted nor rejected
	Discrepancy bool         `json:"discrepancy"`
}

// Alerts returns one alert per material of every delivered shipment whose
// accepted pieces differ from the dispatched ones, with corrections applied,
// sorted by city, shipment id and material.
func Alerts(shipments []ShipmentRecord) []Alert {
	var out []Alert
	for i := range shipments {
		s := &shipments[i]
		eff, _ := s.effectiveEvents()
		st := newShipmentState()
		for _, e := range eff {
			st.apply(s, e)
			if e.Kind != EventDelivered {
				continue
			}
			out = append(out, deliveryAlerts(s, &st, e)...)
		}
	}
	slices.SortFunc(out, func(a, b Alert) int {
		return cmp.Or(cmp.Compare(a.City, b.City), cmp.Compare(a.ShipmentID, b.ShipmentID), cmp.Compare(a.Material, b.Material))
	})
	return out
}

func deliveryAlerts(s *ShipmentRecord, st *ShipmentState, e Event) []Alert {
	lines := map[string]DeliveryLine{}
	var materials []string
	for _, l := range e.Lines {
		lines[l.Material] = l
		materials = append(materials, l.Material)
	}
	for m := range st.Dispatched {
		if _, ok := lines[m]; !ok {
			materials = append(materials, m)
		}
	}
	var out []Alert
	for _, m := range materials {
		l, sent := lines[m], st.Dispatched[m]
		if l.Accepted == sent {
			continue
		}
		out = append(out, Alert{
			EventID: e.ID, ShipmentID: s.ID, City: s.City, Date: e.Date, Material: m,
			Dispatched: sent, Accepted: l.Accepted, Rejected: l.Rejected, Reason: l.Reason,
			Missing: sent - l.Accepted - l.Rejected, Discrepancy: e.Discrepancy,
		})
	}
	return out
}
