package pages

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// A stored campaign the planner refuses (the store normally prevents it,
// but data can predate a rule) shows why instead of a plan.
func TestPlanPageShowsWhyThereIsNoPlan(t *testing.T) {
	u, err := web.NewUI()
	if err != nil {
		t.Fatal(err)
	}
	kit := &web.Kit{UI: u, Log: slog.New(slog.DiscardHandler)}
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodGet, "/campaigns/1/plan", nil)
	c.Set(web.CtxUser, &web.SessionUser{Email: "p@test.local", Role: web.RolePlanner})
	msg := "locks (2000 pieces) and reserve (0 pieces) exceed the 1000 printed pieces of SPREAD"
	kit.Render(c, http.StatusOK, "plan", &planPageData{ID: 1, PlanError: msg,
		PlanErrorFields: []planner.FieldError{{Path: "materials[0]", Message: msg}}})
	body := w.Body.String()
	for _, want := range []string{`id="plan-error"`, msg, "<li>Material n.º 1: "} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, `id="plan-totals"`) || strings.Contains(body, `id="plan-commit-form"`) {
		t.Error("a campaign without a plan shows totals or a commit form")
	}
}
