package api

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/store"
)

func TestAdminCreatesUsersWithAOneTimePassword(t *testing.T) {
	f := newAuthFixture(t)
	f.user("admin@example.org", web.RoleAdmin)
	b := f.browser()
	b.login("admin@example.org")
	wantStatus(t, b.get("/admin/users"), http.StatusOK)

	w := b.post("/admin/users", url.Values{"email": {"Bea@Example.org"}, "role": {web.RolePlanner}})
	wantStatus(t, w, http.StatusOK)
	m := regexp.MustCompile(`<code class="secret">([A-Za-z0-9_-]{20})</code>`).FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatalf("no generated password on the page: %.800s", w.Body.String())
	}
	u, err := f.db.GetUserByEmail(context.Background(), "bea@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != web.RolePlanner || !u.MustChangePassword || !u.CheckPassword(m[1]) {
		t.Errorf("created %+v; password works: %v", u, u.CheckPassword(m[1]))
	}

	// Same email again: a named field error, and no second audit row.
	w = b.post("/admin/users", url.Values{"email": {"bea@example.org"}, "role": {web.RoleViewer}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	if !strings.Contains(w.Body.String(), "Ya existe un usuario con ese correo.") {
		t.Error("no message for a taken email")
	}
	w = b.post("/admin/users", url.Values{"email": {"nope"}, "role": {"boss"}, "password": {"short"}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	for _, msg := range []string{"No es un correo electrónico válido.", "El rol debe ser", "al menos 10 caracteres"} {
		if !strings.Contains(w.Body.String(), msg) {
			t.Errorf("missing %q", msg)
		}
	}
	p, err := f.db.ListAudit(context.Background(), store.AuditFilter{Entity: "user", Action: store.AuditCreate})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 2 || p.Items[0].Actor != "admin@example.org" || p.Items[0].IP != "192.0.2.10" {
		t.Errorf("create rows: %+v", p.Items)
	}
}

func TestAdminChangesRoleDisablesAndRevokes(t *testing.T) {
	f := newAuthFixture(t)
	admin := f.user("admin@example.org", web.RoleAdmin)
	ana := f.user("ana@example.org", web.RoleViewer)
	b := f.browser()
	b.login("admin@example.org")
	anaB := f.browser()
	anaB.login("ana@example.org")
	path := func(id int64, action string) string {
		return "/admin/users/" + strconv.FormatInt(id, 10) + "/" + action
	}

	wantRedirect(t, b.post(path(ana.ID, "role"), url.Values{"role": {web.RolePlanner}}), "/admin/users")
	if !strings.Contains(b.get("/admin/users").Body.String(), "Rol cambiado.") {
		t.Error("no flash")
	}
	wantStatus(t, b.post(path(ana.ID, "role"), url.Values{"role": {"boss"}}), http.StatusUnprocessableEntity)

	wantRedirect(t, b.post(path(ana.ID, "revoke-sessions"), nil), "/admin/users")
	wantRedirect(t, anaB.get("/account"), "/login?next=%2Faccount")

	wantRedirect(t, b.post(path(ana.ID, "disable"), nil), "/admin/users")
	wantStatus(t, anaB.login("ana@example.org"), http.StatusUnauthorized)
	wantRedirect(t, b.post(path(ana.ID, "enable"), nil), "/admin/users")
	wantRedirect(t, anaB.login("ana@example.org"), "/campaigns")

	// The last admin cannot demote or disable themself.
	w := b.post(path(admin.ID, "disable"), nil)
	wantStatus(t, w, http.StatusConflict)
	if !strings.Contains(w.Body.String(), "último administrador") {
		t.Error("no last-admin message")
	}
	wantStatus(t, b.post(path(999, "disable"), nil), http.StatusNotFound)
	wantStatus(t, b.post("/admin/users/x/disable", nil), http.StatusBadRequest)
}

func TestAuditPageFiltersAndPages(t *testing.T) {
	f := newAuthFixture(t)
	f.user("admin@example.org", web.RoleAdmin)
	ctx := store.WithActor(context.Background(), store.Actor{Email: "bot@example.org"})
	for i := range 150 {
		if err := f.db.LogAudit(ctx, store.AuditEntry{Action: "event", Entity: "shipment", EntityID: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	b := f.browser()
	b.login("admin@example.org")
	w := b.get("/admin/audit?actor=bot@example.org&entity=shipment")
	wantStatus(t, w, http.StatusOK)
	body := w.Body.String()
	if n := strings.Count(body, "<td>shipment"); n != 100 {
		t.Errorf("%d rows on page 1, want 100", n)
	}
	if !strings.Contains(body, "150 registros") || !strings.Contains(body, "Página 1 de 2") {
		t.Error("no count or page number")
	}
	if !strings.Contains(body, `href="/admin/audit?actor=bot%40example.org&amp;entity=shipment&amp;page=2"`) {
		t.Errorf("no link to page 2 keeping the filter")
	}
	w = b.get("/admin/audit?actor=bot@example.org&entity=shipment&page=2")
	if n := strings.Count(w.Body.String(), "<td>shipment"); n != 50 {
		t.Errorf("%d rows on page 2, want 50", n)
	}
	// The fixture clock is 2009-03-20: "to" the day before finds nothing.
	w = b.get("/admin/audit?entity=shipment&to=2009-03-19")
	if n := strings.Count(w.Body.String(), "<td>shipment"); n != 0 {
		t.Errorf("%d rows before the 20th, want 0", n)
	}
	w = b.get("/admin/audit?entity=shipment&from=2009-03-20&to=2009-03-20")
	if !strings.Contains(w.Body.String(), "150 registros") {
		t.Error("from/to of the same day should include it")
	}
	wantStatus(t, b.get("/admin/audit?from=yesterday"), http.StatusUnprocessableEntity)

	w = b.get("/api/v1/admin/audit?entity=shipment&page=2")
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `"total":150`) {
		t.Errorf("API: %.200s", w.Body.String())
	}
	// The log is read-only: no route changes it.
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		r, _ := http.NewRequest(m, "/admin/audit", nil)
		if w := b.do(r); w.Code != http.StatusNotFound && w.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s /admin/audit: %d", m, w.Code)
		}
	}
}

// A long before/after record is folded under its first characters, a short
// one shown whole: a page of long records laid out in full kept a phone
// busy for half a second (Lighthouse, issue 13).
func TestAuditPageFoldsLongRecords(t *testing.T) {
	f := newAuthFixture(t)
	f.user("admin@example.org", web.RoleAdmin)
	ctx := store.WithActor(context.Background(), store.Actor{Email: "bot@example.org"})
	long := map[string]string{"city": "Querétaro", "lines": strings.Repeat("CAR-ALTO/HOSPITAL:100,", 40)}
	for _, e := range []store.AuditEntry{
		{Action: "event", Entity: "shipment", EntityID: "1", After: map[string]int{"boxes": 3}},
		{Action: "event", Entity: "shipment", EntityID: "2", Before: long},
	} {
		if err := f.db.LogAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	b := f.browser()
	b.login("admin@example.org")
	w := b.get("/admin/audit?entity=shipment")
	wantStatus(t, w, http.StatusOK)
	body := w.Body.String()
	if !strings.Contains(body, `<code class="json">{&#34;boxes&#34;:3}</code>`) {
		t.Error("the short record is not shown whole")
	}
	if n := strings.Count(body, `<details class="audit-json">`); n != 1 {
		t.Errorf("%d folded records, want 1 (the long one)", n)
	}
	m := regexp.MustCompile(`<summary><code>(.*?)</code></summary><code class="json">(.*?)</code>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no folded record:\n%.2000s", body[strings.Index(body, "<tbody>"):])
	}
	full, _ := json.Marshal(long)
	if summary := html.UnescapeString(m[1]); utf8.RuneCountInString(summary) != 81 || !strings.HasSuffix(summary, "…") || !strings.HasPrefix(string(full), strings.TrimSuffix(summary, "…")) {
		t.Errorf("summary %q: want the record's first 80 characters and …", summary)
	}
	if got := html.UnescapeString(m[2]); got != string(full) {
		t.Errorf("folded record %q, want the whole %q", got, full)
	}
}
