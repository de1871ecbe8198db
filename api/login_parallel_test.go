package api

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/reparto/reparto/api/auth"
	"github.com/reparto/reparto/api/web"
)

// TestParallelLoginsCheckAtMostTheLimit: 40 sign-ins to one account sent
// at once, from 40 addresses, 39 with a wrong password and the last with
// the right one. Each attempt is reserved before its password is checked,
// so at most auth.LoginPerAccount passwords are ever checked and the right
// password, beyond the limit, is refused with 429 like the others (issue
// 12, defect 2: every attempt passed the throttle before any failure was
// counted, and the right one signed in).
func TestParallelLoginsCheckAtMostTheLimit(t *testing.T) {
	f := newAuthFixture(t)
	f.user("ana@example.org", web.RoleViewer)
	var checks atomic.Int64
	arrived, release := make(chan struct{}, 64), make(chan struct{})
	f.s.auth.OnPasswordCheck = func() {
		checks.Add(1)
		arrived <- struct{}{}
		<-release // hold every check until all attempts are in
	}
	login := func(i int, password string, out chan<- int) {
		form := url.Values{"email": {"ana@example.org"}, "password": {password}}.Encode()
		r := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = "198.51.100." + strconv.Itoa(i+1) + ":4000"
		w := httptest.NewRecorder()
		f.s.Handler().ServeHTTP(w, r)
		out <- w.Code
	}

	const n = 40
	wrong := make(chan int, n)
	for i := range n - 1 {
		go login(i, "wrong password "+strconv.Itoa(i), wrong)
	}
	// Every attempt either reaches its password check (and waits there)
	// or is answered at once.
	var codes []int
	for waiting := n - 1; waiting > 0; waiting-- {
		select {
		case <-arrived:
		case code := <-wrong:
			codes = append(codes, code)
		}
	}
	right := make(chan int, 1)
	go login(n-1, "password of ana@example.org", right)
	rightCode := 0
	select {
	case <-arrived:
	case rightCode = <-right:
	}
	close(release)
	if rightCode == 0 {
		rightCode = <-right
	}
	for len(codes) < n-1 {
		codes = append(codes, <-wrong)
	}

	if got := checks.Load(); got > auth.LoginPerAccount {
		t.Errorf("%d passwords checked, want at most %d", got, auth.LoginPerAccount)
	}
	if rightCode != http.StatusTooManyRequests {
		t.Errorf("the right password beyond the limit: %d, want 429", rightCode)
	}
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	if count[http.StatusUnauthorized] > auth.LoginPerAccount || count[http.StatusUnauthorized]+count[http.StatusTooManyRequests] != n-1 {
		t.Errorf("wrong passwords answered %v, want at most %d × 401 and the rest 429", count, auth.LoginPerAccount)
	}
}
