package auth

import "testing"

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/":                 "/",
		"/a/b?c=d#e":        "/a/b?c=d#e",
		"":                  "",
		"a/b":               "",
		"//host":            "",
		"/\\host":           "",
		"/a\\b":             "",
		"/a\nb":             "",
		"http://host/":      "",
		"/ok/../../etc":     "/ok/../../etc", // a path on this site all the same
		"\t/x":              "",
		"https:/\\/example": "",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
