package main

import (
	"errors"
	"flag"
)

// dbConfig selects the database. Flags win over the environment, which wins
// over the default:
//
//  1. --database-url or --db, whichever is given on the command line (both
//     at once is an error: they name two databases);
//  2. DATABASE_URL, then REPARTO_DB;
//  3. ./reparto.db.
//
// A postgres:// URL selects PostgreSQL; anything else is a SQLite file.
type dbConfig struct {
	fs          *flag.FlagSet
	getenv      func(string) string
	path        string
	databaseURL string
}

func (e *env) dbFlags(fs *flag.FlagSet) *dbConfig {
	c := &dbConfig{fs: fs, getenv: e.getenv}
	fs.StringVar(&c.path, "db", envOr(e.getenv, "REPARTO_DB", "./reparto.db"), "SQLite database file (env REPARTO_DB; DATABASE_URL wins over REPARTO_DB, a --db given here wins over both)")
	// No default shown: the environment's URL may hold a password, and -h
	// must not print it.
	fs.StringVar(&c.databaseURL, "database-url", "", "PostgreSQL URL postgres://… (env DATABASE_URL); wins over REPARTO_DB")
	return c
}

// errTwoDatabases is returned when both --db and --database-url are given.
var errTwoDatabases = errors.New("--db and --database-url name two databases: give one")

// dsn is what store.Open understands: a postgres:// URL or a file path,
// chosen by the precedence of dbConfig. Call it after the flags are parsed.
func (c *dbConfig) dsn() (string, error) {
	set := map[string]bool{}
	if c.fs != nil {
		c.fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	}
	switch {
	case set["db"] && set["database-url"]:
		return "", errTwoDatabases
	case set["database-url"]:
		return c.databaseURL, nil
	case set["db"]:
		return c.path, nil
	}
	if c.getenv != nil {
		if u := c.getenv("DATABASE_URL"); u != "" {
			return u, nil
		}
	}
	return c.path, nil // REPARTO_DB or the default, already in the flag's default
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
