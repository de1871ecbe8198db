package store

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"

	"github.com/lib/pq"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/reparto/reparto/planner"
)

// translate turns driver errors into *planner.Error at the storage
// boundary so that nothing above store/ needs to know which database
// answered. Errors that are already *planner.Error pass unchanged; errors
// it does not recognise are returned as they are (EInternal for callers).
// The original error is kept in Err for the logs.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var perr *planner.Error
	if errors.As(err, &perr) {
		return err
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return &planner.Error{Code: planner.ENotFound, ID: planner.MsgNotFound, Message: "not found", Err: err}
	case isUnique(err):
		return &planner.Error{Code: planner.EConflict, ID: planner.MsgDuplicate, Message: "already exists", Err: err}
	case isForeignKey(err):
		return &planner.Error{Code: planner.EConflict, ID: planner.MsgReference,
			Message: "refers to something that does not exist, or is still referred to", Err: err}
	case isUnavailable(err):
		return unavailable(err)
	case isBadText(err):
		return &planner.Error{Code: planner.EInvalid, ID: planner.MsgBadText,
			Message: "text contains a NUL character or bytes that are not UTF-8", Err: err}
	}
	return err
}

func unavailable(err error) error {
	return &planner.Error{Code: planner.EUnavailable, Message: "database unavailable", Err: err}
}

// thing names a kind of record in a not-found error. The English text is
// for logs and the command line; the web layer says the kind in the
// reader's language from its catalogue entry errors.thing.NAME, so the
// name is an id, not wording (NotFoundThings lists them for that test).
type thing string

const (
	thingAlert         thing = "alert"          // key: the event the alert is about
	thingCampaign      thing = "campaign"       // key: its id
	thingCategory      thing = "venue_category" // key: its code
	thingCity          thing = "city"           // key: its code
	thingCommittedPlan thing = "committed_plan" // key: the campaign's id
	thingLock          thing = "lock"           // key: material/city/category
	thingMaterial      thing = "material"       // key: its code
	thingPlanVersion   thing = "plan_version"   // key: the version number
	thingShipment      thing = "shipment"       // key: its id
	thingToken         thing = "token"          // key: its id
	thingUser          thing = "user"           // key: its id or email
	thingVenue         thing = "venue"          // key: its id
	thingVenueCount    thing = "venue_count"    // key: city/category
	thingVenueImport   thing = "venue_import"   // key: its id
)

// NotFoundThings are the kinds a not-found error of the store can name.
var NotFoundThings = []string{string(thingAlert), string(thingCampaign), string(thingCategory),
	string(thingCity), string(thingCommittedPlan), string(thingLock), string(thingMaterial),
	string(thingPlanVersion), string(thingShipment), string(thingToken), string(thingUser),
	string(thingVenue), string(thingVenueCount), string(thingVenueImport)}

// notFound is the ENotFound error for the record of kind what with key
// key (a code is quoted, a number is not): notFound(thingMaterial, "L3").
func notFound(what thing, key any) error {
	k := fmt.Sprint(key)
	if s, ok := key.(string); ok {
		k = strconv.Quote(s)
	}
	return &planner.Error{Code: planner.ENotFound, ID: planner.MsgNotFoundThing,
		Args:    map[string]any{"What": string(what), "Key": k},
		Message: fmt.Sprintf("%s %s not found", what.english(), k)}
}

// english is the kind's name in the English text of logs and the CLI.
func (t thing) english() string {
	switch t {
	case thingAlert:
		return "alert for event"
	case thingCommittedPlan:
		return "committed plan of campaign"
	}
	return strings.ReplaceAll(string(t), "_", " ")
}

// conflict is an EConflict error whose message says what is in the way;
// id says it in the reader's language.
func conflict(id planner.MsgID, format string, args ...any) error {
	return planner.Errorm(planner.EConflict, id, format, args...)
}

// orNotFound maps sql.ErrNoRows to the not-found error of the record
// what/key and wraps any other error with context.
func orNotFound(err error, what thing, key any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what, key)
	}
	return fmt.Errorf("get %s %v: %w", what, key, err)
}

func isUnique(err error) bool {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

func isForeignKey(err error) bool {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return pe.Code == "23503"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}

// isUnavailable says whether the database could not be reached, went
// away mid-conversation or is overloaded, as opposed to rejecting the
// statement: retrying later may work, so callers answer 503, not 500.
// A connection cut under a request surfaces in many forms depending on
// where the driver noticed (io.EOF while reading a reply, a reset or a
// broken pipe, driver.ErrBadConn, PostgreSQL's own "terminating
// connection"); all of them are listed here, the one place that decides.
func isUnavailable(err error) bool {
	var pe *pq.Error
	if errors.As(err, &pe) {
		switch pe.Code.Class() {
		case "08", "53", "57": // connection exception, insufficient resources, operator intervention (shutdown, statement timeout)
			return true
		}
		return pe.Code == "25006" // read_only_sql_transaction: a standby answered during a failover
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return sqliteUnavailable(se.Code())
	}
	var ne net.Error // net.OpError, i/o timeouts, context.DeadlineExceeded
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ETIMEDOUT) || errors.As(err, &ne)
}

// sqliteUnavailable classifies a SQLite result code. SQLITE_BUSY (another
// process holds the file's write lock past busy_timeout), a file that
// cannot be opened, a full disk and I/O errors may pass; SQLITE_LOCKED is
// a conflict inside one connection, a bug that retrying does not cure.
func sqliteUnavailable(code int) bool {
	switch code & 0xff { // primary result code
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR:
		return true
	}
	return false
}

// isBadText says whether PostgreSQL refused a text value it cannot store:
// a NUL byte or bytes that are not UTF-8 (SQLSTATE 22021
// character_not_in_repertoire, 22P05 untranslatable_character). The API
// refuses such input before it gets here; this is the safety net.
func isBadText(err error) bool {
	var pe *pq.Error
	return errors.As(err, &pe) && (pe.Code == "22021" || pe.Code == "22P05")
}
