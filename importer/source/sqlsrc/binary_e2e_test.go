package sqlsrc

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/source/sqlsrc/sqltest"
)

// dbMapping maps the e2e users table; the legacy id goes to
// IndexedAttribute1, the birthday column is a timestamptz (MariaDB: a
// timestamp) rendered as RFC 3339.
const dbMapping = `version: 1
key: legacy_id
fields:
  UserName: { from: login, transforms: [trim, lower] }
  Email: { from: email, transforms: [trim, lower] }
  PhoneNumber: { from: mobile, phone: { default_region: CN } }
  Password: { from: pw }
  Nickname: { from: nickname, transforms: [collapse_spaces, {default: "New user"}] }
  Birthdate: { from: born, date: { layout: rfc3339 } }
  IndexedAttribute1: legacy_id
`

// createE2EUsers loads n users with the awkward rows real tables have: a
// text key, NULL nicknames, Chinese text, timestamps with time zones, a
// duplicate email and a missing phone number.
func (s *server) createE2EUsers(t *testing.T, n int) string {
	name := newTable("e2e_users")
	ts := "timestamptz"
	if s.name == "mariadb" {
		ts = "timestamp(6) NULL"
	}
	var rows []string
	for i := 1; i <= n; i++ {
		email := fmt.Sprintf("'user%d@example.com'", i)
		if i == 17 {
			email = "'user3@example.com'" // a duplicate: a conflict
		}
		mobile := fmt.Sprintf("'138%08d'", i)
		if i == 29 {
			mobile = "NULL" // rejected: PhoneNumber is empty
		}
		nick := "NULL"
		if i%3 == 0 {
			nick = fmt.Sprintf("'王小明 %d'", i)
		}
		rows = append(rows, fmt.Sprintf("('L-%04d', 'Login%d', %s, %s, 'pw-%d-Secret!', %s, '1990-05-%02d 08:00:00%s')",
			i, i, email, mobile, i, nick, i%28+1, map[bool]string{true: "+08", false: ""}[s.name == "postgres"]))
	}
	s.exec(t, "CREATE TABLE "+name+" (legacy_id varchar(20) PRIMARY KEY, login varchar(64), email varchar(200), "+
		"mobile varchar(40), pw varchar(64), nickname varchar(200), born "+ts+")",
		"INSERT INTO "+name+" VALUES "+strings.Join(rows, ","))
	return name
}

// The database source through the real binary: a table read by keyset
// pagination into the emulator, killed with SIGKILL mid-run and resumed;
// every row ends in exactly one report, no user is created twice, and
// validate reads the same table.
func TestBinaryImportsATableThroughAKill(t *testing.T) {
	bin := buildImporter(t)
	for _, s := range dbs(t) {
		t.Run(s.name, func(t *testing.T) {
			const n = 120
			table := s.createE2EUsers(t, n)
			dir := t.TempDir()
			mapping := filepath.Join(dir, "mapping.yaml")
			if err := os.WriteFile(mapping, []byte(dbMapping), 0o600); err != nil {
				t.Fatal(err)
			}
			em, err := emulator.Start(emulator.DemoConfig())
			if err != nil {
				t.Fatal(err)
			}
			defer em.Close()
			state := filepath.Join(dir, "state")
			args := []string{"run", "--input", s.dsn, "--table", table, "--key", "legacy_id", "--page-size", "7",
				"--mapping", mapping, "--user-store-id", emulator.DemoUserStore, "--state-dir", state,
				"--endpoint", em.URL, "--progress", "never", "--rate", "15"}
			cmd := importerCmd(bin, args...)
			var first bytes.Buffer
			cmd.Stderr = &first
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan struct{})
			go func() { _ = cmd.Wait(); close(exited) }()
			waitUntil(t, 60*time.Second, func() bool {
				select {
				case <-exited:
					t.Fatalf("the first run ended before it was killed:\n%s", first.String())
				default:
				}
				return len(em.Server.Users(emulator.DemoUserStore)) >= 20
			})
			_ = cmd.Process.Signal(syscall.SIGKILL)
			<-exited
			var stderr bytes.Buffer
			cmd = importerCmd(bin, "run", "--state-dir", state, "--progress", "never", "--rate", "0")
			cmd.Stderr = &stderr
			if err := cmd.Run(); exitOf(err) != 3 {
				t.Fatalf("resume exited %v, want 3 (a duplicate and a row without phone):\n%s", err, stderr.String())
			}
			lines := map[string]int{}
			created := map[string]bool{}
			for _, f := range []string{"created.csv", "conflicts.csv", "rejected.csv", "retryable.csv", "skipped.csv", "updated.csv"} {
				for _, rec := range readCSV(t, filepath.Join(state, f)) {
					lines[rec["key"]]++
					if f == "created.csv" {
						created[rec["key"]] = true
					}
				}
			}
			for i := 1; i <= n; i++ {
				if key := fmt.Sprintf("L-%04d", i); lines[key] != 1 {
					t.Errorf("%s is in %d reports, want 1", key, lines[key])
				}
			}
			users := em.Server.Users(emulator.DemoUserStore)
			seen := map[string]bool{}
			for _, u := range users {
				key := *u.IndexedAttribute1
				if seen[key] || !created[key] {
					t.Errorf("user %s: created twice or not in created.csv", key)
				}
				seen[key] = true
			}
			if len(users) != n-2 || len(created) != n-2 {
				t.Errorf("emulator holds %d users, created.csv %d; want %d", len(users), len(created), n-2)
			}
			out, err := importerCmd(bin, "validate", "--input", s.dsn, "--table", table, "--key", "legacy_id",
				"--mapping", mapping, "--report-dir", filepath.Join(dir, "check")).CombinedOutput()
			if exitOf(err) != 3 || !strings.Contains(string(out), fmt.Sprintf("valid:      %d", n-2)) {
				t.Errorf("validate over the table: %v\n%s", err, out)
			}
		})
	}
}

func buildImporter(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ciam-import")
	out, err := exec.Command("go", "build", "-o", bin, "../../../cmd/ciam-import").CombinedOutput()
	if err != nil {
		t.Fatalf("build ciam-import: %v\n%s", err, out)
	}
	return bin
}

func importerCmd(bin string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TENCENTCLOUD_SECRET_ID="+emulator.DemoSecretID, "TENCENTCLOUD_SECRET_KEY="+emulator.DemoSecretKey,
		DefaultPasswordEnv+"="+sqltest.Password)
	return cmd
}

// waitUntil polls cond until it holds, failing the test at the deadline.
func waitUntil(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s", d)
		}
		time.Sleep(20 * time.Millisecond) // polling the event, bounded by the deadline
	}
}

func exitOf(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}
