package importer

import (
	"context"
	"errors"
	"fmt"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/state"
	"github.com/ciam-import/ciam-import/mapping"
)

// maxSends bounds how many times one row's CreateUser is sent after in-doubt
// answers whose lookup found nothing.
const maxSends = 3

// job is one row on its way through the pipeline. done receives exactly one
// result.
type job struct {
	rec       source.Record
	user      *mapping.User
	reconcile bool // begun by an earlier run and never settled: look up first
	maybeSent bool // a CreateUser for this row may already have reached CIAM
	attempts  int
	done      chan result
}

func newJob(rec source.Record) *job { return &job{rec: rec, done: make(chan result, 1)} }

// entry starts the settle entry of this row.
func (j *job) entry(outcome string, pass int) state.Entry {
	e := state.Entry{Op: state.OpSettle, Line: j.rec.Line, Offset: j.rec.Offset, End: j.rec.End, EndLine: j.rec.EndLine,
		Outcome: outcome, Pass: pass}
	if j.user != nil {
		e.Key = j.user.Key
	}
	return e
}

// worker sends rows to CIAM. A fatal error is passed to halt, which stops
// the job; the row is then abandoned, not settled.
type worker struct {
	api     API
	pacer   *Pacer
	find    *finder
	storeID string
	pass    int
	begin   func(ctx context.Context, j *job) error
	halt    func(error)
}

func (w *worker) process(ctx context.Context, j *job) result {
	if j.reconcile {
		j.maybeSent = true
		if r, done := w.reconcileFirst(ctx, j); done {
			return r
		}
	}
	if err := w.begin(ctx, j); err != nil {
		if ctx.Err() == nil {
			w.halt(fmt.Errorf("journal row %d: %w", j.rec.Line, err))
		}
		return abandoned
	}
	req := buildRequest(w.storeID, j.user)
	for sends := 1; ; sends++ {
		var resp *ciam.CreateUserResponse
		n, err := w.pacer.Do(ctx, ciam.ActionCreateUser, func(ctx context.Context) (err error) {
			resp, err = w.api.CreateUser(ctx, req)
			return err
		})
		j.attempts += n
		if err == nil {
			return w.created(j, resp.User, resp.RequestId)
		}
		r, again := w.failed(ctx, j, err, sends)
		if !again {
			return r
		}
	}
}

// failed decides what a failed send means; again asks for another send.
func (w *worker) failed(ctx context.Context, j *job, err error, sends int) (r result, again bool) {
	var ce *ciam.Error
	if !errors.As(err, &ce) || ctx.Err() != nil {
		return abandoned, false // cancelled: the journal's begin entry settles it next run
	}
	switch ce.Class {
	case ciam.Conflict:
		if j.maybeSent || w.find.legacyAttr > 0 {
			return w.settleByLookup(ctx, j, ce, false) // ours or theirs, the lookup tells
		}
		return w.conflict(j, ce.Identifier, ce), false
	case ciam.InDoubt:
		j.maybeSent = true
		return w.settleByLookup(ctx, j, ce, sends < maxSends)
	case ciam.Rejected:
		e := j.entry(OutcomeRejected, w.pass)
		e.Field, e.Code, e.Message, e.RequestID = rejectedField(ce.Code), ce.Code, ce.Code+": "+ce.Message, ce.RequestID
		return settledWith(e), false
	case ciam.Retryable:
		return w.retryable(j, ce), false
	default:
		w.halt(ce)
		return abandoned, false
	}
}

// settleByLookup settles a row whose send may have worked. When no user is
// found, resend says whether to send again or give up as retryable.
func (w *worker) settleByLookup(ctx context.Context, j *job, cause *ciam.Error, resend bool) (result, bool) {
	f, err := w.find.find(ctx, j.user)
	if err != nil {
		return w.lookupFailed(ctx, j, err), false
	}
	switch f.verdict {
	case ours:
		if !j.maybeSent {
			return w.skipped(j, f.user), false
		}
		return w.created(j, f.user, ""), false
	case theirs:
		if cause.Class != ciam.Conflict {
			cause = nil // the send's own error says nothing about the collision
		}
		return w.conflict(j, f.identifier, cause), false
	}
	if resend {
		return abandoned, true
	}
	return w.retryable(j, cause), false
}

// reconcileFirst settles a row begun by an earlier run, if its user exists.
func (w *worker) reconcileFirst(ctx context.Context, j *job) (result, bool) {
	f, err := w.find.find(ctx, j.user)
	if err != nil {
		return w.lookupFailed(ctx, j, err), true
	}
	switch f.verdict {
	case ours:
		return w.created(j, f.user, ""), true
	case theirs:
		return w.conflict(j, f.identifier, nil), true
	}
	return abandoned, false
}

// lookupFailed settles a row whose lookup failed: retryable, or abandoned
// when the job is stopping.
func (w *worker) lookupFailed(ctx context.Context, j *job, err error) result {
	var ce *ciam.Error
	if !errors.As(err, &ce) || ctx.Err() != nil {
		return abandoned
	}
	if ce.Class == ciam.Fatal {
		w.halt(ce)
		return abandoned
	}
	return w.retryable(j, ce)
}

func (w *worker) created(j *job, u *ciam.User, requestID string) result {
	e := j.entry(OutcomeCreated, w.pass)
	e.RequestID, e.Attempts = requestID, j.attempts
	if u != nil {
		e.UserID = u.UserId
	}
	return settledWith(e)
}

func (w *worker) conflict(j *job, ident ciam.Identifier, ce *ciam.Error) result {
	e := j.entry(OutcomeConflict, w.pass)
	e.Identifier, e.Attempts = string(ident), j.attempts
	if e.Identifier == "" {
		e.Identifier = "unknown"
	}
	if ce != nil {
		e.Code, e.Message, e.RequestID = ce.Code, ce.Message, ce.RequestID
	} else {
		e.Code, e.Message = "LocalLookup.AlreadyExists", "a different user already holds this "+e.Identifier
	}
	return settledWith(e)
}

// skipped settles a row whose user an earlier import created: the legacy id
// in its indexed attribute is this row's key, but this state never sent it.
func (w *worker) skipped(j *job, u *ciam.User) result {
	e := j.entry(OutcomeSkipped, w.pass)
	e.UserID, e.Attempts = u.UserId, j.attempts
	e.Message = "already in CIAM with this legacy key (imported before, not by this state directory)"
	return settledWith(e)
}

func (w *worker) retryable(j *job, ce *ciam.Error) result {
	e := j.entry(OutcomeRetryable, w.pass)
	e.Code, e.Message, e.RequestID, e.Attempts = ce.Code, ce.Message, ce.RequestID, j.attempts
	return settledWith(e)
}
