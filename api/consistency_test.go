package api

import (
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/jsonapi"
	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/planio"
)

// consistencyCampaign is the tracking campaign with two more cities, so
// that dispatches, edits and re-plans have room to move pieces around.
func consistencyCampaign() *planner.Campaign {
	c := trackingCampaign()
	c.Cities = append(c.Cities,
		planner.City{Code: "GDL", Name: "Guadalajara", Lat: 20.6597, Lon: -103.3496, Priority: planner.DecimalInt(1), RadiusKm: 15},
		planner.City{Code: "OAX", Name: "Oaxaca", Lat: 17.0732, Lon: -96.7266, Priority: planner.DecimalInt(3), RadiusKm: 15})
	c.VenueCounts = append(c.VenueCounts, planner.VenueCount{City: "GDL", Category: "BAR", Count: 10},
		planner.VenueCount{City: "OAX", Category: "BAR", Count: 5})
	c.Materials[0].Printed = 20000
	return c
}

// consistency drives a campaign through random commits, re-plans,
// restores, data edits and tracking events, and after every step checks
// that the committed plan, the shipments and every CSV export agree to the
// piece, and that no dispatched shipment ever changes.
type consistency struct {
	t      *testing.T
	f      *trackingFixture
	rnd    *rand.Rand
	loaded map[int64]map[string]int64 // shipment id -> material -> pieces at dispatch
	log    []string
}

func TestPlanShipmentsAndExportsAlwaysAgree(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			f := newTrackingFixture(t, false)
			ctx := context.Background()
			if err := f.db.ReplaceCampaign(ctx, f.campaign, consistencyCampaign()); err != nil {
				t.Fatal(err)
			}
			k := &consistency{t: t, f: f, rnd: rand.New(rand.NewPCG(seed, 42)), loaded: map[int64]map[string]int64{}}
			k.commit(false)
			k.check()
			steps := []func(){k.edit, func() { k.commit(false) }, func() { k.commit(true) }, k.dispatch, k.dispatch,
				k.transit, k.restore}
			for range 14 {
				steps[k.rnd.IntN(len(steps))]()
				k.check()
			}
			t.Log(strings.Join(k.log, "; "))
		})
	}
}

func (k *consistency) step(format string, args ...any) {
	k.log = append(k.log, fmt.Sprintf(format, args...))
}

func (k *consistency) fail(format string, args ...any) {
	k.t.Helper()
	k.t.Fatalf("%s\nafter: %s", fmt.Sprintf(format, args...), strings.Join(k.log, "; "))
}

// edit changes the campaign data: more venues somewhere, or more stock.
func (k *consistency) edit() {
	ctx := context.Background()
	c, err := k.f.db.GetCampaign(ctx, k.f.campaign)
	if err != nil {
		k.t.Fatal(err)
	}
	if k.rnd.IntN(2) == 0 {
		i := k.rnd.IntN(len(c.VenueCounts))
		c.VenueCounts[i].Count += int64(1 + k.rnd.IntN(10))
		k.step("edit %s venues", c.VenueCounts[i].City)
	} else {
		c.Materials[k.rnd.IntN(len(c.Materials))].Printed += int64(100 * (1 + k.rnd.IntN(20)))
		k.step("edit printed")
	}
	if err := k.f.db.ReplaceCampaign(ctx, k.f.campaign, c); err != nil {
		k.t.Fatal(err)
	}
}

func (k *consistency) latest() int {
	v, err := k.f.db.LatestPlanVersion(context.Background(), k.f.campaign)
	if err != nil {
		k.t.Fatal(err)
	}
	return v
}

// commit previews and commits with the preview's fingerprint, as a user
// would, optionally releasing the reserve.
func (k *consistency) commit(release bool) {
	body := map[string]any{"release_reserve": release}
	w := k.f.planner.call("POST", k.f.campaignPath("/plan/replan-preview"), body)
	if w.Code != http.StatusOK {
		k.step("preview refused %d", w.Code)
		return
	}
	var pre jsonapi.PlanPreviewJSON
	decode(k.t, w, &pre)
	body["expected_version"], body["fingerprint"] = pre.BaseVersion, pre.Fingerprint
	w = k.f.planner.call("POST", k.f.campaignPath("/plan/commit"), body)
	k.step("commit release=%t: %d", release, w.Code)
	if w.Code != http.StatusCreated && w.Code != http.StatusUnprocessableEntity {
		k.fail("commit: %d %s", w.Code, w.Body)
	}
}

// restore brings back a random earlier version through the history page.
func (k *consistency) restore() {
	latest := k.latest()
	if latest < 2 {
		return
	}
	n := 1 + k.rnd.IntN(latest-1)
	path := "/campaigns/" + itoa(k.f.campaign) + "/plan/versions/" + strconv.Itoa(n) + "/restore"
	w := k.f.planner.callForm("POST", path, url.Values{"expected_version": {strconv.Itoa(latest)}})
	k.step("restore v%d: %d", n, w.Code)
	if w.Code != http.StatusSeeOther && w.Code != http.StatusUnprocessableEntity {
		k.fail("restore: %d %s", w.Code, w.Body)
	}
}

func (k *consistency) live() []jsonapi.ShipmentJSON {
	w := k.f.viewer.call("GET", k.f.campaignPath("/shipments"), nil)
	wantStatus(k.t, w, http.StatusOK)
	var body struct{ Shipments []jsonapi.ShipmentJSON }
	decode(k.t, w, &body)
	var out []jsonapi.ShipmentJSON
	for _, s := range body.Shipments {
		if s.State.Stage != planner.StageCancelled {
			out = append(out, s)
		}
	}
	return out
}

// dispatch sends a random planned shipment on its way, as planned.
func (k *consistency) dispatch() {
	var planned []jsonapi.ShipmentJSON
	for _, s := range k.live() {
		if s.State.Stage == planner.StagePlanned {
			planned = append(planned, s)
		}
	}
	if len(planned) == 0 {
		return
	}
	s := planned[k.rnd.IntN(len(planned))]
	w := k.f.planner.call("POST", shipmentPath(s.ID, "/events"), dispatchBody(s, "2009-03-10"))
	k.step("dispatch %s: %d", s.City, w.Code)
	if w.Code != http.StatusCreated {
		k.fail("dispatch %s: %d %s", s.City, w.Code, w.Body)
	}
	k.loaded[s.ID] = map[string]int64{}
	for _, l := range s.Lines {
		k.loaded[s.ID][l.Material] = l.Pieces
	}
}

// transit records a checkpoint on a random dispatched shipment.
func (k *consistency) transit() {
	for _, s := range k.live() {
		if s.State.Stage == planner.StageDispatched {
			w := k.f.planner.call("POST", shipmentPath(s.ID, "/events"),
				map[string]any{"kind": "in_transit", "date": "2009-03-12", "checkpoint": "Puebla"})
			k.step("transit %s: %d", s.City, w.Code)
			if w.Code != http.StatusCreated {
				k.fail("transit %s: %d %s", s.City, w.Code, w.Body)
			}
			return
		}
	}
}

// exportRows downloads an export and returns its rows without the header.
func (k *consistency) exportRows(what string) [][]string {
	w := k.f.viewer.call("GET", k.f.campaignPath("/exports/"+what+".csv"), nil)
	wantStatus(k.t, w, http.StatusOK)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(w.Body.String(), planio.UTF8BOM))).ReadAll()
	if err != nil {
		k.t.Fatalf("%s.csv: %v", what, err)
	}
	return rows[1:]
}

func num(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("not a whole number: %q", s)
	}
	return n
}

type cityMaterial struct{ City, Material string }

// check asserts the agreement of plan, shipments and exports.
func (k *consistency) check() {
	k.t.Helper()
	t := k.t
	v, err := k.f.db.LatestPlan(context.Background(), k.f.campaign)
	if err != nil {
		k.fail("latest plan: %v", err)
	}
	plan := map[cityMaterial]int64{} // from the committed cells
	cells := map[planner.CellKey]int64{}
	for _, c := range v.Plan.Cells {
		if c.Pieces > 0 {
			plan[cityMaterial{c.City, c.Material}] += c.Pieces
			cells[planner.CellKey{Material: c.Material, City: c.City, Category: c.Category}] = c.Pieces
		}
	}
	lines := map[cityMaterial]int64{} // from the committed plan's shipments
	for _, s := range v.Plan.Shipments {
		for _, l := range s.Lines {
			lines[cityMaterial{s.City, l.Material}] += l.Pieces
		}
	}
	equalMaps(k, "plan shipments", lines, "plan cells", plan)

	tracked := map[cityMaterial]int64{}
	ids := map[string]int64{}
	for _, s := range k.live() {
		if ids[s.City] != 0 {
			k.fail("two live shipments to %s", s.City)
		}
		ids[s.City] = s.ID
		for _, l := range s.Lines {
			tracked[cityMaterial{s.City, l.Material}] += l.Pieces
		}
		if want, ok := k.loaded[s.ID]; ok {
			for _, l := range s.Lines {
				if want[l.Material] != l.Pieces {
					k.fail("dispatched shipment %d to %s now has %d of %s, loaded %d", s.ID, s.City, l.Pieces, l.Material, want[l.Material])
				}
			}
		}
	}
	equalMaps(k, "shipments", tracked, "plan", plan)

	manifest := map[cityMaterial]int64{}
	for _, r := range k.exportRows("manifest") { // shipment,city,city_name,state,material,packs,boxes,pieces,weight_kg
		manifest[cityMaterial{r[1], r[4]}] += num(t, r[7])
		if num(t, r[0]) != ids[r[1]] {
			k.fail("manifest gives %s shipment %s, the live one is %d", r[1], r[0], ids[r[1]])
		}
	}
	equalMaps(k, "manifest.csv", manifest, "plan", plan)

	printOrder := map[cityMaterial]int64{}
	for _, r := range k.exportRows("print-order") { // material,...,city,city_name,packs,boxes,pieces
		if r[6] != "TOTAL" {
			printOrder[cityMaterial{r[6], r[0]}] += num(t, r[10])
		}
	}
	equalMaps(k, "print-order.csv", printOrder, "plan", plan)

	alloc := map[planner.CellKey]int64{}
	for _, r := range k.exportRows("allocation") { // material,city,category,demand,pieces,...
		if n := num(t, r[4]); n > 0 {
			alloc[planner.CellKey{Material: r[0], City: r[1], Category: r[2]}] = n
		}
	}
	equalMaps(k, "allocation.csv", alloc, "plan cells", cells)

	perCity := map[string]int64{}
	for cm, n := range plan {
		perCity[cm.City] += n
	}
	shipped := map[string]int64{}
	for _, r := range k.exportRows("shipments") { // shipment,city,city_name,state,boxes,pieces,...,stage
		if r[12] != string(planner.StageCancelled) {
			shipped[r[1]] += num(t, r[5])
		}
	}
	equalMaps(k, "shipments.csv", shipped, "plan", perCity)
}

func equalMaps[K comparable](k *consistency, aName string, a map[K]int64, bName string, b map[K]int64) {
	k.t.Helper()
	for key, n := range a {
		if b[key] != n {
			k.fail("%s has %d for %v, %s %d", aName, n, key, bName, b[key])
		}
	}
	for key, n := range b {
		if _, ok := a[key]; !ok {
			k.fail("%s lacks %v, %s has %d", aName, key, bName, n)
		}
	}
}
