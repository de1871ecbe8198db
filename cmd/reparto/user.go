package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"

	"golang.org/x/crypto/bcrypt"

	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/account"
	"github.com/reparto/reparto/store"
)

// firstAdminEmail is the account created on a fresh database.
const firstAdminEmail = "admin@reparto.local"

// passwordCost is the bcrypt cost: store.DefaultPasswordCost unless
// REPARTO_BCRYPT_COST says otherwise (4..31). Tests lower it: cost 12
// takes a second, and over ten seconds under the race detector.
func passwordCost(e *env) int {
	if n, err := strconv.Atoi(e.getenv("REPARTO_BCRYPT_COST")); err == nil && n >= bcrypt.MinCost && n <= bcrypt.MaxCost {
		return n
	}
	return store.DefaultPasswordCost
}

// ensureAdmin creates the first administrator when the database has no
// user at all, with a random one-time password printed in the log; it must
// be changed at first sign-in. With users present it does nothing.
func ensureAdmin(ctx context.Context, db *store.DB, log *slog.Logger, e *env) error {
	n, err := db.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	password, err := store.GeneratePassword()
	if err != nil {
		return err
	}
	hash, err := store.HashPassword("password", password, passwordCost(e))
	if err != nil {
		return err
	}
	created, err := db.CreateFirstAdmin(ctx, firstAdminEmail, hash)
	if err != nil || !created {
		return err
	}
	// The one time a password is logged: nobody could sign in otherwise.
	log.Info("admin account created", "email", firstAdminEmail, "password", password,
		"note", "sign in and change this password; it is shown only once")
	return nil
}

// userCmd manages accounts from the command line.
type userCmd struct{ env *env }

func (*userCmd) Name() string { return "user" }
func (*userCmd) Synopsis() string {
	return "manage accounts: reparto user add|list|set-password (see reparto user -h)"
}

func (c *userCmd) Run(ctx context.Context, args []string) error {
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "add":
		return c.add(ctx, args)
	case "list":
		return c.list(ctx, args)
	case "set-password":
		return c.setPassword(ctx, args)
	case "-h", "--help", "help":
		c.usage()
		return nil
	}
	c.usage()
	return errUsage
}

func (c *userCmd) usage() {
	fmt.Fprintln(c.env.stderr, `Usage:
  reparto user add --email E --role viewer|planner|admin [--password-stdin]
  reparto user list
  reparto user set-password --email E [--password-stdin]

Without --password-stdin a random password is generated and printed once;
the user must change it at first sign-in.`)
}

// add creates an account.
func (c *userCmd) add(ctx context.Context, args []string) error {
	fs := c.env.newFlags("user add", "create an account")
	dbc := c.env.dbFlags(fs)
	email := fs.String("email", "", "the account's email (required)")
	role := fs.String("role", string(account.Viewer), strings.Join(account.RoleNames(), ", "))
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	states := fs.String("states", "", "field accounts: the states it serves, ISO 3166-2 codes separated by commas (MX-JAL,MX-NLE)")
	cities := fs.String("cities", "", "field accounts: the cities it serves, city codes separated by commas (GDL,MTY)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := account.ValidateEmail("email", *email); err != nil {
		return err
	}
	if err := account.ValidateRole("role", *role); err != nil {
		return err
	}
	places := account.Places{States: strings.Split(*states, ","), Cities: strings.Split(*cities, ",")}.Normalize()
	if err := account.ValidatePlaces(account.Role(*role), places); err != nil {
		return err
	}
	password, generated, err := c.password(*fromStdin)
	if err != nil {
		return err
	}
	hash, err := store.HashPassword("password", password, passwordCost(c.env))
	if err != nil {
		return err
	}
	db, err := openDB(ctx, dbc)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.CreateUser(ctx, store.NewUser{Email: *email, Role: *role, PasswordHash: hash, MustChangePassword: generated, Places: places})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.env.stdout, "created %s (%s)\n", u.Email, u.Role)
	if generated {
		fmt.Fprintf(c.env.stdout, "password: %s\n(shown only once; it must be changed at first sign-in)\n", password)
	}
	return nil
}

// setPassword replaces an account's password (a forgotten one, or a
// locked-out last admin) and ends its sessions.
func (c *userCmd) setPassword(ctx context.Context, args []string) error {
	fs := c.env.newFlags("user set-password", "set an account's password")
	dbc := c.env.dbFlags(fs)
	email := fs.String("email", "", "the account's email (required)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := account.ValidateEmail("email", *email); err != nil {
		return err
	}
	password, generated, err := c.password(*fromStdin)
	if err != nil {
		return err
	}
	hash, err := store.HashPassword("password", password, passwordCost(c.env))
	if err != nil {
		return err
	}
	db, err := openDB(ctx, dbc)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.GetUserByEmail(ctx, *email)
	if err != nil {
		return err
	}
	if _, err := db.UpdateUser(ctx, u.ID, store.UserChange{PasswordHash: &hash, MustChangePassword: generated}); err != nil {
		return err
	}
	fmt.Fprintf(c.env.stdout, "password of %s changed\n", u.Email)
	if generated {
		fmt.Fprintf(c.env.stdout, "password: %s\n(shown only once; it must be changed at first sign-in)\n", password)
	}
	return nil
}

// password reads the first line of stdin, or generates a password.
func (c *userCmd) password(fromStdin bool) (password string, generated bool, err error) {
	if !fromStdin {
		p, err := store.GeneratePassword()
		return p, true, err
	}
	line, err := bufio.NewReader(c.env.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", false, planner.Invalid(planner.FieldError{Path: "password", Message: "is empty on standard input"})
	}
	return line, false, nil
}

func (c *userCmd) list(ctx context.Context, args []string) error {
	fs := c.env.newFlags("user list", "list accounts")
	dbc := c.env.dbFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := openDB(ctx, dbc)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := db.ListUsers(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(c.env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tROLE\tSTATE")
	for _, u := range users {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", u.ID, u.Email, u.Role, state)
	}
	return tw.Flush()
}
