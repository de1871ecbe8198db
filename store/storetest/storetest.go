// Package storetest holds test support shared by the packages whose tests
// need a real PostgreSQL: a scratch schema per test and a TCP proxy that
// can take the database away and give it back. It imports nothing of
// Reparto, so store's own tests can use it too.
package storetest

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"net"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // registers "postgres"
)

// PostgresEnv names the variable holding the test PostgreSQL URL.
const PostgresEnv = "REPARTO_TEST_DATABASE_URL"

// ScratchPostgres creates a schema named prefix_<random> in the test
// PostgreSQL, drops it at cleanup, and returns the URL with search_path
// set to it. It skips the test (saying why) when PostgresEnv is unset.
func ScratchPostgres(t testing.TB, prefix string) *url.URL {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skipf("PostgreSQL test skipped: %s is not set", PostgresEnv)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := sqlx.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := prefix + "_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u
}

// Proxied returns u routed through a new Proxy to u's server.
func Proxied(t *testing.T, u *url.URL) (*url.URL, *Proxy) {
	t.Helper()
	target := u.Host
	if u.Port() == "" {
		target = net.JoinHostPort(u.Hostname(), "5432")
	}
	p := NewProxy(t, target)
	v := *u
	v.Host = p.Addr()
	return &v, p
}

// Proxy forwards a loopback port to a server. Down is the server stopping:
// the port refuses connections and every open one is cut. Up is the server
// back on the same port; with hang set, connections are accepted and never
// answered: a server that is up but stuck.
type Proxy struct {
	target, addr string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
	hang  bool
}

// NewProxy listens on a free loopback port; Down runs at cleanup.
func NewProxy(t *testing.T, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{target: target, addr: ln.Addr().String(), conns: map[net.Conn]bool{}}
	p.serve(ln)
	t.Cleanup(p.Down)
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.addr }

func (p *Proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.forward(c)
		}
	}()
}

// track registers c as open, or closes it when the proxy is down.
func (p *Proxy) track(c net.Conn) (hang, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		c.Close()
		return false, false
	}
	p.conns[c] = true
	return p.hang, true
}

func (p *Proxy) forward(c net.Conn) {
	hang, ok := p.track(c)
	if !ok || hang { // a hung connection stays open until Down
		return
	}
	s, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		c.Close()
		return
	}
	if _, ok := p.track(s); !ok {
		c.Close()
		return
	}
	go func() { io.Copy(s, c); s.Close(); p.release(c) }()
	io.Copy(c, s)
	s.Close()
	p.release(c)
	p.mu.Lock()
	delete(p.conns, s)
	p.mu.Unlock()
}

// release closes the client side of a forwarded connection whose server
// side is gone, unless the proxy is a black hole: then the client keeps a
// connection nobody answers on, until Down.
func (p *Proxy) release(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.hang && p.conns[c] {
		return
	}
	c.Close()
	delete(p.conns, c)
}

// Cut closes every open connection, as a network fault or a restarted
// server would; the port keeps accepting new ones.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// BlackHole makes the server stuck without closing anything: open
// connections stop being answered (what the client sends is swallowed)
// and new ones are accepted and never answered, as with a stopped server
// process or a network that drops packets. Down ends it.
func (p *Proxy) BlackHole() {
	p.mu.Lock()
	p.hang = true
	var servers []net.Conn
	for c := range p.conns {
		if c.LocalAddr().String() != p.addr { // our side of a server connection
			servers = append(servers, c)
		}
	}
	p.mu.Unlock()
	for _, s := range servers {
		s.Close() // the copiers stop; release keeps the client side open
	}
}

// Down closes the port and cuts every open connection.
func (p *Proxy) Down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// Up listens again on the same port; hang chooses a stuck server.
func (p *Proxy) Up(t *testing.T, hang bool) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("proxy up again on %s: %v", p.addr, err)
	}
	p.mu.Lock()
	p.hang = hang
	p.mu.Unlock()
	p.serve(ln)
}
