package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
	"github.com/ciam-import/ciam-import/importer/state"
)

// The identity-under-change tests drive the real ciam-import binary against
// an in-process emulator over a source that they edit between runs, as an
// operator re-exporting the legacy table (or changing it in place) does.
// idEnv is one such job: its rows (kept in memory, in the order the source
// reads them, and written to the source by an idInput), its state
// directory, and the history the invariants need (identity_check_test.go).

// Seeds of the exports: ours, and another source's, in the same store.
const (
	idSeed      = 7019
	foreignSeed = 7031
)

// foreignMapping maps another source: the same columns, its legacy id in
// IndexedAttribute2 (ours is in IndexedAttribute1), so each source has its
// own default --source-name.
var foreignMapping = strings.Replace(syncMapping, "IndexedAttribute1: legacy_id", "IndexedAttribute2: legacy_id", 1)

// idEnv is one import job whose source changes between runs.
type idEnv struct {
	t        *testing.T
	bin      string
	em       *emulator.Running
	url      string           // the emulator, behind front
	front    *countingHandler // counts the requests CIAM is still working on
	base     string
	logDir   string
	stateDir string
	in       idInput
	mapping  string
	store    string
	ledger   string   // --ledger of every run, if set
	extra    []string // more flags of every run
	rows     [][]string
	fresh    int // the next sourcetest row index for a new row
	hist     idHistory
	runs     int
	faults   emulator.Faults // the emulator's faults between kills
}

// idHistory is what the job went through that the final input no longer
// shows.
type idHistory struct {
	removed map[string]int      // legacy key -> rows of that key removed from the input
	gone    map[string]bool     // keys in flight at a kill whose rows were then removed
	unread  map[string]bool     // keys removed before any run read them: never reported
	stale   map[string][]string // key -> its row as settled, before an edit no run reads again
	foreign map[string]string   // user id -> JSON of a user of another source
}

// clone copies the history's maps but foreign, which no change undoes.
func (h idHistory) clone() idHistory {
	c := h
	c.removed, c.gone, c.unread, c.stale = maps.Clone(h.removed), maps.Clone(h.gone), maps.Clone(h.unread), maps.Clone(h.stale)
	return c
}

// idInput is where the job's rows live between runs: a CSV export
// rewritten whole (csvInput), or a database table edited row by row
// (tableInput, identity_db_test.go).
type idInput interface {
	// args are the flags of `run` that name the source.
	args() []string
	// env is what the binary's environment needs to read it (a password).
	env() []string
	// order puts rows in the order the source reads them, in place.
	order(rows [][]string)
	// write makes the source hold rows (in that order).
	write(t *testing.T, rows [][]string)
	// firstLine is the Line of the first row a read returns.
	firstLine() int64
}

// csvInput is an export file, written out whole with a header line.
type csvInput struct{ path string }

func (c csvInput) args() []string                      { return []string{"--input", c.path} }
func (csvInput) env() []string                         { return nil }
func (csvInput) order([][]string)                      {}
func (c csvInput) write(t *testing.T, rows [][]string) { writeRows(t, c.path, rows) }
func (csvInput) firstLine() int64                      { return 2 }

// newIDEnv starts an emulator (stores: the demo one and otherStore) and
// writes a CSV export of n rows of ours; no run yet.
func newIDEnv(t *testing.T, n int) *idEnv {
	t.Helper()
	return newIDEnvOn(t, n, nil)
}

// newIDEnvOn is newIDEnv with the rows in `in` (nil: a CSV export).
func newIDEnvOn(t *testing.T, n int, in idInput) *idEnv {
	t.Helper()
	bin, _ := chaosBinaries(t)
	cfg := emulator.DemoConfig()
	cfg.Rate, cfg.UserStores, cfg.Seed = 0, []string{emulator.DemoUserStore, otherStore}, idSeed
	em, err := emulator.Start(cfg) // the imports sign with its demo credentials (startImport)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { em.Close() })
	front := &countingHandler{next: em.Server}
	srv := httptest.NewServer(front)
	t.Cleanup(srv.Close)
	e := &idEnv{t: t, bin: bin, em: em, url: srv.URL, front: front, base: t.TempDir(), store: emulator.DemoUserStore,
		hist: idHistory{removed: map[string]int{}, gone: map[string]bool{}, unread: map[string]bool{},
			stale: map[string][]string{}, foreign: map[string]string{}}}
	e.logDir, e.stateDir = filepath.Join(e.base, "logs"), filepath.Join(e.base, "state")
	e.in, e.mapping = in, filepath.Join(e.base, "mapping.yaml")
	if in == nil {
		e.in = csvInput{filepath.Join(e.base, "users.csv")}
	}
	if err := os.Mkdir(e.logDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.mapping, []byte(syncMapping), 0o600); err != nil {
		t.Fatal(err)
	}
	e.rows = ledgerRows(idSeed, n)
	e.fresh = n
	e.write()
	return e
}

// seedForeign imports n users of another source into the store, before
// ours: the first half carry our first keys (in their own attribute), the
// odd ones of those our emails too; the rest are their own. extra adds flags (a shared
// ledger). The users are remembered as they are, to be found unchanged.
func (e *idEnv) seedForeign(n int, extra ...string) {
	e.t.Helper()
	rows := ledgerRows(foreignSeed, n)
	for i := range n / 2 {
		rows[i][0] = e.rows[i][0]
		if i%2 == 1 {
			rows[i][2] = e.rows[i][2] // and our email: our row is a conflict, never an update of theirs
		}
	}
	in, mp := filepath.Join(e.base, "foreign.csv"), filepath.Join(e.base, "foreign.yaml")
	writeRows(e.t, in, rows)
	if err := os.WriteFile(mp, []byte(foreignMapping), 0o600); err != nil {
		e.t.Fatal(err)
	}
	args := append([]string{"run", "--input", in, "--mapping", mp, "--user-store-id", e.store,
		"--state-dir", filepath.Join(e.base, "foreign-state"), "--endpoint", e.url, "--rate", "0", "--progress", "never"}, extra...)
	if code := e.exec("foreign", args...); code != exitOK {
		e.t.Fatalf("seeding the other source's users exited %d; stderr:\n%s", code, e.lastStderr())
	}
	for _, u := range e.em.Server.Users(e.store) {
		if u.IndexedAttribute2 != nil {
			b, _ := json.Marshal(u)
			e.hist.foreign[u.UserId] = string(b)
		}
	}
	if len(e.hist.foreign) != n {
		e.t.Fatalf("seeded %d users of the other source, want %d", len(e.hist.foreign), n)
	}
}

// write makes the source hold e.rows, which it first puts in the order the
// source reads them.
func (e *idEnv) write() {
	e.t.Helper()
	e.in.order(e.rows)
	e.in.write(e.t, e.rows)
}

// runArgs are the flags of a full run of the job.
func (e *idEnv) runArgs(extra ...string) []string {
	args := append([]string{"run"}, e.in.args()...)
	args = append(args, "--mapping", e.mapping, "--user-store-id", e.store, "--state-dir", e.stateDir,
		"--endpoint", e.url, "--rate", "0", "--progress", "never", "--workers", "4")
	if e.ledger != "" {
		args = append(args, "--ledger", e.ledger)
	}
	return append(append(args, e.extra...), extra...)
}

// start starts the binary with args; it dies with the test binary.
func (e *idEnv) start(args ...string) *importProc {
	e.t.Helper()
	e.runs++
	setup := func(cmd *exec.Cmd) {
		dieWithTest(cmd)
		cmd.Env = append(cmd.Env, e.in.env()...)
	}
	return startImportWith(e.t, e.bin, e.logDir, fmt.Sprintf("run%02d-%s", e.runs, args[0]), setup, args...)
}

// exec runs the binary with args to its end and returns its exit code.
func (e *idEnv) exec(what string, args ...string) int {
	e.t.Helper()
	p := e.start(args...)
	code := p.wait(e.t, runDeadline)
	e.t.Logf("%s (%s): exit %d", p.name, what, code)
	return code
}

// lastStderr is the stderr of the last run.
func (e *idEnv) lastStderr() string {
	matches, _ := filepath.Glob(filepath.Join(e.logDir, fmt.Sprintf("run%02d-*.stderr", e.runs)))
	if len(matches) == 0 {
		return ""
	}
	return readTail(matches[0])
}

// requests is how many requests the emulator has received.
func (e *idEnv) requests() int64 { return e.em.Server.Stats().Requests }

// slowCreates makes CreateUser take about d (0: no delay), so that a kill
// finds rows in flight.
func (e *idEnv) slowCreates(d time.Duration) {
	e.t.Helper()
	f := e.faults
	f.CreateUser.LatencyMedian = max(d, f.CreateUser.LatencyMedian)
	if err := e.em.Server.SetFaults(f); err != nil {
		e.t.Fatal(err)
	}
}

// killMidRun starts a run and SIGKILLs it once the journal is past line
// `past` with rows in flight; it returns the legacy keys of the rows left
// in flight (begun, never settled). A run that finishes first is an error.
func (e *idEnv) killMidRun(past int64, extra ...string) map[string]int64 {
	e.t.Helper()
	e.slowCreates(40 * time.Millisecond)
	defer e.slowCreates(0)
	jr := journalOf(e.stateDir)
	p := e.start(e.runArgs(extra...)...)
	if !p.waitUntil(e.t, runDeadline, "rows in flight", func() bool { return jr.lastLine() > past && len(e.inFlight()) > 0 }) {
		e.t.Fatalf("%s exited %d before line %d; stderr:\n%s", p.name, p.state.ExitCode(), past, readTail(p.stderr))
	}
	if !p.kill(e.t) {
		e.t.Fatalf("%s exited %d before the kill", p.name, p.state.ExitCode())
	}
	e.quiesce()
	f := e.inFlight()
	e.t.Logf("%s killed at line %d with %d rows in flight", p.name, jr.lastLine(), len(f))
	return f
}

// quiesce waits until CIAM has finished the requests a killed run left
// behind: a real restart comes long after them, and a resume that overtakes
// its own dead run's CreateUser is not the case under test.
func (e *idEnv) quiesce() {
	e.t.Helper()
	deadline := time.Now().Add(exitDeadline)
	for e.front.active.Load() > 0 {
		if time.Now().After(deadline) {
			e.t.Fatalf("CIAM still works on %d requests of a killed run after %s", e.front.active.Load(), exitDeadline)
		}
		time.Sleep(pollEvery) // polling an event, not waiting a fixed time
	}
}

// countingHandler passes requests on and counts those not answered yet.
type countingHandler struct {
	next   http.Handler
	active atomic.Int64
}

func (h *countingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.active.Add(1)
	defer h.active.Add(-1)
	h.next.ServeHTTP(w, r)
}

// inFlight returns the legacy keys (and lines) of the rows the journal
// shows begun and not settled.
func (e *idEnv) inFlight() map[string]int64 {
	open := map[[2]int64]state.Entry{}
	r := journalOf(e.stateDir)
	for _, g := range r.gens() {
		state.ReplayJournal(r.dir.JournalGen(g), 0, func(en state.Entry, _ int64) error {
			k := [2]int64{int64(en.Pass), en.Line}
			if en.Op == state.OpBegin {
				open[k] = en
			} else {
				delete(open, k)
			}
			return nil
		})
	}
	out := map[string]int64{}
	for _, en := range open {
		out[en.Key] = en.Line
	}
	return out
}

// frontier is the last input line the state directory knows anything of:
// rows after it were never read. 0 before the first run.
func (e *idEnv) frontier() int64 {
	last := int64(0)
	if snap, err := state.ReadSnapshot(filepath.Join(e.stateDir, "snapshot.json")); err == nil {
		last = snap.Line
		for _, p := range snap.InFlight {
			last = max(last, p.Line)
		}
	}
	r := journalOf(e.stateDir)
	for _, g := range r.gens() {
		state.ReplayJournal(r.dir.JournalGen(g), 0, func(en state.Entry, _ int64) error {
			last = max(last, en.Line)
			return nil
		})
	}
	return last
}

// cursorLine is the line of the last row the checkpoint settled in order,
// 0 before the first checkpoint.
func (e *idEnv) cursorLine() int64 {
	e.t.Helper()
	if snap, ok := e.snapshot(); ok {
		return snap.Line
	}
	return 0
}

// A CSV export's rows are one line each (sourcetest quotes no newline):
// row i is on line i+2, after the header.
func lineOf(i int) int64   { return int64(i) + 2 }
func rowAt(line int64) int { return int(line) - 2 }

// lineOf is the Line of row i of e's source (a table's rows are numbered
// from 1, in key order); rowAt is the row of a Line.
func (e *idEnv) lineOf(i int) int64   { return int64(i) + e.in.firstLine() }
func (e *idEnv) rowAt(line int64) int { return int(line - e.in.firstLine()) }

// indexOfKey is the index of the first row of key, -1 if none.
func (e *idEnv) indexOfKey(key string) int {
	return slices.IndexFunc(e.rows, func(r []string) bool { return r[0] == key })
}

// remove removes row i from the export (in memory; write writes it).
func (e *idEnv) remove(i int) {
	e.hist.removed[e.rows[i][0]]++
	e.rows = slices.Delete(e.rows, i, i+1)
}

// removeInFlight removes the rows of the keys in flight at a kill: the
// source dropped them; they must be settled once, by their journaled key.
func (e *idEnv) removeInFlight(keys map[string]int64) {
	for k := range keys {
		if i := e.indexOfKey(k); i >= 0 && k != "" {
			e.remove(i)
			e.hist.gone[k] = true
		}
	}
}

// newRow is a row of ours never seen before (a new key, new identifiers).
func (e *idEnv) newRow() []string {
	e.fresh++
	return sourcetest.Row(idSeed, e.fresh-1)
}

// insert puts row at index i.
func (e *idEnv) insert(i int, row []string) { e.rows = slices.Insert(e.rows, i, row) }

// repeatOf is a new row (new login, email, phone) with the key of row i.
func (e *idEnv) repeatOf(i int) []string {
	r := e.newRow()
	r[0] = e.rows[i][0]
	return r
}

// edit gives row i new identifiers and names, keeping its key.
func (e *idEnv) edit(i int) {
	r := e.newRow()
	r[0] = e.rows[i][0]
	e.rows[i] = r
}

// removeUnread removes row i, which no run has read yet: it must never be
// reported.
func (e *idEnv) removeUnread(i int) {
	e.hist.unread[e.rows[i][0]] = true
	e.remove(i)
}

// editSettled edits row i, which the job has settled and will not read
// again: CIAM keeps the user as it was settled.
func (e *idEnv) editSettled(i int) {
	e.hist.stale[e.rows[i][0]] = e.rows[i]
	e.edit(i)
}

// snapshotCounts reads the checkpoint's counts; ok is false before one.
func (e *idEnv) snapshot() (*state.Snapshot, bool) {
	snap, err := state.ReadSnapshot(filepath.Join(e.stateDir, "snapshot.json"))
	if errors.Is(err, state.ErrNoSnapshot) {
		return nil, false
	}
	if err != nil {
		e.t.Fatalf("read the checkpoint: %v", err)
	}
	return snap, true
}

// finish runs the job to its end: resumes the main pass, then retry passes
// while rows are retryable, each run ending on its own. Then a last `retry`
// over the finished job must send nothing.
func (e *idEnv) finish(extra ...string) {
	e.t.Helper()
	for range 8 {
		snap, ok := e.snapshot()
		var args []string
		switch {
		case !ok || !snap.Done:
			args = e.runArgs(extra...)
		case snap.Counts.Of(outcome.Retryable) > 0:
			args = []string{"retry", "--state-dir", e.stateDir, "--progress", "never"}
		default:
			e.idle()
			return
		}
		if code := e.exec("finish", args...); !slices.Contains([]int{exitOK, exitPartial, exitRetryable}, code) {
			e.t.Fatalf("%s exited %d; stderr:\n%s", args[0], code, e.lastStderr())
		}
	}
	e.t.Fatalf("the job is not finished after %d runs", e.runs)
}

// idle runs `retry` and `run` over the finished job: neither may send
// anything nor fail.
func (e *idEnv) idle() {
	e.t.Helper()
	for _, args := range [][]string{{"retry", "--state-dir", e.stateDir, "--progress", "never"}, e.runArgs()} {
		before := e.requests()
		code := e.exec("idle "+args[0], args...)
		if code != exitOK && code != exitPartial {
			e.t.Errorf("%s over the finished job exited %d; stderr:\n%s", args[0], code, e.lastStderr())
		}
		if n := e.requests() - before; n != 0 {
			e.t.Errorf("%s over the finished job sent %d requests", args[0], n)
		}
	}
}

// expectRefused runs args, which must be refused: exit 2 (usage: the
// state or the ledger does not fit), no request sent, the reports as they
// were.
func (e *idEnv) expectRefused(what string, args ...string) {
	e.t.Helper()
	before, reports := e.requests(), snapshotFiles(e.t, e.stateDir)
	code := e.exec(what, args...)
	if code != exitUsage {
		e.t.Errorf("%s: exit %d, want %d (refused); stderr:\n%s", what, code, exitUsage, e.lastStderr())
	}
	if n := e.requests() - before; n != 0 {
		e.t.Errorf("%s: refused, yet %d requests were sent", what, n)
	}
	for name, data := range snapshotFiles(e.t, e.stateDir) {
		if strings.HasSuffix(name, ".csv") && reports[name] != data {
			e.t.Errorf("%s: refused, yet %s changed", what, name)
		}
	}
	e.t.Logf("%s refused: %s", what, firstLineOf(e.lastStderr()))
}

func firstLineOf(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}
