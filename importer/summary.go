package importer

import (
	"encoding/json"
	"fmt"
	"strings"

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

// nextStep is the one thing to do after this run, with the exact command:
// opt.Command continues the job (never with --canary or --restart).
func nextStep(sum *Summary, opt Options) string {
	cont, dir := opt.Command, sum.StateDir
	retryable := sum.Counts.Of(outcome.Retryable)
	switch {
	case sum.Stopped == StopFatal:
		return "fix the cause above (\"stopped by\"), then continue with: " + cont
	case sum.Stopped == StopCanary && len(sum.Canary) > 0:
		return "check the fields listed above (the mapping, or the store's settings: docs/real-service.md); to import the rest as they are: " + cont
	case sum.Stopped == StopCanary:
		return "the canary is clean; import the rest with: " + cont
	case sum.Stopped != "":
		return "continue where it stopped with: " + cont
	case retryable > 0:
		return fmt.Sprintf("send the %d retryable rows again with: %s", retryable, retryCommand(cont, dir))
	case opt.RetryPass && sum.Settled == 0:
		return "nothing to retry: no row is left retryable; the reports are in " + dir
	case sum.Counts.Verdict() == outcome.Attention:
		return fmt.Sprintf("read %s/rejected.csv and %s/conflicts.csv: fix those rows at the source and import them "+
			"with the same mapping into a new --state-dir (rows already in CIAM come back as skipped)", dir, dir)
	}
	if sum.LedgerChanged > 0 {
		return fmt.Sprintf("done; %d rows changed since the ledger recorded them were skipped, not sent (skipped.csv: \"changed since\"); "+
			"send their changes with: %s --on-conflict update", sum.LedgerChanged, cont)
	}
	return "done; see the whole job with: " + reportCommand(cont, dir)
}

// retryCommand and reportCommand name the same program as cont.
func retryCommand(cont, dir string) string  { return program(cont) + " retry --state-dir " + dir }
func reportCommand(cont, dir string) string { return program(cont) + " report --state-dir " + dir }

// program is the program of a command line: its first word, or ciam-import.
func program(command string) string {
	if p, _, ok := strings.Cut(command, " "); ok && p != "" {
		return p
	}
	return "ciam-import"
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
