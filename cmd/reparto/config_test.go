package main

import (
	"errors"
	"io"
	"testing"
)

// TestDatabasePrecedence pins the order the README's configuration table
// states: a flag given on the command line wins over the environment,
// DATABASE_URL wins over REPARTO_DB, and the default comes last.
func TestDatabasePrecedence(t *testing.T) {
	const url = "postgres://u@h/db"
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		want    string
		wantErr error
	}{
		{name: "default", want: "./reparto.db"},
		{name: "REPARTO_DB", env: map[string]string{"REPARTO_DB": "env.db"}, want: "env.db"},
		{name: "DATABASE_URL", env: map[string]string{"DATABASE_URL": url}, want: url},
		{name: "DATABASE_URL over REPARTO_DB", env: map[string]string{"DATABASE_URL": url, "REPARTO_DB": "env.db"}, want: url},
		{name: "--db over DATABASE_URL", env: map[string]string{"DATABASE_URL": url}, args: []string{"--db", "flag.db"}, want: "flag.db"},
		{name: "--db over REPARTO_DB", env: map[string]string{"REPARTO_DB": "env.db"}, args: []string{"--db", "flag.db"}, want: "flag.db"},
		{name: "--database-url over REPARTO_DB", env: map[string]string{"REPARTO_DB": "env.db"}, args: []string{"--database-url", url}, want: url},
		{name: "--database-url over DATABASE_URL", env: map[string]string{"DATABASE_URL": "postgres://other"}, args: []string{"--database-url", url}, want: url},
		{name: "both flags", args: []string{"--db", "flag.db", "--database-url", url}, wantErr: errTwoDatabases},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return tt.env[k] }}
			fs := e.newFlags("test", "")
			cfg := e.dbFlags(fs)
			if err := parseFlags(fs, tt.args); err != nil {
				t.Fatalf("parse %v: %v", tt.args, err)
			}
			got, err := cfg.dsn()
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("dsn() error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("dsn() = %q, want %q", got, tt.want)
			}
		})
	}
}
