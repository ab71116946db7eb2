package sqlsrc

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/source/sqlsrc/sqltest"
)

// server is a throw-away database server started by TestMain.
type server struct {
	name    string // "postgres" or "mariadb"
	dsn     string // URL of the test database, user but no password
	missing string // why the server is not there (binaries not installed)
}

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
	if err := sqltest.Prepare(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	as, err := sqltest.Unprivileged()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	started := make(chan sqltest.Server, 2)
	go func() { started <- sqltest.StartPostgres(filepath.Join(dir, "pg"), as) }()
	go func() { started <- sqltest.StartMariaDB(filepath.Join(dir, "my"), as) }()
	for range 2 {
		s := <-started
		servers[s.Name] = &server{name: s.Name, dsn: s.DSN, missing: s.Missing}
		if s.Stop != nil {
			defer s.Stop()
		}
		if s.Missing != "" {
			fmt.Fprintf(os.Stderr, "\n*** sqlsrc: %s TESTS WILL BE SKIPPED: %s\n\n", strings.ToUpper(s.Name), s.Missing)
		}
	}
	os.Setenv(DefaultPasswordEnv, sqltest.Password)
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
		err = sqltest.PGExec(s.dsn, stmts...)
	} else {
		err = sqltest.MyExec(s.dsn, stmts...)
	}
	if err != nil {
		t.Fatal(err)
	}
}
