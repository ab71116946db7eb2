package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
	"github.com/ciam-import/ciam-import/importer/source/sqlsrc"
	"github.com/ciam-import/ciam-import/importer/source/sqlsrc/sqltest"
)

// The identity-under-change suite over a database table: throw-away
// PostgreSQL and MariaDB servers (sqltest), one table of the sourcetest
// columns per case, edited in place between runs with DELETE, UPDATE and
// INSERT as the legacy application would.

// startIDDatabases starts the servers of flavors side by side, for t and
// its subtests, and stops them when t ends. A server that is not there
// comes back with Missing set; see needDatabase.
func startIDDatabases(t *testing.T, flavors ...string) map[string]sqltest.Server {
	t.Helper()
	dir, err := os.MkdirTemp("", "ciam-identity-db-") // not t.TempDir: the servers' account must reach it
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := sqltest.Prepare(dir); err != nil {
		t.Fatal(err)
	}
	as, err := sqltest.Unprivileged()
	if err != nil {
		t.Fatal(err)
	}
	start := map[string]func(string, *sqltest.RunAs) sqltest.Server{"postgres": sqltest.StartPostgres, "mariadb": sqltest.StartMariaDB}
	out := make([]sqltest.Server, len(flavors))
	var wg sync.WaitGroup
	for i, f := range flavors {
		wg.Add(1)
		go func() { defer wg.Done(); out[i] = start[f](filepath.Join(dir, f), as) }()
	}
	wg.Wait()
	servers := map[string]sqltest.Server{}
	for _, s := range out {
		if s.Stop != nil {
			t.Cleanup(s.Stop) // before the directory goes: cleanups run last first
		}
		servers[s.Name] = s
	}
	return servers
}

// needDatabase skips t when s is not there (its binaries not installed),
// loudly; under CI, or when the server failed to start, it fails t.
func needDatabase(t *testing.T, s sqltest.Server) {
	t.Helper()
	switch {
	case s.Missing == "":
	case os.Getenv("CI") != "" || strings.HasPrefix(s.Missing, "FAILED"):
		t.Fatalf("%s: %s", s.Name, s.Missing)
	default:
		t.Skipf("SKIPPING %s: %s", s.Name, s.Missing)
	}
}

// tableSeq numbers the tables of the cases.
var tableSeq atomic.Int64

// tableInput is a table of the sourcetest columns with a text primary key
// legacy_id, read by key (--key legacy_id) in small pages. It remembers
// what it holds, and write turns the difference into row edits.
type tableInput struct {
	srv   sqltest.Server
	table string
	held  map[string][]string // key -> row, as the table holds them
}

// newTableInput creates an empty table on s.
func newTableInput(t *testing.T, s sqltest.Server) *tableInput {
	t.Helper()
	in := &tableInput{srv: s, table: fmt.Sprintf("identity_%d", tableSeq.Add(1)), held: map[string][]string{}}
	cols := make([]string, len(sourcetest.Columns))
	for i, c := range sourcetest.Columns {
		cols[i] = c + " text"
	}
	cols[0] = sourcetest.Columns[0] + " varchar(20) PRIMARY KEY"
	in.exec(t, "CREATE TABLE "+in.table+" ("+strings.Join(cols, ", ")+")")
	return in
}

func (in *tableInput) args() []string {
	return []string{"--input", in.srv.DSN, "--table", in.table, "--key", sourcetest.Columns[0], "--page-size", "5"}
}

func (in *tableInput) env() []string {
	return []string{sqlsrc.DefaultPasswordEnv + "=" + sqltest.Password}
}

// order sorts rows by key, byte-wise: the order of a text key's read.
func (in *tableInput) order(rows [][]string) {
	slices.SortStableFunc(rows, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
}

func (in *tableInput) firstLine() int64 { return 1 }

// write deletes the rows whose keys rows no longer has, updates those that
// changed and inserts the new ones.
func (in *tableInput) write(t *testing.T, rows [][]string) {
	t.Helper()
	want := map[string][]string{}
	var stmts, inserts []string
	for _, r := range rows {
		want[r[0]] = r
		switch old, ok := in.held[r[0]]; {
		case !ok:
			inserts = append(inserts, "("+in.literals(r)+")")
		case !slices.Equal(old, r):
			stmts = append(stmts, "UPDATE "+in.table+" SET "+in.assignments(r)+" WHERE legacy_id = "+in.literal(r[0]))
		}
	}
	for k := range in.held {
		if want[k] == nil {
			stmts = append(stmts, "DELETE FROM "+in.table+" WHERE legacy_id = "+in.literal(k))
		}
	}
	if len(inserts) > 0 {
		stmts = append(stmts, "INSERT INTO "+in.table+" VALUES "+strings.Join(inserts, ", "))
	}
	in.exec(t, stmts...)
	in.held = want
}

// literal quotes s as a string literal of the server's SQL.
func (in *tableInput) literal(s string) string {
	if in.srv.Name == "postgres" {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'" // standard_conforming_strings: a backslash is itself
	}
	return "'" + sqltest.Quote(s) + "'"
}

func (in *tableInput) literals(r []string) string {
	out := make([]string, len(r))
	for i, v := range r {
		out[i] = in.literal(v)
	}
	return strings.Join(out, ", ")
}

func (in *tableInput) assignments(r []string) string {
	out := make([]string, 0, len(r)-1)
	for i, v := range r[1:] {
		out = append(out, sourcetest.Columns[i+1]+" = "+in.literal(v))
	}
	return strings.Join(out, ", ")
}

// exec runs statements on the table's database.
func (in *tableInput) exec(t *testing.T, stmts ...string) {
	t.Helper()
	if len(stmts) == 0 {
		return
	}
	var err error
	if in.srv.Name == "postgres" {
		err = sqltest.PGExec(in.srv.DSN, stmts...)
	} else {
		err = sqltest.MyExec(in.srv.DSN, stmts...)
	}
	if err != nil {
		t.Fatalf("edit table %s: %v", in.table, err)
	}
}
