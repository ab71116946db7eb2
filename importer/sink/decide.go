package sink

import (
	"context"
	"errors"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// Answer is what a failed call means for the rows it was made for. The
// client edge classifies every error once (ciam.Class); decide reads that
// class, and settleFailure turns it into the row's outcome, for every sink
// alike. What differs between sinks is only what they do before settling:
// CreateUser looks a taken identifier up (it may be our own user), the
// import job splits a refused batch, and UpdateUser never resends.
type Answer int

// The answers.
const (
	Stopped Answer = iota // cancelled: no outcome; the next run settles the row
	Fatal                 // no row can fix it: the run halts, the row is left for the next run
	Taken                 // an identifier is someone's: a conflict, unless a lookup finds our own user
	InDoubt               // the call may have worked: settled by a lookup, never by a blind resend
	Refused               // the row's data is refused: rejected
	Later                 // a passing failure: retryable in a later pass
)

// decide is the one table from a call's error to its answer. A context
// that has ended wins over any error: the row is abandoned, not settled.
func decide(ctx context.Context, err error) (Answer, *ciam.Error) {
	var ce *ciam.Error
	if !errors.As(err, &ce) || ctx.Err() != nil {
		return Stopped, ce
	}
	switch ce.Class {
	case ciam.Conflict:
		return Taken, ce
	case ciam.InDoubt:
		return InDoubt, ce
	case ciam.Rejected:
		return Refused, ce
	case ciam.Retryable:
		return Later, ce
	}
	return Fatal, ce
}

// settleFailure is the outcome of a row whose call failed with ce, once
// its sink has decided to settle it on that answer: a conflict, rejected,
// or retryable (an answer left in doubt that no lookup resolved).
func settleFailure(j *Row, pass int, ce *ciam.Error) Result {
	switch ce.Class {
	case ciam.Conflict:
		return conflictWith(j, pass, ce.Identifier, ce)
	case ciam.Rejected:
		return rejectedWith(j, pass, ce)
	}
	return retryableWith(j, pass, ce)
}

// settleFound is the one table from a lookup's verdict to a row's
// outcome: our own user means the row's earlier send created it, someone
// else's a conflict (cause is the send's own answer, if it named the
// conflict). An absent user settles nothing (ok false): the caller sends,
// resends or leaves the row retryable.
func settleFound(j *Row, pass int, f finding, cause *ciam.Error) (r Result, ok bool) {
	switch f.verdict {
	case ours:
		return createdWith(j, pass, f.user, ""), true
	case theirs:
		if cause != nil && cause.Class != ciam.Conflict {
			cause = nil // the send's own error says nothing about the collision
		}
		return conflictWith(j, pass, f.identifier, cause), true
	}
	return Result{}, false
}
