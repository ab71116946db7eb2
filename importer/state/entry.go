package state

import "fmt"

// Journal operations.
const (
	// OpBegin records that a row is about to be sent. It must be committed
	// before the request leaves the process; a begin without a later settle
	// marks the row in doubt after a crash.
	OpBegin = "begin"
	// OpSettle records the final outcome of a row for the current pass.
	OpSettle = "settle"
)

// Outcomes carried by settle entries.
const (
	OutcomeCreated   = "created"
	OutcomeConflict  = "conflict"
	OutcomeRejected  = "rejected"
	OutcomeRetryable = "retryable"
	OutcomeSkipped   = "skipped"
)

// Entry is one line of journal.jsonl. The JSON names are short because the
// journal gets two lines per input row. Entries carry everything a report row
// needs, so that rows settled after the last snapshot can be re-reported on
// resume. They never carry secrets.
type Entry struct {
	Op         string `json:"op"`              // OpBegin or OpSettle
	Line       int64  `json:"line"`            // row's line number in the input
	Offset     int64  `json:"off"`             // byte offset where the row starts
	End        int64  `json:"end"`             // byte offset just past the row
	EndLine    int64  `json:"eline,omitempty"` // line number at End: where the next row starts
	Key        string `json:"key,omitempty"`   // legacy id
	Outcome    string `json:"out,omitempty"`   // settle only: one of the Outcome constants
	UserID     string `json:"uid,omitempty"`   // CIAM user id (created, skipped)
	RequestID  string `json:"rid,omitempty"`   // CIAM request id of the last call
	Code       string `json:"code,omitempty"`  // CIAM error code
	Message    string `json:"msg,omitempty"`   // error message or reason
	Field      string `json:"field,omitempty"` // rejected: offending field
	Identifier string `json:"ident,omitempty"` // conflict: email | phone_number | user_name | unknown
	Attempts   int    `json:"att,omitempty"`   // calls made for this row
	Pass       int    `json:"pass,omitempty"`  // 0 main pass, N = Nth retry pass
}

// validate rejects entries that cannot have been written by Append.
func (e *Entry) validate() error {
	if e.Op != OpBegin && e.Op != OpSettle {
		return fmt.Errorf("unknown journal op %q", e.Op)
	}
	return nil
}
