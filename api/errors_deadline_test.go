package api

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/reparto/reparto/api/web"
)

// A plan cut short by the request deadline, or abandoned by its client, is
// 503 (try again), not 500: the server did nothing wrong (found when the
// request timeout was added: a cancelled plan computation answered 500).
func TestStatusOfCutShortWork(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{fmt.Errorf("plan: %w", context.DeadlineExceeded), http.StatusServiceUnavailable},
		{fmt.Errorf("plan: %w", context.Canceled), http.StatusServiceUnavailable},
		{fmt.Errorf("plan: boom"), http.StatusInternalServerError},
	}
	for _, tt := range tests {
		if got := web.StatusOf(tt.err); got != tt.want {
			t.Errorf("web.StatusOf(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
