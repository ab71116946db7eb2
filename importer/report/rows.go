// Package report writes the per-row outcome reports of an import: one CSV
// file per outcome (the outcome package's table says which files and
// columns) in the state directory, each starting with a header row. The
// files are append-only, mode 0600, and can be reopened after a crash at the
// sizes a snapshot recorded, dropping whatever was written after it.
// Records are quoted by encoding/csv, so messages may hold commas, quotes
// and newlines. Reports never hold secrets: outcome.Row has no field for a
// password or a hash.
package report

import "github.com/ciam-import/ciam-import/importer/outcome"

// Report file names, as they appear in the state directory and as keys of
// Writer.Sizes and state.Snapshot.Reports.
var (
	CreatedFile   = outcome.Created.File
	ConflictsFile = outcome.Conflict.File
	RetryableFile = outcome.Retryable.File
	RejectedFile  = outcome.Rejected.File
	SkippedFile   = outcome.Skipped.File
)

// Files lists the report file names in report order. Do not modify it.
var Files = outcome.Files()

// Identifier values of a conflict row's identifier column.
const (
	IdentifierEmail    = "email"
	IdentifierPhone    = "phone_number"
	IdentifierUserName = "user_name"
	IdentifierUnknown  = "unknown"
)
