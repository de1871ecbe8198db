package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestServeRefusesABadRequestTimeout(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		args []string
	}{
		{"environment", map[string]string{"REPARTO_REQUEST_TIMEOUT": "soon"}, nil},
		{"flag", nil, []string{"--request-timeout", "0s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{"REPARTO_DB": filepath.Join(t.TempDir(), "r.db")}
			for k, v := range tt.vars {
				vars[k] = v
			}
			e, _, _ := testEnv(t, vars)
			err := (&serveCmd{env: e}).Run(context.Background(), append([]string{"--addr", "127.0.0.1:0"}, tt.args...))
			if err == nil || !strings.Contains(err.Error(), "--request-timeout") {
				t.Errorf("serve with a bad request timeout: %v, want an error naming --request-timeout", err)
			}
		})
	}
}

// A --public-url that is not an absolute http(s) URL would print broken or
// misleading QR codes on every label: serve refuses to start.
func TestServeRefusesABadPublicURL(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		args []string
	}{
		{"environment", map[string]string{"REPARTO_PUBLIC_URL": "reparto.example.org"}, nil},
		{"flag relative", nil, []string{"--public-url", "/reparto"}},
		{"flag query", nil, []string{"--public-url", "https://reparto.example.org/?x=1"}},
		{"flag user", nil, []string{"--public-url", "https://evil.example@reparto.example.org"}},
		{"flag ftp", nil, []string{"--public-url", "ftp://reparto.example.org"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{"REPARTO_DB": filepath.Join(t.TempDir(), "r.db")}
			for k, v := range tt.vars {
				vars[k] = v
			}
			e, _, _ := testEnv(t, vars)
			err := (&serveCmd{env: e}).Run(context.Background(), append([]string{"--addr", "127.0.0.1:0"}, tt.args...))
			if err == nil || !strings.Contains(err.Error(), "--public-url") {
				t.Errorf("serve with a bad public URL: %v, want an error naming --public-url", err)
			}
		})
	}
}
