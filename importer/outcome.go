package importer

import (
	"github.com/ciam-import/ciam-import/importer/report"
	"github.com/ciam-import/ciam-import/importer/state"
)

// Outcomes a row can settle with; each has its own report. The journal
// defines the words.
const (
	OutcomeCreated, OutcomeConflict, OutcomeRejected = state.OutcomeCreated, state.OutcomeConflict, state.OutcomeRejected
	OutcomeRetryable, OutcomeSkipped                 = state.OutcomeRetryable, state.OutcomeSkipped
)

// result is what a worker or the reader decided for one row. A row that is
// not settled was abandoned (shutdown, fatal error): the next run reads it
// again.
type result struct {
	settled bool
	entry   state.Entry
}

func settledWith(e state.Entry) result { return result{settled: true, entry: e} }

var abandoned = result{}

// writeReport appends the report row of a settle entry.
func writeReport(w *report.Writer, e state.Entry) error {
	switch e.Outcome {
	case OutcomeCreated:
		return w.Created(report.Created{Line: e.Line, Key: e.Key, UserID: e.UserID, RequestID: e.RequestID, Pass: e.Pass})
	case OutcomeConflict:
		return w.Conflict(report.Conflict{Line: e.Line, Key: e.Key, Identifier: e.Identifier, Code: e.Code, Message: e.Message, RequestID: e.RequestID})
	case OutcomeRejected:
		return w.Rejected(report.Rejected{Line: e.Line, Key: e.Key, Field: e.Field, Reason: e.Message})
	case OutcomeRetryable:
		return w.Retryable(report.Retryable{Line: e.Line, Offset: e.Offset, End: e.End, Key: e.Key, Code: e.Code, Message: e.Message, Attempts: e.Attempts})
	default:
		return w.Skipped(report.Skipped{Line: e.Line, Key: e.Key, UserID: e.UserID, Reason: e.Message})
	}
}

// count adds one settled entry to the counts.
func count(c *state.Counts, outcome string, delta int64) {
	switch outcome {
	case OutcomeCreated:
		c.Created += delta
	case OutcomeConflict:
		c.Conflict += delta
	case OutcomeRejected:
		c.Rejected += delta
	case OutcomeRetryable:
		c.Retryable += delta
	case OutcomeSkipped:
		c.Skipped += delta
	}
}
