package undo

import (
	"context"
	"errors"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// send paces and sends one DeleteUsers call.
func (u *undoer) send(ctx context.Context, ids []string) error {
	if err := u.lim.Wait(ctx); err != nil {
		return err
	}
	_, err := u.cfg.API.DeleteUsers(ctx, &ciam.DeleteUsersRequest{UserStoreId: u.cfg.UserStoreID, UserIds: ids})
	return err
}

// begin journals that batch n is about to be sent with ids.
func (u *undoer) begin(n int, ids []string) error {
	e := Entry{Op: opBegin, Batch: n, IDs: ids}
	if err := u.j.append(e); err != nil {
		return err
	}
	u.p.apply(e)
	return nil
}

// settle journals the results of batch n.
func (u *undoer) settle(n int, results []Result) error {
	e := Entry{Op: opSettle, Batch: n, Results: results}
	if err := u.j.append(e); err != nil {
		return err
	}
	u.p.apply(e)
	return nil
}

// backoff waits before the next attempt: the longer of cfg.Backoff and the
// answer's Retry-After. It returns the context's error if cancelled.
func (u *undoer) backoff(ctx context.Context, err error, attempt int) error {
	d := u.cfg.Backoff(attempt)
	var ce *ciam.Error
	if errors.As(err, &ce) && ce.RetryAfter > d {
		d = ce.RetryAfter
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// classOf is the class of a failed call (ciam.ClassOf: an error the
// client did not classify is Fatal).
func classOf(err error) ciam.Class { return ciam.ClassOf(err) }

// isRefused reports an answer that refused the batch for its content
// (Rejected or Conflict): one id may be the cause.
func isRefused(err error) bool {
	c := classOf(err)
	return c == ciam.Rejected || c == ciam.Conflict
}

// resultsOf gives every id the same outcome.
func resultsOf(ids []string, o Outcome, msg string) []Result {
	out := make([]Result, len(ids))
	for i, id := range ids {
		out[i] = Result{UserID: id, Outcome: o, Message: msg}
	}
	return out
}
