package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/canary"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// run --canary N creates N users, reads them back, finds nothing to report
// against an emulator that creates users NORMAL, stops; the next run
// continues after them and every row ends in exactly one report.
func TestCanaryThenContinue(t *testing.T) {
	cfg := emulator.DemoConfig()
	cfg.Store.CreatedStatus = canary.StatusNormal
	em := startInProcessEmulator(t, cfg)
	dir := filepath.Join(t.TempDir(), "state")
	args := []string{"run", "--input", "../../samples/users.csv", "--mapping", "../../samples/mapping-csv.yaml",
		"--user-store-id", emulator.DemoUserStore, "--state-dir", dir, "--endpoint", em.URL, "--progress", "never"}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), append(args, "--canary", "5"), &stdout, &stderr); code != exitOK {
		t.Fatalf("canary exited %d:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "5 users read back (CreateUser 5): every compared field is as sent, every status NORMAL") {
		t.Errorf("canary summary does not say what it compared:\n%s", stderr.String())
	}
	if n := len(em.Server.Users(emulator.DemoUserStore)); n != 5 {
		t.Errorf("the canary created %d users, want 5", n)
	}
	if code := runQuiet(t, []string{"run", "--state-dir", dir, "--progress", "never"}); code != exitPartial {
		t.Fatalf("the run after the canary exited %d, want %d", code, exitPartial)
	}
	created := reportColumn(t, filepath.Join(dir, outcome.Created.File), "key", "user_id")
	if len(created) != 281 || len(em.Server.Users(emulator.DemoUserStore)) != 281 {
		t.Errorf("created.csv lists %d users, the emulator holds %d; want 281 each", len(created), len(em.Server.Users(emulator.DemoUserStore)))
	}
	lines := reportLines(t, dir)
	for line, files := range lines {
		if len(files) != 1 {
			t.Errorf("line %d is in %v", line, files)
		}
	}
	if len(lines) != 300 {
		t.Errorf("%d lines in the reports, want 300", len(lines))
	}
}

// canaryMapping sends plaintext rows by CreateUser and SHA1 rows by the
// import job, with a birthdate read in Asia/Shanghai and a custom attribute.
const canaryMapping = `version: 1
key: id
fields:
  UserName: login
  Email: email
  PhoneNumber: { from: mobile, phone: { default_region: CN, format: ciam } }
  Password: pw
  PasswordHash: { from: hash, algorithm: sha1 }
  Birthdate: { from: birthday, date: { layout: "2006-01-02", timezone: Asia/Shanghai } }
  IndexedAttribute1: id
  CustomizationAttributes:
    - { name: tier, from: tier }
`

// canaryRows alternates a plaintext row and a hashed row; tier edits one.
func canaryRows(n int, tier func(i int) string) string {
	var b strings.Builder
	b.WriteString("id,login,email,mobile,pw,hash,birthday,tier\n")
	for i := 1; i <= n; i++ {
		pw, hash := fmt.Sprintf("Str0ng!pw-%d", i), ""
		if i%2 == 0 {
			pw, hash = "", sha1Hex(fmt.Sprintf("Str0ng!pw-%d", i))
		}
		fmt.Fprintf(&b, "C%d,user%d,user%d@example.com,138001380%02d,%s,%s,1990-10-%02d,%s\n", i, i, i, i, pw, hash, i, tier(i))
	}
	return b.String()
}

// readSummary reads summary.json of the state directory dir.
func readSummary(t *testing.T, dir string) importer.Summary {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s importer.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// canaryFields is "path field" -> how many differences of it.
func canaryFields(s importer.Summary) map[string]int {
	out := map[string]int{}
	for _, d := range s.Canary {
		out[string(d.Path)+" "+d.Field]++
	}
	return out
}

// On the strict emulator (a real store's defaults, the custom attribute
// defined), a canary covers each path: the first 2 CreateUser rows and the
// first 2 import-job rows are read back; every user is NOT_ENABLED (a
// difference, with the sign-in hint) and the import job's birthdates, sent
// as the UTC date of a Shanghai midnight, come back a day early. A sync
// under --on-conflict update then canaries its UpdateUser rows.
func TestCanaryCoversEveryPathOnTheStrictStore(t *testing.T) {
	cfg := emulator.DemoConfig()
	cfg.Store = emulator.StrictSettings()
	cfg.Store.CustomAttributes = []string{"tier"}
	cfg.Import.UsersPerSecond = 500
	em := startInProcessEmulator(t, cfg)
	files := writeFiles(t, map[string]string{"m.yaml": canaryMapping,
		"night1.csv": canaryRows(8, func(int) string { return "gold" }),
		"night2.csv": canaryRows(8, func(i int) string { return map[bool]string{true: "platinum", false: "gold"}[i <= 2] })})
	ledger, dir1 := filepath.Join(files, "ledger.db"), filepath.Join(files, "state1")
	common := []string{"--mapping", filepath.Join(files, "m.yaml"), "--user-store-id", emulator.DemoUserStore, "--ledger", ledger,
		"--endpoint", em.URL, "--rate", "0", "--progress", "never", "--job-poll", "20ms"}
	var stdout, stderr bytes.Buffer
	args := append([]string{"run", "--input", filepath.Join(files, "night1.csv"), "--state-dir", dir1, "--canary", "2"}, common...)
	if code := run(context.Background(), args, &stdout, &stderr); code != exitPartial {
		t.Fatalf("canary exited %d, want %d (differences):\n%s", code, exitPartial, stderr.String())
	}
	s := readSummary(t, dir1)
	if s.CanaryRead[canary.PathCreate] != 2 || s.CanaryRead[canary.PathImportJob] != 2 || len(em.Server.Users(emulator.DemoUserStore)) != 4 {
		t.Errorf("canary read %v back, the store holds %d users; want 2 CreateUser and 2 import job, 4 users",
			s.CanaryRead, len(em.Server.Users(emulator.DemoUserStore)))
	}
	want := map[string]int{"CreateUser Status": 2, "import job Status": 2} // the Shanghai birthday arrives on its day
	if got := canaryFields(s); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("canary differences %v, want %v", got, want)
	}
	for _, w := range []string{`Status: sent "(not sent; NORMAL expected)", CIAM holds "NOT_ENABLED"`,
		"hint: the user was created NOT_ENABLED: sign-in may be blocked until the user is enabled"} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("the canary's print lacks %q:\n%s", w, stderr.String())
		}
	}
	if code := runQuiet(t, []string{"run", "--state-dir", dir1, "--progress", "never", "--job-poll", "20ms"}); code != exitOK {
		t.Fatalf("the run after the canary exited %d", code)
	}
	dir2 := filepath.Join(files, "state2")
	stderr.Reset()
	args = append([]string{"run", "--input", filepath.Join(files, "night2.csv"), "--state-dir", dir2, "--canary", "1",
		"--on-conflict", "update"}, common...)
	if code := run(context.Background(), args, &stdout, &stderr); code != exitPartial {
		t.Fatalf("sync canary exited %d, want %d:\n%s", code, exitPartial, stderr.String())
	}
	s = readSummary(t, dir2)
	if s.CanaryRead[canary.PathUpdate] != 1 || len(s.CanaryRead) != 1 {
		t.Errorf("sync canary read %v back, want 1 UpdateUser", s.CanaryRead)
	}
	if got := canaryFields(s); fmt.Sprint(got) != fmt.Sprint(map[string]int{"UpdateUser Status": 1}) {
		t.Errorf("sync canary differences %v, want only the status:\n%s", got, stderr.String())
	}
}
