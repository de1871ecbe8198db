package main

import "flag"

// dbConfig selects the database: DATABASE_URL (PostgreSQL) wins over the
// SQLite file given by --db / REPARTO_DB.
type dbConfig struct {
	path        string
	databaseURL string
}

func (e *env) dbFlags(fs *flag.FlagSet) *dbConfig {
	c := &dbConfig{databaseURL: e.getenv("DATABASE_URL")}
	fs.StringVar(&c.path, "db", envOr(e.getenv, "REPARTO_DB", "./reparto.db"), "SQLite database file (env REPARTO_DB); ignored when DATABASE_URL is set")
	return c
}

// dsn is what store.Open understands: a postgres:// URL or a file path.
func (c *dbConfig) dsn() string {
	if c.databaseURL != "" {
		return c.databaseURL
	}
	return c.path
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
