package sqltest

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
)

// LoadCSV loads every generated row, quotes, commas, empty fields and
// non-ASCII names included, exactly into both servers.
func TestLoadCSVLoadsTheExportExactly(t *testing.T) {
	const n = 300
	var csv bytes.Buffer
	if err := sourcetest.WriteCSV(&csv, n, 7); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{}
	for i := range n {
		r := sourcetest.Row(7, i)
		want[r[0]] = r
	}
	if !bytes.Contains(csv.Bytes(), []byte(`""`)) || !bytes.Contains(csv.Bytes(), []byte(`,,`)) {
		t.Fatal("the export has no doubled quote or empty field: the test proves less than it says")
	}
	dir, err := os.MkdirTemp("", "sqltest-") // t.TempDir's parent is private: the servers' account could not reach it
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) }) // after the servers stop
	if err := Prepare(dir); err != nil {
		t.Fatal(err)
	}
	as, err := Unprivileged()
	if err != nil {
		t.Fatal(err)
	}
	cols := strings.Join(sourcetest.Columns, " varchar(100), ") + " varchar(100)"
	query := "SELECT " + strings.Join(sourcetest.Columns, ", ") + " FROM users"
	for i, start := range []func(string, *RunAs) Server{StartPostgres, StartMariaDB} {
		s := start(filepath.Join(dir, strconv.Itoa(i)), as)
		if s.Stop != nil {
			t.Cleanup(s.Stop)
		}
		if s.Missing != "" {
			if os.Getenv("CI") != "" || strings.HasPrefix(s.Missing, "FAILED") {
				t.Errorf("%s: %s", s.Name, s.Missing)
			} else {
				t.Logf("SKIPPING %s: %s", s.Name, s.Missing)
			}
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			if err := LoadCSV(s, "users", cols, bytes.NewReader(csv.Bytes())); err != nil {
				t.Fatal(err)
			}
			got := readAll(t, s, query)
			if len(got) != n {
				t.Fatalf("%d rows loaded, want %d", len(got), n)
			}
			for _, r := range got {
				if w := want[r[0]]; strings.Join(w, "|") != strings.Join(r, "|") {
					t.Errorf("row %s: got %q, want %q", r[0], r, w)
				}
			}
		})
	}
}

// readAll returns every row of q on s, NULL as "".
func readAll(t *testing.T, s Server, q string) [][]string {
	t.Helper()
	var out [][]string
	if s.Name == "postgres" {
		err := PGQuery(s.DSN, q, func(vals [][]byte) {
			r := make([]string, len(vals))
			for i, v := range vals {
				r[i] = string(v)
			}
			out = append(out, r)
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	db, err := MyDB(s.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		r := make([]string, len(sourcetest.Columns))
		dest := make([]any, len(r))
		for i := range r {
			dest[i] = &r[i]
		}
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A port taken between freePort and the server's bind (another package's
// test server, say) costs a retry on another port, not a failed test run.
func TestServersRetryATakenPort(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	taken := held.Addr().(*net.TCPAddr).Port
	real := freePort
	t.Cleanup(func() { freePort = real })
	dir, err := os.MkdirTemp("", "sqltest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := Prepare(dir); err != nil {
		t.Fatal(err)
	}
	as, err := Unprivileged()
	if err != nil {
		t.Fatal(err)
	}
	for i, start := range []func(string, *RunAs) Server{StartPostgres, StartMariaDB} {
		calls := 0
		freePort = func() (int, error) {
			if calls++; calls == 1 {
				return taken, nil
			}
			return real()
		}
		s := start(filepath.Join(dir, strconv.Itoa(i)), as)
		if s.Stop != nil {
			t.Cleanup(s.Stop)
		}
		if s.Missing != "" && !strings.HasPrefix(s.Missing, "FAILED") && os.Getenv("CI") == "" {
			t.Logf("SKIPPING %s: %s", s.Name, s.Missing)
			continue
		}
		if s.Missing != "" || calls != 2 || strings.Contains(s.DSN, ":"+strconv.Itoa(taken)+"/") {
			t.Errorf("%s: %d ports asked for, DSN %q, %s", s.Name, calls, s.DSN, s.Missing)
		}
	}
}
