// Command reparto is Reparto's single binary: the web server and the
// offline tools (plan, import, export, migrate, user). main only wires;
// each subcommand is a small type with a Run method.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/reparto/reparto/planner"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// command is one subcommand. Run gets the arguments after its name.
type command interface {
	Name() string
	Synopsis() string
	Run(ctx context.Context, args []string) error
}

// env bundles what commands need from the process, so tests can run them
// in-process with their own streams and environment.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

func commands(e *env) []command {
	return []command{
		&serveCmd{env: e},
		&planCmd{env: e},
		&importCmd{env: e},
		&importRegistryCmd{env: e},
		&exportCmd{env: e},
		&migrateCmd{env: e},
		&userCmd{env: e},
		&versionCmd{env: e},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand and turns its error into an exit status:
// 2 for bad input (usage or an invalid file), 1 for anything else.
func run(ctx context.Context, args []string, e *env) int {
	cmds := commands(e)
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range cmds {
		if c.Name() != args[0] {
			continue
		}
		err := c.Run(ctx, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		case planner.ErrorCode(err) == planner.EInvalid:
			fmt.Fprintf(e.stderr, "reparto %s: %s\n", c.Name(), oneLine(err.Error()))
			return 2
		default:
			fmt.Fprintf(e.stderr, "reparto %s: %v\n", c.Name(), err)
			return 1
		}
	}
	fmt.Fprintf(e.stderr, "reparto: unknown command %q\n\n", args[0])
	usage(e.stderr, cmds)
	return 2
}

func usage(w io.Writer, cmds []command) {
	fmt.Fprintln(w, "Reparto plans and tracks the distribution of printed campaign materials.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: reparto <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-16s %s\n", c.Name(), c.Synopsis())
	}
	fmt.Fprintln(w, "  help             show this list")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'reparto <command> -h' for the flags of a command.")
}

// errUsage marks a flag-parsing failure already reported by the flag package.
var errUsage = errors.New("usage")

// newFlags returns a FlagSet that reports to stderr and returns errors
// instead of exiting, so run() decides the exit status.
func (e *env) newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: reparto %s [flags]\n%s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	return nil
}

func oneLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}

type versionCmd struct{ env *env }

func (*versionCmd) Name() string     { return "version" }
func (*versionCmd) Synopsis() string { return "print the version" }
func (c *versionCmd) Run(ctx context.Context, args []string) error {
	fmt.Fprintln(c.env.stdout, "reparto", version)
	return nil
}
