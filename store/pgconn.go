package store

import (
	"context"
	"database/sql/driver"
	"net"
	"sync"
	"time"

	"github.com/lib/pq"
)

// A PostgreSQL connection can get stuck: the server process stopped, a
// network that drops packets, a proxy that accepts and never forwards.
// lib/pq then waits on the socket for as long as it stays stuck, even
// after the caller's context has ended (it sends a cancel request, over a
// new connection that is just as stuck), and every request using that
// connection hangs with it. Two guards make such a connection fail, with
// an i/o timeout that translate reports as EUnavailable (503):
//
//   - the context of the operation in flight: when it ends, the socket's
//     deadline is moved to now, so a read waiting for the server returns;
//   - a silence limit: a read waiting longer than the statement timeout
//     plus a grace period is abandoned, since a live server would have
//     cancelled the statement by then and said so.
//
// TCP keepalives (pgKeepAlive) find peers that vanished while a pooled
// connection sat idle.

// pgKeepAlive probes an idle connection after 15 s and gives it up after
// three unanswered probes 5 s apart.
var pgKeepAlive = net.KeepAliveConfig{Enable: true, Idle: 15 * time.Second, Interval: 5 * time.Second, Count: 3}

// pgConnector opens lib/pq connections through pgDialer and watches them.
type pgConnector struct {
	pq *pq.Connector
}

// newPGConnector parses dsn; silence is the silence limit (0: none).
func newPGConnector(dsn string, silence time.Duration) (*pgConnector, error) {
	c, err := pq.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	c.Dialer(pgDialer{silence: silence})
	return &pgConnector{pq: c}, nil
}

// dialSlot carries the context of a Connect call to the dialer, and the
// dialed connection back.
type dialSlot struct {
	ctx  context.Context
	conn *watchedConn
}

type dialSlotKey struct{}

func (c *pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	slot := &dialSlot{ctx: ctx}
	conn, err := c.pq.Connect(context.WithValue(ctx, dialSlotKey{}, slot))
	if err != nil || slot.conn == nil {
		return conn, err
	}
	slot.conn.watch(context.Background()) // idle until its first operation
	return &pgConn{Conn: conn, nc: slot.conn}, nil
}

func (c *pgConnector) Driver() driver.Driver { return c.pq.Driver() }

// pgDialer dials TCP with keepalives and wraps the socket in a watchedConn.
type pgDialer struct{ silence time.Duration }

func (d pgDialer) Dial(network, address string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, address)
}

func (d pgDialer) DialTimeout(network, address string, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return d.DialContext(ctx, network, address)
}

func (d pgDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	nd := net.Dialer{KeepAliveConfig: pgKeepAlive}
	c, err := nd.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	w := &watchedConn{Conn: c, silence: d.silence}
	// The startup handshake is bounded by connect_timeout (lib/pq sets a
	// deadline) and also by the context of the Connect call, which lib/pq
	// itself only uses for the TCP dial. Cancel requests have no slot.
	if slot, ok := ctx.Value(dialSlotKey{}).(*dialSlot); ok {
		slot.conn = w
		w.watch(slot.ctx)
	}
	return w, nil
}

// watchedConn is a socket whose reads and writes give up when the watched
// context ends or the server stays silent too long.
type watchedConn struct {
	net.Conn
	silence time.Duration

	mu       sync.Mutex
	deadline time.Time // set by lib/pq (connect_timeout), zero for none
	gen      int       // which watch is current
	stop     func() bool
	expired  bool // the watched context ended: every operation fails at once
}

// watch makes ctx the context of the operations that follow, until the
// next watch.
func (w *watchedConn) watch(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stop != nil {
		w.stop()
	}
	w.gen++
	gen := w.gen
	w.expired = false
	w.stop = context.AfterFunc(ctx, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if gen == w.gen {
			w.expired = true
			w.Conn.SetDeadline(time.Unix(1, 0)) // wakes a blocked Read or Write
		}
	})
}

// limit is the deadline of an operation starting now; call with mu held.
func (w *watchedConn) limit() time.Time {
	d := w.deadline
	if w.silence > 0 {
		if s := time.Now().Add(w.silence); d.IsZero() || s.Before(d) {
			d = s
		}
	}
	return d
}

func (w *watchedConn) Read(b []byte) (int, error) {
	w.mu.Lock()
	if !w.expired {
		w.Conn.SetReadDeadline(w.limit())
	}
	w.mu.Unlock()
	return w.Conn.Read(b)
}

func (w *watchedConn) Write(b []byte) (int, error) {
	w.mu.Lock()
	if !w.expired {
		w.Conn.SetWriteDeadline(w.limit())
	}
	w.mu.Unlock()
	return w.Conn.Write(b)
}

// SetDeadline records lib/pq's own deadline (the connect timeout, then
// none); Read and Write combine it with the silence limit.
func (w *watchedConn) SetDeadline(t time.Time) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.deadline = t
	if w.expired {
		return nil
	}
	return w.Conn.SetDeadline(t)
}

func (w *watchedConn) Close() error {
	w.mu.Lock()
	if w.stop != nil {
		w.stop()
	}
	w.mu.Unlock()
	return w.Conn.Close()
}

// beginWatchKey carries, in a transaction's context made without
// cancellation (txContext), the caller's context for the socket to watch
// while BEGIN runs.
type beginWatchKey struct{}

// pgConn is a lib/pq connection whose every operation first tells its
// socket which context to watch. It implements the optional interfaces
// lib/pq's connection does, so database/sql uses the same paths.
type pgConn struct {
	driver.Conn
	nc *watchedConn
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.nc.watch(ctx)
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &pgStmt{Stmt: st, nc: c.nc}, nil
}

func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if w, ok := ctx.Value(beginWatchKey{}).(context.Context); ok {
		c.nc.watch(w) // see txContext: BEGIN still ends with the caller's context
	} else {
		c.nc.watch(ctx)
	}
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.nc.watch(ctx)
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.nc.watch(ctx)
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

func (c *pgConn) Ping(ctx context.Context) error {
	c.nc.watch(ctx)
	return c.Conn.(driver.Pinger).Ping(ctx)
}

func (c *pgConn) ResetSession(ctx context.Context) error {
	c.nc.watch(ctx)
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *pgConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

func (c *pgConn) CheckNamedValue(nv *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(nv)
}

// pgStmt watches the context of each execution of a prepared statement.
type pgStmt struct {
	driver.Stmt
	nc *watchedConn
}

func (s *pgStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.nc.watch(ctx)
	if st, ok := s.Stmt.(driver.StmtExecContext); ok {
		return st.ExecContext(ctx, args)
	}
	// lib/pq's COPY statement (see copyRows) has only Exec.
	values := make([]driver.Value, len(args))
	for i, a := range args {
		values[i] = a.Value
	}
	//lint:ignore SA1019 the driver offers nothing else for COPY
	return s.Stmt.Exec(values)
}

func (s *pgStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.nc.watch(ctx)
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}
