package api

import (
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/assets"
)

// Text responses are gzipped for clients that ask, and the pages that may
// show a secret (the account page with a new token) and the login form are
// not, so that a compression side channel has nothing to measure.
func TestResponsesAreCompressedExceptWhereSecretsShow(t *testing.T) {
	ts := newTestServer(t)
	cl := ts.client(t, web.RolePlanner)
	tests := []struct {
		path string
		gzip bool
	}{
		{fmt.Sprintf("/campaigns/%d/plan", ts.CampaignID), true},
		{fmt.Sprintf("/campaigns/%d/dashboard", ts.CampaignID), true},
		{fmt.Sprintf("/api/v1/campaigns/%d/map/states.geojson", ts.CampaignID), true},
		{"/static/vendor/leaflet/leaflet.js", true},
		{"/account", false},
		{"/login", false},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(http.MethodGet, ts.URL+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Set explicitly, so that the client hands back the raw body.
		req.Header.Set("Accept-Encoding", "gzip")
		c := cl
		if tt.path == "/login" {
			c = &http.Client{} // signed in, /login would redirect
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", tt.path, resp.StatusCode)
			continue
		}
		got := resp.Header.Get("Content-Encoding") == "gzip"
		if got != tt.gzip {
			t.Errorf("%s: gzip %v, want %v", tt.path, got, tt.gzip)
			continue
		}
		if !got {
			continue
		}
		if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: Vary %q lacks Accept-Encoding", tt.path, resp.Header.Get("Vary"))
		}
		zr, err := gzip.NewReader(strings.NewReader(string(raw)))
		if err != nil {
			t.Errorf("%s: %v", tt.path, err)
			continue
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			t.Errorf("%s: %v", tt.path, err)
		}
		if len(raw)*2 > len(plain) {
			t.Errorf("%s: %d bytes compressed to %d, want less than half", tt.path, len(plain), len(raw))
		}
	}
}

// Scripts never block the first paint: every external script is deferred
// (they run in order once the page is parsed).
func TestExternalScriptsAreDeferred(t *testing.T) {
	ts := newTestServer(t)
	seedDemoTracking(t, ts)
	cl := ts.client(t, web.RoleViewer)
	for _, page := range []string{"dashboard", "map", "plan", "shipments"} {
		_, body := ts.get(t, cl, fmt.Sprintf("/campaigns/%d/%s", ts.CampaignID, page))
		for _, tag := range strings.Split(body, "<script")[1:] {
			tag = tag[:strings.Index(tag, ">")]
			if strings.Contains(tag, "src=") && !strings.Contains(tag, "defer") {
				t.Errorf("%s: <script%s> is not deferred", page, tag)
			}
		}
	}
}

// Every <script> in every template either is deferred (or a module, which
// defers by itself) or carries JSON data, which a browser does not run: a
// page the four pages above do not cover cannot slip in a script that
// blocks the first paint, nor an inline one, which the Content-Security-Policy
// would refuse anyway.
func TestEveryTemplateScriptIsDeferredOrData(t *testing.T) {
	script := regexp.MustCompile(`<script\b[^>]*>`)
	n := 0
	err := fs.WalkDir(assets.FS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		src, err := fs.ReadFile(assets.FS, path)
		if err != nil {
			return err
		}
		for _, tag := range script.FindAllString(string(src), -1) {
			n++
			switch {
			case strings.Contains(tag, `type="application/json"`):
			case strings.Contains(tag, " src=") && (strings.Contains(tag, " defer") || strings.Contains(tag, `type="module"`)):
			default:
				t.Errorf("%s: %s is neither deferred nor JSON data", path, tag)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no <script> found in the templates: has the layout moved?")
	}
}
