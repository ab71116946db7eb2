// Package verify compares what CIAM holds with what the source says, row by
// row: `ciam-import verify`. It reads the store through one export job
// (CreateFileExportUserJob, NDJSON, downloaded from Job.Location), so a
// million users cost a handful of requests, and falls back to one paced
// lookup per row when the export is refused or not wanted.
//
// Each row's verdict is same, different (naming the fields, never their
// values, never a password, hash or salt), missing, or invalid (the row does
// not map); users of this source in CIAM that no row has are extra (only
// with the legacy id in an indexed attribute). The export file is never
// held in memory as users: the index keeps, per CIAM user, a key hash, a
// digest of the compared fields and the line's place in the file (index.go).
//
// The comparison (compare.go) is the one the canary uses.
package verify
