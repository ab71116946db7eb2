package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/report"
)

// chaosJob is one import under test: its input, state and emulator.
type chaosJob struct {
	importBin string
	em        *emulatorProc
	in        *chaosInput
	stateDir  string
	logDir    string
	workers   int
	kills     int    // SIGKILLs and second SIGINTs: each may leave a call in doubt
	ledger    string // --ledger, if used
}

// jobArgs are the arguments of a run of the job with stateDir.
func (j *chaosJob) jobArgs(stateDir string) []string {
	args := []string{"run", "--input", j.in.path, "--mapping", j.in.mapping, "--user-store-id", chaosStore,
		"--state-dir", stateDir, "--endpoint", j.em.url}
	if j.ledger != "" {
		args = append(args, "--ledger", j.ledger)
	}
	return args
}

// check asserts everything the crash tests promise about a finished job.
func (j *chaosJob) check(t *testing.T) callFigures {
	t.Helper()
	created := j.checkReports(t)
	j.checkStatus(t)
	j.checkJobFile(t)
	j.checkUsers(t, created)
	figs := j.checkCalls(t)
	j.checkNoSecrets(t)
	j.checkModes(t)
	return figs
}

// reportRow is one data row of a report: its line, key and user id (created
// and skipped rows).
type reportRow struct {
	line   int64
	key    string
	userID string
}

// readReport reads the data rows of the report at path.
func readReport(t *testing.T, path string) []reportRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(bufio.NewReader(f)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s: no header", path)
	}
	col := map[string]int{"user_id": -1}
	for i, name := range recs[0] {
		col[name] = i
	}
	if recs[0][0] != "line" || col["key"] == 0 {
		t.Fatalf("%s: header %q has no line or key", path, recs[0])
	}
	var rows []reportRow
	for _, r := range recs[1:] {
		n, err := strconv.ParseInt(r[0], 10, 64)
		if err != nil {
			t.Fatalf("%s: line %q: %v", path, r[0], err)
		}
		row := reportRow{line: n, key: r[col["key"]]}
		if i := col["user_id"]; i >= 0 {
			row.userID = r[i]
		}
		rows = append(rows, row)
	}
	return rows
}

// checkReports asserts every input line is in exactly one report, the one
// it must be in, and returns created.csv's user ids by line.
func (j *chaosJob) checkReports(t *testing.T) map[int64]string {
	t.Helper()
	seen := map[int64]string{}
	created := map[int64]string{}
	errs := &errLimit{t: t, max: 10}
	defer errs.flush()
	for _, name := range report.Files {
		rows := readReport(t, filepath.Join(j.stateDir, name))
		var bad []string
		for _, r := range rows {
			w := j.in.byLine[r.line]
			switch {
			case w == nil:
				errs.Errorf("%s: line %d is not a row of the input", name, r.line)
				continue
			case seen[r.line] != "":
				errs.Errorf("line %d (key %s) is in %s and in %s", r.line, w.key, seen[r.line], name)
			case r.key != w.key:
				errs.Errorf("%s: line %d has key %q, the input %q", name, r.line, r.key, w.key)
			}
			seen[r.line] = name
			want := report.CreatedFile
			if w.rejectField != "" {
				want = report.RejectedFile
			}
			if name != want {
				bad = append(bad, fmt.Sprintf("line %d key %s", r.line, r.key))
			}
			if name == report.CreatedFile {
				created[r.line] = r.userID
			}
		}
		if len(bad) > 0 {
			t.Errorf("%s holds %d rows that belong elsewhere, e.g. %s\n%s", name, len(bad),
				strings.Join(bad[:min(len(bad), 5)], "; "), readTail(filepath.Join(j.stateDir, name)))
		}
	}
	for _, w := range j.in.rows {
		if seen[w.line] == "" {
			errs.Errorf("line %d (key %s) is in no report: the row was lost", w.line, w.key)
		}
	}
	return created
}

// checkStatus asserts `ciam-import status --json` adds up to the rows read.
func (j *chaosJob) checkStatus(t *testing.T) {
	t.Helper()
	out, err := exec.Command(j.importBin, "status", "--state-dir", j.stateDir, "--json").Output()
	if err != nil {
		t.Fatalf("status: %v", err)
	}
	var st importer.Status
	if err := json.Unmarshal(out, &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	if st.Snapshot == nil {
		t.Fatal("status: no snapshot")
	}
	c := st.Snapshot.Counts
	n := int64(len(j.in.rows))
	if sum := c.Settled(); c.Read() != n || sum != n {
		t.Errorf("status counts %v: read %d, outcomes add up to %d; the input has %d rows", c, c.Read(), sum, n)
	}
	if c.Of(outcome.Created) != int64(j.in.valid) {
		t.Errorf("status: created %d, want %d", c.Of(outcome.Created), j.in.valid)
	}
	for _, o := range outcome.All {
		if st.Reports[o.File] != c.Of(o) {
			t.Errorf("status: %s holds %d rows, the counts say %d", o.File, st.Reports[o.File], c.Of(o))
		}
	}
	if !st.Snapshot.Done || st.InFlight != 0 {
		t.Errorf("status: done %v with %d rows in flight, want done with none", st.Snapshot.Done, st.InFlight)
	}
}

// checkJobFile asserts job.json still holds what the first run was given,
// however the later runs were started.
func (j *chaosJob) checkJobFile(t *testing.T) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(j.stateDir, jobFile))
	if err != nil {
		t.Fatal(err)
	}
	var jf jobFlags
	if err := json.Unmarshal(data, &jf); err != nil {
		t.Fatalf("%s: %v", jobFile, err)
	}
	if jf.Rate != 0 || jf.Input != j.in.path || jf.Mapping != j.in.mapping || jf.Endpoint != j.em.url {
		t.Errorf("%s is %s; want rate 0 (unlimited), input, mapping and endpoint of the first run", jobFile, data)
	}
}

// checkUsers asserts the emulator holds exactly one user per valid row, the
// one created.csv names.
func (j *chaosJob) checkUsers(t *testing.T, created map[int64]string) {
	t.Helper()
	var body struct{ Users []ciam.User }
	j.em.debug(t, "users?store="+chaosStore, &body)
	byName := map[string]*wantRow{}
	byKey := map[string]*wantRow{}
	for i := range j.in.rows {
		w := &j.in.rows[i]
		if w.rejectField == "" {
			byName[w.userName], byKey[w.key] = w, w
		}
	}
	got := map[int64]bool{}
	errs := &errLimit{t: t, max: 10}
	defer errs.flush()
	for _, u := range body.Users {
		w := byName[deref(u.UserName)]
		if j.in.legacyAttr {
			if w = byKey[deref(u.IndexedAttribute1)]; w == nil {
				errs.Errorf("user %s (%s) has legacy id %q, which no valid row has", u.UserId, deref(u.UserName), deref(u.IndexedAttribute1))
				continue
			}
		}
		switch {
		case w == nil:
			errs.Errorf("user %s named %q belongs to no valid row", u.UserId, deref(u.UserName))
			continue
		case got[w.line]:
			errs.Errorf("line %d (key %s) has two users", w.line, w.key)
		case deref(u.UserName) != w.userName || deref(u.Email) != w.email || deref(u.PhoneNumber) != w.phone:
			errs.Errorf("user %s is %q %q %q, line %d wants %q %q %q", u.UserId, deref(u.UserName), deref(u.Email),
				deref(u.PhoneNumber), w.line, w.userName, w.email, w.phone)
		case created[w.line] != u.UserId && created[w.line] != "": // a row missing from created.csv is reported above
			errs.Errorf("line %d: created.csv says user %q, the emulator holds %q", w.line, created[w.line], u.UserId)
		}
		got[w.line] = true
	}
	if len(body.Users) != j.in.valid || len(got) != j.in.valid {
		t.Errorf("the emulator holds %d users for %d rows; %d valid rows", len(body.Users), len(got), j.in.valid)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// errLimit reports the first max errors of a check and counts the rest, so
// a systematic failure stays readable.
type errLimit struct {
	t      *testing.T
	n, max int
}

func (e *errLimit) Errorf(format string, args ...any) {
	e.t.Helper()
	if e.n++; e.n <= e.max {
		e.t.Errorf(format, args...)
	}
}

func (e *errLimit) flush() {
	e.t.Helper()
	if e.n > e.max {
		e.t.Errorf("... and %d more errors like those", e.n-e.max)
	}
}
