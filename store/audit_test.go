package store

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reparto/reparto/planner"
)

func TestAuditIsWrittenInTheCallersTransaction(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(context.Background(), Actor{UserID: 0, Email: "ana@example.org", IP: "192.0.2.7"})
		boom := errors.New("boom")
		err := db.WithTx(ctx, func(tx *Tx) error {
			if err := db.Audit(ctx, tx, AuditEntry{Action: AuditCreate, Entity: "material", EntityID: "X"}); err != nil {
				return err
			}
			return boom // the change fails after its audit row was written
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
		p, err := db.ListAudit(ctx, AuditFilter{})
		assertNoError(t, err)
		if p.Total != 0 {
			t.Fatalf("a failed write left %d audit rows", p.Total)
		}

		err = db.WithTx(ctx, func(tx *Tx) error {
			return db.Audit(ctx, tx, AuditEntry{Action: AuditUpdate, Entity: "material", EntityID: "X", CampaignID: 7,
				Before: map[string]int{"printed": 1}, After: map[string]int{"printed": 2}})
		})
		assertNoError(t, err)
		p, err = db.ListAudit(ctx, AuditFilter{})
		assertNoError(t, err)
		want := AuditRecord{ID: p.Items[0].ID, At: time.Date(2009, 3, 20, 9, 30, 0, 0, time.UTC), Actor: "ana@example.org",
			IP: "192.0.2.7", Action: "update", Entity: "material", EntityID: "X", CampaignID: 7,
			Before: `{"printed":1}`, After: `{"printed":2}`}
		if p.Total != 1 || p.Items[0] != want {
			t.Errorf("got %+v\nwant %+v", p.Items, want)
		}
	})
}

func TestActorDefaultsToSystem(t *testing.T) {
	if a := ActorFrom(context.Background()); a.Email != ActorSystem || a.UserID != 0 {
		t.Errorf("actor = %+v", a)
	}
	ctx := WithActor(context.Background(), Actor{UserID: 3, Email: "x@example.org"})
	if a := ActorFrom(ctx); a.UserID != 3 || a.Email != "x@example.org" {
		t.Errorf("actor = %+v", a)
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		assertNoError(t, db.LogAudit(ctx, AuditEntry{Action: AuditLogin, Entity: "user", EntityID: "1"}))
		if _, err := db.exec(ctx, `UPDATE audit_log SET actor = 'mallory'`); err == nil {
			t.Error("UPDATE of audit_log succeeded")
		}
		if _, err := db.exec(ctx, `DELETE FROM audit_log`); err == nil {
			t.Error("DELETE from audit_log succeeded")
		}
		p, err := db.ListAudit(ctx, AuditFilter{})
		assertNoError(t, err)
		if p.Total != 1 || p.Items[0].Actor != ActorSystem {
			t.Errorf("log = %+v", p.Items)
		}
	})
}

func TestListAuditFiltersAndPages(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		base := time.Date(2009, 3, 20, 0, 0, 0, 0, time.UTC)
		// Five entries an hour apart: actors alternate, entity 2 is a user.
		for i := range 5 {
			at(db, time.Duration(i)*time.Hour-9*time.Hour-30*time.Minute)
			actor := []string{"ana@example.org", "bea@example.org"}[i%2]
			ctx := WithActor(context.Background(), Actor{Email: actor})
			entity := "material"
			if i == 2 {
				entity = "user"
			}
			assertNoError(t, db.LogAudit(ctx, AuditEntry{Action: AuditCreate, Entity: entity, EntityID: string(rune('a' + i))}))
		}
		for _, tc := range []struct {
			name string
			f    AuditFilter
			want string // entity ids, newest first
		}{
			{"all", AuditFilter{}, "edcba"},
			{"actor any case", AuditFilter{Actor: "ANA@example.org"}, "eca"},
			{"entity", AuditFilter{Entity: "user"}, "c"},
			{"from inclusive", AuditFilter{From: base.Add(3 * time.Hour)}, "ed"},
			{"to exclusive", AuditFilter{To: base.Add(1 * time.Hour)}, "a"},
			{"page 2 of 2", AuditFilter{Limit: 2, Offset: 2}, "cb"},
			{"action", AuditFilter{Action: AuditDelete}, ""},
		} {
			p, err := db.ListAudit(context.Background(), tc.f)
			assertNoError(t, err)
			got := ""
			for _, r := range p.Items {
				got += r.EntityID
			}
			if got != tc.want {
				t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
			}
			if tc.f.Limit == 0 && p.Total != int64(len(tc.want)) {
				t.Errorf("%s: total %d, want %d", tc.name, p.Total, len(tc.want))
			}
		}
	})
}

// auditTrail lists "action entity entity_id" of the log, oldest first.
func auditTrail(t *testing.T, db *DB, f AuditFilter) []string {
	t.Helper()
	p, err := db.ListAudit(context.Background(), f)
	assertNoError(t, err)
	var out []string
	for i := len(p.Items) - 1; i >= 0; i-- {
		r := p.Items[i]
		out = append(out, r.Action+" "+r.Entity+" "+r.EntityID)
	}
	return out
}

func TestCampaignWritesAreAudited(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(context.Background(), Actor{Email: "ana@example.org", IP: "192.0.2.7"})
		id, err := db.CreateCampaign(ctx, fixtureCampaign())
		assertNoError(t, err)
		sid := strconv.FormatInt(id, 10)

		m := fixtureCampaign().Materials[1]
		m.Printed = 6000
		assertNoError(t, db.UpdateMaterial(ctx, id, "P1-POSTER", m))
		// Failing writes leave no row: a referenced material, an invalid pack size.
		wantCode(t, db.DeleteMaterial(ctx, id, "L3-DEMAND"), planner.EConflict)
		bad := fixtureCampaign().Materials[0]
		bad.PackSize = 0
		wantCode(t, db.UpdateMaterial(ctx, id, "L3-DEMAND", bad), planner.EInvalid)

		assertNoError(t, db.DeleteCity(ctx, id, "MEX"))
		assertNoError(t, db.SetTargeting(ctx, id, fixtureCampaign().Targeting[:1]))
		v := fixtureCampaign().Venues[1]
		v.Name = "Club Sur"
		assertNoError(t, db.UpdateVenue(ctx, id, v.ID, v))
		assertNoError(t, db.AddVenues(ctx, id, manyVenues(3)))
		assertNoError(t, db.DeleteCampaign(ctx, id))

		want := []string{"create campaign " + sid, "update material P1-POSTER", "delete city MEX",
			"update targeting ", "update venue v-000002", "create venue ", "delete campaign " + sid}
		if got := auditTrail(t, db, AuditFilter{CampaignID: id}); !slices.Equal(got, want) {
			t.Errorf("trail\n got %q\nwant %q", got, want)
		}
		p, err := db.ListAudit(ctx, AuditFilter{Entity: "material"})
		assertNoError(t, err)
		r := p.Items[0]
		if r.Actor != "ana@example.org" || r.IP != "192.0.2.7" ||
			!strings.Contains(r.Before, `"Printed":5000`) || !strings.Contains(r.After, `"Printed":6000`) {
			t.Errorf("material row %+v", r)
		}
		p, err = db.ListAudit(ctx, AuditFilter{Entity: "city"})
		assertNoError(t, err)
		if b := p.Items[0].Before; !strings.Contains(b, `"code":"MEX"`) || !strings.Contains(b, `"name":"Ciudad de México"`) {
			t.Errorf("deleted city before = %s", b)
		}
		p, err = db.ListAudit(ctx, AuditFilter{Entity: "campaign", Action: AuditDelete})
		assertNoError(t, err)
		if b := p.Items[0].Before; !strings.Contains(b, `"venues":5`) || !strings.Contains(b, `"materials":2`) {
			t.Errorf("deleted campaign before = %s", b)
		}
	})
}
