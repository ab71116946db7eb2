package htmlreport

import (
	"time"

	"github.com/ciam-import/ciam-import/importer/timeline"
)

// Data is everything the report shows. The zero value renders an empty
// report.
type Data struct {
	// Title heads the page; empty means "ciam-import report".
	Title string
	// StateDir is the state directory the report is about.
	StateDir string
	// Generated is when the report was made; zero hides it.
	Generated time.Time
	// RowsRead is the number of input rows read, over all runs.
	RowsRead int64
	// Totals counts rows by outcome (created, updated, conflict, rejected,
	// retryable, skipped, ...), over all runs.
	Totals map[string]int64
	// InDoubt counts rows sent whose outcome is still unknown.
	InDoubt int64
	// Quota is the request quota (requests/s) drawn as the quota line; 0
	// draws none.
	Quota float64
	// Runs is the run history of the state directory, oldest first.
	Runs []Run
	// Timeline holds the buckets of all runs, oldest first (as
	// timeline.ReadDir returns them). Write does not modify them.
	Timeline []timeline.Bucket
	// Codes counts rows by outcome and error code.
	Codes []CodeCount
	// Reports lists the report files, linked by their path relative to the
	// HTML file.
	Reports []ReportFile
	// Next is the last run's next step (summary.json's next), shown first
	// under "Next steps"; empty shows only the steps the totals call for.
	Next string
}

// Run is one run of the state directory.
type Run struct {
	Started, Ended time.Time
	// Command is the subcommand (import, resume, retry, ...).
	Command string
	// Outcome is the run's closing word (ok, partial, interrupted, ...).
	Outcome  string
	ExitCode int
	// Counts counts the rows this run settled, by outcome.
	Counts map[string]int64
}

// CodeCount is the number of rows that settled with an outcome and an
// error code (empty for none).
type CodeCount struct {
	Outcome, Code string
	Rows          int64
}

// ReportFile is one report file and its number of data rows.
type ReportFile struct {
	// Name is the path relative to the HTML file, e.g. "created.csv". An
	// absolute path or one with ".." is shown but not linked.
	Name string
	Rows int64
}

// StandardReports are the report file names every import writes.
var StandardReports = []string{"created.csv", "conflicts.csv", "retryable.csv", "rejected.csv", "skipped.csv"}

// outcomeOrder is the order outcomes are shown in; others follow by name.
var outcomeOrder = []string{"created", "updated", "conflict", "rejected", "retryable", "skipped"}
