package main

import (
	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// Exit codes a cron wrapper can act on (README: Exit codes).
const (
	exitOK          = 0   // every row created, updated or skipped as imported before
	exitError       = 1   // the job could not run (I/O, damaged state, ...)
	exitUsage       = 2   // bad flags, mapping, input format or configuration; mismatched state
	exitPartial     = 3   // done, with conflicts or rejected rows in the reports
	exitRetryable   = 4   // done, with rows left retryable: run `ciam-import retry`
	exitFatal       = 5   // stopped on an error no row can fix (credentials, user store)
	exitLocked      = 6   // another run holds the state directory
	exitLimit       = 7   // stopped at --max-rows or --max-duration; run again to continue
	exitInterrupted = 130 // stopped by SIGINT/SIGTERM; run again to continue
)

// exitCode maps a run's summary to the process exit code: the stop reason
// first, then the most urgent verdict of the rows' outcomes.
func exitCode(sum *importer.Summary) int {
	switch sum.Stopped {
	case importer.StopFatal:
		return exitFatal
	case importer.StopInterrupted:
		return exitInterrupted
	case importer.StopMaxRows, importer.StopMaxDuration:
		return exitLimit
	case importer.StopCanary:
		if len(sum.Canary) > 0 {
			return exitPartial // CIAM holds some field otherwise than sent: read the differences
		}
		return exitOK
	}
	switch sum.Counts.Verdict() {
	case outcome.Again:
		return exitRetryable
	case outcome.Attention:
		return exitPartial
	}
	return exitOK
}
