package importer

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/internal/fixture"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/pace"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

// runEnv is an input file of good rows and a state directory, with the
// options of a run over them.
type runEnv struct {
	dir  state.Dir
	opt  Options
	recs []source.Record
}

// newRunEnv writes an input of rows lines 2..rows+1.
func newRunEnv(t *testing.T, rows int) *runEnv {
	t.Helper()
	root := t.TempDir()
	input := filepath.Join(root, "users.csv")
	fixture.WriteCSV(t, input, rows)
	e := &runEnv{dir: state.Dir{Path: filepath.Join(root, "state")},
		opt: Options{Input: fixture.FileInput(t, input, "csv"), Spec: testSpec(t), UserStoreID: testStore}}
	src, err := e.opt.Input.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			return e
		}
		if err != nil {
			t.Fatal(err)
		}
		e.recs = append(e.recs, rec)
	}
}

// snapshot reads the snapshot on disk.
func (e *runEnv) snapshot(t *testing.T) *state.Snapshot {
	t.Helper()
	s, err := state.ReadSnapshot(e.dir.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var reportLines = fixture.ReportLines

// guardRun runs opt over the env's input with api and one worker, so rows
// are sent in input order.
func guardRun(t *testing.T, e *runEnv, api API) *Summary {
	t.Helper()
	opt := e.opt
	opt.StateDir, opt.API, opt.Workers = e.dir.Path, api, 1
	opt.Retry = pace.RetryPolicy{MaxAttempts: 1}
	sum, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return sum
}

// The same rejection for every row is a condition of the run, not of the
// rows: the run stops as fatal after five of them instead of reporting a
// million rows rejected, and leaves the rest for the next run.
func TestStreakStopsTheRun(t *testing.T) {
	const rows = 12
	e := newRunEnv(t, rows) // lines 2..13
	bad := ciamtest.New().Always(ciam.ActionCreateUser, ciamtest.Answer{Err: apiErr(ciam.ActionCreateUser, "FailedOperation.UserGroupNotFound")})
	sum := guardRun(t, e, bad)
	if sum.Stopped != StopFatal || sum.Done || !strings.Contains(sum.Fatal, "5 rows in a row failed with FailedOperation.UserGroupNotFound") {
		t.Fatalf("stopped %q done %v fatal %q, want a fatal stop by the streak guard", sum.Stopped, sum.Done, sum.Fatal)
	}
	if n := bad.Count(ciam.ActionCreateUser); n != 5 {
		t.Errorf("%d CreateUser calls, want %d: the guard stops the job at the fifth", n, 5)
	}
	c := sum.Counts
	if c.Of(outcome.Rejected) != 5-1 || c.Settled() != 5-1 || c.Read() != 5-1 {
		t.Errorf("counts %v: want the 4 rows before the fifth rejected, nothing else settled", c)
	}
	snap := e.snapshot(t)
	if snap.Line != 5 || snap.Cursor != e.recs[3].Next || len(snap.InFlight) != 0 {
		t.Errorf("snapshot at line %d cursor %q with %v in flight; want past line 5, the fifth row not in doubt",
			snap.Line, snap.Cursor, snap.InFlight)
	}

	good := ciamtest.New() // the operator fixed the user group
	sum = guardRun(t, e, good)
	if !sum.Done || sum.Stopped != "" || sum.Settled != rows-4 || sum.Counts.Of(outcome.Created) != rows-4 {
		t.Fatalf("the next run: %+v, want the %d rows left created", sum, rows-4)
	}
	if l := good.Lookups(); len(l) != 0 {
		t.Errorf("the next run looked up %v: the fifth row's answer proved it unsent, it must be sent as new", l)
	}
	if got := reportLines(t, e.dir.Report(outcome.Rejected.File)); len(got) != 4 || got[0] != 2 || got[3] != 5 {
		t.Errorf("rejected.csv holds lines %v, want 2..5", got)
	}
}

// A row whose CreateUser got a fatal answer was not created: its begin is
// cancelled in the journal, so the next run sends it as new. Reconciling it
// instead would take a user who happens to hold all its identifiers for
// the one this row created, and report it created with someone else's id.
func TestFatalAnswerIsSentAsNewNextRun(t *testing.T) {
	e := newRunEnv(t, 3) // lines 2..4
	spec := testSpec(t)
	noLegacy := strings.Replace(testMapping, "  IndexedAttribute1: id\n", "", 1)
	var err error
	if e.opt.Spec, err = mapping.Parse("no-legacy.yaml", []byte(noLegacy)); err != nil {
		t.Fatal(err)
	}
	if e.opt.Spec.LegacyIDAttribute() != 0 || spec.LegacyIDAttribute() == 0 {
		t.Fatal("the test needs a mapping without the legacy id attribute")
	}
	u, err := e.opt.Spec.Map(e.recs[0].Fields)
	if err != nil {
		t.Fatal(err)
	}

	fatal := ciamtest.New().Script(ciam.ActionCreateUser, ciamtest.Answer{Err: apiErr(ciam.ActionCreateUser, "AuthFailure.SecretIdNotFound")})
	sum := guardRun(t, e, fatal)
	if sum.Stopped != StopFatal || sum.Settled != 0 || fatal.Count(ciam.ActionCreateUser) != 1 {
		t.Fatalf("first run: stopped %q settled %d, %d calls; want a fatal stop after the first call", sum.Stopped, sum.Settled,
			fatal.Count(ciam.ActionCreateUser))
	}
	if snap := e.snapshot(t); len(snap.InFlight) != 0 {
		t.Errorf("in flight after the fatal answer: %v, want none (the begin cancelled)", snap.InFlight)
	}

	// Meanwhile someone else's user holds every identifier of line 2.
	other := ciamUserOf("uid-someone-else", u)
	next := ciamtest.New().
		Script(ciam.ActionCreateUser, ciamtest.Answer{Err: emailUsed()}).
		Always(ciam.ActionDescribeUser, ciamtest.Answer{Users: []ciam.User{other}}).
		Always(ciam.ActionListUserByProperty, ciamtest.Answer{Users: []ciam.User{other}})
	sum = guardRun(t, e, next)
	if !sum.Done || sum.Counts.Of(outcome.Created) != 2 || sum.Counts.Of(outcome.Conflict) != 1 {
		t.Fatalf("second run: %+v, want line 2 a conflict, the others created", sum)
	}
	if tr := next.Trace(); len(tr) == 0 || tr[0] != ciam.ActionCreateUser || len(next.Lookups()) != 0 {
		t.Errorf("second run's calls %v: want line 2 sent first, never looked up", tr)
	}
	if got := reportLines(t, e.dir.Report(outcome.Created.File)); len(got) != 2 || got[0] != 3 {
		t.Errorf("created.csv holds lines %v, want 3 and 4 only: line 2 is not the user found", got)
	}
	if got := reportLines(t, e.dir.Report(outcome.Conflict.File)); len(got) != 1 || got[0] != 2 {
		t.Errorf("conflicts.csv holds lines %v, want line 2", got)
	}
}
