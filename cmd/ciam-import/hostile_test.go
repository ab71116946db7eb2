package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf16"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/state"
)

// The hostile suite of issue 9: each case is an input, a state directory or
// a server an operator or an attacker could hand the real binary, and the
// exact outcome it must get: the exit code, what stderr says (naming the
// file, line or field), which report every row lands in, and that nothing
// outside the state directory is touched.

// hostileMapping maps the columns of hostileCSV with no normalisation, so
// that a row is rejected only for what a case does to it.
const hostileMapping = `version: 1
key: id
fields:
  UserName: { from: login }
  Email: { from: email }
  PhoneNumber: { from: phone }
  Password: { from: pw }
  Nickname: { from: nick }
`

const hostileHeader = "id,login,email,phone,pw,nick\n"

// hostileRow is row i of the small inputs (valid, nickname nick).
func hostileRow(i int, nick string) string {
	return fmt.Sprintf("%d,user%d,user%d@example.com,+86-1380000%04d,Pw#%d-secret,%s\n", i, i, i, i, i, nick)
}

// hostileCSV is a header and n valid rows (lines 2..n+1).
func hostileCSV(n int) string {
	var b strings.Builder
	b.WriteString(hostileHeader)
	for i := 1; i <= n; i++ {
		b.WriteString(hostileRow(i, fmt.Sprintf("Nick %d", i)))
	}
	return b.String()
}

// Inputs of over 1 MiB (the old fingerprint's head) whose rows the mapping
// rejects locally (the email), so a run needs no request: bigRows rows of
// about 1 KB, a stopped run reads bigStop of them.
const (
	bigRows = 1500
	bigStop = 1200
)

func bigCSV() string {
	var b strings.Builder
	b.WriteString(hostileHeader)
	pad := strings.Repeat("x", 1000)
	for i := 1; i <= bigRows; i++ {
		fmt.Fprintf(&b, "%d,user%d,not-an-email-%d,+86-1380000%04d,Pw#%d-secret,%s\n", i, i, i, i, i, pad)
	}
	return b.String()
}

// stoppedBig runs bigCSV to --max-rows stop (rows 2..stop+1 rejected, the
// job not done) and returns the input's path.
func (h *hostileEnv) stoppedBig(stop int) string {
	h.t.Helper()
	in := h.write("users.csv", bigCSV())
	if r := h.run(h.runArgs(in, h.write("mapping.yaml", hostileMapping), "--max-rows", fmt.Sprint(stop))...); r.code != exitLimit {
		h.t.Fatalf("the run to stop at %d rows exited %d, want %d", stop, r.code, exitLimit)
	}
	return in
}

// editSnapshot rewrites the state's snapshot through edit, with a valid
// checksum: damage that a checksum cannot see.
func (h *hostileEnv) editSnapshot(edit func(*state.Snapshot)) {
	h.t.Helper()
	p := filepath.Join(h.state, state.SnapshotFile)
	s, err := state.ReadSnapshot(p)
	if err != nil {
		h.t.Fatal(err)
	}
	edit(s)
	if err := state.WriteSnapshot(p, s); err != nil {
		h.t.Fatal(err)
	}
}

// target is a file outside the state directory a symlink points at; the
// check asserts it was neither written nor chmodded.
const targetContent = "precious, not the job's\n"

func (h *hostileEnv) target() string {
	h.t.Helper()
	p := h.write("target", targetContent)
	if err := os.Chmod(p, 0o644); err != nil {
		h.t.Fatal(err)
	}
	return p
}

func (h *hostileEnv) checkTarget(t *testing.T) {
	t.Helper()
	p := h.path("target")
	if got := readAll(t, p); got != targetContent {
		t.Errorf("the symlink's target was written: %q", got)
	}
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("the symlink's target is mode %v (%v), want 0644", fi.Mode().Perm(), err)
	}
}

// nicknames returns the Nickname of every user of the emulator, sorted.
func (h *hostileEnv) nicknames() []string {
	var out []string
	for _, u := range h.em.Server.Users(emulator.DemoUserStore) {
		out = append(out, derefTrim(u.Nickname))
	}
	slices.Sort(out)
	return out
}

// chineseCSV is two rows with Chinese nicknames (lines 2 and 3).
var chineseNicks = []string{"张涛", "陈洋"}

// chineseImported asserts the emulator holds the nicknames of chineseCSV.
func chineseImported(t *testing.T, h *hostileEnv, r binRun) {
	if got := h.nicknames(); !slices.Equal(got, sortedCopy(chineseNicks)) {
		t.Errorf("nicknames %q, want %q", got, chineseNicks)
	}
}

func chineseCSV() string {
	return hostileHeader + hostileRow(1, chineseNicks[0]) + hostileRow(2, chineseNicks[1])
}

type hostileCase struct {
	item int // of issue 9 (or 21 for round three)
	name string
	// proc runs the case's runs as the real binary, for the cases that
	// measure its memory; cases that kill or signal it start it themselves.
	proc bool
	cfg  func(*emulator.Config)
	// do prepares the case and runs the binary; it returns the run under test.
	do     func(h *hostileEnv) binRun
	code   int      // -1: the check judges the exit code
	stderr []string // each must appear in stderr
	// lines, when not nil, is the report every input line must be in
	// (and no other line may be in any).
	lines map[int64]string
	check func(t *testing.T, h *hostileEnv, r binRun)
}

func hostileCases() []hostileCase {
	created, rejected := outcome.Created.File, outcome.Rejected.File
	noState := func(t *testing.T, h *hostileEnv, r binRun) {
		if _, err := os.Lstat(h.state); !os.IsNotExist(err) {
			t.Errorf("a refused run left %s behind (%v)", h.state, err)
		}
	}
	// stopped leaves a job stopped after 100 rows; untouched asserts the
	// state directory holds what h.before saw.
	stopped := func(h *hostileEnv) { h.stoppedBig(100) }
	untouched := func(t *testing.T, h *hostileEnv, r binRun) { sameFiles(t, h.state, h.before) }
	return []hostileCase{
		// 3: a code that fails every row whatever its data stops the job;
		// the rows after the streak are left for the next run.
		{item: 3, name: "a code failing every row stops the job",
			cfg: func(c *emulator.Config) {
				c.Faults.CreateUser = emulator.FaultSpec{ErrorRate: 1, ErrorCodes: []string{"FailedOperation.UserGroupNotFound"}}
			},
			do: func(h *hostileEnv) binRun {
				r := h.run(h.runArgs(h.write("users.csv", hostileCSV(20)), h.write("mapping.yaml", hostileMapping), "--workers", "1")...)
				if r.code != exitFatal || !strings.Contains(r.stderr, "5 rows in a row failed with FailedOperation.UserGroupNotFound") {
					h.t.Fatalf("exit %d, want %d with the streak named", r.code, exitFatal)
				}
				wantLines(h.t, h.state, linesIn(2, 5, rejected)) // the four before the fifth; nothing else settled
				if err := h.em.Server.SetFaults(emulator.Faults{}); err != nil {
					h.t.Fatal(err)
				}
				return h.run("run", "--state-dir", h.state, "--progress", "never")
			},
			code: exitPartial, lines: merge(linesIn(2, 5, rejected), linesIn(6, 21, created)),
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				if n := len(h.em.Server.Users(emulator.DemoUserStore)); n != 16 {
					t.Errorf("the emulator holds %d users, want the 16 rows after the streak", n)
				}
			}},

		// 2: rows in flight when AuthFailure stopped the job got a definite
		// answer: the next run sends them as new. Another state directory
		// created their users meanwhile, so they are conflicts, never
		// "created" with the other job's user.
		{item: 2, name: "rows stopped by AuthFailure are not settled as another job's users",
			do: func(h *hostileEnv) binRun {
				p := &authProxy{next: h.em.Server, after: 10, failing: true, passed: map[string]bool{}}
				srv := httptest.NewServer(p)
				h.t.Cleanup(srv.Close)
				in, m := h.write("users.csv", hostileCSV(40)), h.write("mapping.yaml", hostileMapping)
				if r := h.run(append(h.runArgs(in, m, "--workers", "8"), "--endpoint", srv.URL)...); r.code != exitFatal {
					h.t.Fatalf("the run meeting AuthFailure exited %d, want %d", r.code, exitFatal)
				}
				p.setFailing(false)
				other := h.path("other-state")
				if r := h.run("run", "--input", in, "--mapping", m, "--user-store-id", emulator.DemoUserStore, "--state-dir", other,
					"--endpoint", srv.URL, "--rate", "0", "--progress", "never"); r.code != exitPartial {
					h.t.Fatalf("the other job exited %d, want %d (the first job's users are conflicts)", r.code, exitPartial)
				}
				want := map[int64]string{}
				for i := int64(1); i <= 40; i++ {
					want[i+1] = outcome.Conflict.File
					if p.passed[fmt.Sprintf("user%d", i)] {
						want[i+1] = created
					}
				}
				h.lines = want
				return h.run("run", "--state-dir", h.state, "--progress", "never")
			},
			code: exitPartial,
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				wantLines(t, h.state, h.lines)
				n := 0
				for _, f := range h.lines {
					if f == created {
						n++
					}
				}
				if n == 0 || n == 40 {
					t.Errorf("the first job created %d of 40 users: AuthFailure did not stop it mid-run", n)
				}
				if users := h.em.Server.Users(emulator.DemoUserStore); len(users) != 40 {
					t.Errorf("the emulator holds %d users, want 40", len(users))
				}
			}},

		// 4: a stream cannot be resumed by offset: refused, nothing read.
		{item: 4, name: "CSV from a FIFO is refused",
			do: func(h *hostileEnv) binRun {
				fifo := h.path("users.csv")
				if err := syscall.Mkfifo(fifo, 0o600); err != nil {
					h.t.Fatal(err)
				}
				return h.run(h.runArgs(fifo, h.write("mapping.yaml", hostileMapping))...)
			},
			code: exitUsage, stderr: []string{"users.csv: not a regular file (a pipe or FIFO)", "save it to a file first"}, check: noState},
		{item: 4, name: "JSONL on /dev/stdin from a pipe is refused",
			do: func(h *hostileEnv) binRun {
				jsonl := `{"id":"1","login":"user1","email":"user1@example.com","phone":"+86-13800000001","pw":"Pw#1-secret","nick":"n"}` + "\n"
				return h.exec(func(c *exec.Cmd) { c.Stdin = strings.NewReader(jsonl) },
					h.runArgs("/dev/stdin", h.write("mapping.yaml", hostileMapping), "--format", "jsonl")...)
			},
			code: exitUsage, stderr: []string{"/dev/stdin: not a regular file", "a stream cannot be resumed by offset"}, check: noState},
		{item: 4, name: "validate of CSV on /dev/stdin from a pipe is refused",
			do: func(h *hostileEnv) binRun {
				return h.exec(func(c *exec.Cmd) { c.Stdin = strings.NewReader(hostileCSV(3)) },
					"validate", "--input", "/dev/stdin", "--format", "csv", "--mapping", h.write("mapping.yaml", hostileMapping),
					"--report-dir", h.state)
			},
			code: exitUsage, stderr: []string{"/dev/stdin: not a regular file"}, check: noState},

		// 5: an input truncated while the job reads it stops the job with
		// an error, never "finished" with the rest of its rows in no report.
		{item: 5, name: "an input truncated during the run",
			do: func(h *hostileEnv) binRun {
				in := h.write("users.csv", hostileCSV(20000)) // far more than the job reads ahead
				args := h.runArgs(in, h.write("mapping.yaml", hostileMapping), "--workers", "1")
				p := startImportWith(h.t, h.bin, h.dir, "truncated", nil, args...)
				created := filepath.Join(h.state, outcome.Created.File)
				p.waitUntil(h.t, hostileDeadline, "3 rows created", func() bool {
					b, _ := os.ReadFile(created)
					return bytes.Count(b, []byte("\n")) > 3
				})
				if err := os.Truncate(in, 2000); err != nil {
					h.t.Fatal(err)
				}
				return binRun{code: p.wait(h.t, hostileDeadline), stderr: readAll(h.t, p.stderr)}
			},
			code: exitFatal, stderr: []string{"stopped by: read input: read ", "users.csv: the input changed: it shrank from 1574500 to 2000 bytes"},
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				lines := reportLines(t, h.state)
				for line, files := range lines {
					if len(files) != 1 || files[0] != outcome.Created.File || line < 2 || line > int64(len(lines))+1 {
						t.Errorf("line %d is in %v, want the rows settled before the stop, each created", line, files)
					}
				}
				if n := len(h.em.Server.Users(emulator.DemoUserStore)); n != len(lines) || n >= 20000 {
					t.Errorf("%d users for %d rows in the reports", n, len(lines))
				}
				if r := h.run("run", "--state-dir", h.state, "--progress", "never"); r.code != exitUsage || !strings.Contains(r.stderr, "the input changed") {
					t.Errorf("the resume over the truncated input exited %d, want %d saying the input changed", r.code, exitUsage)
				}
			}},

		// 6: a resume reads every byte before its cursor again: an export
		// regenerated with the same size and the same first MiB is refused.
		{item: 6, name: "a regenerated export with the same head is refused on resume",
			do: func(h *hostileEnv) binRun {
				in := h.stoppedBig(bigStop)
				b := []byte(readAll(h.t, in))
				at := strings.Index(string(b), "\n1100,") + 40 // row 1100: past the first MiB, before the cursor
				if at < 1<<20 {
					h.t.Fatalf("the edit at %d is inside the first MiB", at)
				}
				b[at] = 'y'
				if err := os.WriteFile(in, b, 0o600); err != nil {
					h.t.Fatal(err)
				}
				h.before = snapshotFiles(h.t, h.state)
				return h.run("run", "--state-dir", h.state, "--progress", "never")
			},
			code: exitUsage, stderr: []string{"users.csv: the input changed", "are not the ones read before the cursor", "--restart"},
			check: untouched},
		{item: 6, name: "an edit after the resume point is read",
			do: func(h *hostileEnv) binRun {
				in := h.stoppedBig(bigStop)
				b := []byte(readAll(h.t, in))
				b[strings.Index(string(b), "\n1400,")+40] = 'y'
				if err := os.WriteFile(in, b, 0o600); err != nil {
					h.t.Fatal(err)
				}
				return h.run("run", "--state-dir", h.state, "--progress", "never")
			},
			code: exitPartial, lines: linesIn(2, bigRows+1, rejected)},

		// 7: damaged state fails loudly, exit 1, and changes nothing.
		{item: 7, name: "a flipped bit in snapshot.json",
			do: func(h *hostileEnv) binRun {
				stopped(h)
				p := filepath.Join(h.state, state.SnapshotFile)
				b := []byte(readAll(h.t, p))
				b[strings.Index(string(b), `"line": 101`)+len(`"line": 10`)] ^= 0x02 // 101 -> 103
				if err := os.WriteFile(p, b, 0o600); err != nil {
					h.t.Fatal(err)
				}
				h.before = snapshotFiles(h.t, h.state)
				return h.run("run", "--state-dir", h.state, "--progress", "never")
			},
			code: exitError, stderr: []string{"snapshot.json", "checksum does not match its content"}, check: untouched},
		{item: 7, name: "a deleted journal",
			do: func(h *hostileEnv) binRun {
				stopped(h)
				if err := os.Remove(filepath.Join(h.state, state.JournalFile)); err != nil {
					h.t.Fatal(err)
				}
				h.before = snapshotFiles(h.t, h.state)
				return h.run("run", "--state-dir", h.state, "--progress", "never")
			},
			code: exitError, stderr: []string{"damaged state", "journal.jsonl: the journal is missing", "nothing was changed"}, check: untouched},
		{item: 7, name: "a raised journal_gen with a valid checksum",
			do: func(h *hostileEnv) binRun {
				stopped(h)
				h.editSnapshot(func(s *state.Snapshot) { s.JournalGen += 2 })
				h.before = snapshotFiles(h.t, h.state)
				return h.run("run", "--state-dir", h.state, "--progress", "never")
			},
			code: exitError, stderr: []string{"damaged state", "journal.2.jsonl: the journal is missing"}, check: untouched},
		{item: 7, name: "a count off by one with a valid checksum",
			do: func(h *hostileEnv) binRun {
				stopped(h)
				h.editSnapshot(func(s *state.Snapshot) { s.Counts[outcome.Rejected.Name]-- })
				h.before = snapshotFiles(h.t, h.state)
				return h.run("run", "--state-dir", h.state, "--progress", "never")
			},
			code: exitError, stderr: []string{"damaged state", "rejected.csv: the report holds 100 rows; the snapshot counts 99"}, check: untouched},

		// 8: no file the job writes is written through a symlink; unsafe
		// modes are refused.
		{item: 8, name: "a symlinked lock",
			do: func(h *hostileEnv) binRun {
				mkdir(h.t, h.state, 0o700)
				symlink(h.t, h.target(), filepath.Join(h.state, state.LockFile))
				return h.run(h.runArgs(h.write("users.csv", hostileCSV(2)), h.write("mapping.yaml", hostileMapping))...)
			},
			code: exitError, stderr: []string{"state/lock: is a symbolic link; the job never writes through one"},
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				h.checkTarget(t)
				if n := len(h.em.Server.Users(emulator.DemoUserStore)); n != 0 {
					t.Errorf("%d users created by a refused run", n)
				}
			}},
		{item: 8, name: "a symlinked snapshot.json.tmp on resume",
			do: func(h *hostileEnv) binRun {
				h.stoppedBig(100)
				symlink(h.t, h.target(), filepath.Join(h.state, state.SnapshotFile+".tmp"))
				return h.run("run", "--state-dir", h.state, "--progress", "never")
			},
			code: exitPartial, lines: linesIn(2, bigRows+1, rejected),
			check: func(t *testing.T, h *hostileEnv, r binRun) { h.checkTarget(t) }},
		{item: 8, name: "a symlinked report on resume",
			do: func(h *hostileEnv) binRun {
				h.stoppedBig(100)
				p := filepath.Join(h.state, rejected)
				if err := os.Rename(p, h.path("rejected.kept")); err != nil {
					h.t.Fatal(err)
				}
				symlink(h.t, h.target(), p)
				return h.run("run", "--state-dir", h.state, "--progress", "never")
			},
			code: exitError, stderr: []string{"state/rejected.csv: is a symbolic link"},
			check: func(t *testing.T, h *hostileEnv, r binRun) { h.checkTarget(t) }},
		{item: 8, name: "a symlinked job.json on resume",
			do: func(h *hostileEnv) binRun {
				h.stoppedBig(100)
				p := filepath.Join(h.state, jobFile)
				if err := os.Rename(p, h.path("job.kept")); err != nil { // a valid job.json: only the link is wrong
					h.t.Fatal(err)
				}
				symlink(h.t, h.path("job.kept"), p)
				return h.run("run", "--state-dir", h.state, "--progress", "never")
			},
			code: exitError, stderr: []string{"state/job.json: is a symbolic link"}},
		{item: 8, name: "a symlinked report in validate's report dir",
			do: func(h *hostileEnv) binRun {
				mkdir(h.t, h.state, 0o700)
				symlink(h.t, h.target(), filepath.Join(h.state, rejected))
				in := h.write("users.csv", hostileCSV(1)+"2,user2,not-an-email,+86-13800000002,pw,n\n")
				return h.run("validate", "--input", in, "--mapping", h.write("mapping.yaml", hostileMapping), "--report-dir", h.state)
			},
			code: exitPartial, lines: map[int64]string{3: rejected},
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				h.checkTarget(t)
				if fi, err := os.Lstat(filepath.Join(h.state, rejected)); err != nil || !fi.Mode().IsRegular() {
					t.Errorf("rejected.csv is not a regular file of the report dir: %v %v", fi, err)
				}
			}},
		{item: 8, name: "a group-writable state directory",
			do: func(h *hostileEnv) binRun {
				mkdir(h.t, h.state, 0o770)
				return h.run(h.runArgs(h.write("users.csv", hostileCSV(2)), h.write("mapping.yaml", hostileMapping))...)
			},
			code: exitError, stderr: []string{"state: is writable by group or others (mode 0770); run chmod go-w on it"},
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				if entries, _ := os.ReadDir(h.state); len(entries) != 0 || len(h.em.Server.Users(emulator.DemoUserStore)) != 0 {
					t.Errorf("a refused run wrote %d files, created %d users", len(entries), len(h.em.Server.Users(emulator.DemoUserStore)))
				}
			}},
		{item: 8, name: "a world-writable report on resume",
			do: func(h *hostileEnv) binRun {
				stopped(h)
				if err := os.Chmod(filepath.Join(h.state, rejected), 0o666); err != nil {
					h.t.Fatal(err)
				}
				h.before = snapshotFiles(h.t, h.state)
				return h.run("run", "--state-dir", h.state, "--progress", "never")
			},
			code: exitError, stderr: []string{"state/rejected.csv: is writable by group or others (mode 0666)"}, check: untouched},

		// 10: an answer's body is capped: a CreateUser answer streaming
		// without end neither grows the job's memory nor holds it; the row
		// (looked up, absent, sent again) ends retryable.
		{item: 10, name: "a server streaming an endless body", proc: true,
			do: func(h *hostileEnv) binRun {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Header.Get("X-TC-Action") != ciam.ActionCreateUser {
						h.em.Server.ServeHTTP(w, r) // lookups are answered
						return
					}
					endlessBody(w, r)
				}))
				h.t.Cleanup(srv.Close)
				args := append(h.runArgs(h.write("users.csv", hostileCSV(1)), h.write("mapping.yaml", hostileMapping)), "--endpoint", srv.URL)
				return h.run(args...)
			},
			code: exitRetryable, lines: map[int64]string{2: outcome.Retryable.File},
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				t.Logf("max RSS %d MiB, %s", r.maxRSS>>20, r.took)
				if r.maxRSS > 1<<30 { // the race detector's own overhead included
					t.Errorf("max RSS %d MiB: the body is not capped", r.maxRSS>>20)
				}
				reasons := reportColumn(t, filepath.Join(h.state, outcome.Retryable.File), "line", "code")
				if !strings.Contains(reasons["2"], "ResponseTooLarge") {
					t.Errorf("retryable code %q, want ClientError.ResponseTooLarge", reasons["2"])
				}
			}},

		// 21: a service that answers HTTP but not the API (a web server on
		// a wrong port, a proxy's error page) stops the job within 30 s,
		// naming the endpoint; the rows are left for the next run, which
		// imports every one once the endpoint is right.
		{item: 21, name: "an endpoint answering HTML 502 pages",
			do: func(h *hostileEnv) binRun {
				return h.notAPIRun(func(w http.ResponseWriter) {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(http.StatusBadGateway)
					_, _ = io.WriteString(w, "<html><body>502 Bad Gateway</body></html>")
				})
			},
			code: exitFatal, stderr: []string{"answers in a row from http://127.0.0.1:", "were not the CIAM API's", "check --endpoint"},
			check: notAPIResumed},
		{item: 21, name: "an endpoint answering a web page with 200",
			do: func(h *hostileEnv) binRun {
				return h.notAPIRun(func(w http.ResponseWriter) {
					w.Header().Set("Content-Type", "text/html")
					_, _ = io.WriteString(w, "<html><body>Welcome to nginx!</body></html>")
				})
			},
			code: exitFatal, stderr: []string{"answers in a row from http://127.0.0.1:", "were not the CIAM API's"},
			check: notAPIResumed},

		// 21: a database URL carrying a credential, in any case of its
		// scheme or go-sql-driver's native form, is refused before any
		// connection, never echoed, and nothing is written.
		dbURLCase("POSTGRES:// with a password", "POSTGRES://app:"+dbSecret+"@127.0.0.1:1/crm", "carries a password", "CIAM_IMPORT_DB_PASSWORD"),
		dbURLCase("MySQL:// with a password", "MySQL://app:"+dbSecret+"@127.0.0.1:1/crm", "carries a password", "CIAM_IMPORT_DB_PASSWORD"),
		dbURLCase("the native MySQL form with a password", "app:"+dbSecret+"@tcp(127.0.0.1:1)/crm", "carries a password", "CIAM_IMPORT_DB_PASSWORD"),
		dbURLCase("sslpassword= in the URL", "postgres://app@127.0.0.1:1/crm?sslmode=require&sslpassword="+dbSecret, "carries a password"),
		dbURLCase("multiStatements=true", "mysql://app@127.0.0.1:1/crm?multiStatements=true&x="+dbSecret, "multiStatements is refused"),
		dbURLCase("options= that would lift read-only", "postgres://app@127.0.0.1:1/crm?options=-c%20default_transaction_read_only%3Doff%20-c%20x%3D"+dbSecret, `parameter "options" is not one`),
		dbURLCase("an unknown scheme with a password", "ftp://app:"+dbSecret+"@127.0.0.1/x", `scheme "ftp" is neither a file name nor a database URL`),

		// 21: a FIFO in place of a state file is refused at once by run,
		// status and report, never waited on (run as the binary: a blocked
		// open cannot be cancelled in process).
		// status does not read job.json or the journal: it must not block.
		fifoCase(state.SnapshotFile, "run", true), fifoCase(state.SnapshotFile, "status", true), fifoCase(state.SnapshotFile, "report", true),
		fifoCase(state.JournalFile, "run", true), fifoCase(state.JournalFile, "status", false),
		fifoCase(jobFile, "run", true), fifoCase(jobFile, "status", false), fifoCase(rejectedFile, "report", true),

		// 21: an output pointed at a file of the state directory, at another
		// output or at an input is refused before anything is written.
		{item: 21, name: "--metrics-file at the state's created.csv",
			do: func(h *hostileEnv) binRun {
				stopped(h)
				h.before = snapshotFiles(h.t, h.state)
				return h.run("run", "--state-dir", h.state, "--progress", "never", "--metrics-file", filepath.Join(h.state, created))
			},
			code: exitUsage, stderr: []string{"--metrics-file", "created.csv: is a file of the state directory", "nothing was written"}, check: untouched},
		{item: 21, name: "--metrics-file at a journal generation not yet made",
			do: func(h *hostileEnv) binRun {
				stopped(h)
				h.before = snapshotFiles(h.t, h.state)
				return h.run("run", "--state-dir", h.state, "--progress", "never", "--metrics-file", filepath.Join(h.state, "journal.7.jsonl"))
			},
			code: exitUsage, stderr: []string{"is a file of the state directory"}, check: untouched},
		{item: 21, name: "report --out at the state's snapshot.json",
			do: func(h *hostileEnv) binRun {
				stopped(h)
				h.before = snapshotFiles(h.t, h.state)
				return h.run("report", "--state-dir", h.state, "--out", filepath.Join(h.state, "..", "state", state.SnapshotFile))
			},
			code: exitUsage, stderr: []string{"--out", "is a file of the state directory"}, check: untouched},
		{item: 21, name: "report --out through a symlinked directory at job.json",
			do: func(h *hostileEnv) binRun {
				stopped(h)
				symlink(h.t, h.state, h.path("alias"))
				h.before = snapshotFiles(h.t, h.state)
				return h.run("report", "--state-dir", h.state, "--out", filepath.Join(h.path("alias"), jobFile))
			},
			code: exitUsage, stderr: []string{"is a file of the state directory"}, check: untouched},
		{item: 21, name: "--metrics-file at the --input",
			do: func(h *hostileEnv) binRun {
				in := h.write("users.csv", hostileCSV(2))
				return h.run(h.runArgs(in, h.write("mapping.yaml", hostileMapping), "--metrics-file", in)...)
			},
			code: exitUsage, stderr: []string{"--metrics-file", "is the same file as --input"},
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				if got := readAll(t, h.path("users.csv")); got != hostileCSV(2) {
					t.Errorf("the input was written")
				}
				if _, err := os.Lstat(h.state); !os.IsNotExist(err) {
					t.Errorf("a refused run left %s behind", h.state)
				}
			}},
		{item: 21, name: "--metrics-file at the --ledger",
			do: func(h *hostileEnv) binRun {
				l := h.path("ledger.db")
				return h.run(h.runArgs(h.write("users.csv", hostileCSV(2)), h.write("mapping.yaml", hostileMapping), "--ledger", l, "--metrics-file", l)...)
			},
			code: exitUsage, stderr: []string{"--ledger", "is the same file as --metrics-file"},
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				if _, err := os.Lstat(h.path("ledger.db")); !os.IsNotExist(err) {
					t.Errorf("the ledger was made: %v", err)
				}
			}},
		{item: 21, name: "validate --report-dir over a job's state directory",
			do: func(h *hostileEnv) binRun {
				stopped(h)
				h.before = snapshotFiles(h.t, h.state)
				return h.run("validate", "--input", h.write("other.csv", hostileCSV(3)), "--mapping", h.write("mapping.yaml", hostileMapping), "--report-dir", h.state)
			},
			code: exitUsage, stderr: []string{"--report-dir", "is the state directory of a job"}, check: untouched},

		// 21: keys and server messages that a spreadsheet would run are
		// stored with the OWASP quote, and retry reads the rows back by
		// their real keys.
		{item: 21, name: "formula cells in the reports",
			cfg: func(c *emulator.Config) {
				c.Faults.CreateUser = emulator.FaultSpec{ErrorRate: 1, ErrorCodes: []string{"InternalError"}}
			},
			do: func(h *hostileEnv) binRun {
				var b strings.Builder
				b.WriteString(hostileHeader)
				for i, id := range formulaKeys {
					fmt.Fprintf(&b, "%s,user%d,user%d@example.com,+86-1380000%04d,Pw#%d-secret,n\n", id, i, i, i, i)
				}
				in := h.write("users.csv", b.String())
				if r := h.run(h.runArgs(in, h.write("mapping.yaml", hostileMapping), "--workers", "1")...); r.code != exitRetryable {
					h.t.Fatalf("the run exited %d, want %d", r.code, exitRetryable)
				}
				checkQuoted(h.t, filepath.Join(h.state, outcome.Retryable.File))
				if err := h.em.Server.SetFaults(emulator.Faults{}); err != nil {
					h.t.Fatal(err)
				}
				return h.run("retry", "--state-dir", h.state, "--progress", "never")
			},
			code: exitOK, lines: linesIn(2, 5, created),
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				checkQuoted(t, filepath.Join(h.state, created))
				if n := len(h.em.Server.Users(emulator.DemoUserStore)); n != len(formulaKeys) {
					t.Errorf("%d users, want %d", n, len(formulaKeys))
				}
			}},

		// 21: a JSON object naming a member twice (also through a \u
		// escape) is a row error naming the member, as a duplicate CSV
		// column is refused; the other rows are imported.
		{item: 21, name: "a duplicate JSON member name",
			do: func(h *hostileEnv) binRun {
				row := func(i int, extra string) string {
					return fmt.Sprintf(`{"id":"%d","login":"user%d","email":"user%d@example.com","phone":"+86-1380000%04d","pw":"Pw#%d-secret","nick":"n"%s}`+"\n", i, i, i, i, i, extra)
				}
				in := h.write("users.jsonl", row(1, "")+row(2, `,"em\u0061il":"attacker@example.com"`)+row(3, `,"nick":"again"`)+row(4, ""))
				return h.run(h.runArgs(in, h.write("mapping.yaml", hostileMapping))...)
			},
			code: exitPartial, lines: map[int64]string{1: created, 2: rejected, 3: rejected, 4: created},
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				reasons := reportColumn(t, filepath.Join(h.state, rejected), "line", "reason")
				for line, member := range map[string]string{"2": "email", "3": "nick"} {
					if !strings.Contains(reasons[line], "users.jsonl:"+line+":") || !strings.Contains(reasons[line], fmt.Sprintf("duplicate member name %q", member)) {
						t.Errorf("line %s: reason %q, want the file, line and member %s", line, reasons[line], member)
					}
				}
				for _, u := range h.em.Server.Users(emulator.DemoUserStore) {
					if u.Email != nil && strings.Contains(*u.Email, "attacker") {
						t.Errorf("the duplicate's value was imported")
					}
				}
			}},

		// 11: encodings.
		{item: 11, name: "GBK without --encoding: rejected with the hint",
			do: func(h *hostileEnv) binRun {
				in := h.write("users.csv", gbk(h.t, chineseCSV()))
				return h.run(h.runArgs(in, h.write("mapping.yaml", hostileMapping))...)
			},
			code: exitPartial, lines: linesIn(2, 3, rejected),
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				reasons := reportColumn(t, filepath.Join(h.state, rejected), "line", "reason")
				fields := reportColumn(t, filepath.Join(h.state, rejected), "line", "field")
				for _, line := range []string{"2", "3"} {
					if !strings.Contains(reasons[line], "users.csv:"+line+":") || !strings.Contains(reasons[line], `field "nick": invalid UTF-8 (looks like GB18030`) ||
						!strings.Contains(reasons[line], "pass --encoding gb18030") || fields[line] != "nick" {
						t.Errorf("line %s: field %q reason %q, want the file, line, field and the encoding to pass", line, fields[line], reasons[line])
					}
				}
				if n := len(h.em.Server.Users(emulator.DemoUserStore)); n != 0 {
					t.Errorf("%d users created from undecoded rows", n)
				}
			}},
		{item: 11, name: "GBK with --encoding gbk: imported",
			do: func(h *hostileEnv) binRun {
				in := h.write("users.csv", gbk(h.t, chineseCSV()))
				return h.run(h.runArgs(in, h.write("mapping.yaml", hostileMapping), "--encoding", "gbk")...)
			},
			code: exitOK, lines: linesIn(2, 3, created),
			check: chineseImported},
		{item: 11, name: "UTF-16 with a BOM: detected and imported",
			do: func(h *hostileEnv) binRun {
				in := h.write("users.csv", utf16LEWithBOM(chineseCSV()))
				return h.run(h.runArgs(in, h.write("mapping.yaml", hostileMapping))...)
			},
			code: exitOK, lines: linesIn(2, 3, created),
			check: chineseImported},

		// 12: line endings, delimiters, blank lines.
		{item: 12, name: "CR-only line endings: what was found and what to do",
			do: func(h *hostileEnv) binRun {
				in := h.write("users.csv", strings.ReplaceAll(hostileCSV(3), "\n", "\r"))
				return h.run(h.runArgs(in, h.write("mapping.yaml", hostileMapping))...)
			},
			code: exitUsage, stderr: []string{"users.csv:1: unknown format: the lines end in a lone CR", "convert them to LF first"}, check: noState},
		{item: 12, name: "a ';' file without --delimiter: the hint",
			do: func(h *hostileEnv) binRun {
				in := h.write("users.csv", strings.ReplaceAll(hostileCSV(3), ",", ";"))
				return h.run(h.runArgs(in, h.write("mapping.yaml", hostileMapping))...)
			},
			code: exitUsage, stderr: []string{"users.csv:1: bad header: the header is one column", "the delimiter is likely ';'", "pass --delimiter ';'"}, check: noState},
		{item: 12, name: "a ';' file with --delimiter ';'",
			do: func(h *hostileEnv) binRun {
				in := h.write("users.csv", strings.ReplaceAll(hostileCSV(3), ",", ";"))
				return h.run(h.runArgs(in, h.write("mapping.yaml", hostileMapping), "--delimiter", ";")...)
			},
			code: exitOK, lines: linesIn(2, 4, created)},
		{item: 12, name: "whitespace-only lines are not rows",
			do: func(h *hostileEnv) binRun {
				in := h.write("users.csv", hostileHeader+hostileRow(1, "a")+"   \n\t\n"+hostileRow(2, "b")+"\n \t \n"+hostileRow(3, "c"))
				return h.run(h.runArgs(in, h.write("mapping.yaml", hostileMapping))...)
			},
			code: exitOK, lines: map[int64]string{2: created, 5: created, 8: created},
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				if n := len(h.em.Server.Users(emulator.DemoUserStore)); n != 3 {
					t.Errorf("%d users, want 3", n)
				}
			}},

		// 13: control characters in free text reject the row, naming the
		// field and never the value.
		{item: 13, name: "NUL and ESC in a nickname",
			do: func(h *hostileEnv) binRun {
				in := h.write("users.csv", hostileHeader+hostileRow(1, "Zh\x00ang")+hostileRow(2, "ok")+hostileRow(3, "\x1b[31mred"))
				return h.run(h.runArgs(in, h.write("mapping.yaml", hostileMapping))...)
			},
			code: exitPartial, lines: map[int64]string{2: rejected, 3: created, 4: rejected},
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				reasons := reportColumn(t, filepath.Join(h.state, rejected), "line", "reason")
				fields := reportColumn(t, filepath.Join(h.state, rejected), "line", "field")
				for line, want := range map[string]string{"2": "Nickname (source nick): contains a NUL character", "4": "Nickname (source nick): contains a control character"} {
					if reasons[line] != want || fields[line] != "Nickname" {
						t.Errorf("line %s: field %q reason %q, want Nickname: %q", line, fields[line], reasons[line], want)
					}
				}
				if got := h.nicknames(); !slices.Equal(got, []string{"ok"}) {
					t.Errorf("nicknames %q, want only the clean one", got)
				}
			}},

		// 14: templates are bounded: refused when the mapping is read, or
		// the row rejected at once.
		{item: 14, name: "{{range 100000000}} is refused with the mapping",
			do: func(h *hostileEnv) binRun {
				m := strings.Replace(hostileMapping, "Nickname: { from: nick }", `Nickname: { template: "{{range 100000000}}x{{end}}" }`, 1)
				return h.run(h.runArgs(h.write("users.csv", hostileCSV(2)), h.write("mapping.yaml", m))...)
			},
			code: exitUsage, stderr: []string{"mapping.yaml:8:", "fields.Nickname.template", "exceeds the bound of 10000 steps per row"},
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				noState(t, h, r)
				if r.took > 10*time.Second {
					t.Errorf("took %s", r.took)
				}
			}},
		{item: 14, name: "nested ranges: the row is rejected quickly",
			do: func(h *hostileEnv) binRun {
				m := strings.Replace(hostileMapping, "Nickname: { from: nick }", `Nickname: { template: "{{range 10000}}{{range 10000}}x{{end}}{{end}}" }`, 1)
				return h.run(h.runArgs(h.write("users.csv", hostileCSV(3)), h.write("mapping.yaml", m))...)
			},
			code: exitPartial, lines: linesIn(2, 4, rejected),
			check: func(t *testing.T, h *hostileEnv, r binRun) {
				for line, reason := range reportColumn(t, filepath.Join(h.state, rejected), "line", "reason") {
					if !strings.Contains(reason, "template failed: takes more than 10000 steps") {
						t.Errorf("line %s: reason %q", line, reason)
					}
				}
				if r.took > 10*time.Second { // unbounded: 16 s per row
					t.Errorf("took %s for 3 rows", r.took)
				}
			}},

		// 15: flag values that crashed or hung the binary.
		{item: 15, name: "--workers 99999999999",
			do: func(h *hostileEnv) binRun {
				return h.run(h.runArgs(h.write("users.csv", hostileCSV(2)), h.write("mapping.yaml", hostileMapping), "--workers", "99999999999")...)
			},
			code: exitUsage, stderr: []string{"--workers"}, check: noState},
		{item: 15, name: "--rate 1e-300",
			do: func(h *hostileEnv) binRun {
				return h.run(h.runArgs(h.write("users.csv", hostileCSV(2)), h.write("mapping.yaml", hostileMapping), "--rate", "1e-300")...)
			},
			code: exitUsage, stderr: []string{"--rate"}, check: noState},

		// 16: job.json holds absolute paths: a job started with relative
		// ones continues from any directory.
		{item: 16, name: "run --state-dir DIR from another directory",
			do: func(h *hostileEnv) binRun {
				a, b := h.path("a"), h.path("b")
				mkdir(h.t, a, 0o700)
				mkdir(h.t, b, 0o700)
				h.write("a/users.csv", hostileCSV(5))
				h.write("a/mapping.yaml", hostileMapping)
				inA := func(c *exec.Cmd) { c.Dir = a }
				r := h.exec(inA, "run", "--input", "users.csv", "--mapping", "mapping.yaml", "--user-store-id", emulator.DemoUserStore,
					"--state-dir", "../state", "--endpoint", h.em.URL, "--rate", "0", "--progress", "never", "--max-rows", "2")
				if r.code != exitLimit {
					h.t.Fatalf("the first run exited %d, want %d", r.code, exitLimit)
				}
				return h.exec(func(c *exec.Cmd) { c.Dir = b }, "run", "--state-dir", h.state, "--progress", "never")
			},
			code: exitOK, lines: linesIn(2, 6, created)},
	}
}

// formulaKeys are legacy keys a spreadsheet would take for formulas.
var formulaKeys = []string{"=2+3", "@SUM(A1)", "-7", "+9"}

// checkQuoted asserts the key column of the report at path holds each of
// formulaKeys behind the OWASP quote, and no cell starts a formula.
func checkQuoted(t *testing.T, path string) {
	t.Helper()
	keys := reportColumn(t, path, "line", "key")
	for i, k := range formulaKeys {
		if got := keys[fmt.Sprint(i+2)]; got != "'"+k {
			t.Errorf("%s: line %d key %q, want %q", filepath.Base(path), i+2, got, "'"+k)
		}
	}
	for _, rec := range readCSV(t, path)[1:] {
		for _, v := range rec {
			if v != "" && strings.ContainsRune("=+-@", rune(v[0])) {
				t.Errorf("%s: cell %q of line %s starts a formula", filepath.Base(path), v, rec[0])
			}
		}
	}
}

// rejectedFile is the rejected report's name.
var rejectedFile = outcome.Rejected.File

// fifoCase replaces name in a stopped job's state with a FIFO and runs cmd
// on it: it ends at once, refused (when refused) as not a regular file,
// and nothing else changed.
func fifoCase(name, cmd string, refused bool) hostileCase {
	var want []string
	if refused {
		want = []string{name, "not a regular file"}
	}
	return hostileCase{item: 21, name: fmt.Sprintf("a FIFO as %s: %s", name, cmd), proc: true,
		do: func(h *hostileEnv) binRun {
			h.stoppedBig(100)
			p := filepath.Join(h.state, name)
			if err := os.Remove(p); err != nil {
				h.t.Fatal(err)
			}
			if err := syscall.Mkfifo(p, 0o600); err != nil {
				h.t.Fatal(err)
			}
			h.before = snapshotFiles(h.t, h.state)
			args := []string{cmd, "--state-dir", h.state}
			switch cmd {
			case "run":
				args = append(args, "--progress", "never")
			case "report":
				args = append(args, "--out", h.path("report.html"))
			}
			return h.run(args...)
		},
		code: -1, stderr: want,
		check: func(t *testing.T, h *hostileEnv, r binRun) {
			if (r.code == exitOK) == refused || r.code < 0 {
				t.Errorf("exit %d, want a refusal", r.code)
			}
			if r.took > 10*time.Second {
				t.Errorf("took %s: the FIFO was waited on", r.took)
			}
			sameFiles(t, h.state, h.before)
			if fi, err := os.Lstat(filepath.Join(h.state, name)); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
				t.Errorf("the FIFO was replaced: %v %v", fi, err)
			}
		}}
}

// dbSecret is the password the database URL cases put in --input.
const dbSecret = "Db-S3cret-pw"

// dbURLCase runs --input url with a table; the run must be refused as a
// usage error saying want, with no state and the secret nowhere.
func dbURLCase(name, url string, want ...string) hostileCase {
	return hostileCase{item: 21, name: "database URL: " + name,
		do: func(h *hostileEnv) binRun {
			return h.run(h.runArgs(url, h.write("mapping.yaml", hostileMapping), "--table", "users")...)
		},
		code: exitUsage, stderr: want,
		check: func(t *testing.T, h *hostileEnv, r binRun) {
			if strings.Contains(r.stderr+r.stdout, dbSecret) {
				t.Errorf("the password is printed:\n%s", r.stderr)
			}
			if _, err := os.Lstat(h.state); !os.IsNotExist(err) {
				t.Errorf("a refused run left %s behind (%v)", h.state, err)
			}
		}}
}

// notAPIRun runs 20 rows against a server that answers every request
// with page.
func (h *hostileEnv) notAPIRun(page func(w http.ResponseWriter)) binRun {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { page(w) }))
	h.t.Cleanup(srv.Close)
	in, m := h.write("users.csv", hostileCSV(20)), h.write("mapping.yaml", hostileMapping)
	return h.run(append(h.runArgs(in, m), "--endpoint", srv.URL)...)
}

// notAPIResumed asserts the stop came within 30 s and the state resumes:
// with the right endpoint every row is created, once.
func notAPIResumed(t *testing.T, h *hostileEnv, r binRun) {
	if r.took > 30*time.Second {
		t.Errorf("the stop took %s, want under 30 s", r.took)
	}
	// The rows whose lookups met the pages too are retryable: retry sends them.
	if r2 := h.run("run", "--state-dir", h.state, "--endpoint", h.em.URL, "--progress", "never"); r2.code != exitOK && r2.code != exitRetryable {
		t.Fatalf("the resume with the right endpoint exited %d:\n%s", r2.code, r2.stderr)
	}
	if r3 := h.run("retry", "--state-dir", h.state, "--endpoint", h.em.URL, "--progress", "never"); r3.code != exitOK {
		t.Fatalf("the retry exited %d, want %d:\n%s", r3.code, exitOK, r3.stderr)
	}
	wantLines(t, h.state, linesIn(2, 21, outcome.Created.File))
	if n := len(h.em.Server.Users(emulator.DemoUserStore)); n != 20 {
		t.Errorf("the emulator holds %d users, want 20", n)
	}
}

func TestHostile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	// The in-process runs read their credentials here, as the binary's
	// come from its environment; the subtests are parallel, the test not.
	t.Setenv("TENCENTCLOUD_SECRET_ID", chaosSecretID)
	t.Setenv("TENCENTCLOUD_SECRET_KEY", chaosSecretKey)
	for _, tc := range append(hostileCases(), hostileCases21()...) {
		t.Run(fmt.Sprintf("%d/%s", tc.item, tc.name), func(t *testing.T) {
			t.Parallel()
			cfg := emulator.DemoConfig()
			cfg.Rate, cfg.Seed = 0, 9
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			h := newHostileEnv(t, cfg)
			h.proc = tc.proc
			r := tc.do(h)
			if tc.code >= 0 && r.code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", r.code, tc.code, r.stderr)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr does not say %q:\n%s", s, r.stderr)
				}
			}
			if tc.lines != nil {
				wantLines(t, h.state, tc.lines)
			}
			if tc.check != nil {
				tc.check(t, h, r)
			}
		})
	}
}

func merge(ms ...map[int64]string) map[int64]string {
	out := map[int64]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func sortedCopy(s []string) []string { return slices.Sorted(slices.Values(s)) }

func mkdir(t *testing.T, path string, mode fs.FileMode) {
	t.Helper()
	if err := os.Mkdir(path, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func gbk(t *testing.T, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utf16LEWithBOM(s string) string {
	var b []byte
	for _, u := range utf16.Encode([]rune("\ufeff" + s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}
