package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/reparto/reparto/store"
)

// userEnv runs commands on a temporary SQLite database.
func userEnv(t *testing.T, stdin string) (*env, *bytes.Buffer, *bytes.Buffer, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "r.db")
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(k string) string {
			switch k {
			case "REPARTO_DB":
				return path
			case "REPARTO_BCRYPT_COST":
				return "4"
			}
			return ""
		}}
	return e, &out, &errb, path
}

func TestUserAddWithPasswordFromStdin(t *testing.T) {
	e, out, errb, path := userEnv(t, "a long enough password\n")
	ctx := context.Background()
	if code := run(ctx, []string{"user", "add", "--email", "Ana@Example.org", "--role", "planner", "--password-stdin"}, e); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	if !strings.Contains(out.String(), "created ana@example.org (planner)") || strings.Contains(out.String(), "password") {
		t.Errorf("stdout %q", out)
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.GetUserByEmail(ctx, "ana@example.org")
	if err != nil || !u.CheckPassword("a long enough password") || u.MustChangePassword {
		t.Errorf("user %+v, err %v", u, err)
	}
}

func TestUserAddErrorsNameTheField(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"--email", "nope", "--role", "viewer"}, "", "email: is not a valid email address"},
		{[]string{"--email", "a@example.org", "--role", "boss"}, "", "role: must be field, viewer, planner or admin"},
		{[]string{"--email", "a@example.org", "--role", "field"}, "", "states: a field account needs at least one state or city"},
		{[]string{"--email", "a@example.org", "--role", "field", "--states", "Jalisco"}, "", `states[0]: unknown state "JALISCO"`},
		{[]string{"--email", "a@example.org", "--password-stdin"}, "short\n", "password: must be at least 10 characters"},
	} {
		e, _, errb, _ := userEnv(t, tc.stdin)
		code := run(context.Background(), append([]string{"user", "add"}, tc.args...), e)
		if code != 2 || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errb, tc.want)
		}
	}
}

func TestEnsureAdminOnFreshDatabaseOnly(t *testing.T) {
	ctx := context.Background()
	e, _, _, path := userEnv(t, "")
	db, err := openDB(ctx, &dbConfig{path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logb bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logb, nil))
	if err := ensureAdmin(ctx, db, log, e); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`msg="admin account created" email=admin@reparto.local password=(\S+)`).FindStringSubmatch(logb.String())
	if m == nil {
		t.Fatalf("log: %s", logb.String())
	}
	u, err := db.GetUserByEmail(ctx, "admin@reparto.local")
	if err != nil || !u.CheckPassword(m[1]) || !u.MustChangePassword || u.Role != "admin" {
		t.Errorf("admin %+v err %v", u, err)
	}
	logb.Reset()
	if err := ensureAdmin(ctx, db, slog.New(slog.NewTextHandler(&logb, nil)), e); err != nil {
		t.Fatal(err)
	}
	if logb.Len() != 0 {
		t.Errorf("second start logged %q", logb.String())
	}
}
