// Command reparto-load is a load generator for a Reparto server running on
// this machine. Simulated users sign in (or use a bearer token) and then,
// until the duration or the request cap runs out, each loads the dashboard,
// the map layers, the shipment list or records an in-transit checkpoint,
// pausing between requests like a person would. It reports throughput,
// latency percentiles for reads and writes, errors by status and, given
// the server's pid, its memory.
//
// It only ever talks to loopback addresses: it is a tool to measure a
// server you started, never to load someone else's.
//
//	reparto-load --url http://127.0.0.1:8080 --email load@example.org --password-file pw.txt \
//	    --users 200 --duration 60s --pid $(pgrep -f 'reparto serve')
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// config is everything a run needs; flags fill it.
type config struct {
	URL         string
	Users       int
	Duration    time.Duration
	MaxRequests int64
	Think       time.Duration
	Writes      float64
	Campaign    int64
	Dispatch    int
	Token       string
	Email       string
	Password    string
	PID         int
	Timeout     time.Duration
}

// Bounds that keep a run from turning into a flood by mistake.
const (
	maxUsers    = 2000
	maxDuration = 30 * time.Minute
	maxRequests = 10_000_000
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses the flags, runs the load and prints the report: exit 0 when
// every request succeeded, 1 when some failed, 2 for bad usage.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseConfig(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "reparto-load: %v\n", err)
		return 2
	}
	rep, err := runLoad(ctx, cfg, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "reparto-load: %v\n", err)
		return 1
	}
	rep.print(stdout)
	if rep.errors() > 0 {
		return 1
	}
	return 0
}

func parseConfig(args []string, stderr io.Writer) (config, error) {
	var c config
	var passwordFile string
	fs := flag.NewFlagSet("reparto-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.URL, "url", "http://127.0.0.1:8080", "base URL of the server (loopback only)")
	fs.IntVar(&c.Users, "users", 200, "simulated users running at once")
	fs.DurationVar(&c.Duration, "duration", 60*time.Second, "how long to run (at most 30m)")
	fs.Int64Var(&c.MaxRequests, "max-requests", 1_000_000, "stop after this many requests")
	fs.DurationVar(&c.Think, "think", 5*time.Second, "mean pause of a user between requests, uniform in [think/2, 3*think/2] (0: none)")
	fs.Float64Var(&c.Writes, "writes", 0.2, "share of requests that record an event (0 to 1)")
	fs.Int64Var(&c.Campaign, "campaign", 1, "campaign id")
	fs.IntVar(&c.Dispatch, "dispatch", 0, "before the run, dispatch up to N planned shipments so that events spread over them")
	fs.StringVar(&c.Token, "token", os.Getenv("REPARTO_TOKEN"), "bearer API token (env REPARTO_TOKEN); or --email and --password")
	fs.StringVar(&c.Email, "email", "", "sign in as this planner (the session cookie is shared by all users)")
	fs.StringVar(&c.Password, "password", os.Getenv("REPARTO_PASSWORD"), "password for --email (env REPARTO_PASSWORD)")
	fs.StringVar(&passwordFile, "password-file", "", "read the password for --email from this file")
	fs.IntVar(&c.PID, "pid", 0, "server process id: report its memory (VmRSS, VmHWM) from /proc")
	fs.DurationVar(&c.Timeout, "timeout", 30*time.Second, "per-request timeout")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if passwordFile != "" {
		b, err := os.ReadFile(passwordFile)
		if err != nil {
			return c, err
		}
		c.Password = strings.TrimRight(string(b), "\r\n")
	}
	return c, c.validate()
}

func (c *config) validate() error {
	c.URL = strings.TrimRight(c.URL, "/")
	if err := checkLoopback(c.URL); err != nil {
		return err
	}
	switch {
	case c.Users < 1 || c.Users > maxUsers:
		return fmt.Errorf("--users must be 1 to %d", maxUsers)
	case c.Duration <= 0 || c.Duration > maxDuration:
		return fmt.Errorf("--duration must be more than 0 and at most %v", maxDuration)
	case c.MaxRequests < 1 || c.MaxRequests > maxRequests:
		return fmt.Errorf("--max-requests must be 1 to %d", maxRequests)
	case c.Think < 0:
		return fmt.Errorf("--think must not be negative")
	case c.Writes < 0 || c.Writes > 1:
		return fmt.Errorf("--writes must be between 0 and 1")
	case c.Dispatch < 0:
		return fmt.Errorf("--dispatch must not be negative")
	case c.Campaign < 1:
		return fmt.Errorf("--campaign must be a positive id")
	case c.Token == "" && (c.Email == "" || c.Password == ""):
		return fmt.Errorf("give --token, or --email with --password or --password-file")
	}
	return nil
}
