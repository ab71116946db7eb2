package undo

import (
	"context"
	"fmt"
	"slices"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// reconcile settles the batches begun and never settled by an earlier Run:
// each id is looked up, a user that is gone is Deleted, one still there is
// Failed here and sent again by undo. Nothing is sent before this is done.
func (u *undoer) reconcile(ctx context.Context) error {
	open := make([]int, 0, len(u.p.open))
	for n := range u.p.open {
		open = append(open, n)
	}
	slices.Sort(open)
	for _, n := range open {
		results, _, err := u.lookupAll(ctx, u.p.open[n], "the answer to DeleteUsers was lost")
		if err != nil {
			return err
		}
		if err := u.settle(n, results); err != nil {
			return err
		}
	}
	return nil
}

// deleteBatch deletes ids, journaled: begin, send, settle. A retryable
// answer is sent again after a back-off, an unclear one after looking each
// id up; a refused batch is looked up and its users still there are sent
// one by one. After cfg.Attempts sends the users left are Failed.
func (u *undoer) deleteBatch(ctx context.Context, ids []string) error {
	for attempt := 1; len(ids) > 0; attempt++ {
		n := u.p.batches + 1
		if err := u.begin(n, ids); err != nil {
			return err
		}
		err := u.send(ctx, ids)
		if err != nil && ctx.Err() != nil {
			return ctx.Err() // the answer is lost: the batch stays open for the next Run
		}
		results, rest, stop := u.judge(ctx, ids, err, attempt)
		if serr := u.settle(n, results); serr != nil {
			return serr
		}
		if stop != nil {
			return stop
		}
		if len(rest) > 1 && isRefused(err) {
			return u.oneByOne(ctx, rest)
		}
		ids = rest
	}
	return nil
}

// oneByOne sends each id alone, so that one refused user leaves the others
// deleted.
func (u *undoer) oneByOne(ctx context.Context, ids []string) error {
	for _, id := range ids {
		if err := u.deleteBatch(ctx, []string{id}); err != nil {
			return err
		}
	}
	return nil
}

// judge turns DeleteUsers' answer into each id's result and the ids to send
// again; stop is the error that ends the Run.
func (u *undoer) judge(ctx context.Context, ids []string, err error, attempt int) (results []Result, rest []string, stop error) {
	class := classOf(err)
	switch {
	case err == nil:
		return resultsOf(ids, Deleted, ""), nil, nil
	case class == ciam.Fatal:
		return resultsOf(ids, Failed, err.Error()), nil, err
	case class == ciam.Retryable:
		if attempt >= u.cfg.Attempts {
			return resultsOf(ids, Failed, err.Error()), nil, nil
		}
		return resultsOf(ids, Failed, err.Error()), ids, u.backoff(ctx, err, attempt)
	}
	results, present, lerr := u.lookupAll(ctx, ids, "DeleteUsers answered "+err.Error())
	if lerr != nil {
		return results, nil, lerr
	}
	if (class == ciam.InDoubt && attempt >= u.cfg.Attempts) || (isRefused(err) && len(ids) == 1) {
		present = nil // given up: the lookup's Failed stands
	}
	return results, present, nil
}

// lookupAll looks each id up: a user that is gone is Deleted, one still
// there Failed (with why, the reason of the lookup). present lists the
// latter. An error stops it; results then holds the ids looked up so far.
func (u *undoer) lookupAll(ctx context.Context, ids []string, why string) (results []Result, present []string, err error) {
	for _, id := range ids {
		gone, err := u.gone(ctx, id)
		if err != nil {
			return results, present, err
		}
		if gone {
			u.confirmed++
			results = append(results, Result{UserID: id, Outcome: Deleted, Message: why + "; a lookup found the user gone"})
			continue
		}
		present = append(present, id)
		results = append(results, Result{UserID: id, Outcome: Failed, Message: why + "; the user still exists"})
	}
	return results, present, nil
}

// gone reports whether DescribeUserById finds no user id, retrying a
// retryable answer up to cfg.Attempts times.
func (u *undoer) gone(ctx context.Context, id string) (bool, error) {
	for attempt := 1; ; attempt++ {
		if err := u.lim.Wait(ctx); err != nil {
			return false, err
		}
		resp, err := u.cfg.API.DescribeUserById(ctx, &ciam.DescribeUserByIdRequest{UserStoreId: u.cfg.UserStoreID, UserId: id})
		if err == nil {
			return resp.User == nil, nil
		}
		if classOf(err) != ciam.Retryable || attempt >= u.cfg.Attempts || ctx.Err() != nil {
			return false, fmt.Errorf("look up user %s: %w", id, err)
		}
		if err := u.backoff(ctx, err, attempt); err != nil {
			return false, err
		}
	}
}
