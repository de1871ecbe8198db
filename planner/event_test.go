package planner

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// The event is the body of POST /api/v1/shipments/{id}/events: snake_case
// keys, dates as YYYY-MM-DD.
func TestEventJSON(t *testing.T) {
	body := `{"kind":"correction","date":"2009-03-20","corrects":3,"reason":"typo",
	  "replacement":{"kind":"delivered","date":"2009-03-14","delivered_by":"chofer","received_by":"DIF",
	    "lines":[{"material":"L3","accepted":9700,"rejected":300,"reason":"damaged"}],"discrepancy":true}}`
	var e Event
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatal(err)
	}
	want := Event{Kind: EventCorrection, Date: trDay("2009-03-20"), Corrects: 3, Reason: "typo", Replacement: &Event{
		Kind: EventDelivered, Date: trDay("2009-03-14"), DeliveredBy: "chofer", ReceivedBy: "DIF", Discrepancy: true,
		Lines: []DeliveryLine{{Material: "L3", Accepted: 9700, Rejected: 300, Reason: RejectDamaged}}}}
	if !reflect.DeepEqual(e, want) {
		t.Fatalf("decoded %+v, want %+v", e, want)
	}
	out, err := json.Marshal(Event{ID: 4, Kind: EventDistributed, Date: trDay("2009-03-15"),
		Distribution: []DistributionLine{{Material: "L3", Category: "SHELTER", VenueID: "v-2", Pieces: 40}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"id":4`, `"recorded_at":`, `"author":""`, `"date":"2009-03-15"`,
		`"distribution":[{"material":"L3","category":"SHELTER","venue_id":"v-2","pieces":40}]`} {
		if !strings.Contains(string(out), key) {
			t.Errorf("%s lacks %s", out, key)
		}
	}
	var back Event
	if err := json.Unmarshal(out, &back); err != nil || back.Distribution[0].Pieces != 40 || back.Date != trDay("2009-03-15") {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	for _, body := range []string{`{"kind":"dispatched","date":"2009-03-10","carrier":"Estafeta","waybill":"W","vehicle":"ABC-12","boxes":7,
		"loaded":[{"material":"L3","pieces":4000}]}`, `{"kind":"in_transit","date":"2009-03-11","checkpoint":"Oaxaca"}`,
		`{"kind":"cancelled","date":"2009-03-11","reason":"x","note":"n"}`} {
		dec := json.NewDecoder(strings.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(new(Event)); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}

func TestRejectReasonValid(t *testing.T) {
	for _, r := range []RejectReason{RejectDamaged, RejectLost, RejectWrongItem, RejectSurplus} {
		if !r.Valid() {
			t.Errorf("%s not valid", r)
		}
	}
	for _, r := range []RejectReason{"", "Damaged", "stolen"} {
		if r.Valid() {
			t.Errorf("%q valid", r)
		}
	}
}
