package importer

import (
	"encoding/json"
	"fmt"

	"github.com/ciam-import/ciam-import/importer/state"
)

// finish completes a run: the summary file, the run history, and what to do
// next.
func (st *runState) finish(sum *Summary, opt Options) (*Summary, error) {
	now := opt.Now()
	sum.Counts, sum.Pass, sum.Done = st.snap.Counts, st.snap.Pass, st.snap.Done
	sum.Settled = settledCount(st.snap.Counts) - sum.settled0
	sum.Elapsed = now.Sub(sum.Started).Seconds()
	if sum.Elapsed > 0 {
		sum.Requests = float64(st.snap.Counts.Created-sum.created0) / sum.Elapsed
	}
	sum.Next = nextStep(sum, opt)
	data, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := state.WriteFileAtomic(st.dir.Summary(), append(data, '\n'), 0o600); err != nil {
		return nil, fmt.Errorf("write summary: %w", err)
	}
	rec := state.RunRecord{Started: sum.Started, Ended: now, Command: opt.Command, Counts: sum.Counts,
		ExitCode: ExitCode(sum), Outcome: outcomeWord(sum)}
	if err := state.AppendRun(st.dir.Runs(), rec); err != nil {
		return nil, fmt.Errorf("record run: %w", err)
	}
	return sum, nil
}

func nextStep(sum *Summary, opt Options) string {
	switch {
	case sum.Stopped == StopFatal:
		return "fix the cause above, then run the same command again to continue"
	case sum.Stopped != "":
		return "run the same command again to continue: " + opt.Command
	case sum.Counts.Retryable > 0:
		return fmt.Sprintf("ciam-import retry --state-dir %s (with the same --input, --mapping and --user-store-id) to send the %d retryable rows again",
			sum.StateDir, sum.Counts.Retryable)
	}
	return ""
}

func outcomeWord(sum *Summary) string {
	switch {
	case sum.Stopped != "":
		return sum.Stopped
	case sum.Counts.Retryable > 0:
		return "retryable"
	case sum.Counts.Conflict+sum.Counts.Rejected > 0:
		return "partial"
	}
	return "ok"
}

// Exit codes a cron wrapper can act on.
const (
	ExitOK          = 0   // every row created (or skipped as imported before)
	ExitError       = 1   // the job could not run (I/O, damaged state, ...)
	ExitUsage       = 2   // bad flags, mapping or configuration; mismatched state
	ExitPartial     = 3   // done, with conflicts or rejected rows in the reports
	ExitRetryable   = 4   // done, with rows left retryable: run `ciam-import retry`
	ExitFatal       = 5   // stopped on an error no row can fix (credentials, user store)
	ExitLocked      = 6   // another run holds the state directory
	ExitLimit       = 7   // stopped at --max-rows or --max-duration; run again to continue
	ExitInterrupted = 130 // stopped by SIGINT/SIGTERM; run again to continue
)

// ExitCode maps a summary to the process exit code.
func ExitCode(sum *Summary) int {
	switch sum.Stopped {
	case StopFatal:
		return ExitFatal
	case StopInterrupted:
		return ExitInterrupted
	case StopMaxRows, StopMaxDuration:
		return ExitLimit
	}
	switch outcomeWord(sum) {
	case "retryable":
		return ExitRetryable
	case "partial":
		return ExitPartial
	}
	return ExitOK
}
