package state

import (
	"fmt"

	"github.com/ciam-import/ciam-import/importer/outcome"
)

// Journal operations.
const (
	// OpBegin records that a row is about to be sent. It must be committed
	// before the request leaves the process; a begin without a later settle
	// marks the row in doubt after a crash.
	OpBegin = "begin"
	// OpSettle records the final outcome of a row for the current pass.
	OpSettle = "settle"
	// OpCancel voids a begin: the row's only answer proved that nothing was
	// created (a fatal error stopped the job), so it is not in doubt.
	OpCancel = "cancel"
)

// Entry is one line of journal.jsonl. The JSON names are short because the
// journal gets two lines per input row. Entries carry everything a report row
// needs, so that rows settled after the last snapshot can be re-reported on
// resume. They never carry secrets.
type Entry struct {
	Op         string `json:"op"`              // OpBegin, OpSettle or OpCancel
	Line       int64  `json:"line"`            // the row's line in the input (database rows: ordinal)
	ID         string `json:"id"`              // the row's identity in its source (source.Record.ID)
	Next       string `json:"next,omitempty"`  // settle: the source cursor just past the row
	Pos        int64  `json:"pos,omitempty"`   // settle: progress through the input at Next
	Sink       string `json:"sink,omitempty"`  // begin: the sink the row was sent through
	Key        string `json:"key,omitempty"`   // legacy id
	RowDigest  string `json:"rdig,omitempty"`  // begin: mapping.User.Digest of the row sent, checked on resume
	Was        string `json:"was,omitempty"`   // settle: the ID of a begin of this row (same Key) at another offset, settled too
	Outcome    string `json:"out,omitempty"`   // settle only: an outcome.Outcome name
	UserID     string `json:"uid,omitempty"`   // CIAM user id (created, updated, skipped)
	RequestID  string `json:"rid,omitempty"`   // CIAM request id of the last call
	Code       string `json:"code,omitempty"`  // CIAM error code
	Message    string `json:"msg,omitempty"`   // error message or reason
	Field      string `json:"field,omitempty"` // rejected: offending field
	Identifier string `json:"ident,omitempty"` // conflict: email | phone_number | user_name | legacy_key | unknown
	Fields     string `json:"fields,omitempty"`
	Digest     string `json:"dig,omitempty"`  // created/updated: digest of the mapped fields sent, for the ledger
	Seen       string `json:"seen,omitempty"` // settle: hashes of the identifiers the row holds first, for the duplicate table (importer/dedup)
	Attempts   int    `json:"att,omitempty"`  // calls made for this row
	Pass       int    `json:"pass,omitempty"`
}

// validate rejects entries that cannot have been written by Append.
func (e *Entry) validate() error {
	if e.Op != OpBegin && e.Op != OpSettle && e.Op != OpCancel {
		return fmt.Errorf("unknown journal op %q", e.Op)
	}
	if e.Op == OpSettle {
		if _, ok := outcome.ByName(e.Outcome); !ok {
			return fmt.Errorf("unknown outcome %q", e.Outcome)
		}
	}
	return nil
}

// Position is the begun row a begin entry names.
func (e *Entry) Position() Position {
	return Position{Line: e.Line, ID: e.ID, Sink: e.Sink, Key: e.Key, Digest: e.RowDigest}
}

// Row is the report row of a settle entry.
func (e *Entry) Row() *outcome.Row {
	return &outcome.Row{Line: e.Line, ID: e.ID, Key: e.Key, UserID: e.UserID, RequestID: e.RequestID, Code: e.Code,
		Message: e.Message, Field: e.Field, Identifier: e.Identifier, Fields: e.Fields, Attempts: e.Attempts, Pass: e.Pass}
}
