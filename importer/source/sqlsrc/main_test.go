package sqlsrc

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var (
	// servers are the database servers TestMain started, by name.
	servers = map[string]*server{}
	// testDir is TestMain's temp dir, removed at the end.
	testDir string
)

// TestMain starts a throw-away PostgreSQL and MariaDB server for the tests
// and stops them afterwards. A server whose binaries are not installed is
// skipped by its tests, loudly (and fails them when CI is set).
func TestMain(m *testing.M) { os.Exit(testMain(m)) }

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "sqlsrc-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	testDir = dir
	if err := os.Chmod(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	as, err := unprivileged()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	started := make(chan server, 2)
	go func() { started <- startPostgres(filepath.Join(dir, "pg"), as) }()
	go func() { started <- startMariaDB(filepath.Join(dir, "my"), as) }()
	for range 2 {
		s := <-started
		servers[s.name] = &s
		if s.stop != nil {
			defer s.stop()
		}
		if s.missing != "" {
			fmt.Fprintf(os.Stderr, "\n*** sqlsrc: %s TESTS WILL BE SKIPPED: %s\n\n", strings.ToUpper(s.name), s.missing)
		}
	}
	os.Setenv(DefaultPasswordEnv, testPassword)
	return m.Run()
}

// dbs returns the servers to run a test against, skipping (failing in CI)
// those that are not there.
func dbs(t *testing.T) []*server {
	t.Helper()
	var out []*server
	for _, name := range []string{"postgres", "mariadb"} {
		s := servers[name]
		if s.missing == "" {
			out = append(out, s)
			continue
		}
		if os.Getenv("CI") != "" || strings.HasPrefix(s.missing, "FAILED") {
			t.Errorf("%s: %s", name, s.missing)
		} else {
			t.Logf("SKIPPING %s: %s", name, s.missing)
		}
	}
	if len(out) == 0 {
		t.SkipNow()
	}
	return out
}

// exec runs statements on s's test database.
func (s *server) exec(t testing.TB, stmts ...string) {
	t.Helper()
	var err error
	if s.name == "postgres" {
		err = pgExec(s.dsn, stmts...)
	} else {
		err = myExec(s.dsn, stmts...)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// sqlQuote doubles the single quotes and backslashes of a string literal.
func sqlQuote(s string) string {
	return strings.NewReplacer(`'`, `''`, `\`, `\\`).Replace(s)
}
