package api

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/reparto/reparto/api/web"
)

// The browser tests drive a real Chromium against the test server. They
// are skipped where no Chromium is installed (a plain `go test` on a
// laptop or in CI without a browser) unless REPARTO_BROWSER_TESTS is set,
// in which case a missing browser is a failure: a CI job that promises
// browser coverage must not pass silently without it.

// browserTimeout bounds the whole browser session; the machine may be
// shared and slow, so it is generous.
const browserTimeout = 5 * time.Minute

// chromiumPath finds the browser: $REPARTO_CHROMIUM, else /usr/bin/chromium,
// else the usual names on PATH. It skips or fails the test when there is none.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("REPARTO_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("REPARTO_CHROMIUM=%s: %v", p, err)
		}
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("REPARTO_BROWSER_TESTS") == "" {
		t.Skip("browser tests skipped: no Chromium found; set REPARTO_BROWSER_TESTS=1 to require them")
	}
	t.Fatal("REPARTO_BROWSER_TESTS is set but no Chromium was found: set REPARTO_CHROMIUM or install chromium")
	return ""
}

// chromeTab is one headless Chromium tab with a watch on what the pages do.
type chromeTab struct {
	ctx  context.Context
	base string // the test server's URL

	mu      sync.Mutex
	errors  []string // JavaScript exceptions, console.error calls, browser log errors
	foreign []string // requests to anything but the test server's loopback host
}

// newChromeTab starts Chromium with a fresh profile for the server at base.
// The browser is stopped when the test ends.
func newChromeTab(t *testing.T, base string) *chromeTab {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1400, 1000),
		chromedp.UserDataDir(t.TempDir()),
	)
	root, stop := context.WithTimeout(context.Background(), browserTimeout)
	t.Cleanup(stop)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(root, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelTab)
	if err := chromedp.Do(ctx); err != nil { // starts the browser and opens the tab
		t.Fatalf("start %s: %v", path, err)
	}
	b := &chromeTab{ctx: ctx, base: base}
	if err := chromedp.Listen(ctx, b.watch); err != nil {
		t.Fatal(err)
	}
	return b
}

// watch records the page errors and the requests that leave the test
// server. It runs in the tab's event loop: it must return fast.
func (b *chromeTab) watch(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		b.errors = append(b.errors, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber+1, msg))
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				if a.Description != "" {
					parts = append(parts, a.Description)
				} else {
					parts = append(parts, string(a.Value))
				}
			}
			b.errors = append(b.errors, "console."+string(ev.Type)+": "+strings.Join(parts, " "))
		}
	case *log.EventEntryAdded:
		if e := ev.Entry; e.Level == log.EntryLevelError && !b.expectedStatus(e) {
			b.errors = append(b.errors, fmt.Sprintf("browser log (%s): %s %s", e.Source, e.Text, e.URL))
		}
	case *network.EventRequestWillBeSent:
		u, err := url.Parse(ev.Request.URL)
		if err != nil || (u.Scheme != "data" && u.Scheme != "blob" && u.Hostname() != "127.0.0.1") {
			b.foreign = append(b.foreign, ev.Request.URL)
		}
	}
}

// expectedStatus reports whether a log entry is only the browser noting a
// 4xx status that is no fault of a page: a form re-rendered with 422 as the
// test asked, or the browser's own request for /favicon.ico, which the
// application does not serve.
func (b *chromeTab) expectedStatus(e *log.Entry) bool {
	if e.Source != log.EntrySourceNetwork {
		return false
	}
	return strings.Contains(e.Text, "status of 422") || strings.HasSuffix(e.URL, "/favicon.ico")
}

// problems returns what went wrong in the pages so far and forgets it, so
// that each step reports its own.
func (b *chromeTab) problems() (errs, foreign []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	errs, foreign = b.errors, b.foreign
	b.errors, b.foreign = nil, nil
	return errs, foreign
}

// checkPages fails t when a page threw, logged an error or reached outside
// the test server since the last check.
func (b *chromeTab) checkPages(t *testing.T) {
	t.Helper()
	errs, foreign := b.problems()
	for _, e := range errs {
		t.Errorf("page error: %s", e)
	}
	for _, u := range foreign {
		t.Errorf("request outside the test server: %s", u)
	}
}

// do runs actions, failing the test with what was being done.
func (b *chromeTab) do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// open navigates to a path of the test server and returns the HTTP status
// of the document (after redirects).
func (b *chromeTab) open(t *testing.T, path string) int64 {
	t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

// submit clicks a form's button, waits for the next page and returns its
// status and URL.
func (b *chromeTab) submit(t *testing.T, button string) (int64, string) {
	t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(button), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("submit %s: %v", button, err)
	}
	return resp.Status, resp.URL
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, b *chromeTab, expr string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// value returns the value of the input with the given CSS selector.
func (b *chromeTab) value(t *testing.T, sel string) string {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}

// text returns the visible text of the element with the given CSS selector.
func (b *chromeTab) text(t *testing.T, sel string) string {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return v
}

// setLangCookie chooses the UI language as the language switcher does.
func (b *chromeTab) setLangCookie(t *testing.T, lang string) {
	t.Helper()
	_, err := chromedp.Call(b.ctx, network.SetCookie, network.SetCookieParams{Name: web.LangCookie, Value: lang, URL: b.base + "/"})
	if err != nil {
		t.Fatalf("set the %s cookie: %v", web.LangCookie, err)
	}
}

// screenshotsWanted says whether to rewrite the README screenshots: only on
// request, so that an ordinary run never changes tracked files.
func screenshotsWanted() bool { return os.Getenv("REPARTO_SCREENSHOTS") == "1" }

// saveScreenshot writes a full-page PNG of the current page to docs/name.
func (b *chromeTab) saveScreenshot(t *testing.T, name string) {
	t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join("..", "docs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d KB)", path, len(png)/1024)
}
