package importer

import (
	"encoding/json"
	"fmt"

	"github.com/ciam-import/ciam-import/importer/checkpoint"
	"github.com/ciam-import/ciam-import/importer/ledger"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/importer/state"
)

// finish completes a run: the summary file, the run history, and what to do
// next.
func finish(st *checkpoint.State, sum *Summary, opt Options) (*Summary, error) {
	now := opt.Now()
	sum.Counts, sum.Pass, sum.Done = st.Snap.Counts.Clone(), st.Snap.Pass, st.Snap.Done
	sum.Settled = st.Snap.Counts.Settled() - sum.settled0
	sum.Elapsed = now.Sub(sum.Started).Seconds()
	if sum.Elapsed > 0 {
		sum.Requests = float64(st.Snap.Counts.Of(outcome.Created)-sum.created0) / sum.Elapsed
	}
	sum.Next = nextStep(sum, opt)
	data, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := state.WriteFileAtomic(st.Dir.Summary(), append(data, '\n'), 0o600); err != nil {
		return nil, fmt.Errorf("write summary: %w", err)
	}
	rec := state.RunRecord{Started: sum.Started, Ended: now, Command: opt.Command, Counts: sum.Counts, Outcome: sum.Outcome()}
	if opt.ExitCode != nil {
		rec.ExitCode = opt.ExitCode(sum)
	}
	if err := state.AppendRun(st.Dir.Runs(), rec); err != nil {
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
	case sum.Counts.Of(outcome.Retryable) > 0:
		return fmt.Sprintf("ciam-import retry --state-dir %s to send the %d retryable rows again",
			sum.StateDir, sum.Counts.Of(outcome.Retryable))
	}
	return ""
}

// Outcome is the run's result in one word, for the run history: the stop
// reason if it stopped early, else "retryable", "partial" or "ok" by the
// most urgent verdict of the rows' outcomes.
func (sum *Summary) Outcome() string {
	if sum.Stopped != "" {
		return sum.Stopped
	}
	switch sum.Counts.Verdict() {
	case outcome.Again:
		return "retryable"
	case outcome.Attention:
		return "partial"
	}
	return "ok"
}

// reportMissing writes ledger.MissingFile when asked for and the main pass
// has just read the whole input.
func reportMissing(opt Options, st *checkpoint.State, led *ledger.Ledger, sum *Summary) error {
	if !opt.ReportMissing || led == nil || st.Snap.Pass != 0 || !st.Snap.Done {
		return nil
	}
	n, err := ledger.ReportMissing(st.Dir, led)
	if err != nil {
		return err
	}
	sum.Missing = n
	opt.Logger.Info("legacy users in the ledger but not in this input: listed, never deleted", "count", n, "report", ledger.MissingFile)
	return nil
}
