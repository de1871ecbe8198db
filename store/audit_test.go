package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
)

func TestAuditIsWrittenInTheCallersTransaction(t *testing.T) {
	eachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(context.Background(), Actor{UserID: 0, Email: "ana@example.org", IP: "192.0.2.7"})
		boom := errors.New("boom")
		err := db.WithTx(ctx, func(tx *sqlx.Tx) error {
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

		err = db.WithTx(ctx, func(tx *sqlx.Tx) error {
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
		if _, err := db.ExecContext(ctx, `UPDATE audit_log SET actor = 'mallory'`); err == nil {
			t.Error("UPDATE of audit_log succeeded")
		}
		if _, err := db.ExecContext(ctx, `DELETE FROM audit_log`); err == nil {
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
