package importer

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/pace"
	"github.com/ciam-import/ciam-import/mapping"
)

func TestStreak(t *testing.T) {
	rejected := apiErr(ciam.ActionCreateUser, "FailedOperation.UserGroupNotFound")
	retryable := apiErr(ciam.ActionCreateUser, "InternalError")
	tests := []struct {
		name  string
		steps string // o: a request worked, r: rejected, i: retryable
		stop  int    // the step (1-based) whose fail returns the stop, 0 for none
	}{
		{name: "five of one code before any success", steps: "rrrrr", stop: 5},
		{name: "four are not enough", steps: "rrrr"},
		{name: "another code starts a new streak", steps: "rrrrirrrr"},
		{name: "retryable codes count too", steps: "iiiii", stop: 5},
		{name: "a success resets the streak", steps: "rrrrorrrr"},
		{name: "after a success, 49 are not enough", steps: "o" + strings.Repeat("r", 49)},
		{name: "after a success, 50 stop", steps: "o" + strings.Repeat("r", 50), stop: 51},
		{name: "a success long ago still raises the bar", steps: "rrrro" + strings.Repeat("i", 3) + strings.Repeat("r", 50), stop: 58},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &streak{}
			for i, c := range tt.steps {
				var err error
				switch c {
				case 'o':
					s.ok()
				case 'r':
					err = s.fail(rejected)
				case 'i':
					err = s.fail(retryable)
				}
				if (err != nil) != (i+1 == tt.stop) {
					t.Fatalf("step %d (%c): %v, want a stop only at step %d", i+1, c, err, tt.stop)
				}
				var se *StreakError
				if err != nil && (!errors.As(err, &se) || se.Rows < streakBeforeSuccess || !errors.Is(err, se.Last) ||
					!strings.Contains(err.Error(), se.Code)) {
					t.Errorf("stop %v: want a *StreakError naming the code and wrapping the last answer", err)
				}
			}
		})
	}
}

// guardRun runs opt over the resume env's input with api and one worker, so
// rows are sent in input order.
func guardRun(t *testing.T, e *resumeEnv, api API) *Summary {
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

// The same rejection for every row is a condition of the job, not of the
// rows: the run stops as fatal after five of them instead of reporting a
// million rows rejected, and leaves the rest for the next run.
func TestStreakStopsTheRun(t *testing.T) {
	const rows = 12
	e := newResumeEnv(t, rows) // lines 2..13
	bad := newFakeAPI().always(ciam.ActionCreateUser, answer{err: apiErr(ciam.ActionCreateUser, "FailedOperation.UserGroupNotFound")})
	sum := guardRun(t, e, bad)
	if sum.Stopped != StopFatal || sum.Done || !strings.Contains(sum.Fatal, "5 rows in a row failed with FailedOperation.UserGroupNotFound") {
		t.Fatalf("stopped %q done %v fatal %q, want a fatal stop by the streak guard", sum.Stopped, sum.Done, sum.Fatal)
	}
	if n := bad.count(ciam.ActionCreateUser); n != streakBeforeSuccess {
		t.Errorf("%d CreateUser calls, want %d: the guard stops the job at the fifth", n, streakBeforeSuccess)
	}
	c := sum.Counts
	if c.Of(outcome.Rejected) != streakBeforeSuccess-1 || c.Settled() != streakBeforeSuccess-1 || c.Read() != streakBeforeSuccess-1 {
		t.Errorf("counts %v: want the 4 rows before the fifth rejected, nothing else settled", c)
	}
	snap := e.snapshot()
	if snap.Line != 5 || snap.Cursor != e.recs[3].Next || len(snap.InFlight) != 0 {
		t.Errorf("snapshot at line %d cursor %q with %v in flight; want past line 5, the fifth row not in doubt",
			snap.Line, snap.Cursor, snap.InFlight)
	}

	good := newFakeAPI() // the operator fixed the user group
	sum = guardRun(t, e, good)
	if !sum.Done || sum.Stopped != "" || sum.Settled != rows-4 || sum.Counts.Of(outcome.Created) != rows-4 {
		t.Fatalf("the next run: %+v, want the %d rows left created", sum, rows-4)
	}
	if l := good.lookups(); len(l) != 0 {
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
	e := newResumeEnv(t, 3) // lines 2..4
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

	fatal := newFakeAPI().script(ciam.ActionCreateUser, answer{err: apiErr(ciam.ActionCreateUser, "AuthFailure.SecretIdNotFound")})
	sum := guardRun(t, e, fatal)
	if sum.Stopped != StopFatal || sum.Settled != 0 || fatal.count(ciam.ActionCreateUser) != 1 {
		t.Fatalf("first run: stopped %q settled %d, %d calls; want a fatal stop after the first call", sum.Stopped, sum.Settled,
			fatal.count(ciam.ActionCreateUser))
	}
	if snap := e.snapshot(); len(snap.InFlight) != 0 {
		t.Errorf("in flight after the fatal answer: %v, want none (the begin cancelled)", snap.InFlight)
	}

	// Meanwhile someone else's user holds every identifier of line 2.
	other := ciamUserOf("uid-someone-else", u)
	next := newFakeAPI().
		script(ciam.ActionCreateUser, answer{err: emailUsed()}).
		always(ciam.ActionDescribeUser, answer{users: []ciam.User{other}}).
		always(ciam.ActionListUserByProperty, answer{users: []ciam.User{other}})
	sum = guardRun(t, e, next)
	if !sum.Done || sum.Counts.Of(outcome.Created) != 2 || sum.Counts.Of(outcome.Conflict) != 1 {
		t.Fatalf("second run: %+v, want line 2 a conflict, the others created", sum)
	}
	if tr := next.traceCopy(); len(tr) == 0 || tr[0] != ciam.ActionCreateUser || len(next.lookups()) != 0 {
		t.Errorf("second run's calls %v: want line 2 sent first, never looked up", tr)
	}
	if got := reportLines(t, e.dir.Report(outcome.Created.File)); len(got) != 2 || got[0] != 3 {
		t.Errorf("created.csv holds lines %v, want 3 and 4 only: line 2 is not the user found", got)
	}
	if got := reportLines(t, e.dir.Report(outcome.Conflict.File)); len(got) != 1 || got[0] != 2 {
		t.Errorf("conflicts.csv holds lines %v, want line 2", got)
	}
}
