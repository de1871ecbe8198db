package api

import (
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// compressed gzips text responses for clients that accept it: the plan
// page, the map's GeoJSON and the vendored scripts shrink to a fifth or
// less, which is what a phone on a slow link waits for.
//
// Two precautions. Pages that show a secret once (the account page with a
// newly created API token) and the login form are sent as they are, so that
// a compression side channel (BREACH) has nothing to measure there. Every
// other compressed response carries random-length padding in the gzip
// header, which blurs the size an attacker could read, at a cost of a few
// dozen bytes. Small responses (under 1 KiB) are not worth compressing.
func compressed(next http.Handler) (http.Handler, error) {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.RandomJitter(32, 0, false))
	if err != nil {
		return nil, err
	}
	gz := wrap(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sendsSecrets(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		gz.ServeHTTP(w, r)
	}), nil
}

// sendsSecrets reports whether a path's responses may show a secret (a new
// API token) or are the login form.
func sendsSecrets(path string) bool {
	return path == "/login" || path == "/account" || strings.HasPrefix(path, "/account/")
}
