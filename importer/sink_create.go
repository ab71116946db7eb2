package importer

import (
	"context"
	"errors"
	"fmt"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// maxSends bounds how many times one row's CreateUser is sent after in-doubt
// answers whose lookup found nothing.
const maxSends = 3

// sinkCreate is the CreateUser sink's name in the journal.
const sinkCreate = "create"

// createSink sends each row with one CreateUser call, on a pool of
// workers. A fatal error goes to halt, which stops the job; the row is then
// abandoned, not settled.
type createSink struct {
	*control
	api     API // paced
	find    *finder
	storeID string
	workers int
	guard   *streak
	update  *updateSink // ConflictUpdate: a user found ours is updated, not skipped
}

func (s *createSink) name() string { return sinkCreate }

func (s *createSink) serve(ctx context.Context, in <-chan *job) {
	s.pool(ctx, s.workers, in, s.process)
}

func (s *createSink) process(ctx context.Context, j *job) result {
	ctx = withAttempts(ctx, &j.attempts)
	if j.reconcile {
		j.maybeSent = true
		if r, done := s.reconcileFirst(ctx, j); done {
			return r
		}
	}
	if err := s.begin(ctx, j, sinkCreate); err != nil {
		if ctx.Err() == nil {
			s.halt(fmt.Errorf("journal row %d: %w", j.rec.Line, err))
		}
		return abandoned
	}
	req := buildRequest(s.storeID, j.user)
	for sends := 1; ; sends++ {
		resp, err := s.api.CreateUser(ctx, req)
		if err == nil {
			s.guard.ok()
			return s.created(j, resp.User, resp.RequestId)
		}
		r, again := s.failed(ctx, j, err, sends)
		if !again {
			return r
		}
	}
}

// failed decides what a failed send means; again asks for another send.
func (s *createSink) failed(ctx context.Context, j *job, err error, sends int) (r result, again bool) {
	var ce *ciam.Error
	if !errors.As(err, &ce) || ctx.Err() != nil {
		return abandoned, false // cancelled: the journal's begin entry settles it next run
	}
	switch ce.Class {
	case ciam.Conflict:
		if j.maybeSent || s.find.legacyAttr > 0 || s.update != nil {
			return s.settleByLookup(ctx, j, ce, false) // ours or theirs, the lookup tells
		}
		return s.conflict(j, ce.Identifier, ce), false
	case ciam.InDoubt:
		j.maybeSent = true
		if err := s.guard.notAPI(ce); err != nil {
			s.halt(err)
			return s.unsent(ctx, j), false
		}
		return s.settleByLookup(ctx, j, ce, sends < maxSends)
	case ciam.Rejected:
		if err := s.guard.fail(ce); err != nil {
			s.halt(err)
			return s.unsent(ctx, j), false
		}
		return rejectedWith(j, s.pass, ce), false
	case ciam.Retryable:
		if err := s.guard.fail(ce); err != nil {
			s.halt(err)
			return s.unsent(ctx, j), false
		}
		return s.retryable(j, ce), false
	default:
		s.halt(ce)
		return s.unsent(ctx, j), false
	}
}

// unsent abandons a row whose last answer proved that nothing was created
// (a fatal error, a refusal): unless an earlier send of it may have reached
// CIAM, its begin entry is cancelled, so the next run sends it as new rather
// than settling it by a lookup that cannot tell whose user it finds.
func (s *createSink) unsent(ctx context.Context, j *job) result {
	if !j.maybeSent {
		if err := s.cancel(ctx, j); err != nil && ctx.Err() == nil {
			s.halt(fmt.Errorf("journal row %d: %w", j.rec.Line, err))
		}
	}
	return abandoned
}

// settleByLookup settles a row whose send may have worked. When no user is
// found, resend says whether to send again or give up as retryable.
func (s *createSink) settleByLookup(ctx context.Context, j *job, cause *ciam.Error, resend bool) (result, bool) {
	look := s.find.find
	if cause.Class == ciam.InDoubt {
		look = s.find.ours // a collision, if any, shows in the resend's answer
	}
	f, err := look(ctx, j.user)
	if err != nil {
		return s.lookupFailed(ctx, j, err), false
	}
	switch f.verdict {
	case ours:
		if s.update != nil {
			return s.update.existing(ctx, j, f.user), false
		}
		if !j.maybeSent {
			return s.skipped(j, f.user), false
		}
		return s.created(j, f.user, ""), false
	case theirs:
		if cause.Class != ciam.Conflict {
			cause = nil // the send's own error says nothing about the collision
		}
		return s.conflict(j, f.identifier, cause), false
	}
	if resend {
		return abandoned, true
	}
	return s.retryable(j, cause), false
}

// reconcileFirst settles a row begun by an earlier run, if its user exists.
func (s *createSink) reconcileFirst(ctx context.Context, j *job) (result, bool) {
	f, err := s.find.find(ctx, j.user)
	if err != nil {
		return s.lookupFailed(ctx, j, err), true
	}
	switch f.verdict {
	case ours:
		if s.update != nil {
			return s.update.existing(ctx, j, f.user), true
		}
		return s.created(j, f.user, ""), true
	case theirs:
		return s.conflict(j, f.identifier, nil), true
	}
	return abandoned, false
}

// skipped settles a row whose user an earlier import created: the legacy id
// in its indexed attribute is this row's key, but this state never sent it.
func (s *createSink) skipped(j *job, u *ciam.User) result {
	e := j.entry(outcome.Skipped, s.pass)
	e.UserID, e.Digest = u.UserId, entryDigest(ciamDigests(u))
	e.Message = "already in CIAM with this legacy key (imported before, not by this state directory)"
	return settledWith(e)
}

func (s *createSink) lookupFailed(ctx context.Context, j *job, err error) result {
	return lookupResult(ctx, s.control, j, err)
}

func (s *createSink) created(j *job, u *ciam.User, requestID string) result {
	return createdWith(j, s.pass, u, requestID)
}

func (s *createSink) conflict(j *job, ident ciam.Identifier, ce *ciam.Error) result {
	return conflictWith(j, s.pass, ident, ce)
}

func (s *createSink) retryable(j *job, ce *ciam.Error) result { return retryableWith(j, s.pass, ce) }
