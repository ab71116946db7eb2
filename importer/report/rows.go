// Package report writes the per-row outcome reports of an import: one CSV
// file per outcome in the state directory, each starting with a header row.
// The files are append-only, mode 0600, and can be reopened after a crash at
// the sizes a snapshot recorded, dropping whatever was written after it.
// Rows are marshalled with gocsv and quoted by encoding/csv, so messages may
// hold commas, quotes and newlines. Reports never hold secrets: no row type
// has a field for a password or a hash.
package report

// Report file names, as they appear in the state directory and as keys of
// Writer.Sizes and state.Snapshot.Reports.
const (
	CreatedFile   = "created.csv"
	ConflictsFile = "conflicts.csv"
	RetryableFile = "retryable.csv"
	RejectedFile  = "rejected.csv"
	SkippedFile   = "skipped.csv"
)

// Files lists the report file names in a fixed order. Do not modify it.
var Files = []string{CreatedFile, ConflictsFile, RetryableFile, RejectedFile, SkippedFile}

// order is the list this package iterates over, safe from changes to Files.
var order = [...]string{CreatedFile, ConflictsFile, RetryableFile, RejectedFile, SkippedFile}

// Identifier values of Conflict.Identifier: which unique attribute clashed.
const (
	IdentifierEmail    = "email"
	IdentifierPhone    = "phone_number"
	IdentifierUserName = "user_name"
	IdentifierUnknown  = "unknown"
)

// Created is a row of created.csv: a user this job created.
type Created struct {
	Line      int64  `csv:"line"` // line of the row in the input
	Key       string `csv:"key"`  // legacy id
	UserID    string `csv:"user_id"`
	RequestID string `csv:"request_id"`
	Pass      int    `csv:"pass"` // 0 main pass, N = Nth retry pass
}

// Conflict is a row of conflicts.csv: CIAM already had a user with one of
// the row's unique identifiers.
type Conflict struct {
	Line       int64  `csv:"line"`
	Key        string `csv:"key"`
	Identifier string `csv:"identifier"` // one of the Identifier constants
	Code       string `csv:"code"`       // CIAM error code
	Message    string `csv:"message"`
	RequestID  string `csv:"request_id"`
}

// Retryable is a row of retryable.csv: a row that still failed with a
// retryable error when its attempts ran out. Offset and End let a retry pass
// seek back to the row in the input.
type Retryable struct {
	Line     int64  `csv:"line"`
	Offset   int64  `csv:"offset"` // byte offset where the row starts
	End      int64  `csv:"end"`    // byte offset just past the row
	Key      string `csv:"key"`
	Code     string `csv:"code"`
	Message  string `csv:"message"`
	Attempts int    `csv:"attempts"`
}

// Rejected is a row of rejected.csv: a row that is invalid as data, either
// locally or according to CIAM.
type Rejected struct {
	Line   int64  `csv:"line"`
	Key    string `csv:"key"`
	Field  string `csv:"field"` // offending field, if known
	Reason string `csv:"reason"`
}

// Skipped is a row of skipped.csv: a row whose legacy key an earlier run
// already imported.
type Skipped struct {
	Line   int64  `csv:"line"`
	Key    string `csv:"key"`
	UserID string `csv:"user_id"`
	Reason string `csv:"reason"`
}
