package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
)

// startDebug serves Go's profiler (net/http/pprof: CPU and heap profiles,
// execution traces) on addr, a listener of its own apart from the
// application, when REPARTO_DEBUG_ADDR names one. Off by default; it is
// for diagnosing the server under load (issue 13: which requests wait and
// on what), and must stay on a loopback or otherwise private address: the
// profiles show the server's internals and cost CPU while they run.
func startDebug(addr string, log *slog.Logger) error {
	if addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("REPARTO_DEBUG_ADDR: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("REPARTO_DEBUG_ADDR: want a loopback address such as 127.0.0.1:6060, got %q", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("REPARTO_DEBUG_ADDR: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	log.Warn("profiler listening (REPARTO_DEBUG_ADDR)", "url", "http://"+ln.Addr().String()+"/debug/pprof/")
	go func() { _ = http.Serve(ln, mux) }()
	return nil
}
