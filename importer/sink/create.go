package sink

import (
	"context"
	"fmt"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// maxSends bounds how many times one row's CreateUser is sent after in-doubt
// answers whose lookup found nothing.
const maxSends = 3

// NameCreate is the CreateUser sink's name in the journal.
const NameCreate = "create"

// Create sends each row with one CreateUser call, on a pool of
// workers. A fatal error goes to halt, which stops the run; the row is then
// abandoned, not settled.
type Create struct {
	*Control
	api     API // paced
	find    *Finder
	storeID string
	workers int
	guard   *streak
	update  *Update // ConflictUpdate: a user found ours is updated, not skipped
	// Refresh brings the user of a row that changed in the input while in
	// flight up to date (see Update.refresh); nil: it is reported as found.
	Refresh *Update
}

func (s *Create) Name() string { return NameCreate }

func (s *Create) Serve(ctx context.Context, in <-chan *Row) {
	s.pool(ctx, s.workers, in, s.process)
}

func (s *Create) process(ctx context.Context, j *Row) Result {
	ctx = WithAttempts(ctx, &j.Attempts)
	if j.Gone {
		return settleGone(ctx, s.Control, s.guard, s.find, j)
	}
	if j.Reconcile {
		j.MaybeSent = true
		if r, done := s.reconcileFirst(ctx, j); done {
			return r
		}
	}
	if err := s.Begin(ctx, j, NameCreate); err != nil {
		if ctx.Err() == nil {
			s.Halt(fmt.Errorf("journal row %d: %w", j.Rec.Line, err))
		}
		return Abandoned
	}
	req := buildRequest(s.storeID, j.User)
	for sends := 1; ; sends++ {
		if j.FirstSent.IsZero() {
			j.FirstSent = time.Now()
		}
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
func (s *Create) failed(ctx context.Context, j *Row, err error, sends int) (r Result, again bool) {
	answer, ce := decide(ctx, err)
	switch answer {
	case Stopped:
		return Abandoned, false // the journal's begin entry settles it next run
	case Fatal:
		s.Halt(ce)
		return s.unsent(ctx, j), false
	case Taken:
		s.guard.ok() // an identifier taken: the endpoint, the store and the keys work, whatever later rows' refusals say
		if j.MaybeSent || s.find.legacyAttr > 0 || s.update != nil {
			return s.settleByLookup(ctx, j, ce, false) // ours or theirs, the lookup tells
		}
		return settleFailure(j, s.Pass, ce), false
	case InDoubt:
		j.MaybeSent = true
		if err := s.guard.notAPI(ce); err != nil { // a wrong endpoint answers every row so
			s.Halt(err)
			return s.unsent(ctx, j), false
		}
		return s.settleByLookup(ctx, j, ce, sends < maxSends)
	}
	if err := s.guard.fail(ce); err != nil { // Refused, Later
		s.Halt(err)
		return s.unsent(ctx, j), false
	}
	return settleFailure(j, s.Pass, ce), false
}

// unsent abandons a row whose last answer proved that nothing was created
// (a fatal error, a refusal): unless an earlier send of it may have reached
// CIAM, its begin entry is cancelled, so the next run sends it as new rather
// than settling it by a lookup that cannot tell whose user it finds.
func (s *Create) unsent(ctx context.Context, j *Row) Result {
	if !j.MaybeSent {
		if err := s.Cancel(ctx, j); err != nil && ctx.Err() == nil {
			s.Halt(fmt.Errorf("journal row %d: %w", j.Rec.Line, err))
		}
	}
	return Abandoned
}

// settleByLookup settles a row whose send may have worked. When no user is
// found, resend says whether to send again or give up as retryable.
func (s *Create) settleByLookup(ctx context.Context, j *Row, cause *ciam.Error, resend bool) (Result, bool) {
	look := s.find.find
	if cause.Class == ciam.InDoubt {
		look = s.find.ours // a collision, if any, shows in the resend's answer
	}
	f, err := look(ctx, j.User)
	if err != nil {
		return s.lookupFailed(ctx, j, err), false
	}
	switch {
	case f.verdict == ours && s.update != nil:
		return s.update.existing(ctx, j, f.user), false
	case f.verdict == ours && !j.MaybeSent && !createdSince(f.user, j.FirstSent):
		return s.skipped(j, f.user), false
	}
	if r, ok := settleFound(j, s.Pass, f, cause); ok {
		return r, false
	}
	if resend {
		return Abandoned, true
	}
	return retryableWith(j, s.Pass, cause), false // no user: the row may be sent again later
}

// reconcileFirst settles a row begun by an earlier run, if its user exists.
func (s *Create) reconcileFirst(ctx context.Context, j *Row) (Result, bool) {
	f, err := s.find.find(ctx, j.User)
	if err != nil {
		return s.lookupFailed(ctx, j, err), true
	}
	if f.verdict == ours && changedSinceBegin(j) && s.Refresh != nil {
		return s.Refresh.refresh(ctx, j, f.user), true
	}
	if f.verdict == ours && s.update != nil {
		return s.update.existing(ctx, j, f.user), true
	}
	return settleFound(j, s.Pass, f, nil)
}

// skipped settles a row whose user an earlier import created: the legacy id
// in its indexed attribute is this row's key, but this state never sent it.
func (s *Create) skipped(j *Row, u *ciam.User) Result {
	e := j.Entry(outcome.Skipped, s.Pass)
	e.UserID, e.Digest = u.UserId, ciamDigests(u).Encode()
	e.Message = "already in CIAM with this legacy key (imported before, not by this state directory)"
	return Settle(e)
}

func (s *Create) lookupFailed(ctx context.Context, j *Row, err error) Result {
	return lookupResult(ctx, s.Control, s.guard, j, err)
}

func (s *Create) created(j *Row, u *ciam.User, requestID string) Result {
	return createdWith(j, s.Pass, u, requestID)
}

// NewCreate makes the CreateUser sink: api is paced, find settles rows in
// doubt, workers bounds its calls at a time. update, when not nil
// (ConflictUpdate), updates a user found ours instead of skipping it.
func NewCreate(c *Control, api API, find *Finder, storeID string, workers int, update *Update) *Create {
	return &Create{Control: c, api: api, find: find, storeID: storeID, workers: workers, guard: &streak{}, update: update}
}

// createdSince tells whether CIAM stored u at or after t (our clock): a
// user that an attempt of this row's own call stored before the service
// refused it (a RequestLimitExceeded the pacer resent) is this row's, not
// one imported before. It needs the user's CreatedDate; clocks that
// disagree err towards "imported before" (skipped), which undo never
// deletes.
func createdSince(u *ciam.User, t time.Time) bool {
	return u.CreatedDate != nil && !t.IsZero() && *u.CreatedDate >= t.UnixMilli()
}
