package api

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/jsonapi"
	"github.com/reparto/reparto/planner"
)

// quantitiesFixture is the small tracking campaign with a second venue
// category, SHELTER, that only L3 targets, and TAP dispatched in full.
func quantitiesFixture(t *testing.T) (*trackingFixture, jsonapi.ShipmentJSON) {
	t.Helper()
	camp := trackingCampaign()
	camp.Categories = append(camp.Categories, planner.VenueCategory{Code: "SHELTER", Name: "Albergues"})
	camp.Targeting = append(camp.Targeting, planner.TargetingRule{Material: "L3", Category: "SHELTER", PerVenue: 10})
	f := newTrackingFixtureOf(t, camp, true)
	tap := f.shipment("TAP")
	wantStatus(t, f.planner.call("POST", shipmentPath(tap.ID, "/events"), dispatchBody(tap, "2009-03-02")), http.StatusCreated)
	return f, tap
}

func plannedPieces(s jsonapi.ShipmentJSON, material string) int64 {
	for _, l := range s.Lines {
		if l.Material == material {
			return l.Pieces
		}
	}
	return 0
}

// postWant422 posts an event and checks that it is refused naming path,
// and that nothing was stored.
func postWant422(t *testing.T, f *trackingFixture, id int64, body any, path string) {
	t.Helper()
	before := f.events(id)
	w := f.planner.call("POST", shipmentPath(id, "/events"), body)
	wantStatus(t, w, http.StatusUnprocessableEntity)
	if d := jsonError(t, w); d.Fields[path] == "" {
		t.Errorf("fields %v, want %s", d.Fields, path)
	}
	if after := f.events(id); after != before {
		t.Errorf("%d events after a refused one, want %d", after, before)
	}
}

func (f *trackingFixture) events(id int64) int {
	f.t.Helper()
	w := f.viewer.call("GET", shipmentPath(id, ""), nil)
	wantStatus(f.t, w, http.StatusOK)
	var s jsonapi.ShipmentDetailJSON
	decode(f.t, w, &s)
	return len(s.Events)
}

func (f *trackingFixture) progress() planner.CampaignProgress {
	f.t.Helper()
	w := f.viewer.call("GET", f.campaignPath("/progress"), nil)
	wantStatus(f.t, w, http.StatusOK)
	var p planner.CampaignProgress
	decode(f.t, w, &p)
	return p
}

// Issue 12.3 through the API: MaxInt64 pieces (and sums that would wrap
// around) are refused with 422 naming the field; issue 9.5: missing
// pieces are losses, a partial distribution reads "partially
// distributed", a category the material does not target is refused.
func TestEventQuantitiesAPI(t *testing.T) {
	f, tap := quantitiesFixture(t)
	events := shipmentPath(tap.ID, "/events")
	l3, p1 := plannedPieces(tap, "L3"), plannedPieces(tap, "P1")
	delivery := func(discrepancy bool, accL3, rejL3 int64) string {
		return fmt.Sprintf(`{"kind":"delivered","date":"2009-03-06","delivered_by":"a","received_by":"b","discrepancy":%t,`+
			`"lines":[{"material":"L3","accepted":%d,"rejected":%d,"reason":"damaged"},{"material":"P1","accepted":%d}]}`,
			discrepancy, accL3, rejL3, p1)
	}
	distribution := func(lines ...string) string {
		return `{"kind":"distributed","date":"2009-03-09","distribution":[` + strings.Join(lines, ",") + `]}`
	}
	line := func(m, c string, n int64) string {
		return fmt.Sprintf(`{"material":%q,"category":%q,"pieces":%d}`, m, c, n)
	}

	postWant422(t, f, tap.ID, delivery(true, math.MaxInt64, 0), "lines[0].accepted")
	postWant422(t, f, tap.ID, delivery(true, l3, math.MaxInt64), "lines[0].rejected")
	postWant422(t, f, tap.ID, delivery(false, 100, math.MaxInt64-99), "lines[0].rejected")
	postWant422(t, f, tap.ID, delivery(true, l3+1, 0), "lines[0].accepted")

	// 100 L3 pieces never arrived, 50 came damaged.
	wantStatus(t, f.planner.call("POST", events, delivery(true, l3-150, 50)), http.StatusCreated)
	p := f.progress()
	if want := []planner.ReasonLoss{{Reason: planner.RejectDamaged, Pieces: 50}, {Reason: planner.LossMissing, Pieces: 100}}; !slices.Equal(p.LossesByReason, want) {
		t.Errorf("losses by reason %v, want %v", p.LossesByReason, want)
	}

	wantStatus(t, f.planner.call("POST", events, distribution(line("L3", "BAR", 1000))), http.StatusCreated)
	postWant422(t, f, tap.ID, distribution(line("L3", "BAR", math.MaxInt64)), "distribution[0].pieces")
	postWant422(t, f, tap.ID, distribution(line("L3", "SHELTER", 1), line("L3", "BAR", math.MaxInt64)), "distribution[1].pieces")
	postWant422(t, f, tap.ID, distribution(line("L3", "BAR", l3-150-1000+1)), "distribution[0].pieces")
	postWant422(t, f, tap.ID, distribution(line("P1", "SHELTER", 1)), "distribution[0].category")
	// a correction cannot smuggle the number in either
	postWant422(t, f, tap.ID, fmt.Sprintf(`{"kind":"correction","date":"2009-03-20","reason":"x","corrects":%d,"replacement":%s}`,
		f.lastEventID(tap.ID), distribution(line("L3", "BAR", math.MaxInt64))), "replacement.distribution[0].pieces")

	if s := f.shipment("TAP"); s.Status != planner.StatusPartlyDistributed || s.Reason.Code != planner.ReasonPartlyDistributed ||
		s.Reason.Params["left"] != fmt.Sprint(l3-150-1000+p1) {
		t.Errorf("status %s %v, want partially_distributed", s.Status, s.Reason)
	}
	p = f.progress()
	if p.Distributed.Pieces != 1000 || p.Delivered.Pieces != l3-150+p1 || p.ByStatus[planner.StatusPartlyDistributed] != 1 {
		t.Errorf("distributed %+v delivered %+v by status %v", p.Distributed, p.Delivered, p.ByStatus)
	}

	wantStatus(t, f.planner.call("POST", events, distribution(line("L3", "SHELTER", l3-150-1000), line("P1", "BAR", p1))), http.StatusCreated)
	if s := f.shipment("TAP"); s.Status != planner.StatusDistributed {
		t.Errorf("status %s after distributing everything, want distributed", s.Status)
	}
	w := f.viewer.call("GET", f.campaignPath("/shipments?status=partially_distributed"), nil)
	wantStatus(t, w, http.StatusOK)
}

func (f *trackingFixture) lastEventID(id int64) int64 {
	f.t.Helper()
	w := f.viewer.call("GET", shipmentPath(id, ""), nil)
	var s jsonapi.ShipmentDetailJSON
	decode(f.t, w, &s)
	return s.Events[len(s.Events)-1].ID
}

// Issue 9.9: an undispatched shipment past its planned dispatch day
// expects its arrival from today, never in the past.
func TestExpectedArrivalOfUndispatchedShipment(t *testing.T) {
	f := newTrackingFixture(t, true)
	mex := f.shipment("MEX") // today (as_of) is 2009-03-20
	today := planner.NewDate(2009, 3, 20)
	if !mex.Dispatch.Before(today) {
		t.Skipf("MEX is planned to leave on %s, not before today", mex.Dispatch)
	}
	if want := today.AddDays(mex.TransitDays); mex.ExpectedArrival != want {
		t.Errorf("expected arrival %s, want %s (today + %d transit days); planned arrival %s",
			mex.ExpectedArrival, want, mex.TransitDays, mex.Arrival)
	}
}
