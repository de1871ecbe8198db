package planner

import (
	"encoding/json"
	"slices"
	"strconv"
)

// MarshalJSON writes the state as encoding/json would from its field tags,
// byte for byte (TestShipmentStateJSON), without reflection: a shipment
// list sends one state per shipment, each with four maps of a few dozen
// materials, and encoding them by reflection (sorting every map's keys
// through reflect values) was half the cost of the list.
func (st ShipmentState) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 512)
	b = append(b, `{"stage":`...)
	b = appendJSONString(b, string(st.Stage))
	for _, d := range []struct {
		key string
		d   *Date
	}{{"dispatched_on", st.DispatchedOn}, {"last_seen_on", st.LastSeenOn}, {"delivered_on", st.DeliveredOn},
		{"distributed_on", st.DistributedOn}, {"cancelled_on", st.CancelledOn}, {"last_event_on", st.LastEventOn}} {
		if d.d != nil {
			b = appendJSONKey(b, d.key)
			b = appendJSONString(b, d.d.String())
		}
	}
	for _, f := range []struct{ key, v string }{{"carrier", st.Carrier}, {"waybill", st.Waybill},
		{"vehicle", st.Vehicle}, {"checkpoint", st.Checkpoint}} {
		if f.v != "" {
			b = appendJSONKey(b, f.key)
			b = appendJSONString(b, f.v)
		}
	}
	b = appendJSONKey(b, "dispatched_boxes")
	b = strconv.AppendInt(b, st.DispatchedBoxes, 10)
	for _, m := range []struct {
		key string
		m   map[string]int64
	}{{"dispatched", st.Dispatched}, {"accepted", st.Accepted}, {"rejected", st.Rejected}, {"distributed", st.Distributed}} {
		b = appendJSONKey(b, m.key)
		b = appendPiecesMap(b, m.m)
	}
	b = appendJSONKey(b, "distribution")
	if st.Distribution == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, l := range st.Distribution {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"material":`...)
			b = appendJSONString(b, l.Material)
			b = append(b, `,"category":`...)
			b = appendJSONString(b, l.Category)
			if l.VenueID != "" {
				b = append(b, `,"venue_id":`...)
				b = appendJSONString(b, l.VenueID)
			}
			b = append(b, `,"pieces":`...)
			b = strconv.AppendInt(b, l.Pieces, 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendJSONKey(b, "losses")
	if st.Losses == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, l := range st.Losses {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"material":`...)
			b = appendJSONString(b, l.Material)
			b = append(b, `,"reason":`...)
			b = appendJSONString(b, string(l.Reason))
			b = append(b, `,"pieces":`...)
			b = strconv.AppendInt(b, l.Pieces, 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendJSONKey(b, "discrepancy")
	b = strconv.AppendBool(b, st.Discrepancy)
	if st.CancelReason != "" {
		b = appendJSONKey(b, "cancel_reason")
		b = appendJSONString(b, st.CancelReason)
	}
	b = appendJSONKey(b, "corrected")
	if st.Corrected == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, id := range st.Corrected {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, id, 10)
		}
		b = append(b, ']')
	}
	if st.DeliveryEventID != 0 {
		b = appendJSONKey(b, "delivery_event_id")
		b = strconv.AppendInt(b, st.DeliveryEventID, 10)
	}
	return append(b, '}'), nil
}

func appendJSONKey(b []byte, key string) []byte {
	b = append(b, ',', '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

// appendPiecesMap writes m with its keys sorted, as encoding/json does.
func appendPiecesMap(b []byte, m map[string]int64) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = strconv.AppendInt(b, m[k], 10)
	}
	return append(b, '}')
}

// appendJSONString quotes s; anything but plain printable ASCII goes
// through encoding/json so that every escape is its own.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
