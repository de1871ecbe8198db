package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/reparto/reparto/planner"
)

func venueIDs(vs []planner.Venue) []string {
	ids := make([]string, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
	}
	return ids
}

func TestListVenuesPages(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		assertNoError(t, db.AddVenues(ctx, id, manyVenues(25)))

		// 27 venues: v-000001, v-000002, then v-1000000..v-1000024 (byte order).
		var all []string
		all = append(all, "v-000001", "v-000002")
		for i := range 25 {
			all = append(all, fmt.Sprintf("v-%07d", 1000000+i))
		}
		var paged []string
		for _, tc := range []struct{ offset, n int }{{0, 10}, {10, 10}, {20, 7}, {30, 0}} {
			p, err := db.ListVenues(ctx, id, VenueFilter{ListOptions: ListOptions{Limit: 10, Offset: tc.offset}})
			assertNoError(t, err)
			if p.Total != 27 || len(p.Items) != tc.n {
				t.Fatalf("offset %d: total %d, %d items; want 27, %d", tc.offset, p.Total, len(p.Items), tc.n)
			}
			paged = append(paged, venueIDs(p.Items)...)
		}
		if !reflect.DeepEqual(paged, all) {
			t.Errorf("pages = %v, want %v", paged, all)
		}
	})
}

func TestListFiltersAndSorts(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		assertNoError(t, db.AddVenues(ctx, id, manyVenues(3))) // "Local 0".."Local 2", NIGHTCLUB, TAP

		venues := []struct {
			name string
			f    VenueFilter
			want []string
		}{
			{"category", VenueFilter{Category: "SHELTER"}, []string{"v-000001"}},
			{"no city", VenueFilter{NoCity: true}, []string{"v-000002"}},
			{"city and category", VenueFilter{City: "TAP", Category: "NIGHTCLUB"}, []string{"v-1000000", "v-1000001", "v-1000002"}},
			{"query any case", VenueFilter{Query: "CLUB n"}, []string{"v-000002"}},
			{"query is not a pattern", VenueFilter{Query: "%"}, nil},
			{"name desc", VenueFilter{ListOptions: ListOptions{Sort: "name", Desc: true, Limit: 2}}, []string{"v-1000002", "v-1000001"}},
			{"offset without limit", VenueFilter{ListOptions: ListOptions{Offset: 4}}, []string{"v-1000002"}},
		}
		for _, tt := range venues {
			t.Run(tt.name, func(t *testing.T) {
				p, err := db.ListVenues(ctx, id, tt.f)
				assertNoError(t, err)
				if got := venueIDs(p.Items); !reflect.DeepEqual(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
					t.Errorf("ids = %v, want %v", got, tt.want)
				}
			})
		}

		_, err := db.ListVenues(ctx, id, VenueFilter{ListOptions: ListOptions{Sort: "lat; DROP TABLE venues"}})
		wantCode(t, err, planner.EInvalid)

		ms, err := db.ListMaterials(ctx, id, MaterialFilter{Query: "cartel"})
		assertNoError(t, err)
		if ms.Total != 1 || ms.Items[0].Code != "P1-POSTER" {
			t.Errorf("materials = %+v", ms)
		}
		cs, err := db.ListCities(ctx, id, CityFilter{ListOptions: ListOptions{Sort: "code", Desc: true}})
		assertNoError(t, err)
		if cs.Total != 2 || cs.Items[0].Code != "TAP" {
			t.Errorf("cities = %+v", cs)
		}
		ks, err := db.ListCities(ctx, id, CityFilter{State: "MX-CHP"})
		assertNoError(t, err)
		if ks.Total != 1 || ks.Items[0].Code != "TAP" {
			t.Errorf("cities in MX-CHP = %+v", ks)
		}
		gs, err := db.ListCategories(ctx, id, CategoryFilter{Group: "ngo"})
		assertNoError(t, err)
		if gs.Total != 1 || gs.Items[0].Code != "SHELTER" {
			t.Errorf("categories = %+v", gs)
		}
		ns, err := db.ListVenueCounts(ctx, id, VenueCountFilter{City: "TAP"})
		assertNoError(t, err)
		if !reflect.DeepEqual(ns.Items, fixtureCampaign().VenueCounts) {
			t.Errorf("venue counts = %+v", ns)
		}
		ls, err := db.ListLocks(ctx, id, LockFilter{Material: "L3-DEMAND"})
		assertNoError(t, err)
		if !reflect.DeepEqual(ls.Items, fixtureCampaign().Locks) {
			t.Errorf("locks = %+v", ls)
		}
		tr, err := db.ListTargeting(ctx, id)
		assertNoError(t, err)
		if !reflect.DeepEqual(tr, fixtureCampaign().Targeting) {
			t.Errorf("targeting = %+v", tr)
		}
	})
}

// Codes sort by byte order in both databases ("Z" before "a", "B-2"
// before "B_1"), as docs/planning.md#notation requires; PostgreSQL's default collation
// would not.
func TestCodesSortByByteOrder(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		id := createFixture(t, db)
		for _, code := range []string{"a1", "Z9", "B_1", "B-2"} {
			m := planner.Material{Code: code, Name: code, Printed: 10, PackSize: 1, PacksPerBox: 1}
			assertNoError(t, db.CreateMaterial(ctx, id, m))
		}
		p, err := db.ListMaterials(ctx, id, MaterialFilter{})
		assertNoError(t, err)
		var got []string
		for _, m := range p.Items {
			got = append(got, m.Code)
		}
		want := []string{"B-2", "B_1", "L3-DEMAND", "P1-POSTER", "Z9", "a1"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("codes = %v, want %v", got, want)
		}
	})
}
