package store

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Defaults Open adds to a postgres:// URL that does not set them. Either
// may be overridden in the URL: connect_timeout=N (seconds) and
// statement_timeout=5s, 2min or 30000 (milliseconds; 0 turns it off),
// also accepted as options=-c statement_timeout=...
const (
	// defaultConnectTimeout bounds opening a connection (TCP connect and
	// the startup handshake). Without it lib/pq waits forever for a server
	// that accepts connections but does not answer.
	defaultConnectTimeout = "5"

	// defaultStatementTimeout is PostgreSQL's statement_timeout: the server
	// cancels a statement running longer (the caller gets 503). No page or
	// API call needs a long statement: imports and plan commits are many
	// short ones; migrations run without it (see Migrate).
	defaultStatementTimeout = 10 * time.Second

	// silenceGrace is how much longer than the statement timeout a client
	// waits for a server that says nothing before it gives the connection
	// up as stuck: a live server would have cancelled the statement.
	silenceGrace = 3 * time.Second
)

// postgresDSN returns dsn with the default connect and statement timeouts
// added where it sets none, and the silence limit of its connections (0
// when the statement timeout is off or cannot be read).
func postgresDSN(dsn string) (string, time.Duration) {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn, 0 // lib/pq reports the malformed URL
	}
	q := u.Query()
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", defaultConnectTimeout)
	}
	timeout, set := statementTimeout(q)
	if !set {
		timeout = defaultStatementTimeout
		q.Set("statement_timeout", strconv.FormatInt(timeout.Milliseconds(), 10))
	}
	u.RawQuery = q.Encode()
	if timeout <= 0 {
		return u.String(), 0
	}
	return u.String(), timeout + silenceGrace
}

// withoutStatementTimeout is dsn (a postgresDSN result) with the statement
// timeout off, for work that may legitimately run long (migrations).
func withoutStatementTimeout(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	q.Set("statement_timeout", "0")
	u.RawQuery = q.Encode()
	return u.String()
}

var optionsTimeout = regexp.MustCompile(`statement_timeout=(\S+)`)

// statementTimeout reads the statement timeout a URL's parameters set;
// set is false when they set none. A value it cannot read counts as 0.
func statementTimeout(q url.Values) (d time.Duration, set bool) {
	v := q.Get("statement_timeout")
	if v == "" {
		m := optionsTimeout.FindStringSubmatch(q.Get("options"))
		if m == nil {
			return 0, false
		}
		v = m[1]
	}
	d, _ = parsePGDuration(v)
	return d, true
}

// pgUnits are the time units PostgreSQL accepts in a setting.
var pgUnits = []struct {
	suffix string
	unit   time.Duration
}{{"us", time.Microsecond}, {"ms", time.Millisecond}, {"min", time.Minute}, {"s", time.Second}, {"h", time.Hour}, {"d", 24 * time.Hour}}

// parsePGDuration reads a PostgreSQL time setting: "30000" (milliseconds,
// the unit of statement_timeout), "30s", "2min", "1h"…
func parsePGDuration(s string) (time.Duration, bool) {
	s = strings.Trim(strings.TrimSpace(s), `'"`)
	unit := time.Millisecond
	for _, u := range pgUnits {
		if strings.HasSuffix(s, u.suffix) {
			s, unit = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.unit
			break
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return time.Duration(n * float64(unit)), true
}
