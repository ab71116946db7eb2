package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/importer/undo"
)

const undoHelp = `Usage: ciam-import undo --state-dir DIR --yes [flags]

Takes a rehearsal on a staging store back: deletes, with DeleteUsers in
batches, exactly the users the runs of DIR created (the rows of
DIR/created.csv), never a user they found (skipped.csv) or updated
(updated.csv). The user store, endpoint and credentials flags are those DIR
remembers (job.json). Without --yes it only says what it would delete.

It holds DIR's lock (no run may go on meanwhile), journals every batch in
DIR/undo.jsonl before sending it, and can be stopped or killed at any time:
run it again and it looks up the users of a batch whose answer was lost
before sending anything. Every user ends in DIR/undone.csv (line, key,
user_id, outcome deleted/failed/pending, message).

Refused for a run that used --ledger, unless --ledger-shared-ok: the ledger
still lists the deleted users' keys, and other state directories sharing it
skip those rows as imported.

Afterwards DIR cannot be resumed (its reports name users that no longer
exist): start the import over with
  ciam-import run --restart --state-dir DIR

Exit codes: 0 every user deleted, 2 refused (no --yes, a ledger, bad flags),
3 some users failed (see undone.csv; run undo again), 5 fatal answer
(credentials, user store), 6 DIR is locked by a run, 130 interrupted.

Examples:
  ciam-import undo --state-dir ./state          # what would be deleted
  ciam-import undo --state-dir ./state --yes

Flags:
`

// undoFlags are the flags of undo.
type undoFlags struct {
	job      jobFlags // service flags, filled from job.json
	yes      bool
	ledgerOK bool
	batch    int
	rate     float64
}

func cmdUndo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var uf undoFlags
	fs := newFlagSet("undo", undoHelp, stderr, "state-dir")
	fs.StringVar(&uf.job.stateDir, "state-dir", "", "the state directory whose created users to delete")
	fs.BoolVar(&uf.yes, "yes", false, "delete for real (without it: say what would be deleted, exit 2)")
	fs.BoolVar(&uf.ledgerOK, "ledger-shared-ok", false, "undo a run that used --ledger (the ledger keeps the keys: other state directories sharing it will skip those rows)")
	fs.IntVar(&uf.batch, "batch", undo.DefaultBatch, "user ids per DeleteUsers call (the API documents no limit)")
	fs.Float64Var(&uf.rate, "rate", 20, "requests per second, DeleteUsers and lookups together (the API's quota is 20); 0 = unlimited")
	uf.job.registerService(fs, false)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if err := uf.check(setFlags(fs)); err != nil {
		return fail(stderr, exitUsage, fmt.Errorf("undo: %w (see --help)", err))
	}
	dir := uf.job.stateDir
	plan, err := undo.Plan(dir)
	if err != nil {
		return fail(stderr, exitError, fmt.Errorf("undo: %w", err))
	}
	warnInFlight(stderr, dir)
	if !uf.yes {
		fmt.Fprintf(stderr, "undo: would delete %d users from user store %s (the users %s/created.csv lists, %d of them deleted already)\n"+
			"to delete them, run:\n  ciam-import undo --state-dir %s --yes\n", plan.Targets-plan.Deleted, uf.job.UserStoreID, dir, plan.Deleted, dir)
		return exitUsage
	}
	return uf.execute(ctx, stdout, stderr)
}

// check fills the service flags from job.json and refuses bad values and a
// ledger-shared run without --ledger-shared-ok.
func (uf *undoFlags) check(set map[string]bool) error {
	j := &uf.job
	if j.stateDir == "" {
		return errors.New("missing --state-dir")
	}
	if _, err := os.Stat(filepath.Join(j.stateDir, jobFile)); err != nil {
		return fmt.Errorf("%s is not the state directory of a run (no %s)", j.stateDir, jobFile)
	}
	if err := j.fillFromState(set); err != nil {
		return err
	}
	switch {
	case j.UserStoreID == "":
		return fmt.Errorf("%s names no user store", jobFile)
	case uf.batch < 1 || uf.batch > maxBatch:
		return fmt.Errorf("--batch must be from 1 to %d", maxBatch)
	case math.IsNaN(uf.rate) || uf.rate < 0 || uf.rate > maxRate || (uf.rate > 0 && uf.rate < minRate):
		return fmt.Errorf("--rate must be 0 (unlimited) or from %g to %g requests per second", minRate, maxRate)
	case j.Ledger != "" && !uf.ledgerOK:
		return fmt.Errorf("the runs of %s used the ledger %s, which other state directories may share and which keeps the keys of the users deleted; "+
			"undo them anyway with --ledger-shared-ok", j.stateDir, j.Ledger)
	}
	return nil
}

// warnInFlight warns when the last run stopped with rows in doubt: their
// users may exist without a row in created.csv.
func warnInFlight(stderr io.Writer, dir string) {
	st, err := importer.ReadStatus(dir)
	if err == nil && st.InFlight > 0 {
		fmt.Fprintf(stderr, "undo: warning: the last run stopped with %d rows in doubt; users they created are not in created.csv "+
			"until a run settles them (ciam-import run --state-dir %s)\n", st.InFlight, dir)
	}
}

// execute deletes the users and maps the result to an exit code.
func (uf *undoFlags) execute(ctx context.Context, stdout, stderr io.Writer) int {
	client, err := ciam.New(uf.job.clientConfig(warnTo(stderr)))
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	sigCtx, _, stop := withSignals(ctx, stderr, defaultStopTimeout)
	defer stop()
	dir := uf.job.stateDir
	sum, err := undo.Run(sigCtx, undo.Config{StateDir: dir, UserStoreID: uf.job.UserStoreID, API: client,
		Batch: uf.batch, Rate: uf.rate, Command: "ciam-import undo --state-dir " + dir})
	if sum != nil {
		fmt.Fprintf(stdout, "undo: %d of %d users deleted (%d confirmed by lookup), %d failed, %d not attempted; see %s\n",
			sum.Deleted, sum.Targets, sum.Confirmed, sum.Failed, sum.Pending, filepath.Join(dir, undo.ReportFile))
		fmt.Fprintf(stdout, "%s can no longer be resumed; to import again: ciam-import run --restart --state-dir %s\n", dir, dir)
	}
	switch code := undoExitCode(sigCtx, err); {
	case err != nil:
		return fail(stderr, code, fmt.Errorf("%w; run `ciam-import undo --state-dir %s --yes` again to go on", err, dir))
	case !sum.Complete():
		fmt.Fprintf(stderr, "undo: %d users are still there: read %s and run undo again\n", sum.Targets-sum.Deleted, filepath.Join(dir, undo.ReportFile))
		return exitPartial
	}
	return exitOK
}

// undoExitCode maps the error that stopped an undo to an exit code.
func undoExitCode(ctx context.Context, err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, state.ErrLocked):
		return exitLocked
	case ctx.Err() != nil:
		return exitInterrupted
	case ciam.ClassOf(err) == ciam.Fatal && errors.As(err, new(*ciam.Error)):
		return exitFatal
	}
	return exitError
}
