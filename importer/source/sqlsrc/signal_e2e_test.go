package sqlsrc

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/source/sqlsrc/sqltest"
)

// TestBinarySignalWhileOpening: a SIGTERM while the binary opens a database
// input (its query still running on the server) cancels the query there
// and exits promptly with the interrupted code (130) and a message, having
// written nothing.
func TestBinarySignalWhileOpening(t *testing.T) {
	bin := buildImporter(t)
	for _, s := range dbs(t) {
		t.Run(s.name, func(t *testing.T) {
			table := s.createUsers(t)
			sleep := "pg_sleep(30) IS NOT NULL"
			if s.name == "mariadb" {
				sleep = "SLEEP(30) = 0"
			}
			query := "SELECT " + usersColumns + ", 1 AS ciam_sleep_marker FROM " + table + " WHERE " + sleep
			dir := t.TempDir()
			mapping := filepath.Join(dir, "mapping.yaml")
			if err := os.WriteFile(mapping, []byte("version: 1\nkey: id\nfields:\n  UserName: { from: id }\n  Email: { from: email }\n  PhoneNumber: { const: \"+86-13800000000\" }\n  Password: { generate: true }\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			state := filepath.Join(dir, "state")
			cmd := importerCmd(bin, "run", "--input", s.dsn, "--query", query, "--key", "id", "--mapping", mapping,
				"--user-store-id", "store", "--state-dir", state, "--endpoint", "http://127.0.0.1:1", "--progress", "never")
			cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			waitUntil(t, 30*time.Second, func() bool {
				select {
				case err := <-exited:
					t.Fatalf("exited (%v) before the signal:\n%s", err, stderr.String())
				default:
				}
				return s.sleepers(t) > 0
			})
			start := time.Now()
			_ = cmd.Process.Signal(syscall.SIGTERM)
			var err error
			select {
			case err = <-exited:
			case <-time.After(15 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("still running 15 s after SIGTERM:\n%s", stderr.String())
			}
			if code := exitOf(err); code != 130 || !strings.Contains(stderr.String(), "interrupted while opening the input") {
				t.Errorf("exit %d after %s, want 130 and the message:\n%s", code, time.Since(start), stderr.String())
			}
			waitUntil(t, 10*time.Second, func() bool { return s.sleepers(t) == 0 }) // cancelled on the server
			if _, err := os.Lstat(state); !os.IsNotExist(err) {
				t.Errorf("the state directory was made: %v", err)
			}
		})
	}
}

// sleepers counts the server's running statements of the test's query.
func (s *server) sleepers(t *testing.T) int {
	t.Helper()
	n := 0
	q := "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%ciam_sleep_marker%' AND state = 'active' AND pid <> pg_backend_pid()"
	if s.name == "mariadb" {
		q = "SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%ciam_sleep_marker%' AND ID <> CONNECTION_ID()"
	}
	if s.name == "postgres" {
		if err := sqltest.PGQuery(s.dsn, q, func(v [][]byte) { n, _ = strconv.Atoi(string(v[0])) }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	db, err := sqltest.MyDB(s.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
